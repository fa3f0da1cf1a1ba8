"""Linked Data: entity IRIs under the configured base resolve here, plus ontology and dumps.

``/id/...`` answers with Turtle, N-Triples, JSON-LD or RDF/XML by content negotiation, and with
an HTML page for browsers: the entity, its links, and the passages that mention it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.responses import HTMLResponse

from kg.config import PROJECT_ROOT
from kg.export import EXPORT_FORMATS, export
from kg.namespaces import compact
from kg.sparql import GRAPH_FORMATS, SparqlError, negotiate, select_rows

from ..deps import ServiceDep, SettingsDep
from ..iris import require_entity, well_formed
from ..openapi import body, errors

router = APIRouter(tags=["linked data"])
ONTOLOGY = PROJECT_ROOT / "ontology"
MAX_INCOMING = 200


def _wants_html(accept: str) -> bool:
    return "text/html" in accept and not any(
        t in accept.split("text/html")[0] for t in GRAPH_FORMATS
    )


def _local(iri: str, id_base: str) -> str:
    """An IRI under the base links to this service; others stay as they are."""
    return "/id/" + iri[len(id_base) :] if iri.startswith(id_base) else iri


RDF_MEDIA = tuple(media for _, media, _ in EXPORT_FORMATS.values())


@router.get(
    "/id/{path:path}",
    summary="Resolve an entity IRI (Turtle, JSON-LD, HTML)",
    description="Content negotiation by the Accept header, or a `format` parameter "
    "(turtle, nt, jsonld, rdfxml); browsers get an HTML page.",
    response_class=Response,
    responses={
        **body("The entity's triples, or its page.", *RDF_MEDIA, "text/html"),
        **errors(404, 406, 422),
    },
)
def entity(
    path: Annotated[
        str,
        Path(
            description="The entity's path under /id/",
            examples=["council/oldham", "route/innovation-partnership"],
        ),
    ],
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
) -> Response:
    iri = settings.id_base + path
    if not well_formed(iri):
        raise HTTPException(404, f"no entity at /id/{path}: not a valid IRI")
    snap = service.snapshot()
    store = snap.store
    require_entity(snap, iri)
    accept = request.headers.get("accept", "")
    if _wants_html(accept):
        return HTMLResponse(_entity_page(iri, snap, settings.id_base))
    try:
        media = negotiate("graph", accept or "text/turtle", request.query_params.get("format"))
    except SparqlError as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    triples = store.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
        f"{{ SELECT ?s ?q WHERE {{ ?s ?q <{iri}> }} LIMIT {MAX_INCOMING} }} }}"
    )
    return Response(ox.serialize(triples, format=GRAPH_FORMATS[media]) or b"", media_type=media)


def _label_of(store, iri: str) -> str:
    """The best human label: prefLabel, label, title, name, then identifier."""
    rows = select_rows(
        store,
        f"""SELECT ?a ?b ?c ?d ?e WHERE {{
        OPTIONAL {{ <{iri}> skos:prefLabel ?a }} OPTIONAL {{ <{iri}> rdfs:label ?b }}
        OPTIONAL {{ <{iri}> dcterms:title ?c }} OPTIONAL {{ <{iri}> schema:name ?d }}
        OPTIONAL {{ <{iri}> dcterms:identifier ?e }} }} LIMIT 1""",
    )
    for key in "abcde":
        if rows and key in rows[0]:
            return rows[0][key]
    return iri.rsplit("/", 1)[-1]


def _entity_page(iri: str, snap, id_base: str) -> str:
    store = snap.store
    label = _label_of(store, iri)
    out_rows = select_rows(store, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o")
    in_rows = select_rows(
        store,
        f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> . "
        f"FILTER(?p != p2p:mentions) }} ORDER BY ?p ?s LIMIT {MAX_INCOMING}",
    )
    passages = select_rows(
        store,
        f"""SELECT DISTINCT ?id ?text ?title ?src WHERE {{
        {{ ?p p2p:mentions <{iri}> }} UNION {{ ?p dcterms:isPartOf/p2p:about <{iri}> }}
        ?p dcterms:identifier ?id ; p2p:text ?text ; dcterms:isPartOf ?d .
        ?d dcterms:title ?title . OPTIONAL {{ ?p dcterms:source ?src }}
    }} ORDER BY ?id LIMIT 50""",
    )

    def term(value: str) -> str:
        if value.startswith(("http://", "https://", "urn:")):
            href = _local(value, id_base)
            text = _label_of(store, value) if value.startswith(id_base) else value
            return f'<a href="{escape(href)}">{escape(text)}</a>'
        return escape(value)

    outgoing = "".join(
        f'<tr><th scope="row">{escape(compact(r["p"]))}</th><td>{term(r["o"])}</td></tr>'
        for r in out_rows
        if r["p"] != "https://w3id.org/p2p-kg/ontology#text"
    )
    incoming = "".join(
        f'<tr><td>{term(r["s"])}</td><th scope="row">{escape(compact(r["p"]))}</th></tr>'
        for r in in_rows
    )
    text_rows = [r for r in out_rows if r["p"] == "https://w3id.org/p2p-kg/ontology#text"]
    own_text = f"<blockquote>{escape(text_rows[0]['o'])}</blockquote>" if text_rows else ""
    cited = "".join(
        f'<li><a href="/id/passage/{escape(r["id"])}">{escape(r["title"])} ({escape(r["id"])})</a>'
        f"<blockquote>{escape(r['text'])}</blockquote>"
        + (f'<a href="{escape(r["src"])}" rel="noopener">Source</a>' if r.get("src") else "")
        + "</li>"
        for r in passages
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(label)}</title><link rel="stylesheet" href="/static/page.css">
<link rel="icon" href="data:,">
<link rel="alternate" type="text/turtle" href="{escape(_local(iri, id_base))}?format=turtle">
<script type="module" src="/static/entity.js"></script>
</head><body>
<header><p><a href="/">Ask a question</a> · <a href="/sparql">SPARQL</a></p>
<h1>{escape(label)}</h1><p class="meta">{escape(iri)} ·
<a href="{escape(_local(iri, id_base))}?format=turtle">Turtle</a> ·
<a href="{escape(_local(iri, id_base))}?format=jsonld">JSON-LD</a></p></header>
<main>{own_text}
<section aria-labelledby="neighbourhood"><h2 id="neighbourhood">Neighbourhood</h2>
<div class="diagram" data-iri="{escape(iri)}"><p class="meta">The diagram needs JavaScript;
the tables below list the same links.</p></div></section>
<section><h2>Statements</h2><table>{outgoing}</table></section>
<section><h2>Linked from</h2><table>{incoming or "<tr><td>Nothing links here.</td></tr>"}</table></section>
<section><h2>Passages that mention it</h2><ol class="citations">{cited or "<li>None.</li>"}</ol></section>
</main></body></html>"""


