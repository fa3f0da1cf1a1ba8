"""Endpoint queries run in worker processes, so one that runs too long can really be stopped.

Oxigraph evaluates a query in native code that Python cannot interrupt; a thread left running
would keep a core busy after its client got a timeout. A worker process that overruns is killed
and replaced, and the server carries on. Each worker keeps its own read-only copy of the build's
graph and reloads it when a newer build is being served.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .sparql import QueryResult, SparqlError


@dataclass
class QueryRequest:
    graph_path: str
    query: str
    accept: str | None = None
    fmt: str | None = None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    max_rows: int = 10_000
    vectors: dict | None = None  # text -> embedding, for kgfn:similarity
    id_base: str = ""
    build_dir: str = ""  # the build whose passage embeddings kgfn:similarity reads
    base_iri: str | None = None  # resolves the query's relative IRIs (the endpoint's URL)


def _worker(conn: Connection) -> None:
    from pathlib import Path

    import numpy as np

    from .similarity import PassageVectors
    from .sparql import execute
    from .store import EmbeddedStore

    loaded: str | None = None
    store = None
    passage_vectors = None
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        try:
            if request.graph_path != loaded:
                store = EmbeddedStore.from_file(request.graph_path)
                loaded, passage_vectors = request.graph_path, None
            functions = None
            if request.vectors:
                if passage_vectors is None:
                    passage_vectors = PassageVectors.from_build(
                        Path(request.build_dir or Path(request.graph_path).parent),
                        request.id_base,
                    )
                functions = passage_vectors.functions(
                    {t: np.asarray(v, dtype="float32") for t, v in request.vectors.items()}
                )
            result = execute(
                store,
                request.query,
                accept=request.accept,
                fmt=request.fmt,
                max_rows=request.max_rows,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
                custom_functions=functions,
                base_iri=request.base_iri,
            )
            conn.send(("ok", result))
        except SparqlError as exc:
            conn.send(("error", exc.status, str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller as a query failure
            conn.send(("error", 500, f"query failed: {exc}"))


class _Worker:
    def __init__(self, ctx) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryRunner:
    """A small pool of query workers with a per-query time limit."""

    def __init__(self, workers: int = 2, timeout_s: float = 10.0, wait_s: float = 5.0) -> None:
        self.timeout_s = timeout_s
        self.wait_s = wait_s
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._size = workers
        self._started = False

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self._size):
                    self._idle.put(_Worker(self._ctx))
                self._started = True

    def run(self, request: QueryRequest) -> QueryResult:
        self._ensure_started()
        try:
            worker = self._idle.get(timeout=self.wait_s)
        except queue.Empty as exc:
            raise SparqlError("all query workers are busy; try again shortly", 503) from exc
        try:
            worker.conn.send(request)
            # The first query of a worker also loads the graph: allow for it once.
            if not worker.conn.poll(self.timeout_s):
                worker.stop()
                worker = _Worker(self._ctx)
                raise SparqlError(
                    f"the query ran for more than {self.timeout_s:g} s and was stopped; "
                    "narrow it or add LIMIT",
                    503,
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            worker.stop()
            worker = _Worker(self._ctx)
            raise SparqlError("the query worker failed; try again", 503) from exc
        finally:
            self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise SparqlError(reply[2], reply[1])

    def warm(self, graph_path: str) -> None:
        """Load the graph in every worker before the first real query arrives."""
        self._ensure_started()
        workers = [self._idle.get() for _ in range(self._size)]
        try:
            for worker in workers:
                worker.conn.send(QueryRequest(graph_path, "ASK {}"))
            for worker in workers:
                worker.conn.recv()
        finally:
            for worker in workers:
                self._idle.put(worker)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
