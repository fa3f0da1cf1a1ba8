"""Load test: a real server under 50 concurrent clients, then the same while a new build lands.

``python -m bench.load_test`` (about three minutes):

1. builds the shipped corpus into a fresh temporary data directory (``kg ingest``), or copies
   the current build of ``--data-dir`` / KG_DATA_DIR there instead (that directory is never
   written to);
2. starts ``kg serve`` on a free 127.0.0.1 port, rate limiting off (KG_RATE_LIMIT_PER_MINUTE=0);
3. phase 1: ``--clients`` concurrent clients (httpx.AsyncClient) for ``--duration`` seconds,
   mixing /ask (questions from bench/questions.txt, varied), /search and /sparql (queries from
   queries/*.rq); latency per endpoint, errors (any non-2xx or transport failure), and the
   server's VmRSS sampled every second;
4. phase 2: the same load while ``kg ingest`` writes a modified copy of the corpus into the same
   data directory, so the server switches builds mid-load; the build id served is sampled every
   second from /health;
5. replaces the "## Load" section of bench/RESULTS.md (``--no-write`` to skip), leaving every
   other section as it is.

All traffic goes to 127.0.0.1; every loop is bounded by time and count; every process started
here is stopped before it returns.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.serving import free_port, kg_serve_command
from kg.config import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
SECTION = "## Load"
SPARQL_FILES = (
    "01-partnership-routes-and-legal-basis.rq",
    "03-councils-and-partner-organisations.rq",
    "04-oldham-facts-with-source-passages.rq",
    "09-councils-gss-codes-and-upper-tier.rq",
    "10-documents-per-kind.rq",
    "15-most-mentioned-entities.rq",
)
# Variations keep most /ask questions distinct, so query embeddings are not all cached.
VARIATIONS = (
    "",
    " Please keep it short.",
    " We are a district council.",
    " What does the Procurement Act 2023 change?",
    " Our partner is a small charity.",
    " Give an example.",
)
PLACES = (
    "",
    " We are in Leeds.",
    " We are in Cornwall.",
    " We are in Oldham.",
    " We are in Plymouth.",
    " We are in Croydon.",
    " We are in Leicestershire.",
    " We are in Cardiff.",
    " We are in Norfolk.",
    " We are in Bristol.",
    " We are in Kent.",
)
MIX = (("ask", 0.5), ("search", 0.3), ("sparql", 0.2))
MAX_REQUESTS_PER_PHASE = 200_000
REQUEST_TIMEOUT_S = 30.0


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def _kg(*args: str, log: Path, timeout: float) -> subprocess.CompletedProcess:
    with log.open("ab") as out:
        return subprocess.run(
            [sys.executable, "-m", "kg.cli", *args],
            cwd=PROJECT_ROOT,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )


def _last_line(log: Path, pattern: str) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if re.search(pattern, ln)]
    return lines[-1].strip() if lines else ""


def _rss_kb(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# --- The server ---------------------------------------------------------------------------------


class Server:
    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **_env(),
            "KG_DATA_DIR": str(data_dir),
            "KG_RATE_LIMIT_PER_MINUTE": "0",
        }
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            kg_serve_command(self.port),
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 180.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                r = httpx.get(f"{self.base}/health", timeout=2)
                if r.status_code == 200:
                    return r.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop the server and its query workers: its own process group, TERM then KILL."""
        group = self.proc.pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                self.proc.poll()
                try:
                    os.killpg(group, 0)  # anything of the group still alive?
                except ProcessLookupError:
                    break
                time.sleep(0.2)
            else:
                continue
            break
        self.proc.wait(timeout=15)
        self._log.close()


# --- The clients --------------------------------------------------------------------------------


@dataclass
class Workload:
    questions: list[str]
    queries: list[str]
    rng: random.Random
    seen: set[str] = field(default_factory=set)  # texts sent to /ask and /search so far
    sent: int = 0
    repeats: int = 0

    def _count(self, text: str) -> None:
        self.sent += 1
        if text in self.seen:
            self.repeats += 1
        self.seen.add(text)

    def request(self) -> tuple[str, str, str, dict]:
        """(endpoint, method, path, httpx keyword arguments)."""
        roll, endpoint = self.rng.random(), MIX[-1][0]
        for name, share in MIX:
            if roll < share:
                endpoint = name
                break
            roll -= share
        question = self.rng.choice(self.questions)
        if endpoint == "ask":
            q = question + self.rng.choice(VARIATIONS) + self.rng.choice(PLACES)
            k = self.rng.choice((3, 5, 8))
            self._count(q)
            if self.rng.random() < 0.3:
                return endpoint, "POST", "/ask", {"json": {"question": q, "k": k}}
            return endpoint, "GET", "/ask", {"params": {"q": q, "k": k}}
        if endpoint == "search":
            words = question.rstrip("?").split()
            start = self.rng.randrange(max(1, len(words) - 3))
            q = " ".join(words[start : start + self.rng.choice((3, 5, 8))])
            params = {"q": q, "k": 10, "offset": self.rng.choice((0, 0, 10))}
            self._count(q)
            return endpoint, "GET", "/search", {"params": params}
        query = self.rng.choice(self.queries)
        if self.rng.random() < 0.5:
            return endpoint, "GET", "/sparql", {"params": {"query": query}}
        return endpoint, "POST", "/sparql", {"data": {"query": query}}


