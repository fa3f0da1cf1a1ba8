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

from kg.query_runner import QueryRequest
from kg.similarity import texts_in
from kg.sparql import SparqlError, execute, is_update

from ..deps import ServiceDep, SettingsDep
from ..service_description import service_description
from .system import STATIC

router = APIRouter(tags=["sparql"])
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": "sparql", "detail": message}, status_code=status)


async def _run(
    request: Request,
    service,
    settings,
    query: str | None,
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
            413,
            f"the query is {len(query)} characters; the limit is {settings.sparql_max_query_chars}",
        )
    if is_update(query):
        return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
    accept = request.headers.get("accept")
    snapshot = service.snapshot()
    runner = getattr(request.app.state, "query_runner", None)
    # Texts compared with kgfn:similarity are encoded here, where the model is loaded.
    vectors = {text: service.encoder.encode_query(text) for text in texts_in(query)}
    try:
        if runner is None:
            functions = snapshot.passage_vectors(settings.id_base).functions(vectors)
            result = await run_in_threadpool(
                execute,
                snapshot.store,
                query,
                accept,
                fmt,
                settings.sparql_max_rows,
                default_graphs,
                named_graphs,
                functions if vectors else None,
            )
        else:
            request_ = QueryRequest(
                str(snapshot.graph_path),
                query,
                accept,
                fmt,
                default_graphs or None,
                named_graphs or None,
                settings.sparql_max_rows,
                {t: v.tolist() for t, v in vectors.items()} or None,
                settings.id_base,
            )
            result = await run_in_threadpool(runner.run, request_)
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(result.body, media_type=result.media_type)


def _wants_rdf(accept: str) -> bool:
    return any(t in accept for t in RDF_TYPES)


@router.get("/sparql", summary="SPARQL query (GET), Service Description or query page")
async def sparql_get(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
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
        service,
        settings,
        params.get("query"),
        params.get("format"),
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
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
            return await _update(request, service, settings, form["update"][0])
        query = (form.get("query") or [None])[0]
        defaults += form.get("default-graph-uri", [])
        named += form.get("named-graph-uri", [])
        fmt = fmt or (form.get("format") or [None])[0]
    elif content_type == "application/sparql-update":
        return await _update(request, service, settings, text)
    else:
        return _error(415, "send application/x-www-form-urlencoded or application/sparql-query")
    return await _run(request, service, settings, query, fmt, defaults, named)


async def _update(request: Request, service, settings, update: str) -> Response:
    """SPARQL Update, only for a caller holding the configured token (KG_UPDATE_TOKEN)."""
    token = settings.update_token
    given = request.headers.get("authorization", "")
    if not token:
        return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _error(403, "SPARQL Update needs 'Authorization: Bearer <update token>'")
    try:
        await run_in_threadpool(service.update, update)
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(status_code=204)


@router.get("/sparql/examples", summary="The example queries researchers start from")
def examples(request: Request) -> list[dict]:
    return request.app.state.example_queries
