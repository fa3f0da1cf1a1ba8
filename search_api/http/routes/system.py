"""Health, the vocabulary's names, the commissioners' page, and the embeddable search widget."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from kg.vocabulary import DOCUMENT_KINDS, ENTITY_TYPES

from ...core.service import SearchService
from ...core.snapshot import Snapshot
from ..deps import ServiceDep, SettingsDep
from ..openapi import body
from ..schemas import DocumentKindOut, EntityTypeOut, HealthOut, Vocabulary
from ..searches import in_search_thread

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"


@router.get("/health", response_model=HealthOut, tags=["system"])
async def health(service: ServiceDep, settings: SettingsDep) -> dict:
    snap, triples = await in_search_thread(_counted_snapshot, service)
    return {
        "status": "ok",
        "build": snap.build_id,
        "passages": len(snap.passages),
        "triples": triples,
        "id_base": settings.id_base,
    }


def _counted_snapshot(service: SearchService) -> tuple[Snapshot, int]:
    """The snapshot served (a newly published build loaded) and its triples, off the event
    loop: counting walks an embedded graph once per snapshot, and asks a remote store."""
    snap = service.snapshot()
    return snap, snap.triples


VOCABULARY = Vocabulary(
    kinds=[DocumentKindOut(kind=k.name, label=k.label, plural=k.plural) for k in DOCUMENT_KINDS],
    entity_types=[EntityTypeOut(type=t.name, label=t.label) for t in ENTITY_TYPES],
)


@router.get(
    "/vocabulary",
    response_model=Vocabulary,
    tags=["system"],
    summary="The names of document kinds and entity types, for the page and the widget",
    responses={
        200: {"description": "The vocabulary table's kinds and entity types, in display order."}
    },
)
def vocabulary() -> Vocabulary:
    """From the vocabulary table (kg/vocabulary.py), so no label is copied into the scripts.

    Not marked cacheable: a browser would reuse a copy fetched by the page (same origin, no CORS
    header) for the widget on another site, and refuse it there."""
    return VOCABULARY


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    # Its Content-Security-Policy (script-src 'self', no inline script) comes from
    # search_api/http/security.py, as for every HTML page.
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get(
    "/widget.js",
    tags=["system"],
    summary="The embeddable <kg-search> widget",
    response_class=FileResponse,
    responses=body("The widget's script.", "application/javascript"),
)
def widget() -> FileResponse:
    """One script tag adds ``<kg-search endpoint="...">`` to any site; the site's origin must be
    listed in KG_CORS_ORIGINS for the widget to call /search and /ask."""
    return FileResponse(
        STATIC / "widget.js",
        media_type="application/javascript",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"},
    )
