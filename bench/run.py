"""One run, one machine: ingest throughput, /ask latency and memory, written as Markdown.

Each figure is set beside the bare encoder cost of the same work, because the encoder is the
floor: the ratio says how much the pipeline or the service adds on top of the model, which a
raw number measured on an unknown machine cannot.

Usage: ``python -m bench.run [--out bench/RESULTS.md]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

import numpy as np

from bench.machine import cpu_model, nproc
from ingest import pipeline
from kg import build as builds
from kg import embed
from kg.config import Settings
from search_api.core.service import Query, SearchService

HERE = Path(__file__).resolve().parent
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Wall-clock seconds of one call; perf_counter, since the figures are durations."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def proc_status(field: str, pid: int | str = "self") -> str:
    """A line of /proc/self/status (VmRSS, VmHWM): what the kernel charges the process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return "n/a"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def embed_texts(build: builds.Build) -> list[str]:
    """The encoder's input for each passage, as ingest/model.py Passage.embed_text builds it."""
    return [f"{p.heading}\n{p.text}" if p.heading else p.text for p in build.passages()]


def bench_ingest(settings: Settings, encoder: embed.Encoder) -> list[str]:
    """Cold ingest vs bare encoding of the same texts, then a re-ingest with nothing to embed.

    A process's first encoding of full batches pays for the memory it touches first (the same
    chunk of 128 passages: 1.2 million page faults and 4 s of system time the first time, 0.16
    million and 0.6 s later on), and the bare encodes come after the ingest: so a first cold
    ingest into a scratch folder, timed and shown but not compared, leaves the process's memory
    as the bare encodes find it, and the ratios compare the second with them."""
    first, first_s = timed(
        lambda: pipeline.run(
            settings.model_copy(update={"data_dir": settings.data_dir.with_name("first")}),
            encoder=encoder,
            quiet=True,
        )
    )
    cold, cold_s = timed(lambda: pipeline.run(settings, encoder=encoder))
    assert cold.build is not None and cold.embedded == cold.passages, cold.summary()
    texts = embed_texts(cold.build)
    bs = settings.embed_batch_size
    _, bare_s = timed(lambda: encoder.encode(texts, batch_size=bs))
    # Ingest hands the encoder chunks of 4 batches, and sentence-transformers sorts texts by
    # length only within a call, so padding differs: time that chunking too, to tell them apart.
    chunk = bs * 4
    _, chunked_s = timed(
        lambda: [
            encoder.encode(texts[i : i + chunk], batch_size=bs) for i in range(0, len(texts), chunk)
        ]
    )
    warm, warm_s = timed(lambda: pipeline.run(settings, encoder=encoder))
    assert warm.embedded == 0, warm.summary()
    n = cold.passages
    rows = [
        "| Step | Passages | Seconds | Passages/s |",
        "|---|---:|---:|---:|",
        f"| Cold ingest, the process's first (not compared) | {first.passages} | {first_s:.2f} | {first.passages / first_s:.1f} |",
        f"| Cold ingest ({cold.documents} documents) | {n} | {cold_s:.2f} | {n / cold_s:.1f} |",
        f"| Bare `Encoder.encode` ({encoder.backend}), one call | {len(texts)} | {bare_s:.2f} | {len(texts) / bare_s:.1f} |",
        f"| Bare `Encoder.encode` ({encoder.backend}), chunks of {chunk} as ingest | {len(texts)} | {chunked_s:.2f} | {len(texts) / chunked_s:.1f} |",
        f"| Re-ingest, unchanged corpus ({warm.reused} reused, {warm.embedded} embedded) | {warm.passages} | {warm_s:.2f} | {warm.passages / warm_s:.1f} |",
        "",
        f"- Cold ingest / bare encode (one call): **{cold_s / bare_s:.2f}x**; "
        f"/ bare encode (chunked as ingest): **{cold_s / chunked_s:.2f}x**",
        f"- The process's first cold ingest / bare encode (chunked as ingest): {first_s / chunked_s:.2f}x",
        f"- Re-ingest / cold ingest: **{warm_s / cold_s:.1%}**",
        f"- Batch size {bs}; `IngestReport.seconds` cold {cold.seconds:.2f}s, re-ingest {warm.seconds:.2f}s",
    ]
    return rows


STAGES: dict[str, list[float]] = {}


