"""A real uvicorn server with a low rate limit, for the checks a socket decides: the limit is
kept per client address. (``live_server``, without a limit, is in tests/conftest.py.)"""

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
def limited_server(corpus_settings, corpus_build) -> Iterator[str]:
    """A server with a low limit: 30 a minute (one token every 2 s), bursts of 3."""
    with running_server(
        corpus_settings.data_dir, KG_RATE_LIMIT_PER_MINUTE="30", KG_RATE_LIMIT_BURST="3"
    ) as base:
        yield base
