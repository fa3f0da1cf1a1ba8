"""Graph store backends behind one small protocol; only this module knows which one is in use.

The embedded backend loads a build's graph into an in-memory Oxigraph store: SPARQL runs in
Oxigraph's engine, not in rdflib's pure-Python evaluator (which is orders of magnitude slower on
joins).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyoxigraph as ox


class GraphStore(Protocol):
    def query(
        self, sparql: str, **options
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...

    def __len__(self) -> int: ...


class EmbeddedStore:
    """A read-only, in-memory Oxigraph store holding one build's graph."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    @classmethod
    def from_file(cls, path: Path) -> EmbeddedStore:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    def query(self, sparql: str, **options):
        return self._store.query(sparql, **options)

    def update(self, update: str) -> None:
        self._store.update(update)

    def dump(self, **options) -> bytes:
        return self._store.dump(**options)

    def __len__(self) -> int:
        return len(self._store)
