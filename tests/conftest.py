"""Shared fixtures: one real encoder, one real build of the shipped corpus, one of the seeds."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from ingest.pipeline import run  # noqa: E402
from kg.config import PROJECT_ROOT, Settings  # noqa: E402
from kg.embed import Encoder  # noqa: E402
from search_api.core.service import SearchService  # noqa: E402

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    settings = Settings()
    return Encoder(settings.model, settings.torch_threads, settings.embed_batch_size)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("corpus-data"))


@pytest.fixture(scope="session")
def corpus_build(corpus_settings, encoder):
    report = run(corpus_settings, encoder=encoder)
    assert report.build is not None
    return report


@pytest.fixture(scope="session")
def service(corpus_settings, corpus_build, encoder) -> SearchService:
    return SearchService(corpus_settings, encoder)


@pytest.fixture(scope="session")
def seeds_report(tmp_path_factory, encoder):
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside the repository")
    settings = Settings(data_dir=tmp_path_factory.mktemp("seed-data"))
    return settings, run(settings, [SEEDS], encoder=encoder)
