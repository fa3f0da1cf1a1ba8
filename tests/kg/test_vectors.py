"""The vector index kinds: recall against exact search, persistence, streaming construction.

Data: bench.million's seeded mixture of anisotropic clusters (embedding-like; random vectors
would make recall meaningless), 20,000 vectors and 200 queries drawn from the same mixture.
Generating them and training the approximate indexes takes minutes: marked slow. The default
flat index is in every build the other tests make.
"""

from __future__ import annotations

import warnings

import faiss
import numpy as np
import pytest

from bench.million import SyntheticEmbeddings
from kg import vectors
from kg.config import Settings, get_settings

pytestmark = pytest.mark.slow

N, BATCH, K = 20_000, 5_000, 10


@pytest.fixture(scope="module")
def data() -> np.ndarray:
    return SyntheticEmbeddings().sample(N)


@pytest.fixture(scope="module")
def queries() -> np.ndarray:
    return SyntheticEmbeddings().sample(200, stream=1)


@pytest.fixture(scope="module")
def truth(data, queries) -> list[list[int]]:
    exact = np.argsort(-(queries @ data.T), axis=1)[:, :K]
    return exact.tolist()


@pytest.fixture(scope="module")
def built(data) -> dict[str, faiss.Index]:
    return {kind: vectors.build_index(data, kind) for kind in vectors.KINDS}


def batches(data: np.ndarray):
    for lo in range(0, len(data), BATCH):
        yield data[lo : lo + BATCH]


def recall(index: faiss.Index, queries: np.ndarray, truth: list[list[int]], **search) -> float:
    found = [[r for r, _ in vectors.search(index, q, K, **search)] for q in queries]
    return float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)]))


def test_data_is_structured_not_random(data, queries):
    """Neighbours well above the background, as with real embeddings (random: ~0.2 vs 0)."""
    sims = queries @ data.T
    nn10 = np.sort(sims, axis=1)[:, -K].mean()
    assert nn10 > 0.5 and nn10 - sims.mean() > 0.3


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_each_kind_finds_the_exact_neighbours(built, queries, truth, kind):
    assert built[kind].ntotal == N
    assert recall(built[kind], queries, truth) >= 0.9


def test_index_types(built):
    assert type(built["flat"]) is faiss.IndexFlatIP
    assert isinstance(built["hnsw"], faiss.IndexHNSWFlat)
    assert built["hnsw"].metric_type == faiss.METRIC_INNER_PRODUCT
    assert built["hnsw"].hnsw.nb_neighbors(1) == 32  # M
    assert isinstance(built["ivfpq"], faiss.IndexRefine)  # PQ candidates re-ranked (sq8)
    ivf = faiss.downcast_index(faiss.extract_index_ivf(built["ivfpq"]))
    assert isinstance(ivf, faiss.IndexIVFPQ)
    assert ivf.metric_type == faiss.METRIC_INNER_PRODUCT
    assert ivf.pq.M == 48 and ivf.pq.nbits == 8
    assert ivf.nlist == int(2 * np.sqrt(N))
    assert [vectors.kind_of(built[k]) for k in vectors.KINDS] == list(vectors.KINDS)


def test_default_flat_is_exact(data, queries, built):
    index = vectors.build_index(data)  # no kind: the shipped behaviour
    assert type(index) is faiss.IndexFlatIP and index.ntotal == N
    q = queries[0]
    hits = vectors.search(index, q, K)
    order = np.argsort(-(data @ q))[:K]
    assert [r for r, _ in hits] == order.tolist()
    assert [s for _, s in hits] == pytest.approx((data[order] @ q).tolist(), abs=1e-5)
    assert vectors.search_params(index) is None


def test_configured_default_is_flat(data):
    config = vectors.config(Settings())
    assert config == {"kind": "flat"}
    assert type(vectors.build_index(data[:100], **config)) is faiss.IndexFlatIP


def test_setting_chooses_the_kind(monkeypatch):
    monkeypatch.setenv("KG_VECTOR_INDEX", "hnsw")
    monkeypatch.setenv("KG_HNSW_EF_SEARCH", "77")
    settings = Settings()
    assert vectors.config(settings) == {
        "kind": "hnsw",
        "m": 32,
        "ef_construction": settings.hnsw_ef_construction,
        "ef_search": 77,
    }
    monkeypatch.setenv("KG_VECTOR_INDEX", "annoy")
    with pytest.raises(ValueError, match="unknown vector index kind 'annoy'"):
        vectors.build_index(np.zeros((1, 384), dtype="float32"), **vectors.config(Settings()))


@pytest.mark.parametrize("kind", ["hnsw", "ivfpq"])
def test_search_parameters_come_from_settings_or_the_call(built, kind):
    settings = get_settings()
    index = built[kind]
    params = vectors.search_params(index)
    if kind == "hnsw":
        assert params.efSearch == settings.hnsw_ef_search
        assert vectors.search_params(index, ef_search=300).efSearch == 300
    else:
        assert params.k_factor == settings.ivfpq_k_factor
        assert params.ivf.nprobe == settings.ivf_nprobe
        assert vectors.search_params(index, nprobe=3).ivf.nprobe == 3


