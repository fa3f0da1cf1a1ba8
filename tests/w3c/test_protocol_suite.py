"""The W3C SPARQL 1.1 Protocol test suite, replayed against ``kg serve`` in both store modes.

Each store mode gets its own copy of the corpus build (the suite's updates clear the whole
dataset) served by a real ``kg serve`` with an update token: the embedded store with its query
worker processes, and a remote Oxigraph server (the PyPI ``oxigraph`` package) as the store.
Every one of the 34 tests is expected to pass in both modes.
"""

from __future__ import annotations

import httpx
import pytest

from tests.servers import oxigraph_server, running_server, served_copy
from tests.w3c.protocol_suite import load_suite, replay

pytestmark = pytest.mark.e2e

TOKEN = "protocol-suite-token"
SUITE = load_suite()


def test_the_suite_is_whole():
    names = [t.name for t in SUITE]
    assert len(names) == 34 and len(set(names)) == 34
    assert sum(len(t.requests) for t in SUITE) == 39
    assert all(r.expected.status_classes for t in SUITE for r in t.requests)


@pytest.fixture(scope="module")
def embedded_service(corpus_build, tmp_path_factory):
    data_dir = served_copy(corpus_build.build, tmp_path_factory.mktemp("protocol-embedded"))
    with running_server(
        data_dir, KG_UPDATE_TOKEN=TOKEN, KG_RATE_LIMIT_PER_MINUTE="0", KG_SPARQL_WORKERS="2"
    ) as base:
        yield base


@pytest.fixture(scope="module")
def remote_service(corpus_build, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("protocol-oxigraph")) as store:
        data_dir = served_copy(
            corpus_build.build, tmp_path_factory.mktemp("protocol-remote"), graph_store=store
        )
        with running_server(
            data_dir, KG_UPDATE_TOKEN=TOKEN, KG_RATE_LIMIT_PER_MINUTE="0", KG_GRAPH_STORE=store
        ) as base:
            yield base


@pytest.mark.parametrize("test", SUITE, ids=[t.name for t in SUITE])
def test_embedded_store(embedded_service, test):
    with httpx.Client(timeout=30) as client:
        problems = replay(client, embedded_service, TOKEN, test)
    assert not problems, f"{test.title}: " + "; ".join(problems)


@pytest.mark.parametrize("test", SUITE, ids=[t.name for t in SUITE])
def test_remote_store(remote_service, test):
    with httpx.Client(timeout=30) as client:
        problems = replay(client, remote_service, TOKEN, test)
    assert not problems, f"{test.title}: " + "; ".join(problems)