@dataclass
class PhaseResult:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    rss: list[tuple[float, int]] = field(default_factory=list)  # (t, server VmRSS kB)
    workers_rss: list[tuple[float, int]] = field(default_factory=list)  # children, summed
    builds: list[tuple[float, str]] = field(default_factory=list)  # (t, build id) on change
    notes: list[str] = field(default_factory=list)
    texts: int = 0  # /ask and /search texts sent
    repeated: int = 0  # of which sent before (their query embedding may be cached)

    def record(self, endpoint: str, ms: float, problem: str | None) -> None:
        self.latencies.setdefault(endpoint, []).append(ms)
        if problem:
            bucket = self.errors.setdefault(endpoint, {})
            bucket[problem] = bucket.get(problem, 0) + 1


def _detail(r: httpx.Response) -> str:
    try:
        detail = str(r.json().get("detail", ""))
    except (ValueError, AttributeError):
        detail = r.text
    return f" ({detail[:60]})" if detail else ""


async def _client(
    client: httpx.AsyncClient,
    workload: Workload,
    result: PhaseResult,
    deadline: float,
    budget: list[int],
) -> None:
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        endpoint, method, path, kwargs = workload.request()
        started = time.perf_counter()
        problem = None
        try:
            r = await client.request(method, path, **kwargs)
            if not 200 <= r.status_code < 300:
                problem = f"HTTP {r.status_code}"
                if r.status_code in (413, 429) or r.status_code >= 500:
                    problem += _detail(r)
        except httpx.HTTPError as exc:
            problem = type(exc).__name__
        result.record(endpoint, (time.perf_counter() - started) * 1000, problem)


def _sample_memory(pid: int, result: PhaseResult, started: float, stop: threading.Event) -> None:
    """Every second, in a thread of its own (the event loop is busy with the clients): the
    server's VmRSS and its SPARQL workers' VmRSS together."""
    while not stop.is_set():
        now = time.monotonic() - started
        rss = _rss_kb(pid)
        if rss is not None:
            result.rss.append((now, rss))
        workers = [_rss_kb(c) for c in _children(pid)]
        result.workers_rss.append((now, sum(w for w in workers if w)))
        stop.wait(max(0.0, 1.0 - (time.monotonic() - started - now)))