# The Turtle files served as they are: path, file in ontology/, what it is.
TURTLE_FILES = (
    ("/ontology", "p2p.ttl", "ontology"),
    ("/ontology/shapes", "shapes.ttl", "SHACL shapes"),
)


def _turtle_route(name: str, what: str) -> Callable[[], Response]:
    def serve() -> Response:
        path = ONTOLOGY / name
        if not path.is_file():
            raise HTTPException(404, f"the {what} file is missing from this installation")
        return Response(path.read_bytes(), media_type="text/turtle")

    return serve


for _path, _name, _what in TURTLE_FILES:
    router.add_api_route(
        _path,
        _turtle_route(_name, _what),
        methods=["GET"],
        name=_what.split()[-1].lower(),
        summary=f"The {_what} (Turtle)",
        response_class=Response,
        responses={**body(f"The {_what}.", "text/turtle"), **errors(404)},
    )


@router.get(
    "/dumps",
    summary="The whole graph for download, in each format",
    response_model=dict[str, str],
)
def dumps(request: Request) -> dict:
    return {
        fmt: str(request.url_for("dump", name=f"graph.{ext}"))
        for fmt, (_, _, ext) in EXPORT_FORMATS.items()
    }


@router.get(
    "/dumps/{name}",
    summary="Download the whole graph (graph.ttl, graph.nt, graph.jsonld, graph.rdf)",
    response_class=Response,
    responses={**body("The whole graph in the file's format.", *RDF_MEDIA), **errors(404, 422)},
)
def dump(name: str, service: ServiceDep) -> Response:
    by_ext = {ext: (fmt, media) for fmt, (_, media, ext) in EXPORT_FORMATS.items()}
    stem, _, ext = name.partition(".")
    if stem != "graph" or ext not in by_ext:
        raise HTTPException(
            404, f"no dump '{name}'; available: " + ", ".join(f"graph.{e}" for e in by_ext)
        )
    fmt, media = by_ext[ext]
    snap = service.snapshot()
    if fmt not in snap.dump_cache:
        snap.dump_cache[fmt] = export(snap.store, fmt)
    return Response(
        snap.dump_cache[fmt],
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="p2p-kg-{snap.build_id}.{ext}"'},
    )
