"""The entity IRIs requests name: well formed enough to put in a query, and present in the build.

A request's IRI is written into SPARQL between angle brackets, so anything that could end the IRI
(spaces, quotes, brackets) or that Oxigraph would reject is refused before any query runs.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from fastapi import HTTPException

from ..core.snapshot import Snapshot

IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def well_formed(iri: str) -> bool:
    """Safe to write as ``<iri>`` in a query, and an IRI Oxigraph accepts (it rejects, among
    others, invalid non-ASCII characters)."""
    if IRI_FORBIDDEN.search(iri):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def require_entity(snap: Snapshot, iri: str) -> None:
    """404 unless the build has a triple with the IRI as subject or object."""
    if not snap.store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"):
        raise HTTPException(404, f"no entity {iri} in build {snap.build_id}")
