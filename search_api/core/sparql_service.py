"""SPARQL query and update over the build being served, with the service's rules and limits.

The endpoint's HTTP side (parameters, negotiation headers, the update token, status codes) is
in search_api/http/routes/sparql.py; what a query or an update does is decided here, so the
two never disagree on which store, which graph file or which limits apply. Errors are
SparqlError, whose ``status`` is the HTTP status that says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg import build as builds
from kg.query_runner import QueryRequest, QueryRunner
from kg.similarity import texts_in
from kg.sparql import QueryResult, SparqlError, execute, is_update
from kg.sparql_update import check_allowed, with_protocol_dataset
from kg.store import GraphStore, StoreError

from .service import SearchService
from .snapshot import Snapshot


@dataclass(frozen=True)
class SparqlQuery:
    """A query and its dataset and result format, as the SPARQL 1.1 Protocol passes them."""

    text: str | None
    accept: str | None = None
    fmt: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None  # the service's base IRI: the endpoint's URL


@dataclass(frozen=True)
class SparqlUpdate:
    """An update and its dataset, as the SPARQL 1.1 Protocol passes them."""

    text: str
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None


class SparqlService:
    """Runs queries in worker processes when a runner is given (so one that overruns can be
    stopped), else in the calling thread; applies updates to the graph being served."""

    def __init__(self, service: SearchService, runner: QueryRunner | None = None) -> None:
        self.service = service
        self.runner = runner

    def query(self, query: SparqlQuery) -> QueryResult:
        settings = self.service.settings
        text = query.text
        if not text or not text.strip():
            raise SparqlError(
                "no SPARQL query given: pass 'query' (GET or form POST) or POST "
                "application/sparql-query"
            )
        if len(text) > settings.sparql_max_query_chars:
            raise SparqlError(
                f"the query is {len(text)} characters; "
                f"the limit is {settings.sparql_max_query_chars}",
                413,
            )
        if is_update(text):
            raise SparqlError("SPARQL Update is not allowed on this endpoint (read-only)", 403)
        snapshot = self.service.snapshot()
        # Texts compared with kgfn:similarity are encoded here, where the model is loaded.
        vectors = {t: self.service.encoder.encode_query(t) for t in texts_in(text)}
        if self.runner is None:
            functions = (
                snapshot.passage_vectors(settings.id_base).functions(vectors) if vectors else None
            )
            return execute(
                snapshot.store,
                text,
                query.accept,
                query.fmt,
                settings.sparql_max_rows,
                query.default_graphs,
                query.named_graphs,
                functions,
                query.base_iri,
            )
        return self.runner.run(
            QueryRequest(
                str(snapshot.graph_path),
                text,
                query.accept,
                query.fmt,
                query.default_graphs or None,
                query.named_graphs or None,
                settings.sparql_max_rows,
                {t: v.tolist() for t, v in vectors.items()} or None,
                settings.id_base,
                str(snapshot.build.path),
                query.base_iri,
            )
        )

    def update(self, update: SparqlUpdate) -> None:
        """Apply a SPARQL Update to the dataset being served (the caller checked the token).

        The changed dataset, named graphs included, is written to disk before the update is
        acknowledged, and served (after a restart too) until the next build is published: a
        build is made from the corpus, so lasting changes belong in the corpus. On a remote
        store the update changes the build's graph and the server's other named graphs.
        """
        settings = self.service.settings
        if len(update.text) > settings.sparql_max_query_chars:
            raise SparqlError(
                f"the update is {len(update.text)} characters; "
                f"the limit is {settings.sparql_max_query_chars}",
                413,
            )
        check_allowed(update.text)
        text = with_protocol_dataset(update.text, update.using_graphs, update.using_named_graphs)

        def apply(snapshot: Snapshot) -> Snapshot:
            try:
                store = snapshot.store.update(text, base_iri=update.base_iri)
            except StoreError as exc:
                raise SparqlError(str(exc), exc.status) from exc
            return snapshot.with_graph(store, self._graph_file(snapshot, store))

        self.service.replace_snapshot(apply)

    def _graph_file(self, snapshot: Snapshot, store: GraphStore) -> Path:
        """The file the changed dataset is kept in (and query workers load it from): a new one
        per update, since a worker reloads a graph whose path changed; older ones are removed."""
        dataset = store.dump_dataset()
        if dataset is None:  # a remote store keeps its own data
            return snapshot.graph_path
        changed = builds.write_update(self.service.settings.data_dir, snapshot.build_id, dataset)
        if snapshot.graph_path != snapshot.build.file(builds.GRAPH):
            snapshot.graph_path.unlink(missing_ok=True)
        return changed
