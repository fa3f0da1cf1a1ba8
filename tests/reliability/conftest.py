"""Real uvicorn servers over the session's corpus build, each with its own settings, for the
checks a socket decides: request paths sent byte for byte, bodies streamed in chunks, and the
rate limit by client address. The rest of the HTTP checks use the in-process ``client``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from tests.servers import running_server

# Hypothesis keeps its caches outside the work tree (no .hypothesis/ folder beside the code).
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "p2p-kg-hypothesis")


@pytest.fixture(scope="session")
def live_server(corpus_settings, corpus_build) -> Iterator[str]:
    """A server without a rate limit (fuzzing and the header checks send many requests)."""
    with running_server(corpus_settings.data_dir, KG_RATE_LIMIT_PER_MINUTE="0") as base:
        yield base


@pytest.fixture(scope="session")
def limited_server(corpus_settings, corpus_build) -> Iterator[str]:
    """A server with a low limit: 30 a minute (one token every 2 s), bursts of 3."""
    with running_server(
        corpus_settings.data_dir, KG_RATE_LIMIT_PER_MINUTE="30", KG_RATE_LIMIT_BURST="3"
    ) as base:
        yield base
