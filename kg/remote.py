"""A remote SPARQL 1.1 server as the graph store (Oxigraph server, Apache Jena Fuseki, ...).

Ingest writes each build's graph into its own named graph (Graph Store Protocol PUT), records
it in the build's manifest, and then moves a pointer in a small metadata graph with one SPARQL
Update, so researchers querying the server directly can find the current build. An API instance
reads the named graph its local build's manifest names: its passages, vectors and graph always
come from the same build, and it keeps no graph of its own.

Endpoints follow Oxigraph's layout under one base URL (``/query``, ``/update``, ``/store``);
each can be set on its own for servers laid out differently (Fuseki: ``/ds/query`` ...).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .sparql_update import onto_graph, tokenize
from .store import QueryResults, StoreError, Triples

META_GRAPH = "urn:p2p-kg:meta"
CURRENT = "urn:p2p-kg:current"
BUILD_PREDICATE = "https://w3id.org/p2p-kg/ontology#currentBuild"


class RemoteStoreError(StoreError):
    """The remote store could not be reached or refused a request; ``remote_status`` is its
    HTTP status, if it answered (a 400 is the request's fault, anything else the store's)."""

    def __init__(self, message: str, remote_status: int | None = None) -> None:
        super().__init__(message, 400 if remote_status == 400 else 503)
        self.remote_status = remote_status


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    store: str

    @classmethod
    def from_base(cls, base: str, query: str = "", update: str = "", store: str = "") -> Endpoints:
        base = base.rstrip("/")
        return cls(query or f"{base}/query", update or f"{base}/update", store or f"{base}/store")


def build_graph_iri(id_base: str, build_id: str) -> str:
    return f"{id_base}graph/build/{build_id}"


def _request(
    url: str, data: bytes | None, headers: dict[str, str], method: str, timeout: float
) -> tuple[bytes, str]:
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        raise RemoteStoreError(f"{method} {url} answered {exc.code}: {detail}", exc.code) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise RemoteStoreError(f"{method} {url} failed: {exc}") from exc


class RemoteStore:
    """One named graph of a remote SPARQL server as the default graph, with the server's other
    named graphs (but the metadata graph and the builds' graphs) as the named graphs: the same
    dataset the embedded store holds, so a query or an update means the same on both."""

    def __init__(self, endpoints: Endpoints, graph: str, timeout: float = 10.0) -> None:
        self.endpoints = endpoints
        self.graph = graph
        self.timeout = timeout
        self._hidden_prefix = graph.rsplit("/", 1)[0] + "/"  # every build's graph

    def named_graphs(self) -> list[str]:
        """The named graphs the service shows: all but the metadata graph and build graphs."""
        graphs = _select(
            self.endpoints, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "g", self.timeout
        )
        return sorted(
            g for g in graphs if g != META_GRAPH and not g.startswith(self._hidden_prefix)
        )

    def _dataset(self, sparql: str, default_graph: list | None, named_graphs: list | None):
        """The Protocol dataset to send: the one asked for; else the query's own FROM clauses;
        else the build's graph as default and the shown named graphs (when the query has GRAPH)."""
        if default_graph or named_graphs:
            return [g.value for g in default_graph or []], [g.value for g in named_graphs or []]
        words = {t.text.upper() for t in tokenize(sparql) if t.kind == "word"}
        if "FROM" in words:
            return [], []
        return [self.graph], self.named_graphs() if "GRAPH" in words else []

    def query(
        self,
        sparql: str,
        prefixes: dict[str, str] | None = None,
        default_graph: list | None = None,
        named_graphs: list | None = None,
        custom_functions: dict | None = None,
        base_iri: str | None = None,
        **_: object,
    ) -> QueryResults:
        if custom_functions:
            raise ValueError("extension functions run only on the embedded store")
        # Parse here first, so a malformed query gets the same message and position as on
        # the embedded store (an empty store evaluates nothing).
        ox.Store().query(sparql, prefixes=prefixes or {}, base_iri=base_iri)
        declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", sparql, re.I)}
        prologue = f"BASE <{base_iri}>\n" if base_iri else ""
        prologue += "".join(
            f"PREFIX {k}: <{v}>\n" for k, v in (prefixes or {}).items() if k.lower() not in declared
        )
        params = [("query", prologue + sparql)]
        defaults, named = self._dataset(sparql, default_graph, named_graphs)
        params += [("default-graph-uri", g) for g in defaults]
        params += [("named-graph-uri", g) for g in named]
        body, content_type = _request(
            self.endpoints.query,
            urllib.parse.urlencode(params).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
            "POST",
            self.timeout,
        )
        if "n-triples" in content_type or "turtle" in content_type:
            fmt = ox.RdfFormat.TURTLE if "turtle" in content_type else ox.RdfFormat.N_TRIPLES
            return Triples(ox.parse(body, format=fmt))
        if "xml" in content_type:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def update(self, update: str, base_iri: str | None = None) -> RemoteStore:
        """The update applied to the dataset this store shows: its default graph is the
        build's graph, NAMED and ALL the shown named graphs (one request, so the server
        applies it atomically)."""
        words = {t.text.upper() for t in tokenize(update) if t.kind == "word"}
        try:
            named = self.named_graphs() if words & {"NAMED", "ALL", "WHERE"} else []
            text = onto_graph(update, self.graph, named)
            if base_iri:
                text = f"BASE <{base_iri}>\n{text}"
            apply_update(self.endpoints, text, self.timeout)
        except RemoteStoreError as exc:
            raise StoreError(f"the graph store refused the update: {exc}", exc.status) from exc
        return self

    def dump(self, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        options = {"prefixes": prefixes} if prefixes else {}
        return ox.serialize(triples, format=fmt, **options) or b""

    def dump_dataset(self) -> None:
        return None  # the server keeps it

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)


def upload(endpoints: Endpoints, graph: str, ntriples: Path, timeout: float = 300.0) -> None:
    """Replace the named graph with the build's triples (Graph Store Protocol PUT)."""
    url = f"{endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
    _request(url, ntriples.read_bytes(), {"Content-Type": "application/n-triples"}, "PUT", timeout)


def switch_current(endpoints: Endpoints, graph: str, timeout: float = 30.0) -> None:
    """Point the metadata graph at the new build in one update (applied atomically)."""
    update = (
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{CURRENT}> <{BUILD_PREDICATE}> ?b }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{CURRENT}> <{BUILD_PREDICATE}> <{graph}> }} }}"
    )
    apply_update(endpoints, update, timeout)


