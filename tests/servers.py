"""Real servers for the tests: ``kg serve`` on a free port of 127.0.0.1, stopped afterwards."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.serving import free_port, kg_serve_command, stop
from kg.config import PROJECT_ROOT


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