async def _sample_builds(base: str, result: PhaseResult, started: float, stop: asyncio.Event):
    """About every second: the build /health says is served (its answer waits in line with the
    load, so a sample can be late)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as health:
        while not stop.is_set():
            try:
                build = (await health.get("/health")).json().get("build", "?")
            except (httpx.HTTPError, ValueError):
                build = "?"
            now = time.monotonic() - started
            if build != "?" and (not result.builds or result.builds[-1][1] != build):
                result.builds.append((now, build))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)


async def _phase(
    name: str,
    server: Server,
    workload: Workload,
    clients: int,
    duration: float,
    during=None,
) -> PhaseResult:
    result = PhaseResult(name)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    stop = asyncio.Event()
    stop_memory = threading.Event()
    started = time.monotonic()
    memory = threading.Thread(
        target=_sample_memory, args=(server.proc.pid, result, started, stop_memory), daemon=True
    )
    memory.start()
    sampler = asyncio.create_task(_sample_builds(server.base, result, started, stop))
    side = asyncio.create_task(during(result, started)) if during else None
    budget = [MAX_REQUESTS_PER_PHASE]
    sent_before, repeats_before = workload.sent, workload.repeats
    async with httpx.AsyncClient(
        base_url=server.base, timeout=REQUEST_TIMEOUT_S, limits=limits
    ) as client:
        deadline = started + duration
        await asyncio.gather(
            *(_client(client, workload, result, deadline, budget) for _ in range(clients))
        )
    result.seconds = time.monotonic() - started
    result.texts, result.repeated = workload.sent - sent_before, workload.repeats - repeats_before
    if side is not None:
        await side  # bounded by its own timeout
    await asyncio.sleep(1.5)  # one more sample after the load (and after the ingest)
    stop.set()
    stop_memory.set()
    await sampler
    memory.join(timeout=5)
    return result


# --- The ingest during phase 2 ------------------------------------------------------------------


def _modified_corpus(dest: Path) -> int:
    """A copy of corpus/ with every fourth Markdown document given a new closing paragraph."""
    shutil.copytree(PROJECT_ROOT / "corpus", dest)
    docs = sorted(p for p in dest.rglob("*.md") if p.name.lower() != "readme.md")
    docs = [p for p in docs if "eval" not in p.relative_to(dest).parts]
    changed = 0
    for path in docs[::4]:
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(
            text + "\n\nRevised for the load test: this closing paragraph changes the document, "
            "so the passages it touches are embedded again when the corpus is ingested.\n",
            encoding="utf-8",
        )
        changed += 1
    return changed


def _ingest_during(data_dir: Path, corpus: Path, log: Path, delay: float, timeout: float):
    async def run(result: PhaseResult, started: float) -> None:
        await asyncio.sleep(delay)
        t0 = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "kg.cli",
            "ingest",
            "--data-dir",
            str(data_dir),
            str(corpus),
            cwd=PROJECT_ROOT,
            env=_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), timeout=timeout)
        except (TimeoutError, asyncio.CancelledError):
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            result.notes.append(f"the ingest did not finish within {timeout:.0f} s and was killed")
            return
        with log.open("ab") as fh:
            fh.write(out)
        summary = _last_line_of(out.decode(errors="replace"), r"^build ")
        result.notes.append(
            f"`kg ingest` started at {t0 - started:.1f} s, exited {proc.returncode} after "
            f"{time.monotonic() - t0:.1f} s: {summary or 'no summary line'}"
        )

    return run


def _last_line_of(text: str, pattern: str) -> str:
    lines = [ln for ln in text.splitlines() if re.search(pattern, ln)]
    return lines[-1].strip() if lines else ""


# --- Figures ------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(q / 100 * len(ordered) + 0.5))  # nearest rank
    return ordered[min(rank, len(ordered)) - 1]


def _table(result: PhaseResult) -> list[str]:
    rows = [
        "| Endpoint | Requests | Req/s | p50 ms | p95 ms | p99 ms | max ms | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    everything: list[float] = []
    total_errors = 0
    for endpoint in ("ask", "search", "sparql"):
        lat = result.latencies.get(endpoint, [])
        everything += lat
        errors = sum(result.errors.get(endpoint, {}).values())
        total_errors += errors
        rows.append(_row(f"`/{endpoint}`", lat, result.seconds, errors))
    rows.append(_row("**all**", everything, result.seconds, total_errors))
    return rows


def _row(label: str, lat: list[float], seconds: float, errors: int) -> str:
    if not lat:
        return f"| {label} | 0 | 0 | | | | | {errors} |"
    return (
        f"| {label} | {len(lat)} | {len(lat) / seconds:.1f} | {_pct(lat, 50):.0f} | "
        f"{_pct(lat, 95):.0f} | {_pct(lat, 99):.0f} | {max(lat):.0f} | {errors} |"
    )


def _memory(result: PhaseResult) -> str:
    if not result.rss:
        return "- Server VmRSS: not sampled"
    values = [kb for _, kb in result.rss]
    workers = [kb for _, kb in result.workers_rss]
    line = (
        f"- Server VmRSS (sampled every second, {len(values)} samples): start {values[0]} kB, "
        f"max {max(values)} kB, end {values[-1]} kB (end − start {values[-1] - values[0]:+d} kB)"
    )
    series = ", ".join(
        f"{t:.0f} s {kb // 1024}"
        for i, (t, kb) in enumerate(result.rss)
        if i == 0 or i == len(result.rss) - 1 or int(t) // 10 != int(result.rss[i - 1][0]) // 10
    )
    if workers and max(workers):
        line += (
            f"; its SPARQL worker processes together: start {workers[0]} kB, "
            f"max {max(workers)} kB, end {workers[-1]} kB"
        )
    return line + f"\n- Server VmRSS over the phase, MiB: {series}"


def _error_lines(result: PhaseResult) -> list[str]:
    lines = []
    for endpoint, kinds in sorted(result.errors.items()):
        for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
            lines.append(f"  - `/{endpoint}`: {n} × {kind}")
    return lines or ["  - none"]


def _section(args, setup: dict, phases: list[PhaseResult]) -> str:
    out = [
        SECTION,
        "",
        f"Written by `python -m bench.load_test` on {setup['when']}: {args.clients} concurrent "
        f"clients (one `httpx.AsyncClient`, keep-alive) against `kg serve` on 127.0.0.1, rate "
        f"limiting off, {args.duration:.0f} s per phase. Mix: /ask 50% (the "
        f"{setup['questions']} questions of `bench/questions.txt`, each with one of "
        f"{len(VARIATIONS)} variations and {len(PLACES)} places, k 3/5/8, GET or POST), /search 30% (3–8 word slices of "
        f"those questions), /sparql 20% ({len(SPARQL_FILES)} queries from `queries/`, GET or "
        f"form POST). An error is any non-2xx answer or transport failure; latency is measured "
        f"at the client, queueing included.",
        "",
        f"- Machine: nproc {os.cpu_count()}, {platform.python_implementation()} "
        f"{platform.python_version()}; load average before the run {setup['loadavg']} "
        f"(the client, the server and, in phase 2, the ingest share these cores)",
        f"- Server: {setup['sparql_workers']} SPARQL worker processes, build "
        f"`{setup['build']}` ({setup['passages']} passages, {setup['triples']} triples)",
        "",
    ]
    for phase in phases:
        out += [f"### {phase.name}", "", *_table(phase), "", _memory(phase)]
        if phase.texts:
            out.append(
                f"- /ask and /search texts: {phase.texts}, of which "
                f"{100 * phase.repeated / phase.texts:.0f}% had been sent before in the run "
                f"(their query embedding can come from the service's cache)"
            )
        out += ["- Errors:", *_error_lines(phase)]
        if len(phase.builds) > 1 or phase.notes:
            served = " → ".join(f"`{b}` (from {t:.0f} s)" for t, b in phase.builds)
            out.append(f"- Build served (sampled from /health every second): {served}")
            changed = len({b for _, b in phase.builds}) > 1
            out.append(
                f"- Served build id changed during the phase: **{'yes' if changed else 'no'}**"
            )
            out += [f"- {note}" for note in phase.notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _write_section(section: str) -> None:
    """Replace the "## Load" section (to the next "## " heading) or append it; re-read the
    file right before writing, since other benchmarks write their own sections."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip("\n") == SECTION), None)
    if start is None:
        joined = "".join(lines)
        if not joined.endswith("\n"):
            joined += "\n"
        new = joined + "\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, RESULTS)