def stage_rows() -> list[str]:
    """Where the time of an uncached /ask goes, stage by stage (means over the first pass)."""
    rows = ["| Stage | mean ms | p50 ms |", "|---|---:|---:|"]
    for stage, values in STAGES.items():
        rows.append(f"| {stage} | {sum(values) / len(values):.3f} | {pct(values, 50):.3f} |")
    return rows


def serve_process(
    settings: Settings,
    backend: str,
    questions: list[str],
    total: int,
    while_up: Callable[[int], list[float]] | None = None,
) -> dict:
    """A real `kg serve` with ``backend``: seconds from process start to the first 200 on
    /health, RSS then, /ask over loopback (each question new to it), RSS after ``total``
    distinct asks. ``while_up(port)``, when given, asks the loopback questions instead, once
    the server is up and before any other question, and returns their milliseconds."""
    import httpx

    from bench.serving import free_port, kg_serve_command, stop

    port = free_port()
    env = {
        **os.environ,
        "KG_DATA_DIR": str(settings.data_dir),
        "KG_RATE_LIMIT_PER_MINUTE": "0",
        "KG_ENCODER_BACKEND": backend,
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        kg_serve_command(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    out: dict = {"backend": backend}
    try:
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() - started < 300:
                if proc.poll() is not None:
                    raise RuntimeError(f"kg serve ({backend}) exited with {proc.returncode}")
                try:
                    if client.get(f"{base}/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.02)
            out["startup_s"] = time.perf_counter() - started
            out["rss_start"] = proc_status("VmRSS", proc.pid)
            if while_up is not None:
                out["loopback"] = while_up(port)
            else:
                with Loopback(port) as ask:
                    out["loopback"] = [ask(q) for q in questions]
            for i in range(total):
                client.get(f"{base}/ask", params={"q": f"{questions[i % len(questions)]} ({i})"})
            out["rss_after"] = proc_status("VmRSS", proc.pid)
            out["asks"] = total
    finally:
        stop(proc)
    return out


class Loopback:
    """GET /ask over one keep-alive connection with the standard library's client, the
    lightest there is (httpx adds 0.6-0.8 ms a request here: bench.http_path); the body is
    read whole and parsed, as a client would."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.took: list[float] = []  # the server's own ``took_ms`` of each answer

    def __enter__(self) -> Callable[[str], float]:
        return self.ask

    def __exit__(self, *exc) -> None:
        self.conn.close()

    def ask(self, question: str) -> float:
        """Milliseconds from sending the question to the parsed answer."""
        started = time.perf_counter()
        self.conn.request("GET", "/ask?" + urlencode({"q": question}))
        response = self.conn.getresponse()
        body = json.loads(response.read())
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status == 200 and body["question"] == question, response.status
        self.took.append(float(body["took_ms"]))
        return elapsed


LATENCY_ROUNDS = 3


def round_questions(questions: list[str], rounds: int) -> list[str]:
    """The questions, then each again per round with a number after it: every text new to
    every side (the service, the server, their query caches), the same texts for all."""
    return [q if r == 0 else f"{q} ({r + 1})" for r in range(rounds) for q in questions]


def alternating_rounds(
    service: SearchService,
    encoder: embed.Encoder,
    torch_encoder: embed.Encoder,
    texts: list[str],
    k: int,
) -> Callable[[int], list[float]]:
    """Each text in turn: one bare encode by the serving backend, one by torch, one in-process
    ``ask``, one /ask over loopback, so the load of this busy machine falls on all alike.
    Fills ``LATENCY`` and returns the loopback milliseconds."""

    def run(port: int) -> list[float]:
        client = Loopback(port)
        with client as loopback:
            for text in texts:
                LATENCY["bare"].append(timed(lambda t=text: encoder.encode([t]))[1] * 1000)
                LATENCY["torch"].append(timed(lambda t=text: torch_encoder.encode([t]))[1] * 1000)
                result = service.ask(Query(text, k=k, mode="hybrid"))
                _, ser_s = timed(lambda result=result: json.dumps(result))
                for stage, ms in {**result["timings"], "serialisation": ser_s * 1000}.items():
                    STAGES.setdefault(stage, []).append(ms)
                LATENCY["in-process"].append(float(result["took_ms"]))
                LATENCY["loopback"].append(loopback(text))
        LATENCY["server took_ms"] = client.took
        return LATENCY["loopback"]

    return run


LATENCY: dict[str, list[float]] = {"bare": [], "torch": [], "in-process": [], "loopback": []}


def serve_rows(runs: list[dict], bare_torch: list[float], in_process: list[float]) -> list[str]:
    torch_p50 = pct(bare_torch, 50)
    rows = [
        "| `kg serve`, encoder backend | start to first /health 200 | RSS after start-up "
        f"| RSS after {runs[0]['asks']} distinct /ask | loopback /ask p50 ms | p99 ms "
        "| p50 / bare torch encode p50 | loopback p50 - in-process p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        p50 = pct(run["loopback"], 50)
        rows.append(
            f"| {run['backend']} | {run['startup_s']:.1f} s | {run['rss_start']} "
            f"| {run['rss_after']} | {p50:.2f} | {pct(run['loopback'], 99):.2f} "
            f"| {p50 / torch_p50:.2f}x | {p50 - pct(in_process, 50):+.2f} ms |"
        )
    return rows


def bench_ask(
    settings: Settings, encoder: embed.Encoder, questions: list[str], torch_encoder: embed.Encoder
) -> tuple[list[str], dict[str, str], dict]:
    """/ask in-process and over loopback (a real `kg serve`), each text new to both, in
    alternating rounds beside one bare encode per text by the serving backend and by torch
    (sentence-transformers), the reference floor; then in-process again, embeddings cached."""
    service = SearchService(settings, encoder)
    service.warm_up()  # the build load is start-up cost, not a request's, as in `kg serve`
    rss = {"after loading the service": proc_status("VmRSS")}
    embed._cached_query.cache_clear()  # distinct texts, and no earlier query, leave it cold
    texts = round_questions(questions, LATENCY_ROUNDS)
    k = settings.default_k
    served = serve_process(
        settings,
        encoder.backend,
        questions,
        1000,
        alternating_rounds(service, encoder, torch_encoder, texts, k),
    )
    second = [float(service.ask(Query(t, k=k, mode="hybrid"))["took_ms"]) for t in texts]
    rss["after all questions"] = proc_status("VmRSS")
    first, bare, bare_torch, loopback = (
        LATENCY[name] for name in ("in-process", "bare", "torch", "loopback")
    )
    enc_p50, torch_p50 = pct(bare, 50), pct(bare_torch, 50)
    rows = [
        "| Measure | n | p50 ms | p95 ms | p99 ms | max ms | p50 / bare encode p50 "
        "| p50 / bare torch encode p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, ms in (
        ("`/ask` over loopback (`kg serve`), each text new to it", loopback),
        ("the same asks, the server's own `took_ms`", LATENCY["server took_ms"]),
        ("`ask` in-process, pass 1 (query embeddings uncached)", first),
        ("`ask` in-process, pass 2 (query embeddings cached)", second),
        (f"bare `encoder.encode([q])`, {encoder.backend}", bare),
        ("bare `encoder.encode([q])`, torch (sentence-transformers)", bare_torch),
    ):
        rows.append(
            f"| {name} | {len(ms)} | {pct(ms, 50):.2f} | {pct(ms, 95):.2f} | {pct(ms, 99):.2f} "
            f"| {max(ms):.2f} | {pct(ms, 50) / enc_p50:.2f}x | {pct(ms, 50) / torch_p50:.2f}x |"
        )
    gap = pct(loopback, 50) - pct(first, 50)
    served_gap = pct(LATENCY["server took_ms"], 50) - pct(first, 50)
    rows += [
        "",
        f"- **Loopback `/ask` p50 / bare torch encode p50: {pct(loopback, 50) / torch_p50:.2f}x** "
        f"(target at most 0.8x); loopback p99 {pct(loopback, 99):.2f} ms",
        f"- **In-process `ask` p50 (uncached) / bare {encoder.backend} encode p50: "
        f"{pct(first, 50) / enc_p50:.2f}x** (target at most 1.3x)",
        f"- **Loopback p50 - in-process p50: {gap:+.2f} ms** (target at most 2 ms); of it, "
        f"the server's own search is {served_gap:+.2f} ms from the in-process one's, and "
        f"{pct(loopback, 50) - pct(LATENCY['server took_ms'], 50):.2f} ms lies between the "
        "server's search and the client (the socket, uvicorn, the app's layers, the thread hop)",
        f"- Pass 1 minus pass 2, p50: {pct(first, 50) - pct(second, 50):.2f} ms "
        "(the query encode the cache saves)",
        f"- {len(questions)} questions x {LATENCY_ROUNDS} rounds ({len(texts)} texts, the "
        "question numbered from the second round on); each text is encoded bare by both "
        "encoders, asked in-process, then asked over loopback before the next, so the load of "
        f"the machine falls on all alike; k={k}, mode=hybrid; the loopback client is "
        "`http.client` with one keep-alive connection, the server `kg serve --log-level warning`",
    ]
    return rows, rss, served


START, END = "<!-- bench.run:start -->", "<!-- bench.run:end -->"


def write_section(path: Path, text: str) -> None:
    """Replace this script's part of RESULTS.md; other benchmarks own the other sections."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{text}\n{END}"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    elif old.startswith("# Benchmark results"):
        # The first write by this version: the file's head is this script's older output.
        cut = old.find("\n## ", old.find("## 3. Process memory"))
        rest = old[cut:] if cut != -1 else ""
        new = block + rest
    else:
        new = block + ("\n\n" + old if old else "")
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in a package; never fetch
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    import faiss
    import torch

    questions = [q.strip() for q in (HERE / "questions.txt").read_text().splitlines() if q.strip()]
    assert len(set(questions)) == len(questions), "questions must be distinct to start uncached"
    base = Settings()
    rss = {"at start (service modules, torch and faiss imported)": proc_status("VmRSS")}
    encoder = embed.Encoder.from_settings(base)
    _, load_s = timed(lambda: encoder.encode(["warm"]))
    rss[f"after model load ({encoder.backend})"] = proc_status("VmRSS")
    torch_settings = base.model_copy(update={"encoder_backend": "torch"})
    torch_encoder = embed.Encoder.from_settings(torch_settings)
    torch_encoder.encode(["warm"])

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        settings = base.model_copy(update={"data_dir": Path(tmp) / "chosen"})
        ingest_rows = bench_ingest(settings, encoder)
        rss["after both ingests"] = proc_status("VmRSS")
        runs = []
        if encoder.backend != "torch":  # the service as it was: torch, over a torch build
            torch_settings = torch_settings.model_copy(update={"data_dir": Path(tmp) / "torch"})
            pipeline.run(torch_settings, encoder=torch_encoder, quiet=True)
            runs.append(serve_process(torch_settings, "torch", questions, 1000))
        ask_rows, ask_rss, served = bench_ask(settings, encoder, questions, torch_encoder)
        rss |= ask_rss
        runs.append(served)
        serve_table = serve_rows(runs, LATENCY["torch"], LATENCY["in-process"])
    rss["peak (VmHWM)"] = proc_status("VmHWM")

    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m bench.run` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "| Machine | |",
        "|---|---|",
        f"| nproc | {nproc()} |",
        f"| CPU | {cpu_model()} |",
        f"| Python | {platform.python_version()} |",
        f"| torch | {torch.__version__} (threads: {torch.get_num_threads()}) |",
        f"| faiss | {faiss.__version__} |",
        f"| Model | `{base.model}` (dimension {encoder.dimension}; load + first encode {load_s:.1f}s, excluded below) |",
        f"| Encoder backend | `{encoder.backend}` (`KG_ENCODER_BACKEND`; torch measured beside it) |",
        f"| Load average (1/5/15 min) at the end | {' '.join(f'{x:.2f}' for x in os.getloadavg())} |",
        "",
        "## 1. Ingest throughput vs bare encoding",
        "",
        "The shipped corpus into a fresh temporary data directory, with one already-loaded "
        "encoder. The process's first cold ingest pays for the memory its encoder touches "
        "first, which the bare encodes after it do not: it is shown, and the ratios compare "
        "the second cold ingest, into another fresh folder, with the bare encodes.",
        "",
        *ingest_rows,
        "",
        f"## 2. `/ask` latency ({len(questions)} distinct questions from `bench/questions.txt`)",
        "",
        *ask_rows,
        "",
        "Where the time goes (first pass; `timings` of the /ask response, plus JSON serialisation):",
        "",
        *stage_rows(),
        "",
        "## 3. Process memory (VmRSS)",
        "",
        "| When | RSS |",
        "|---|---:|",
        *(f"| {when} | {value} |" for when, value in rss.items()),
        "",
        "The service on its own, as it runs in production (`kg serve`, one process, SPARQL "
        "workers excluded), with the encoder backend it had before and the one it has now; "
        "/ask over loopback HTTP with a keep-alive client, each of the questions new to it "
        f"(the {encoder.backend} server's in the alternating rounds of section 2, the torch "
        "server's once each, on its own):",
        "",
        *serve_table,
        "",
    ]
    text = "\n".join(lines)
    write_section(args.out, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
