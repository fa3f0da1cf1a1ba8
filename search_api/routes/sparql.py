"""The SPARQL 1.1 Protocol endpoint: GET ?query=, POST form, POST application/sparql-query."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kg.sparql import SparqlError, execute

from ..deps import ServiceDep, SettingsDep

router = APIRouter(tags=["sparql"])


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": "sparql", "detail": message}, status_code=status)


def _run(
    service,
    settings,
    query: str | None,
    accept: str | None,
    fmt: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> Response:
    if not query or not query.strip():
        return _error(
            400,
            "no SPARQL query given: pass 'query' (GET or form POST) or POST "
            "application/sparql-query",
        )
    if len(query) > settings.sparql_max_query_chars:
        return _error(
            413, f"query is {len(query)} characters; the limit is {settings.sparql_max_query_chars}"
        )
    try:
        result = execute(
            service.snapshot().store,
            query,
            accept=accept,
            fmt=fmt,
            max_rows=settings.sparql_max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(result.body, media_type=result.media_type)


@router.get("/sparql", summary="SPARQL query (GET)")
def sparql_get(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    params = request.query_params
    return _run(
        service,
        settings,
        params.get("query"),
        request.headers.get("accept"),
        params.get("format"),
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if len(raw) > settings.sparql_max_query_chars * 4:
        return _error(413, "request body too large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "request body is not UTF-8")
    params = request.query_params
    defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    fmt = params.get("format")
    if content_type == "application/sparql-query":
        query = text
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
        query = (form.get("query") or [None])[0]
        defaults += form.get("default-graph-uri", [])
        named += form.get("named-graph-uri", [])
        fmt = fmt or (form.get("format") or [None])[0]
    elif content_type == "application/sparql-update":
        return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
    else:
        return _error(415, "use application/x-www-form-urlencoded or application/sparql-query")
    return _run(service, settings, query, request.headers.get("accept"), fmt, defaults, named)