# --- Main ---------------------------------------------------------------------------------------


def _prepare_data(args, work: Path, log: Path) -> Path:
    data = work / "data"
    source = args.data_dir or os.environ.get("KG_DATA_DIR")
    if source and (Path(source) / "current").exists():
        current = (Path(source) / os.readlink(Path(source) / "current")).resolve()
        target = data / "builds" / current.name
        shutil.copytree(current, target)
        os.symlink(os.path.relpath(target, data), data / "current")
        print(f"copied build {current.name} from {source}", flush=True)
        return data
    print("ingesting corpus/ into a fresh data directory...", flush=True)
    done = _kg("ingest", "--data-dir", str(data), log=log, timeout=900)
    if not (data / "current").exists():
        raise RuntimeError(f"kg ingest made no build (exit {done.returncode}); see {log}")
    print(_last_line(log, r"^build "), flush=True)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--ingest-delay", type=float, default=5.0, help="phase 2 ingest start")
    parser.add_argument("--data-dir", help="copy this directory's current build (not changed)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 1 <= args.duration <= 600:
        parser.error("--clients must be 1..500 and --duration 1..600")

    questions = [
        q.strip()
        for q in (BENCH / "questions.txt").read_text(encoding="utf-8").splitlines()
        if q.strip() and not q.startswith("#")
    ]
    queries = [(PROJECT_ROOT / "queries" / f).read_text(encoding="utf-8") for f in SPARQL_FILES]
    workload = Workload(questions, queries, random.Random(args.seed))
    loadavg = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
        work = Path(tmp)
        log = work / "load_test.log"
        data = _prepare_data(args, work, log)
        modified = work / "corpus-modified"
        changed = _modified_corpus(modified)
        server = Server(data, log)
        try:
            health = server.wait_ready()
            setup = {
                "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "questions": len(questions),
                "loadavg": loadavg,
                "build": health["build"],
                "passages": health["passages"],
                "triples": health["triples"],
                "sparql_workers": os.environ.get("KG_SPARQL_WORKERS", "2 (default)"),
            }
            print(f"server up on {server.base}, build {health['build']}", flush=True)
            phases = []
            print(f"phase 1: {args.clients} clients for {args.duration:.0f} s...", flush=True)
            phases.append(
                asyncio.run(
                    _phase("Phase 1: steady load", server, workload, args.clients, args.duration)
                )
            )
            print(f"phase 2: the same load, ingesting {changed} changed documents...", flush=True)
            during = _ingest_during(data, modified, log, args.ingest_delay, timeout=600)
            phases.append(
                asyncio.run(
                    _phase(
                        f"Phase 2: the same load while `kg ingest` publishes a new build "
                        f"({changed} documents changed)",
                        server,
                        workload,
                        args.clients,
                        args.duration,
                        during,
                    )
                )
            )
        finally:
            server.stop()
        section = _section(args, setup, phases)
    print()
    print(section)
    if not args.no_write:
        _write_section(section)
        print(f"wrote the {SECTION!r} section of {RESULTS.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
