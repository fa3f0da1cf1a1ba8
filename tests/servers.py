"""Real servers for the tests: ``kg serve`` on a free port of 127.0.0.1, stopped afterwards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.serving import free_port, kg_serve_command, stop
from kg import build as builds
from kg import remote
from kg.config import PROJECT_ROOT, Settings


@contextmanager
def running_server(data_dir: Path, **env: str) -> Iterator[str]:
    """``kg serve`` on a free 127.0.0.1 port with KG_* overrides; yields its base URL.

    The server's output goes to a file, never to an unread pipe: a server that logs many
    errors would otherwise fill the pipe and block on its next log line.
    """
    port = free_port()
    full_env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "KG_DATA_DIR": str(data_dir),
        "KG_SPARQL_TIMEOUT_S": "3",
        **env,
    }
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            kg_serve_command(port),
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"

        def output() -> str:
            log.seek(0)
            return log.read()[-4000:].decode("utf-8", errors="replace")

        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited {proc.returncode}:\n{output()}")
                try:
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start within 120 s:\n{output()}")
                time.sleep(0.3)
            yield base
        finally:
            stop(proc, timeout_s=10)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """The Oxigraph server of the PyPI package ``oxigraph`` on a free 127.0.0.1 port, storing
    in ``location``; yields its base URL. Skips the test when the package is not installed."""
    import pytest

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the oxigraph server binary (PyPI package 'oxigraph') is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the oxigraph server did not start")
        yield base
    finally:
        stop(proc, timeout_s=10)


def served_copy(build: builds.Build, data_dir: Path, graph_store: str = "") -> Path:
    """A data folder serving a copy of ``build`` (for tests that change the graph it serves).

    With ``graph_store``, the copy's graph is written into its own named graph of that SPARQL
    server and the manifest names it, as ``kg ingest`` does with KG_GRAPH_STORE.
    """
    target = builds.builds_dir(data_dir) / build.id
    shutil.copytree(build.path, target)
    if graph_store:
        settings = Settings(data_dir=data_dir, graph_store=graph_store)
        endpoints = settings.remote_endpoints()
        graph = remote.build_graph_iri(settings.id_base, build.id)
        remote.upload(endpoints, graph, target / builds.GRAPH)
        remote.switch_current(endpoints, graph)
        manifest = {**build.manifest, "graph": graph}
        (target / builds.MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.symlink(os.path.relpath(target, data_dir), builds.current_link(data_dir))
    return data_dir
