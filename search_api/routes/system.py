"""Health and the commissioners' page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..deps import ServiceDep
from ..schemas import Health

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get("/health", response_model=Health, tags=["system"])
def health(service: ServiceDep) -> dict:
    snap = service.snapshot()
    return {
        "status": "ok",
        "build": snap.build_id,
        "passages": len(snap.passages),
        "triples": len(snap.store),
    }


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")
