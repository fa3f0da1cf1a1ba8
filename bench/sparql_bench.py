"""SPARQL benchmark: this service's /sparql beside the Oxigraph server, embedded Oxigraph and rdflib.

One run, one machine, the same queries (``bench/sparql_queries/*.rq``) and the same N-Triples:

- **endpoint**: ``kg serve`` started as a subprocess on 127.0.0.1, queried over real HTTP
  (POST form, JSON results); it runs each query in its worker processes (kg/query_runner.py);
- **oxigraph-server**: the ``oxigraph`` binary (PyPI ``oxigraph``) serving a temporary directory
  (RocksDB), the graph loaded by HTTP POST to ``/store?default``, queried over HTTP the same way;
- **oxigraph-memory**: the same binary without ``--location`` (an in-memory store, as the
  endpoint's workers hold), to tell storage from serving overhead;
- **embedded**: ``kg.store.EmbeddedStore`` + ``kg.sparql.execute`` in this process (JSON out);
- **rdflib**: a plain ``rdflib.Graph()`` (Memory store) in a worker process, the query evaluated
  and its results serialised as JSON; a query running past the timeout is killed and recorded.

Each query runs once per backend to warm up, then in rounds that run every backend once, at
least ``--reps`` rounds (more for a fast query, see ``time_interleaved``); rdflib runs on its own
after them. The table gives medians. The HTTP figures are client wall time (request to last
byte); the others are in-process. Then the same on the graph scaled by ``--factor``
(bench/scale_graph.py: the real graph plus synthetic units). The results are written as the
``## SPARQL`` section of bench/RESULTS.md; the file's other sections are kept as they are.

Usage: ``python -m bench.sparql_bench [--reps 5] [--factor 100] [--rdflib-timeout 60]``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import urlencode

from bench import serving
from bench.machine import cpu_model, nproc
from bench.serving import free_port
from kg import build as builds
from kg.config import PROJECT_ROOT, Settings
from kg.sparql import execute
from kg.store import EmbeddedStore

from . import scale_graph

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "sparql_queries"
RESULTS = HERE / "RESULTS.md"
JSON_RESULTS = "application/sparql-results+json"
BACKENDS = ("endpoint", "oxigraph-server", "oxigraph-memory", "embedded", "rdflib")
ENDPOINT_TIMEOUT_S = 120.0  # the service's own limit is 10 s; lifted so slow runs get measured
RDFLIB_BUDGET_S = 30.0  # per query: fewer timed runs for a slow query (at least one)
MIN_SECONDS = 2.0  # a fast query runs more rounds, until the backends spent this long in all...
MAX_RUNS = 25  # ...or this many rounds
SECTION = "## SPARQL"


# --- queries and timings ----------------------------------------------------------------------


@dataclass
class BenchQuery:
    name: str
    title: str
    text: str


def load_queries(folder: Path = QUERIES) -> list[BenchQuery]:
    queries = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^# title:\s*(.+)$", text, re.MULTILINE)
        queries.append(BenchQuery(path.stem, match.group(1).strip() if match else path.stem, text))
    return queries


class QueryFailed(Exception):
    """A backend answered with an error or not at all; the message goes in the table."""


@dataclass
class Timing:
    runs_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None


def count_rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def time_interleaved(runners: dict[str, Callable[[], bytes]], reps: int) -> dict[str, Timing]:
    """Each backend's warm-up (which also gives its row count), then rounds of timed runs.

    One round runs every backend once, in an order that rotates from round to round, so a burst
    of load from another process on this shared machine falls on all of them alike. At least
    ``reps`` rounds; a fast query gets more (until MIN_SECONDS of runs in all, at most MAX_RUNS
    rounds), since a millisecond median of five runs moves with every scheduler hiccup.
    """
    timings = {name: Timing() for name in runners}
    live: dict[str, Callable[[], bytes]] = {}
    for name, run in runners.items():
        try:
            timings[name].rows = count_rows(run())
            live[name] = run
        except QueryFailed as exc:
            timings[name].note = str(exc)
    spent, rounds = 0.0, 0
    while live and (rounds < reps or (spent < MIN_SECONDS and rounds < max(reps, MAX_RUNS))):
        names = list(live)
        shift = rounds % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            try:
                live[name]()
            except QueryFailed as exc:
                timings[name].note = str(exc)
                timings[name].runs_ms.clear()
                del live[name]
                continue
            elapsed = time.perf_counter() - started
            spent += elapsed
            timings[name].runs_ms.append(elapsed * 1000)
        rounds += 1
    return timings


# --- HTTP -------------------------------------------------------------------------------------


class HttpSparql:
    """A SPARQL 1.1 Protocol client: POST form, JSON results, a new connection per request."""

    def __init__(self, port: int, path: str, timeout_s: float) -> None:
        self.port, self.path, self.timeout_s = port, path, timeout_s

    def query(self, text: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout_s)
        try:
            conn.request(
                "POST",
                self.path,
                body=urlencode({"query": text}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": JSON_RESULTS,
                },
            )
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise QueryFailed(f"{type(exc).__name__}: {exc}") from exc
        finally:
            conn.close()
        if response.status != 200:
            raise QueryFailed(f"HTTP {response.status}: {body[:120].decode(errors='replace')}")
        return body


def http_status(port: int, path: str) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def wait_until_up(proc: subprocess.Popen, port: int, path: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{out[-2000:]}")
        if http_status(port, path) == 200:
            return
        time.sleep(0.25)
    raise RuntimeError(f"{proc.args[0]} did not answer {path} within {timeout_s:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    serving.stop(proc)
    if proc.stdout:
        proc.stdout.close()


# --- the four backends ------------------------------------------------------------------------


def kg_command() -> list[str]:
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg.cli"]


@contextlib.contextmanager
def kg_endpoint(data_dir: Path) -> Iterator[tuple[HttpSparql, float]]:
    """``kg serve`` on a free 127.0.0.1 port, serving ``data_dir``; stopped on the way out."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env |= {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "KG_DATA_DIR": str(data_dir),
        "KG_SPARQL_TIMEOUT_S": str(ENDPOINT_TIMEOUT_S),
        # One benchmark client sends hundreds of queries a minute: no per-client rate limit.
        "KG_RATE_LIMIT_PER_MINUTE": "0",
    }
    cmd = [*kg_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, "--log-level", "warning"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(proc, port, "/health", timeout_s=300)
        yield HttpSparql(port, "/sparql", ENDPOINT_TIMEOUT_S + 10), time.perf_counter() - started
    finally:
        stop(proc)


def oxigraph_binary() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    if found.exists():
        return str(found)
    on_path = shutil.which("oxigraph")
    if on_path is None:
        raise RuntimeError("the oxigraph server binary is missing: pip install oxigraph")
    return on_path


def oxigraph_version() -> str:
    out = subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


@contextlib.contextmanager
def oxigraph_server(
    graph: Path, workdir: Path, timeout_s: float, in_memory: bool = False
) -> Iterator[tuple[HttpSparql, float]]:
    """The Oxigraph server, ``graph`` POSTed to its default graph; stopped on the way out.

    On a fresh directory (its RocksDB storage), or with ``in_memory`` on no directory at all
    (``oxigraph serve`` without ``--location`` keeps the store in memory, as the endpoint does).
    """
    location = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=workdir))
    port = free_port()
    cmd = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    if not in_memory:
        cmd += ["--location", str(location)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(proc, port, "/", timeout_s=60)
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            with graph.open("rb") as body:
                conn.request(
                    "POST",
                    "/store?default",
                    body=body,
                    headers={
                        "Content-Type": "application/n-triples",
                        "Content-Length": str(graph.stat().st_size),
                    },
                )
                response = conn.getresponse()
                detail = response.read()
        finally:
            conn.close()
        if response.status not in (200, 201, 204):
            raise RuntimeError(f"loading into Oxigraph failed: {response.status} {detail[:200]!r}")
        load_s = time.perf_counter() - started
        yield HttpSparql(port, "/query", timeout_s), load_s
    finally:
        stop(proc)
        shutil.rmtree(location, ignore_errors=True)


def _rdflib_worker(conn: Connection, graph: str) -> None:
    from rdflib import Graph

    started = time.perf_counter()
    g = Graph()  # the Memory store
    g.parse(graph, format="nt")
    conn.send((time.perf_counter() - started, len(g)))
    while True:
        try:
            query = conn.recv()
        except EOFError:
            return
        try:
            started = time.perf_counter()
            body = g.query(query).serialize(format="json")
            conn.send(("ok", time.perf_counter() - started, body))
        except Exception as exc:  # noqa: BLE001 - reported in the table
            conn.send(("error", 0.0, f"{type(exc).__name__}: {exc}".encode()))


class RdflibWorker:
    """Plain rdflib in a process of its own, so a query past the timeout can be killed."""

    def __init__(self, graph: Path, timeout_s: float) -> None:
        self.graph, self.timeout_s = graph, timeout_s
        self.ctx = mp.get_context("spawn")
        self.process: mp.process.BaseProcess | None = None
        self.conn: Connection | None = None
        self.load_s: list[float] = []

    def start(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.process = self.ctx.Process(
            target=_rdflib_worker, args=(child, str(self.graph)), daemon=True
        )
        self.process.start()
        child.close()
        if not self.conn.poll(600):
            self.close()
            raise RuntimeError("rdflib did not load the graph within 600 s")
        load_s, _ = self.conn.recv()
        self.load_s.append(load_s)

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join(timeout=10)
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def run(self, query: str) -> tuple[float, bytes]:
        """Seconds the query took in the worker (evaluation + JSON), and the JSON."""
        if self.process is None:
            self.start()
        assert self.conn is not None
        self.conn.send(query)
        if not self.conn.poll(self.timeout_s):
            self.close()  # the next query gets a fresh worker
            raise QueryFailed(f"> {self.timeout_s:g} s")
        status, seconds, body = self.conn.recv()
        if status != "ok":
            raise QueryFailed(body.decode())
        return seconds, body

    def time(self, query: str, reps: int) -> Timing:
        """Warm-up, then ``reps`` runs, fewer for a slow query (RDFLIB_BUDGET_S per query)."""
        timing = Timing()
        try:
            warm_s, body = self.run(query)
            timing.rows = count_rows(body)
            n = max(1, min(reps, int(RDFLIB_BUDGET_S / max(warm_s, 1e-9))))
            for _ in range(n):
                seconds, _ = self.run(query)
                timing.runs_ms.append(seconds * 1000)
        except QueryFailed as exc:
            timing.note = str(exc)
        return timing


# --- one graph --------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    label: str
    triples: int
    setup: dict[str, str]
    timings: dict[str, dict[str, Timing]]  # query name -> backend -> timing
    seconds: float = 0.0


def make_data_dir(source: builds.Build, graph: Path, target: Path, triples: int) -> Path:
    """A data directory with one build: ``source``'s files, ``graph`` as its graph.nt."""
    manifest = json.loads(json.dumps(source.manifest))
    manifest["build_id"] = f"{source.id}-bench-{triples}"
    manifest.setdefault("counts", {})["triples"] = triples
    build_dir = target / "builds" / manifest["build_id"]
    build_dir.mkdir(parents=True)
    for child in source.path.iterdir():
        if child.is_file() and child.name not in (builds.GRAPH, builds.MANIFEST):
            shutil.copy2(child, build_dir / child.name)
    if graph.resolve() != (build_dir / builds.GRAPH).resolve():
        shutil.copy2(graph, build_dir / builds.GRAPH)
    (build_dir / builds.MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.symlink(os.path.relpath(build_dir, target), target / "current")
    return target


def load_average() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def bench_graph(
    label: str,
    data_dir: Path,
    graph: Path,
    queries: list[BenchQuery],
    reps: int,
    rdflib_timeout_s: float,
    workdir: Path,
) -> ScaleResult:
    run_started = time.perf_counter()
    print(f"[{label}] starting the endpoint, two Oxigraph servers, embedded, rdflib", flush=True)
    timings: dict[str, dict[str, Timing]] = {q.name: {} for q in queries}
    setup: dict[str, str] = {"load average (1/5/15 min) before": load_average()}
    rdflib = RdflibWorker(graph, rdflib_timeout_s)
    http_timeout = ENDPOINT_TIMEOUT_S + 10
    with contextlib.ExitStack() as stack:
        endpoint, endpoint_s = stack.enter_context(kg_endpoint(data_dir))
        setup["endpoint start (`kg serve` to /health 200)"] = f"{endpoint_s:.1f} s"
        server, load_s = stack.enter_context(oxigraph_server(graph, workdir, http_timeout))
        setup["Oxigraph server (`--location`): load N-Triples over HTTP"] = f"{load_s:.1f} s"
        memory, load_s = stack.enter_context(
            oxigraph_server(graph, workdir, http_timeout, in_memory=True)
        )
        setup["Oxigraph server (in memory): load N-Triples over HTTP"] = f"{load_s:.1f} s"
        started = time.perf_counter()
        store = EmbeddedStore.from_file(graph)
        setup["embedded: `EmbeddedStore.from_file`"] = f"{time.perf_counter() - started:.1f} s"
        triples = len(store)
        stack.callback(rdflib.close)
        rdflib.start()
        setup["rdflib: parse (`nt`) into the Memory store"] = f"{rdflib.load_s[0]:.1f} s"
        for q in queries:
            per = timings[q.name]
            per.update(
                time_interleaved(
                    {
                        "endpoint": lambda q=q: endpoint.query(q.text),
                        "oxigraph-server": lambda q=q: server.query(q.text),
                        "oxigraph-memory": lambda q=q: memory.query(q.text),
                        "embedded": lambda q=q: execute(store, q.text, accept=JSON_RESULTS).body,
                    },
                    reps,
                )
            )
            per["rdflib"] = rdflib.time(q.text, reps)
            print(f"[{label}] {q.name}: {_progress(per)}", flush=True)
        if len(rdflib.load_s) > 1:
            setup["rdflib: worker restarts after a timeout"] = str(len(rdflib.load_s) - 1)
        setup["load average (1/5/15 min) after"] = load_average()
    return ScaleResult(label, triples, setup, timings, time.perf_counter() - run_started)


def _progress(per: dict[str, Timing]) -> str:
    return ", ".join(f"{b} {fmt_ms(t)}" for b, t in per.items())


# --- the report -------------------------------------------------------------------------------


def fmt_ms(t: Timing) -> str:
    if t.median is None:
        return t.note or "n/a"
    m = t.median
    return f"{m:.2f}" if m < 10 else f"{m:.1f}" if m < 100 else f"{m:.0f}"


def ratio(a: Timing, b: Timing) -> float | None:
    if a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def fmt_ratio(value: float | None, lower_bound: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{'≥ ' if lower_bound else ''}{value:.2f}x" if value < 10 else f"{value:.0f}x"


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return statistics.geometric_mean(values)


def rdflib_ratio(per: dict[str, Timing], timeout_s: float) -> tuple[float | None, bool]:
    """rdflib / endpoint; a timed-out rdflib run counts as the timeout (a lower bound)."""
    r, e = per["rdflib"], per["endpoint"]
    if r.median is None and r.note.startswith(">") and e.median:
        return timeout_s * 1000 / e.median, True
    return ratio(r, e), False


def scale_table(
    result: ScaleResult, queries: list[BenchQuery], reps: int, timeout_s: float
) -> list[str]:
    lines = [
        "| Query | Rows | endpoint ms | Oxigraph server ms | Oxigraph server in-memory ms | "
        "embedded ms | rdflib ms | endpoint / server | endpoint / in-memory server | "
        "rdflib / endpoint |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    end_server, end_memory, rdf_end = [], [], []
    within_2x = faster_10x = 0
    for q in queries:
        per = result.timings[q.name]
        rows = {b: per[b].rows for b in BACKENDS if per[b].rows is not None}
        row_text = str(rows.get("endpoint", next(iter(rows.values()), "n/a")))
        if len(set(rows.values())) > 1:
            row_text += " ≠ " + ", ".join(f"{b} {n}" for b, n in rows.items())
        es = ratio(per["endpoint"], per["oxigraph-server"])
        em = ratio(per["endpoint"], per["oxigraph-memory"])
        re_, bound = rdflib_ratio(per, timeout_s)
        if es is not None:
            end_server.append(es)
            within_2x += es <= 2
        if em is not None:
            end_memory.append(em)
        if re_ is not None:
            rdf_end.append(re_)
            faster_10x += re_ >= 10
        rdf = fmt_ms(per["rdflib"])
        runs = len(per["rdflib"].runs_ms)
        if per["rdflib"].median is not None and runs < reps:
            rdf += f" ({runs} run{'s' if runs > 1 else ''})"
        lines.append(
            f"| `{q.name}` | {row_text} | {fmt_ms(per['endpoint'])} | "
            f"{fmt_ms(per['oxigraph-server'])} | {fmt_ms(per['oxigraph-memory'])} | "
            f"{fmt_ms(per['embedded'])} | {rdf} | {fmt_ratio(es)} | {fmt_ratio(em)} | "
            f"{fmt_ratio(re_, bound)} |"
        )
    lines += [
        "",
        f"- Geometric mean of the ratios: endpoint / Oxigraph server **{fmt_ratio(geomean(end_server))}**, "
        f"endpoint / in-memory Oxigraph server **{fmt_ratio(geomean(end_memory))}**, "
        f"rdflib / endpoint **{fmt_ratio(geomean(rdf_end))}**",
        f"- Endpoint within 2x of the Oxigraph server: **{within_2x} of {len(queries)}** queries; "
        f"endpoint at least 10x faster than rdflib: **{faster_10x} of {len(queries)}**",
    ]
    return lines


def versions() -> dict[str, str]:
    out = {"Python": platform.python_version()}
    for dist in ("pyoxigraph", "oxigraph", "rdflib", "oxrdflib", "fastapi", "uvicorn"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    out["oxigraph server binary"] = oxigraph_version()
    return out


def mem_total() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def render(
    results: list[ScaleResult],
    queries: list[BenchQuery],
    args: argparse.Namespace,
    scaled: scale_graph.ScaledGraph | None,
    build_id: str,
    total_s: float,
) -> str:
    when = dt.datetime.now(dt.UTC)
    lines = [
        f"{SECTION}: `/sparql` endpoint vs Oxigraph server, embedded Oxigraph and rdflib",
        "",
        f"Written by `python -m bench.sparql_bench` on {when:%Y-%m-%d %H:%M} UTC "
        f"(whole run {total_s:.0f} s).",
        "",
        "| Machine and versions | |",
        "|---|---|",
        f"| nproc | {nproc()} |",
        f"| CPU | {cpu_model()} |",
        f"| Memory | {mem_total()} |",
        *(f"| {k} | {v} |" for k, v in versions().items()),
        "",
        f"{len(queries)} queries from `bench/sparql_queries/` (each declares its prefixes). Per "
        "query, each backend runs it once to warm up; then endpoint, both servers and embedded "
        f"run it in interleaved rounds (at least {args.reps}; a fast query gets more, until "
        f"{MIN_SECONDS:g} s in all or {MAX_RUNS} rounds), the order rotating each round so load "
        "from other processes falls on all alike; rdflib runs after them. Figures are "
        "**medians in milliseconds**.",
        "",
        "- *endpoint*: `kg serve` on 127.0.0.1 over real HTTP (POST form, JSON results); the "
        "query runs in one of its worker processes against its embedded in-memory store. For "
        f"the benchmark `KG_SPARQL_TIMEOUT_S={ENDPOINT_TIMEOUT_S:g}` (default 10) and "
        "`KG_RATE_LIMIT_PER_MINUTE=0` (the per-client limit would answer 429); other `KG_` "
        "variables are cleared, so no remote graph store is configured.",
        "- *Oxigraph server*: `oxigraph serve --location <tmp dir>` (RocksDB storage), the same "
        "N-Triples POSTed to `/store?default`, queried over HTTP the same way. *In-memory "
        "server*: the same without `--location`. HTTP figures are client wall time, request to "
        "last byte, a new connection per request.",
        "- *embedded*: `EmbeddedStore` + `kg.sparql.execute` in the benchmark process (JSON out).",
        "- *rdflib*: `rdflib.Graph()` (Memory store) in a worker process; `query()` + JSON "
        f"serialisation timed inside it; killed after {args.rdflib_timeout:g} s; "
        f"{args.reps} runs, fewer for a slow query (about {RDFLIB_BUDGET_S:g} s of runs, at "
        "least one).",
        "- Ratios are of medians; above 1 means the first is slower. *Rows* are each backend's "
        "result rows (≠ flags a disagreement).",
        "",
        "Targets (scaled graph): endpoint within **2x** of the Oxigraph server; endpoint at "
        "least **10x** faster than plain rdflib.",
        "",
    ]
    for result in results:
        heading = (
            f"### Real graph (build `{build_id}`, {result.triples:,} triples)"
            if result.label == "real"
            else f"### Scaled graph ({result.triples:,} triples, {result.triples / results[0].triples:.0f}x)"
        )
        lines += [heading, ""]
        if result.label != "real" and scaled is not None:
            lines += [
                f"`bench/scale_graph.py --factor {args.factor} --seed {args.seed}`: the real graph "
                f"({scaled.base_triples:,} triples) plus {scaled.units} synthetic units (councils, "
                "partner organisations, documents, passages, partnerships with reified facts, "
                "FAQ answers and local imperatives under the real vocabulary); the endpoint "
                "serves a copy of the real build with this graph.nt.",
                "",
            ]
        lines += scale_table(result, queries, args.reps, args.rdflib_timeout)
        lines += ["", "| Set-up (not timed above) | |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in result.setup.items()]
        lines += [f"| this graph's benchmark, all backends | {result.seconds:.0f} s |", ""]
    lines += ["Queries:", ""]
    lines += [f"- `{q.name}`: {q.title}" for q in queries]
    lines.append("")
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the ``## SPARQL`` section of ``path`` (or append one); other text stays as is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    body = section.rstrip("\n") + "\n"
    match = re.search(rf"^{re.escape(SECTION)}\b.*$", text, re.MULTILINE)
    if match:
        rest = text[match.end() :]
        nxt = re.search(r"^## ", rest, re.MULTILINE)
        after = rest[nxt.start() :] if nxt else ""
        new = text[: match.start()] + body + ("\n" + after if after else "")
    else:
        sep = "" if text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
        new = text + sep + body
    path.write_text(new, encoding="utf-8")


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="timed runs per query and backend")
    parser.add_argument("--factor", type=int, default=100, help="scale of the synthetic graph")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds")
    parser.add_argument("--no-scaled", action="store_true", help="the real graph only")
    parser.add_argument("--data-dir", type=Path, help="whose current build to use (KG_DATA_DIR)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not 1 <= args.reps <= 50 or args.factor < 1:
        parser.error("--reps must be 1..50 and --factor at least 1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks

    started = time.perf_counter()
    queries = load_queries()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    source = builds.open_current(settings.data_dir)  # resolved once: a new ingest can't race us
    results: list[ScaleResult] = []
    scaled = None
    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as tmp_name:
        tmp = Path(tmp_name)
        real_dir = make_data_dir(
            source,
            source.file(builds.GRAPH),
            tmp / "real-data",
            int(source.manifest.get("counts", {}).get("triples", 0)),
        )
        real_graph = builds.open_current(real_dir).file(builds.GRAPH)
        results.append(
            bench_graph("real", real_dir, real_graph, queries, args.reps, args.rdflib_timeout, tmp)
        )
        if not args.no_scaled:
            print(f"[scaled] generating {args.factor}x the real graph", flush=True)
            scaled = scale_graph.write_scaled(
                tmp / "scaled.nt", args.factor, args.seed, base=real_graph
            )
            scaled_dir = make_data_dir(source, scaled.path, tmp / "scaled-data", scaled.triples)
            scaled.path.unlink()  # the data dir holds its own copy
            scaled_graph = builds.open_current(scaled_dir).file(builds.GRAPH)
            results.append(
                bench_graph(
                    "scaled",
                    scaled_dir,
                    scaled_graph,
                    queries,
                    args.reps,
                    args.rdflib_timeout,
                    tmp,
                )
            )
    section = render(results, queries, args, scaled, source.id, time.perf_counter() - started)
    write_section(args.out, section)
    sys.stdout.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
