"""The whole graph of a build in any of the usual RDF formats (for ``kg export`` and dumps)."""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import PREFIXES
from .store import GraphStore

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf"),
}


def export(store: GraphStore, fmt: str) -> bytes:
    """Serialise the default graph; Turtle gets the project's prefixes for readability."""
    rdf_format = EXPORT_FORMATS[fmt][0]
    with_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
    return store.dump(rdf_format, PREFIXES if with_prefixes else None)
