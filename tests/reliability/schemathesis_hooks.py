"""What Schemathesis needs to speak SPARQL: values for the formats /openapi.json names
(``sparql-query``, ``sparql-update``, ``iri``) and the two SPARQL media types as request bodies.

Loaded by the Schemathesis run in test_schemathesis.py (SCHEMATHESIS_HOOKS). The queries are the
shipped example queries and a few small ones of every query form, so schema-valid requests are
valid SPARQL, as the schema says they must be.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import strategies as st

from kg.config import PROJECT_ROOT, Settings
from search_api.http.openapi import IRI_PATTERN
from search_api.http.queries import load_examples

ID_BASE = Settings().id_base
SMALL_QUERIES = [
    "ASK {}",
    "ASK { ?s a p2p:Council }",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?c a p2p:Council }",
    "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a p2p:Council ; skos:prefLabel ?l }",
    f"DESCRIBE <{ID_BASE}council/oldham>",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
]
UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "DELETE WHERE { <http://example.org/s> ?p ?o }",
    "CLEAR SILENT GRAPH <http://example.org/g>",
]
QUERIES = SMALL_QUERIES + [e["query"] for e in load_examples(PROJECT_ROOT / "queries")]

schemathesis.openapi.format("sparql-query", st.sampled_from(QUERIES))
schemathesis.openapi.format("sparql-update", st.sampled_from(UPDATES))
schemathesis.openapi.format(
    "iri",
    st.sampled_from([f"{ID_BASE}council/oldham", f"{ID_BASE}route/innovation-partnership"])
    | st.from_regex(IRI_PATTERN, fullmatch=True),
)


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def sparql_text(ctx, value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode()  # a body of the wrong type, as text: not SPARQL
