"""Local servers for the benchmarks and the tests: a free port, the ``kg serve`` command, a stop.

The benchmarks and the real-server tests start and stop the service the same way; this is the
one place that says how.
"""

from __future__ import annotations

import socket
import subprocess
import sys


def free_port() -> int:
    """A port of 127.0.0.1 that was free a moment ago (the caller binds it straight away)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kg_serve_command(port: int, log_level: str = "warning") -> list[str]:
    """``kg serve`` on 127.0.0.1:``port``, run by this interpreter so the source tree is served."""
    return [
        sys.executable,
        "-m",
        "kg.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        log_level,
    ]


def stop(proc: subprocess.Popen, timeout_s: float = 15) -> None:
    """Ask the process to end (TERM); kill it if it has not within ``timeout_s`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
