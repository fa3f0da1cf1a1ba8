"""SPARQL execution with the service's rules: read-only, bounded, and errors that say where.

Result formats follow the SPARQL 1.1 Protocol: SELECT/ASK as SPARQL results (JSON, XML, CSV,
TSV), CONSTRUCT/DESCRIBE as RDF (Turtle, N-Triples, JSON-LD, RDF/XML).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pyoxigraph as ox

from .namespaces import PREFIXES
from .store import GraphStore, StoreError, Triples

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
SHORT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

_UPDATE_RE = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PROLOGUE_RE = re.compile(r"^\s*(PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*", re.IGNORECASE)
_COMMENT_RE = re.compile(r"^\s*#[^\n]*\n?")


class SparqlError(Exception):
    """A query the service will not run; ``status`` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


_SERVICE_RE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def _strip_literals(sparql: str) -> str:
    """The query without strings, IRIs and comments, in one linear pass."""
    out: list[str] = []
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            long = sparql.startswith(c * 3, i)
            end_mark = c * 3 if long else c
            j = i + len(end_mark)
            while j < n and not sparql.startswith(end_mark, j):
                if sparql[j] == "\\":
                    j += 1
                elif not long and sparql[j] == "\n":
                    break
                j += 1
            i = j + len(end_mark)
            out.append(" ")
        elif c == "<":
            j = i + 1
            while j < n and sparql[j] not in '<>" {}|^`\n\t':
                j += 1
            if j < n and sparql[j] == ">":  # an IRI reference
                i = j + 1
                out.append(" ")
            else:  # a less-than operator
                out.append(c)
                i += 1
        elif c == "#":
            j = sparql.find("\n", i)
            i = n if j == -1 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def uses_service(sparql: str) -> bool:
    """Federated SERVICE clauses would make this server fetch other URLs on a client's behalf."""
    return bool(_SERVICE_RE.search(_strip_literals(sparql)))


def is_update(sparql: str) -> bool:
    """True for SPARQL Update requests (after any prologue and comments)."""
    rest = sparql
    while True:
        stripped = _COMMENT_RE.sub("", rest, count=1)
        stripped = _PROLOGUE_RE.sub("", stripped, count=1)
        if stripped == rest:
            break
        rest = stripped
    return bool(_UPDATE_RE.match(rest))


@dataclass
class QueryResult:
    kind: str  # select | ask | graph
    body: bytes
    media_type: str


def negotiate(kind: str, accept: str | None, fmt: str | None) -> str:
    """The media type to answer with; a ``format`` parameter wins over the Accept header."""
    table = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
    default = "text/turtle" if kind == "graph" else "application/sparql-results+json"
    if fmt:
        media = SHORT_FORMATS.get(fmt.lower(), fmt.lower())
        if media not in table:
            raise SparqlError(f"format '{fmt}' cannot be served for this query", status=406)
        return media
    if not accept:
        return default
    ranked = []
    for part in accept.split(","):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((q, media.lower()))
    for q, media in sorted(ranked, key=lambda x: -x[0]):
        if q <= 0:
            continue
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    raise SparqlError(
        f"cannot answer a {kind} query as '{accept}'; available: {', '.join(table)}", status=406
    )


def execute(
    store: GraphStore,
    sparql: str,
    accept: str | None = None,
    fmt: str | None = None,
    max_rows: int = 10_000,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    custom_functions: dict | None = None,
    base_iri: str | None = None,
) -> QueryResult:
    """Run a query; ``base_iri`` resolves its relative IRIs (the Protocol has the service define
    one: the endpoint's URL). A dataset given by ``default_graphs``/``named_graphs`` replaces
    the query's own FROM / FROM NAMED, and either one alone leaves the other empty."""
    if is_update(sparql):
        raise SparqlError("SPARQL Update is not allowed on this endpoint (read-only)", status=403)
    if uses_service(sparql):
        raise SparqlError("federated queries (SERVICE) are not allowed on this endpoint")
    options: dict = {"prefixes": dict(PREFIXES)}
    if base_iri:
        options["base_iri"] = base_iri
    if custom_functions:
        options["custom_functions"] = custom_functions
    try:
        if default_graphs or named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
    except ValueError as exc:
        raise SparqlError(f"invalid default-graph-uri or named-graph-uri: {exc}") from exc
    try:
        result = store.query(sparql, **options)
    except SyntaxError as exc:
        raise SparqlError(f"malformed SPARQL query: {exc}") from exc
    except (ValueError, RuntimeError) as exc:
        raise SparqlError(f"invalid SPARQL request: {exc}") from exc
    except StoreError as exc:
        raise SparqlError(f"the graph store did not answer: {exc}", status=503) from exc
    if isinstance(result, ox.QueryBoolean):
        media = negotiate("ask", accept, fmt)
        return QueryResult("ask", result.serialize(format=RESULT_FORMATS[media]), media)
    if isinstance(result, (ox.QueryTriples, Triples)):
        media = negotiate("graph", accept, fmt)
        triples = _capped(result, max_rows)
        body = ox.serialize(triples, format=GRAPH_FORMATS[media]) or b""
        return QueryResult("graph", body, media)
    media = negotiate("select", accept, fmt)
    variables = result.variables
    rows = _capped(result, max_rows)
    return QueryResult(
        "select", _serialize_solutions(variables, rows, RESULT_FORMATS[media]), media
    )


def _capped(iterable, max_rows: int) -> list:
    rows = []
    for row in iterable:
        if len(rows) >= max_rows:
            raise SparqlError(
                f"the query returns more than {max_rows} results; add LIMIT or narrow it",
                status=413,
            )
        rows.append(row)
    return rows


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": str(t)}


def _csv_cell(t) -> str:
    if t is None:
        return ""
    value = t.value if hasattr(t, "value") else str(t)
    if isinstance(t, ox.BlankNode):
        value = f"_:{value}"
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _serialize_solutions(variables: list, rows: list, fmt: ox.QueryResultsFormat) -> bytes:
    """Serialise collected solutions (pyoxigraph serialises only live result iterators, and the
    rows were collected to enforce the row cap). JSON, CSV and TSV are written directly; XML,
    rare in practice, goes back through the engine as a VALUES query."""
    names = [v.value for v in variables]
    if fmt == ox.QueryResultsFormat.JSON:
        bindings = [
            {
                n: _json_term(row[v])
                for n, v in zip(names, variables, strict=True)
                if row[v] is not None
            }
            for row in rows
        ]
        return json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
    if fmt == ox.QueryResultsFormat.TSV:
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += [
            "\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows
        ]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == ox.QueryResultsFormat.CSV:
        lines = [",".join(names)] + [",".join(_csv_cell(row[v]) for v in variables) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return _xml(names, variables, rows)


def _xml(names: list[str], variables: list, rows: list) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    out = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>",
        "<results>",
    ]
    for row in rows:
        out.append("<result>")
        for name, var in zip(names, variables, strict=True):
            t = row[var]
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                body = f"<uri>{escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                body = f"<bnode>{escape(t.value)}</bnode>"
            elif isinstance(t, ox.Literal):
                if t.language:
                    attr = f" xml:lang={quoteattr(t.language)}"
                elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    attr = f" datatype={quoteattr(t.datatype.value)}"
                else:
                    attr = ""
                body = f"<literal{attr}>{escape(t.value)}</literal>"
            else:  # an RDF 1.2 triple term, written as its N-Triples form
                body = f"<literal>{escape(str(t))}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{body}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def select_rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    """SELECT results as plain dicts of strings, for the service's own look-ups."""
    result = store.query(sparql, prefixes=dict(PREFIXES))
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]
