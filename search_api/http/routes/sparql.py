"""The SPARQL 1.1 Protocol endpoint.

Query by GET ``?query=``, POST ``application/x-www-form-urlencoded`` or POST
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` select the dataset.
Update by POST (form ``update=`` or ``application/sparql-update``) with the update token;
``using-graph-uri`` / ``using-named-graph-uri`` select its WHERE dataset. Exactly one query or
update per request, an update never by GET, the body UTF-8; the base IRI is the endpoint's URL.
Results are negotiated from the Accept header or a ``format`` parameter. GET with no query
answers with the Service Description (RDF clients) or YASGUI (browsers).
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from kg.config import Settings
from kg.namespaces import PREFIXES
from kg.sparql import SparqlError

from ...core.sparql_service import SparqlQuery, SparqlService, SparqlUpdate
from ..deps import ServiceDep, SettingsDep
from ..iris import well_formed
from ..openapi import IRI_PATTERN, body, errors
from ..service_description import service_description
from .system import STATIC

router = APIRouter(tags=["sparql"])
FORM_TYPES = (
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
)
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


def _one(params: dict[str, list[str]], name: str) -> str | None:
    """A parameter the Protocol allows once (``query``, ``update``)."""
    values = params.get(name, [])
    if len(values) > 1:
        raise SparqlError(f"{len(values)} '{name}' parameters given; send exactly one")
    return values[0] if values else None


def _base_iri(request: Request) -> str:
    """The service's base IRI for relative IRIs in queries and updates: the endpoint's URL."""
    return str(request.url_for("sparql_get"))


def _multi(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {k: params.getlist(k) for k in params}


RESULT_MEDIA = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RESULTS_ABOUT = (
    "SELECT and ASK results (JSON, XML, CSV, TSV) or CONSTRUCT and DESCRIBE results (Turtle, "
    "N-Triples, JSON-LD, RDF/XML), by the Accept header or a `format` parameter (json, xml, "
    "csv, tsv, turtle, nt, jsonld, rdfxml)."
)
GRAPHS = {"type": "array", "items": {"type": "string", "format": "iri", "pattern": IRI_PATTERN}}
QUERY = {"type": "string", "format": "sparql-query", "minLength": 1}
UPDATE = {"type": "string", "format": "sparql-update"}
GET_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "description": "A SPARQL 1.1 query (the prefixes of /sparql/prefixes are predeclared). "
        "Without it: the Service Description (RDF clients) or the query page (browsers).",
        "schema": QUERY,
    },
    *(
        {"name": name, "in": "query", "style": "form", "explode": True, "schema": GRAPHS}
        for name in ("default-graph-uri", "named-graph-uri")
    ),
]
# Exactly one of query and update.
POST_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["query"],
                        "not": {"required": ["update"]},
                        "properties": {
                            "query": QUERY,
                            "default-graph-uri": GRAPHS,
                            "named-graph-uri": GRAPHS,
                        },
                    },
                    {
                        "type": "object",
                        "required": ["update"],
                        "not": {"required": ["query"]},
                        "properties": {
                            "update": UPDATE,
                            "using-graph-uri": GRAPHS,
                            "using-named-graph-uri": GRAPHS,
                        },
                    },
                ]
            }
        },
        "application/sparql-query": {"schema": QUERY},
        "application/sparql-update": {"schema": UPDATE},
    },
}


@router.get(
    "/sparql",
    summary="SPARQL query (GET), Service Description or query page",
    response_class=Response,
    openapi_extra={"parameters": GET_PARAMETERS},
    responses={
        **body(
            RESULTS_ABOUT + " Without a query: the Service Description (Turtle) or the query "
            "page (HTML).",
            *RESULT_MEDIA,
            *RDF_TYPES,
            "text/html",
        ),
        **errors(400, 403, 406, 413),
    },
)
async def sparql_get(request: Request, service: ServiceDep) -> Response:
    params = _multi(request)
    if "update" in params:
        return _error(400, "SPARQL Update must be sent by POST (form or application/sparql-update)")
    for name in ("default-graph-uri", "named-graph-uri"):
        for value in params.get(name, []):
            if not well_formed(value):
                return _error(400, f"{name}: {value!r} is not an IRI")
    if "query" not in params:
        accept = request.headers.get("accept", "")
        if _wants_rdf(accept) or "text/html" not in accept:
            snap = service.snapshot()
            body = service_description(
                _base_iri(request),
                len(snap.store),
                snap.build_id,
                bool(request.app.state.settings.update_token),
            )
            return Response(body, media_type="text/turtle")
        return FileResponse(STATIC / "sparql.html", media_type="text/html")
    try:
        text, fmt = _one(params, "query"), _one(params, "format")
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return await _run(
        request,
        SparqlQuery(
            text,
            request.headers.get("accept"),
            fmt,
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
            _base_iri(request),
        ),
    )


def _content_type(request: Request) -> tuple[str, str | None]:
    """The body's media type and its charset parameter, if any."""
    media, *parameters = request.headers.get("content-type", "").split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


