"""Health, the commissioners' page, and the embeddable search widget."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..deps import ServiceDep, SettingsDep
from ..schemas import Health

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


class HealthOut(Health):
    id_base: str


@router.get("/health", response_model=HealthOut, tags=["system"])
def health(service: ServiceDep, settings: SettingsDep) -> dict:
    snap = service.snapshot()
    return {
        "status": "ok",
        "build": snap.build_id,
        "passages": len(snap.passages),
        "triples": len(snap.store),
        "id_base": settings.id_base,
    }


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    # Its Content-Security-Policy (script-src 'self', no inline script) comes from
    # search_api/http/security.py, as for every HTML page.
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/widget.js", tags=["system"], summary="The embeddable <kg-search> widget")
def widget() -> FileResponse:
    """One script tag adds ``<kg-search endpoint="...">`` to any site; the site's origin must be
    listed in KG_CORS_ORIGINS for the widget to call /search and /ask."""
    return FileResponse(
        STATIC / "widget.js",
        media_type="application/javascript",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"},
    )
