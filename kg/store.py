"""Graph store backends behind one small protocol; only this module knows which one is in use.

The embedded backend loads a build's graph into an in-memory Oxigraph store: SPARQL runs in
Oxigraph's engine, not in rdflib's pure-Python evaluator (which is orders of magnitude slower on
joins). The remote backend (kg/remote.py) reads one named graph of a SPARQL 1.1 server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from .build import Build, served_graph

if TYPE_CHECKING:
    from .config import Settings


class StoreError(Exception):
    """A store could not run a request; ``status`` says whose fault it is, as an HTTP status:
    400 the request's, 503 the store's (unreachable or failing)."""

    def __init__(self, message: str, status: int = 503) -> None:
        super().__init__(message)
        self.status = status


class Triples(list):
    """CONSTRUCT/DESCRIBE results already collected (a list of pyoxigraph Triples)."""


QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Triples


class GraphStore(Protocol):
    def query(self, sparql: str, **options) -> QueryResults:
        """Run a SPARQL query; options as pyoxigraph's ``Store.query`` takes them."""
        ...

    def update(self, update: str, base_iri: str | None = None) -> GraphStore:
        """Apply a SPARQL Update and return the store to read from now on; a store being read
        by requests in flight is left as it was where the backend allows (raises StoreError).
        Relative IRIs resolve against ``base_iri``."""
        ...

    def dump(self, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
        """The default graph serialised in ``fmt`` (prefixes where the format has them)."""
        ...

    def dump_dataset(self) -> bytes | None:
        """The whole dataset (default and named graphs) as N-Quads, where the store holds it
        in this process; None for a store that keeps it elsewhere."""
        ...

    def __len__(self) -> int: ...


class EmbeddedStore:
    """An in-memory Oxigraph store holding one build's graph; an update makes a changed copy."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    @classmethod
    def from_file(cls, path: Path | str) -> EmbeddedStore:
        """A build's graph (N-Triples), or a dataset changed by updates (N-Quads, ``.nq``)."""
        fmt = ox.RdfFormat.N_QUADS if str(path).endswith(".nq") else ox.RdfFormat.N_TRIPLES
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt)
        return cls(store)

    def query(self, sparql: str, **options) -> QueryResults:
        return self._store.query(sparql, **options)

    def update(self, update: str, base_iri: str | None = None) -> EmbeddedStore:
        changed = ox.Store()
        changed.bulk_extend(self._store)
        try:
            changed.update(update, base_iri=base_iri)
        except SyntaxError as exc:
            raise StoreError(f"malformed SPARQL update: {exc}", 400) from exc
        except (ValueError, OSError, RuntimeError) as exc:
            raise StoreError(f"the update failed: {exc}", 400) from exc
        return EmbeddedStore(changed)

    def dump(self, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
        options = {"prefixes": prefixes} if prefixes else {}
        return self._store.dump(format=fmt, from_graph=ox.DefaultGraph(), **options)

    def dump_dataset(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)


def open_store(build: Build, settings: Settings | None = None) -> GraphStore:
    """The graph of this build: the named graph its manifest names on the remote store when
    one is configured, else the build's own file (or its copy changed by updates) embedded."""
    graph = build.manifest.get("graph")
    if settings is not None and settings.graph_store and graph:
        from .remote import RemoteStore

        return RemoteStore(settings.remote_endpoints(), graph, settings.sparql_timeout_s)
    return EmbeddedStore.from_file(served_graph(build))
