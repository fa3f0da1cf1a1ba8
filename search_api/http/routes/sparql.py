"""The SPARQL 1.1 Protocol endpoint.

Query by GET ``?query=``, POST ``application/x-www-form-urlencoded`` or POST
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` select the dataset.
Results are negotiated from the Accept header or a ``format`` parameter. GET with no query
answers with the Service Description (RDF clients) or a query page (browsers).
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from kg.config import Settings
from kg.sparql import SparqlError

from ...core.sparql_service import SparqlQuery, SparqlService
from ..deps import ServiceDep, SettingsDep
from ..service_description import service_description
from .system import STATIC

router = APIRouter(tags=["sparql"])
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": "sparql", "detail": message}, status_code=status)


def _sparql(request: Request) -> SparqlService:
    return request.app.state.sparql


async def _run(request: Request, query: SparqlQuery) -> Response:
    try:
        result = await run_in_threadpool(_sparql(request).query, query)
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(result.body, media_type=result.media_type)


def _wants_rdf(accept: str) -> bool:
    return any(t in accept for t in RDF_TYPES)


@router.get("/sparql", summary="SPARQL query (GET), Service Description or query page")
async def sparql_get(request: Request, service: ServiceDep) -> Response:
    params = request.query_params
    if "query" not in params:
        accept = request.headers.get("accept", "")
        if _wants_rdf(accept) or "text/html" not in accept:
            snap = service.snapshot()
            body = service_description(
                str(request.url_for("sparql_get")), len(snap.store), snap.build_id
            )
            return Response(body, media_type="text/turtle")
        return FileResponse(STATIC / "sparql.html", media_type="text/html")
    return await _run(
        request,
        SparqlQuery(
            params.get("query"),
            request.headers.get("accept"),
            params.get("format"),
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
        ),
    )


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request, settings: SettingsDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if len(raw) > settings.sparql_max_query_chars * 4:
        return _error(413, "the request body is too large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the request body is not UTF-8")
    params = request.query_params
    defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    fmt = params.get("format")
    if content_type == "application/sparql-query":
        query = text
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            return await _update(request, settings, form["update"][0])
        query = (form.get("query") or [None])[0]
        defaults += form.get("default-graph-uri", [])
        named += form.get("named-graph-uri", [])
        fmt = fmt or (form.get("format") or [None])[0]
    elif content_type == "application/sparql-update":
        return await _update(request, settings, text)
    else:
        return _error(415, "send application/x-www-form-urlencoded or application/sparql-query")
    return await _run(
        request, SparqlQuery(query, request.headers.get("accept"), fmt, defaults, named)
    )


async def _update(request: Request, settings: Settings, update: str) -> Response:
    """SPARQL Update, only for a caller holding the configured token (KG_UPDATE_TOKEN)."""
    token = settings.update_token
    given = request.headers.get("authorization", "")
    if not token:
        return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _error(403, "SPARQL Update needs 'Authorization: Bearer <update token>'")
    try:
        await run_in_threadpool(_sparql(request).update, update)
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(status_code=204)


@router.get("/sparql/examples", summary="The example queries researchers start from")
def examples(request: Request) -> list[dict]:
    return request.app.state.example_queries
