"""Shared fixtures: one real encoder, one real build of the shipped corpus, one of the seeds,
the HTTP app over the corpus build in-process (the whole stack but the socket), and a real
server over it for the few checks a socket decides."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ingest.pipeline import run  # noqa: E402
from kg.config import PROJECT_ROOT, Settings  # noqa: E402
from kg.embed import Encoder  # noqa: E402
from search_api.core.service import SearchService  # noqa: E402
from search_api.http.app import create_app  # noqa: E402
from tests import vector_cache  # noqa: E402
from tests.servers import running_server  # noqa: E402

# Raw pages saved from the web (with their cookie banners), kept beside the repository; their
# folder can be named elsewhere with KG_TEST_SEEDS.
SEEDS = Path(os.environ.get("KG_TEST_SEEDS") or PROJECT_ROOT.parent / "shared" / "seeds")
CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder.from_settings(Settings())


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("corpus-data"))


def _build(name: str, settings: Settings, encoder: Encoder, paths: list[Path] | None = None):
    """An ingest into a new data folder, reusing the vectors of the last run's build ``name``."""
    seeded = vector_cache.seed(name, settings.data_dir)
    report = run(settings, paths, encoder=encoder)
    assert report.build is not None
    vector_cache.unseed(seeded)
    if report.embedded:
        vector_cache.keep(name, report.build)
    return report


@pytest.fixture(scope="session")
def corpus_build(corpus_settings, encoder):
    return _build("corpus", corpus_settings, encoder)


@pytest.fixture(scope="session")
def service(corpus_settings, corpus_build, encoder) -> SearchService:
    return SearchService(corpus_settings, encoder)


@pytest.fixture(scope="session")
def app_settings(corpus_settings) -> Settings:
    """The corpus build as the HTTP tests serve it: one client sends them all, so no rate limit
    and one SPARQL worker process; a short SPARQL time limit, so the runaway query stops soon."""
    return corpus_settings.model_copy(
        update={"rate_limit_per_minute": 0, "sparql_workers": 1, "sparql_timeout_s": 3}
    )


def app_client(settings: Settings, service: SearchService) -> TestClient:
    """The app over ``service``; a server error comes back as its 500 response, as over a socket.

    Enter it (``with``) to run the app's start-up and shutdown (the SPARQL workers).
    """
    return TestClient(create_app(settings, service), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client(app_settings, service) -> Iterator[TestClient]:
    with app_client(app_settings, service) as http:
        yield http


@pytest.fixture(scope="session")
def live_server(corpus_settings, corpus_build) -> Iterator[str]:
    """``kg serve`` over the corpus build on 127.0.0.1, without a rate limit, for the checks a
    socket decides (request paths sent byte for byte, bodies streamed in chunks) and the smoke
    test of the real process; everything else uses the in-process ``client``."""
    with running_server(corpus_settings.data_dir, KG_RATE_LIMIT_PER_MINUTE="0") as base:
        yield base


@pytest.fixture(scope="session")
def seed_pages() -> list[Path]:
    pages = sorted(SEEDS.glob("*.txt"))
    if not pages:
        pytest.skip(f"no seed pages (*.txt) in {SEEDS}; KG_TEST_SEEDS names their folder")
    return pages


@pytest.fixture(scope="session")
def seeds_report(tmp_path_factory, encoder, seed_pages):
    settings = Settings(data_dir=tmp_path_factory.mktemp("seed-data"))
    return settings, _build("seeds", settings, encoder, [SEEDS])