@router.post(
    "/sparql",
    summary="SPARQL query or update (POST form, application/sparql-query or application/sparql-update)",
    description="An update needs `Authorization: Bearer <token>` (KG_UPDATE_TOKEN); "
    "`using-graph-uri` / `using-named-graph-uri` (and, for queries, `default-graph-uri` / "
    "`named-graph-uri`) may also be given in the URL.",
    response_class=Response,
    openapi_extra={"requestBody": POST_BODY},
    responses={
        **body(RESULTS_ABOUT, *RESULT_MEDIA, *RDF_TYPES),
        204: {"description": "The update was applied (and kept until the next build)."},
        **errors(400, 403, 406, 413, 415),
    },
)
async def sparql_post(request: Request, settings: SettingsDep) -> Response:
    content_type, charset = _content_type(request)
    if content_type not in FORM_TYPES:
        return _error(
            415,
            "send application/x-www-form-urlencoded, application/sparql-query or "
            "application/sparql-update",
        )
    if charset not in (None, "utf-8", "utf8"):
        return _error(415, f"the body must be UTF-8, not {charset}")
    raw = await request.body()
    if len(raw) > settings.sparql_max_query_chars * 4:
        return _error(413, "the request body is too large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "the request body is not UTF-8")
    params = _multi(request)
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "query" in form and "update" in form:
            return _error(400, "send either 'query' or 'update', not both")
        for name in (
            "default-graph-uri",
            "named-graph-uri",
            "using-graph-uri",
            "using-named-graph-uri",
            "format",
        ):
            params[name] = params.get(name, []) + form.get(name, [])
        try:
            if "update" in form:
                return await _update(request, settings, _one(form, "update"), params)
            query = _one(form, "query")
        except SparqlError as exc:
            return _error(exc.status, str(exc))
    elif content_type == "application/sparql-update":
        return await _update(request, settings, text, params)
    else:
        query = text
    return await _run(
        request,
        SparqlQuery(
            query,
            request.headers.get("accept"),
            (params.get("format") or [None])[0],
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
            _base_iri(request),
        ),
    )


async def _update(
    request: Request, settings: Settings, update: str, params: dict[str, list[str]]
) -> Response:
    """SPARQL Update, only for a caller holding the configured token (KG_UPDATE_TOKEN)."""
    token = settings.update_token
    given = request.headers.get("authorization", "")
    if not token:
        return _error(403, "SPARQL Update is not allowed on this endpoint (read-only)")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _error(403, "SPARQL Update needs 'Authorization: Bearer <update token>'")
    change = SparqlUpdate(
        update,
        params.get("using-graph-uri", []),
        params.get("using-named-graph-uri", []),
        _base_iri(request),
    )
    try:
        await run_in_threadpool(_sparql(request).update, change)
    except SparqlError as exc:
        return _error(exc.status, str(exc))
    return Response(status_code=204)


@router.get("/sparql/prefixes", summary="The prefixes every query may use undeclared")
def prefixes() -> dict[str, str]:
    return dict(PREFIXES)


@router.get("/sparql/examples", summary="The example queries researchers start from")
def examples(request: Request) -> list[dict]:
    return request.app.state.example_queries
