"""The FAISS index of passage embeddings: written by ingest, searched by the service.

The kind of index is configuration (``KG_VECTOR_INDEX``, see kg/config.py); figures below are
from bench/RESULTS.md ("Vector index at one million passages", synthetic embedding-like data):

- ``flat`` (default): exact inner product, i.e. exact cosine on the normalised embeddings. Right
  for the shipped corpus (a few hundred passages: microseconds a query) and up to ~100k
  passages; at one million it holds 1.5 GB and costs ~60 ms a query.
- ``hnsw``: ``IndexHNSWFlat`` (inner product), a proximity graph over the full vectors: the
  memory of flat plus ~8*M bytes of links a vector (1.7 GB at a million), recall@10 ~0.98 at
  efSearch 128 in well under a millisecond. ``KG_HNSW_M`` and ``KG_HNSW_EF_CONSTRUCTION`` shape
  the graph when it is built (160: minutes per million vectors on 2 cores);
  ``KG_HNSW_EF_SEARCH`` trades recall for latency at query time.
- ``ivfpq``: ``IndexIVFPQ`` (inner product): vectors assigned to ``nlist`` spherical k-means
  cells and compressed to ``m`` codes of ``nbits`` bits, trained on a sample; ``nprobe`` cells are
  scanned a query. PQ codes alone cap recall@10 far below 0.95 on embedding-like data (~0.65 at
  m=48 over a million vectors), so by default the ``k_factor * k`` best candidates are re-ranked
  with 8-bit scalar-quantised copies of the vectors (``KG_IVFPQ_REFINE=sq8``): ~440 bytes a
  vector instead of 1,536, recall@10 ~0.98 at nprobe 16, k_factor 8.

Search parameters (efSearch, nprobe, k_factor) are passed per call as faiss SearchParameters, so
a shared index is never mutated by a request; by default they come from the settings.

``build_index_streaming`` builds from an iterable of batches, so a million vectors never need to
be in memory beside the index: only one batch (and, for IVF-PQ, the training sample taken from
the head of the stream, which must therefore be representative, e.g. shuffled).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from .config import Settings, get_settings

KINDS = ("flat", "hnsw", "ivfpq")

# Build and search parameters of each kind, by the setting that configures each one
# (kg/config.py holds their defaults).
SETTING_OF: dict[str, dict[str, str]] = {
    "flat": {},
    "hnsw": {
        "m": "hnsw_m",
        "ef_construction": "hnsw_ef_construction",
        "ef_search": "hnsw_ef_search",
    },
    "ivfpq": {
        "nlist": "ivf_nlist",  # 0: 2 * sqrt(n), at most one cell per 39 training vectors
        "m": "ivfpq_m",
        "nbits": "ivfpq_nbits",
        "nprobe": "ivf_nprobe",
        "train_size": "ivf_train_size",
        "refine": "ivfpq_refine",  # none | sq8 | flat: how candidates are re-ranked
        "k_factor": "ivfpq_k_factor",
    },
}
IVF_SEED = 1234  # k-means and the training sample are reproducible from build to build


def index_params(settings: Settings, kind: str | None = None) -> dict[str, Any]:
    """The build parameters of ``kind`` (default: the configured one) from a Settings object."""
    kind = kind or settings.vector_index
    return {param: getattr(settings, name) for param, name in SETTING_OF.get(kind, {}).items()}


DEFAULTS: dict[str, dict[str, Any]] = {
    kind: {param: Settings.model_fields[name].default for param, name in names.items()}
    for kind, names in SETTING_OF.items()
}
DEFAULTS["ivfpq"]["seed"] = IVF_SEED


def config(settings) -> dict[str, Any]:
    """``kind`` and build parameters as configured: ``build_index(vectors, **config(settings))``."""
    return {"kind": settings.vector_index, **index_params(settings)}


def _resolve(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown vector index kind {kind!r}: expected one of {', '.join(KINDS)}")
    unknown = set(params) - set(DEFAULTS[kind])
    if unknown:
        raise ValueError(f"{kind} index takes no parameter {', '.join(sorted(unknown))}")
    return DEFAULTS[kind] | params


def _as_f32(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype="float32")


def build_index(vectors: np.ndarray, kind: str = "flat", **params: Any) -> faiss.Index:
    """An index over ``vectors`` (rows normalised, so inner product is cosine)."""
    if kind == "flat" and not params:
        # Exact inner-product search: the shipped corpus is small enough to need nothing coarser.
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype="float32"))
        return index
    sample = None
    if kind == "ivfpq":  # train on a random sample, not the first documents
        size = _resolve(kind, params)["train_size"]
        if len(vectors) > size:
            rng = np.random.default_rng(_resolve(kind, params)["seed"])
            sample = vectors[np.sort(rng.choice(len(vectors), size, replace=False))]
    return build_index_streaming(
        [vectors] if len(vectors) else [],
        kind,
        dim=vectors.shape[1],
        expected=len(vectors),
        sample=sample,
        **params,
    )


def build_index_streaming(
    batches: Iterable[np.ndarray],
    kind: str = "flat",
    *,
    dim: int | None = None,
    expected: int | None = None,
    sample: np.ndarray | None = None,
    **params: Any,
) -> faiss.Index:
    """An index built batch by batch: in memory at once, the index plus one batch.

    ``expected`` (the total number of vectors, if known) sizes IVF-PQ's cells when ``nlist`` is
    0; otherwise the training sample's size stands in for it. IVF-PQ trains on ``sample`` if
    given, else on the first ``train_size`` vectors of the stream (so its head must be
    representative: shuffled, not sorted by document), then adds every vector; a stream too
    short to train it gets an exact flat index instead (an approximate index gains nothing).
    """
    p = _resolve(kind, params)
    stream = iter(batches)
    if kind == "ivfpq":
        return _ivfpq_streaming(stream, p, dim, expected, sample)
    first = next(stream, None)
    if first is None and dim is None:
        raise ValueError("an empty stream needs dim")
    dim = dim or first.shape[1]
    if first is not None:
        stream = _prepend(first, stream)
        del first  # _prepend holds it only until it is added
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, p["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = p["ef_construction"]
        index.hnsw.efSearch = p["ef_search"]
    else:
        index = faiss.IndexFlatIP(dim)
    _reserve(index, expected)
    for batch in stream:
        if len(batch):
            index.add(_as_f32(batch))
        del batch  # before the stream makes the next one
    return index


def _reserve(index: faiss.Index, expected: int | None) -> None:
    """Allocate the index's growing arrays once, for ``expected`` vectors, when it is known.

    faiss appends to std::vectors, which grow by doubling: without this, adding the batch that
    crosses a power of two briefly holds the old array and its copy (~2x the vectors). Resizing
    up then back to 0 keeps the capacity (std::vector never shrinks on resize), so the batches
    are written in place and the peak stays at the index plus one batch.
    """
    if not expected:
        return
    flat = None
    if isinstance(index, faiss.IndexHNSW):
        flat = faiss.downcast_index(index.storage)
        links = index.hnsw.neighbors
        slots = expected * (2 * index.hnsw.nb_neighbors(1) + 2)  # level 0 + the levels above
        links.resize(slots)
        links.resize(0)
    elif isinstance(index, faiss.IndexRefine):
        flat = faiss.downcast_index(index.refine_index)
    elif isinstance(index, faiss.IndexFlatCodes):
        flat = index
    if isinstance(flat, faiss.IndexFlatCodes):
        flat.codes.resize(expected * flat.code_size)
        flat.codes.resize(0)


def _prepend(first: np.ndarray, rest: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    yield first
    del first
    yield from rest


def min_train_size(nbits: int = 8) -> int:
    """Vectors needed to train PQ codebooks of 2**nbits centroids (faiss asks 39 per centroid)."""
    return 39 * 2**nbits


def _ivfpq_streaming(
    stream, p: dict[str, Any], dim: int | None, expected: int | None, sample: np.ndarray | None
):
    pieces: list[np.ndarray] = []
    taken = 0
    if sample is not None and len(sample) >= min_train_size(p["nbits"]):
        train_on = _as_f32(sample)
    else:
        train_on = None
        for batch in stream:
            if len(batch):
                pieces.append(_as_f32(batch))
                taken += len(batch)
                if taken >= p["train_size"]:
                    break
        batch = None
    if not pieces and dim is None:
        if train_on is None:
            raise ValueError("an empty stream needs dim")
        dim = train_on.shape[1]
    dim = dim or pieces[0].shape[1]
    head = np.concatenate(pieces) if pieces else np.zeros((0, dim), dtype="float32")
    del pieces
    if train_on is None and len(head) < min_train_size(p["nbits"]):
        if len(head):
            warnings.warn(
                f"{len(head)} vectors are too few to train IVF-PQ "
                f"(needs {min_train_size(p['nbits'])}): built an exact flat index",
                stacklevel=3,
            )
        index = faiss.IndexFlatIP(dim)
        if len(head):
            index.add(head)
        return index
    if dim % p["m"]:
        raise ValueError(f"IVF-PQ m={p['m']} must divide the dimension {dim}")
    train = head[: p["train_size"]] if train_on is None else train_on
    del train_on
    nlist = p["nlist"] or int(2 * math.sqrt(expected or len(train)))
    nlist = max(1, min(nlist, len(train) // 39))
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFPQ(quantizer, dim, nlist, p["m"], p["nbits"], faiss.METRIC_INNER_PRODUCT)
    ivf.cp.spherical = True  # normalised vectors: cells by cosine, centroids kept unit length
    ivf.cp.seed = p["seed"]
    ivf.nprobe = p["nprobe"]
    if p["refine"] == "none":
        index = ivf
    else:
        if p["refine"] == "sq8":
            ref = faiss.IndexScalarQuantizer(
                dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
        elif p["refine"] == "flat":
            ref = faiss.IndexFlatIP(dim)
        else:
            raise ValueError(f"unknown refine {p['refine']!r}: expected none, sq8 or flat")
        index = faiss.IndexRefine(ivf, ref)
        index.k_factor = p["k_factor"]
    index.train(train)
    del train
    _reserve(index, expected)
    if len(head):
        index.add(head)
    del head
    for batch in stream:
        if len(batch):
            index.add(_as_f32(batch))
        del batch
    if index is ivf:
        ivf.make_direct_map()  # reconstruct(row), which the service uses, needs it (8 B a row)
    return index


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def kind_of(index: faiss.Index) -> str:
    if isinstance(index, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(index, faiss.IndexRefine | faiss.IndexIVF):
        return "ivfpq"
    return "flat"


def search_params(
    index: faiss.Index,
    ef_search: int | None = None,
    nprobe: int | None = None,
    k_factor: int | None = None,
) -> faiss.SearchParameters | None:
    """Per-query parameters for an approximate index (None for flat), defaults from settings."""
    kind = kind_of(index)
    if kind == "flat":
        return None
    settings = get_settings()
    if kind == "hnsw":
        return faiss.SearchParametersHNSW(efSearch=ef_search or settings.hnsw_ef_search)
    ivf = faiss.SearchParametersIVF(nprobe=nprobe or settings.ivf_nprobe)
    if not isinstance(index, faiss.IndexRefine):
        return ivf
    params = faiss.IndexRefineSearchParameters(
        k_factor=k_factor or settings.ivfpq_k_factor, base_index_params=ivf
    )
    params.ivf = ivf  # keep the base parameters alive as long as the refine parameters
    return params


def search(
    index: faiss.Index,
    query: np.ndarray,
    k: int,
    *,
    ef_search: int | None = None,
    nprobe: int | None = None,
    k_factor: int | None = None,
) -> list[tuple[int, float]]:
    """(row, cosine) pairs, best first (approximate indexes may return fewer than k)."""
    if index.ntotal == 0:
        return []
    k = min(k, index.ntotal)
    x = np.asarray(query, dtype="float32").reshape(1, -1)
    params = search_params(index, ef_search, nprobe, k_factor)
    if params is None:
        scores, rows = index.search(x, k)
    else:
        scores, rows = index.search(x, k, params=params)
    return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