def test_more_effort_finds_more(built, queries, truth):
    assert recall(built["hnsw"], queries, truth, ef_search=256) >= recall(
        built["hnsw"], queries, truth, ef_search=10
    )
    assert recall(built["ivfpq"], queries, truth, nprobe=32, k_factor=8) >= recall(
        built["ivfpq"], queries, truth, nprobe=1, k_factor=1
    )


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_save_load_round_trip(built, queries, tmp_path, kind):
    path = tmp_path / f"{kind}.faiss"
    vectors.save(built[kind], path)
    loaded = vectors.load(path)
    assert type(loaded) is type(built[kind])
    assert loaded.ntotal == N
    for q in queries[:20]:
        assert vectors.search(loaded, q, K) == vectors.search(built[kind], q, K)


def test_streaming_equals_one_shot_for_flat(data, queries, built):
    streamed = vectors.build_index_streaming(batches(data), "flat", expected=N)
    assert streamed.ntotal == N
    one_shot = built["flat"]
    assert np.array_equal(streamed.reconstruct_n(0, N), one_shot.reconstruct_n(0, N))
    for q in queries[:20]:
        assert vectors.search(streamed, q, K) == vectors.search(one_shot, q, K)
    # Without a size hint too, and the one-shot path through the streaming code.
    assert np.array_equal(vectors.build_index_streaming(batches(data)).reconstruct_n(0, N), data)


@pytest.mark.parametrize(("kind", "params"), [("hnsw", {}), ("ivfpq", {"train_size": 10_000})])
def test_streaming_approximate_kinds(data, queries, truth, kind, params):
    index = vectors.build_index_streaming(batches(data), kind, expected=N, **params)
    assert index.ntotal == N
    assert recall(index, queries, truth) >= 0.9
    if kind == "ivfpq":  # 2 * sqrt(N) cells, capped at one per 39 training vectors
        assert faiss.extract_index_ivf(index).nlist == min(int(2 * np.sqrt(N)), 10_000 // 39)


def test_ivfpq_trains_on_the_head_of_the_stream(data):
    index = vectors.build_index_streaming(batches(data), "ivfpq", train_size=10_000)
    assert index.ntotal == N
    # No total given: the 10,000-vector sample sizes the cells, 2 * sqrt(10,000).
    assert faiss.extract_index_ivf(index).nlist == 200


def test_too_few_vectors_for_ivfpq_falls_back_to_flat(data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        index = vectors.build_index(data[:300], "ivfpq")
    assert type(index) is faiss.IndexFlatIP and index.ntotal == 300
    assert any("too few" in str(w.message) for w in caught)


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_empty(kind):
    index = vectors.build_index(np.zeros((0, 384), dtype="float32"), kind)
    assert index.ntotal == 0
    assert vectors.search(index, np.ones(384, dtype="float32"), 5) == []


def test_bad_arguments(data):
    with pytest.raises(ValueError, match="unknown vector index kind"):
        vectors.build_index(data[:10], "lsh")
    with pytest.raises(ValueError, match="no parameter"):
        vectors.build_index(data[:10], "hnsw", nprobe=4)
    with pytest.raises(ValueError, match="must divide"):
        vectors.build_index(data, "ivfpq", m=50)


def test_ivfpq_one_shot_trains_on_a_random_sample(data, queries, truth):
    # Sorted data (as ingest's document order would be): training on the head would see one
    # end of the distribution only; build_index draws the sample across all of it.
    order = np.argsort(data[:, 0])
    index = vectors.build_index(data[order], "ivfpq", train_size=10_000)
    assert faiss.extract_index_ivf(index).nlist == min(int(2 * np.sqrt(N)), 10_000 // 39)
    found = [[int(order[r]) for r, _ in vectors.search(index, q, K)] for q in queries]
    assert np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)]) >= 0.9


def test_ivfpq_without_refinement_is_plain_ivfpq(data, queries):
    index = vectors.build_index(data[:10_000], "ivfpq", refine="none", nprobe=4)
    assert type(index) is faiss.IndexIVFPQ and index.nprobe == 4
    params = vectors.search_params(index, nprobe=8)
    assert isinstance(params, faiss.SearchParametersIVF) and params.nprobe == 8
    assert len(vectors.search(index, queries[0], K)) == K
    assert float(index.reconstruct(7) @ data[7]) > 0.8  # PQ-approximate, but it works


@pytest.mark.parametrize("kind", vectors.KINDS)
def test_rows_can_be_reconstructed(built, data, tmp_path, kind):
    """search_api/core/service.py scores a passage by index.reconstruct(row) @ query."""
    path = tmp_path / "index.faiss"
    vectors.save(built[kind], path)
    row = vectors.load(path).reconstruct(123)
    assert float(row @ data[123]) == pytest.approx(1.0, abs=1e-2)
