"""Where the time between ``SearchService.ask`` and ``/ask`` over a socket goes, in one run.

Each question is asked, round after round, the same way by every layer, alternating so the
machine's load falls on all of them alike: the service in this process; the HTTP app in this
process over ASGI without a socket, handing the search to the thread pool as it does when
served, and again calling it on the event loop (the thread hop's share); a real ``kg serve``
over loopback, read with the standard library's client and with httpx; and a bare uvicorn app
answering a body of the same size (what uvicorn, the socket and each client cost with no app).
Every side has seen each question once before the rounds, so no side encodes one.

Usage: ``KG_DATA_DIR=<a data folder with a build> python -m bench.http_path [--rounds N]``
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

from bench.serving import free_port, kg_serve_command, stop
from kg.config import Settings
from search_api.core.service import Query
from search_api.http.app import create_app
from search_api.http.routes import ask as ask_route

BARE_BODY = b'{"x":"' + b"a" * 7450 + b'"}'  # an /ask answer's median size, in bytes


async def bare_app(scope, receive, send) -> None:
    """The least an ASGI app can do under uvicorn: one fixed JSON body."""
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BARE_BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BARE_BODY})


def questions(limit: int = 44) -> list[str]:
    """The benchmark's questions, as ``bench.run`` asks them."""
    text = (Path(__file__).resolve().parent / "questions.txt").read_text(encoding="utf-8")
    return [q.strip() for q in text.splitlines() if q.strip()][:limit]


def asgi_scope(query: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/ask",
        "raw_path": b"/ask",
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _on_loop(fn, *args):
    return fn(*args)


def wait_until_up(port: int, proc: subprocess.Popen, path: str, timeout_s: float = 300) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server on {port} did not answer {path} in {timeout_s} s")


def uvicorn_implementations() -> str:
    """The event loop and HTTP parser uvicorn picks by itself ("auto"), as ``kg serve`` runs it."""
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn {loop} + {http}"


def run(rounds: int) -> list[str]:
    import httpx

    settings = Settings()
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 0, "sparql_workers": 0}))
    service = app.state.service
    service.warm_up()
    env = {**os.environ, "KG_RATE_LIMIT_PER_MINUTE": "0", "KG_DATA_DIR": str(settings.data_dir)}
    ports = {"service": free_port(), "bare": free_port()}
    commands = {
        "service": kg_serve_command(ports["service"]),
        "bare": [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.http_path:bare_app",
            "--port",
            str(ports["bare"]),
            "--log-level",
            "warning",
        ],
    }
    loop = asyncio.new_event_loop()
    threadpool = ask_route.in_search_thread

    async def asgi(query: str) -> None:
        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            pass

        await app(asgi_scope(query), receive, send)

    def asgi_without_hop(query: str) -> None:
        ask_route.in_search_thread = _on_loop
        try:
            loop.run_until_complete(asgi(query))
        finally:
            ask_route.in_search_thread = threadpool

    with ExitStack() as stack:
        procs = {}
        for name, command in commands.items():
            procs[name] = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            stack.callback(stop, procs[name])
        wait_until_up(ports["bare"], procs["bare"], "/")
        wait_until_up(ports["service"], procs["service"], "/health")
        conns = {n: http.client.HTTPConnection("127.0.0.1", p) for n, p in ports.items()}
        client = stack.enter_context(httpx.Client(timeout=60))

        def get(name: str, path: str) -> bytes:
            conns[name].request("GET", path)
            return conns[name].getresponse().read()

        times: dict[str, list[float]] = {}

        def timed(label: str, fn: Callable[[], object]) -> None:
            started = time.perf_counter()
            fn()
            times.setdefault(label, []).append((time.perf_counter() - started) * 1000)

        asked = questions()
        for q in asked:  # every side encodes each question once, before the rounds
            service.ask(Query(q, k=settings.default_k, mode="hybrid"))
            get("service", "/ask?" + urlencode({"q": q}))
        for _ in range(rounds):
            for q in asked:
                qs = urlencode({"q": q})
                timed(
                    "in-process `SearchService.ask`",
                    lambda q=q: service.ask(Query(q, k=settings.default_k, mode="hybrid")),
                )
                timed(
                    "the app over ASGI, no socket, search on the event loop",
                    lambda qs=qs: asgi_without_hop(qs),
                )
                timed(
                    "the app over ASGI, no socket (one thread hop, as served)",
                    lambda qs=qs: loop.run_until_complete(asgi(qs)),
                )
                timed(
                    "`/ask` over loopback, http.client", lambda qs=qs: get("service", "/ask?" + qs)
                )
                timed(
                    "`/ask` over loopback, httpx",
                    lambda q=q: client.get(
                        f"http://127.0.0.1:{ports['service']}/ask", params={"q": q}
                    ),
                )
                timed("bare uvicorn app, same-size body, http.client", lambda: get("bare", "/"))
                timed(
                    "bare uvicorn app, same-size body, httpx",
                    lambda: client.get(f"http://127.0.0.1:{ports['bare']}/"),
                )
    loop.close()
    base = float(np.percentile(times["in-process `SearchService.ask`"], 50))
    rows = [
        f"{len(asked)} questions x {rounds} rounds; {uvicorn_implementations()}; load average at "
        "the end " + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "",
        "| | p50 ms | p99 ms | p50 minus in-process p50 |",
        "|---|---:|---:|---:|",
    ]
    for label, ms in times.items():
        p50, p99 = float(np.percentile(ms, 50)), float(np.percentile(ms, 99))
        rows.append(f"| {label} | {p50:.2f} | {p99:.2f} | {p50 - base:+.2f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    print("\n".join(run(args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
