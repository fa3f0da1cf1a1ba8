"""One run, one machine: ingest throughput, /ask latency and memory, written as Markdown.

Each figure is set beside the bare encoder cost of the same work, because the encoder is the
floor: the ratio says how much the pipeline or the service adds on top of the model, which a
raw number measured on an unknown machine cannot.

Usage: ``python -m bench.run [--out bench/RESULTS.md]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    """Cold ingest vs bare encoding of the same texts, then a re-ingest with nothing to embed."""
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
        f"| Cold ingest ({cold.documents} documents) | {n} | {cold_s:.2f} | {n / cold_s:.1f} |",
        f"| Bare `Encoder.encode` ({encoder.backend}), one call | {len(texts)} | {bare_s:.2f} | {len(texts) / bare_s:.1f} |",
        f"| Bare `Encoder.encode` ({encoder.backend}), chunks of {chunk} as ingest | {len(texts)} | {chunked_s:.2f} | {len(texts) / chunked_s:.1f} |",
        f"| Re-ingest, unchanged corpus ({warm.reused} reused, {warm.embedded} embedded) | {warm.passages} | {warm_s:.2f} | {warm.passages / warm_s:.1f} |",
        "",
        f"- Cold ingest / bare encode (one call): **{cold_s / bare_s:.2f}x**; "
        f"/ bare encode (chunked as ingest): **{cold_s / chunked_s:.2f}x**",
        f"- Re-ingest / cold ingest: **{warm_s / cold_s:.1%}**",
        f"- Batch size {bs}; `IngestReport.seconds` cold {cold.seconds:.2f}s, re-ingest {warm.seconds:.2f}s",
    ]
    return rows


STAGES: dict[str, list[float]] = {}


def ask_pass(service: SearchService, questions: list[str], k: int) -> list[float]:
    """Server-side took_ms of each question, as /ask reports it; stage timings are collected."""
    out = []
    for q in questions:
        result = service.ask(Query(q, k=k, mode="hybrid"))
        _, ser_s = timed(lambda result=result: json.dumps(result))
        for stage, ms in {**result["timings"], "serialisation": ser_s * 1000}.items():
            STAGES.setdefault(stage, []).append(ms)
        out.append(float(result["took_ms"]))
    return out


def stage_rows() -> list[str]:
    """Where the time of an uncached /ask goes, stage by stage (means over the first pass)."""
    rows = ["| Stage | mean ms | p50 ms |", "|---|---:|---:|"]
    for stage, values in STAGES.items():
        rows.append(f"| {stage} | {sum(values) / len(values):.3f} | {pct(values, 50):.3f} |")
    return rows


def serve_process(settings: Settings, backend: str, questions: list[str], total: int) -> dict:
    """A real `kg serve` with ``backend``: seconds from process start to the first 200 on
    /health, RSS then, /ask over loopback (each question new to it), RSS after ``total``
    distinct asks."""
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
            loopback, took = [], []
            for q in questions:
                t0 = time.perf_counter()
                body = client.get(f"{base}/ask", params={"q": q}).json()
                loopback.append((time.perf_counter() - t0) * 1000)
                took.append(float(body["took_ms"]))
            out["loopback"], out["took"] = loopback, took
            for i in range(total):
                client.get(f"{base}/ask", params={"q": f"{questions[i % len(questions)]} ({i})"})
            out["rss_after"] = proc_status("VmRSS", proc.pid)
            out["asks"] = total
    finally:
        stop(proc)
    return out


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
) -> tuple[list[str], dict[str, str], list[float], list[float]]:
    """/ask with uncached then cached query embeddings, beside one bare encode per question by
    the serving backend and by torch (sentence-transformers), the reference floor."""
    service = SearchService(settings, encoder)
    service.snapshot()  # the build load is start-up cost, not a request's
    rss = {"after loading the service": proc_status("VmRSS")}
    embed._cached_query.cache_clear()  # distinct questions, and no earlier query, leave it cold
    first = ask_pass(service, questions, settings.default_k)
    bare, bare_torch = [], []
    for q in questions:
        _, s = timed(lambda q=q: encoder.encode([q]))
        bare.append(s * 1000)
        _, s = timed(lambda q=q: torch_encoder.encode([q]))
        bare_torch.append(s * 1000)
    second = ask_pass(service, questions, settings.default_k)
    rss["after all questions"] = proc_status("VmRSS")
    enc_p50 = pct(bare, 50)
    rows = [
        "| Measure | n | p50 ms | p95 ms | p99 ms | max ms | p50 / bare encode p50 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, ms in (
        ("`ask` pass 1 (query embeddings uncached)", first),
        ("`ask` pass 2 (query embeddings cached)", second),
        (f"bare `encoder.encode([q])`, {encoder.backend}", bare),
        ("bare `encoder.encode([q])`, torch (sentence-transformers)", bare_torch),
    ):
        rows.append(
            f"| {name} | {len(ms)} | {pct(ms, 50):.2f} | {pct(ms, 95):.2f} | {pct(ms, 99):.2f} "
            f"| {max(ms):.2f} | {pct(ms, 50) / enc_p50:.2f}x |"
        )
    rows.append("")
    rows.append(
        f"- Pass 1 minus pass 2, p50: {pct(first, 50) - pct(second, 50):.2f} ms "
        f"(the query encode the cache saves, plus any per-entity graph lookups cached on the snapshot)"
    )
    rows.append(
        f"- k={settings.default_k}, mode=hybrid, in-process `SearchService.ask`; "
        "with this few samples p99 is close to the maximum"
    )
    return rows, rss, first, bare_torch


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
        ask_rows, ask_rss, in_process, bare_torch = bench_ask(
            settings, encoder, questions, torch_encoder
        )
        rss |= ask_rss
        runs = []
        if encoder.backend != "torch":  # the service as it was: torch, over a torch build
            torch_settings = torch_settings.model_copy(update={"data_dir": Path(tmp) / "torch"})
            pipeline.run(torch_settings, encoder=torch_encoder, quiet=True)
            runs.append(serve_process(torch_settings, "torch", questions, 1000))
        runs.append(serve_process(settings, encoder.backend, questions, 1000))
        serve_table = serve_rows(runs, bare_torch, in_process)
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
        "The shipped corpus into a fresh temporary data directory, with one already-loaded encoder.",
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
        "/ask over loopback HTTP with a keep-alive client, each of the questions new to it:",
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