def _select(endpoints: Endpoints, query: str, variable: str, timeout: float) -> list[str]:
    """One variable's values from a SELECT on the store itself (outside any build's graph)."""
    body, _ = _request(
        endpoints.query,
        urllib.parse.urlencode({"query": query}).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
        "POST",
        timeout,
    )
    rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return [row[variable].value for row in rows]


def apply_update(endpoints: Endpoints, update: str, timeout: float = 30.0) -> None:
    """One SPARQL Update request to the store's update endpoint."""
    _request(
        endpoints.update,
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
        "POST",
        timeout,
    )


def current_graph(endpoints: Endpoints, timeout: float = 10.0) -> str | None:
    query = f"SELECT ?b WHERE {{ GRAPH <{META_GRAPH}> {{ <{CURRENT}> <{BUILD_PREDICATE}> ?b }} }}"
    found = _select(endpoints, query, "b", timeout)
    return found[0] if found else None


def drop_old_builds(
    endpoints: Endpoints, id_base: str, keep: list[str], timeout: float = 60.0
) -> list[str]:
    """Drop build graphs other than those kept (the current and the few before it)."""
    prefix = f"{id_base}graph/build/"
    graphs = _select(endpoints, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", "g", timeout)
    dropped = [g for g in graphs if g.startswith(prefix) and g not in keep]
    for g in dropped:
        apply_update(endpoints, f"DROP SILENT GRAPH <{g}>", timeout)
    return dropped


__all__ = [
    "Endpoints",
    "RemoteStore",
    "RemoteStoreError",
    "build_graph_iri",
    "current_graph",
    "drop_old_builds",
    "switch_current",
    "upload",
]
