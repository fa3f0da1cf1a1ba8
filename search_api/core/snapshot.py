"""Everything the service needs from one build, loaded into memory and never mutated.

A new build is loaded into a new Snapshot beside the old one and swapped in with one reference
assignment, so requests in flight finish on the snapshot they started with.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import faiss
import numpy as np

from kg import build as builds
from kg import vectors
from kg.config import Settings
from kg.entities import EntityIndex, EntityRecord
from kg.remote import RemoteStore
from kg.similarity import PassageVectors
from kg.store import EmbeddedStore, GraphStore
from kg.text import tokens

from .regime import RegimeIndex
from .spelling import Speller


@dataclass
class Snapshot:
    build: builds.Build
    passages: list[dict]
    index: faiss.Index
    bm25: bm25s.BM25
    idf: dict[str, float]
    entities: EntityIndex
    store: GraphStore
    regimes: RegimeIndex
    speller: Speller
    passage_tokens: list[frozenset[str]] = field(default_factory=list)
    rows_by_id: dict[str, int] = field(default_factory=dict)
    rows_mentioning: dict[str, set[int]] = field(default_factory=dict)
    rows_about: dict[str, set[int]] = field(default_factory=dict)
    related_cache: dict[str, list[str]] = field(default_factory=dict)
    dump_cache: dict[str, bytes] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)  # graph reads made once per build
    _passage_vectors: PassageVectors | None = None
    _embeddings: np.ndarray | None = None
    _graph_path: Path | None = None

    @property
    def build_id(self) -> str:
        return self.build.id

    @property
    def graph_path(self) -> Path:
        """The graph query workers load: the build's, or its updated copy after an update."""
        return self._graph_path or self.build.file(builds.GRAPH)

    def cosines(self, query_vec: np.ndarray, rows: list[int]) -> dict[int, float]:
        """Exact similarity of the question to some passages, read from the build's stored
        embeddings (memory-mapped, so a large build is not loaded for a few rows)."""
        if not rows:
            return {}
        if self._embeddings is None:
            path = self.build.file(builds.EMBEDDINGS)
            if not path.exists():
                return {}
            self._embeddings = np.load(path, mmap_mode="r")
        order = sorted(rows)
        scores = np.asarray(self._embeddings[order], dtype=np.float32) @ query_vec.reshape(-1)
        return dict(zip(order, scores.tolist(), strict=True))

    def passage_vectors(self, id_base: str) -> PassageVectors:
        if self._passage_vectors is None:
            self._passage_vectors = PassageVectors.from_build(self.build.path, id_base)
        return self._passage_vectors


def open_store(build: builds.Build, settings: Settings | None) -> GraphStore:
    """The graph of this build: the named graph its manifest names on the remote store when
    one is configured, else the build's own file in an embedded store."""
    graph = build.manifest.get("graph")
    if settings is not None and settings.graph_store and graph:
        return RemoteStore(settings.remote_endpoints(), graph, settings.sparql_timeout_s)
    return EmbeddedStore.from_file(build.file(builds.GRAPH))


def load_snapshot(build: builds.Build, settings: Settings | None = None) -> Snapshot:
    passages = build.passages()
    index = vectors.load(build.file(builds.VECTORS))
    corpus_tokens = [tokens(f"{p['title']} {p['heading']} {p['text']}") for p in passages]
    bm25 = bm25s.BM25()
    if passages:
        bm25.index(corpus_tokens, show_progress=False)
    df = Counter(t for toks in corpus_tokens for t in set(toks))
    n = max(len(passages), 1)
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    records = [EntityRecord(**row) for row in build.entities()]
    mentioning: dict[str, set[int]] = defaultdict(set)
    about: dict[str, set[int]] = defaultdict(set)
    for row, p in enumerate(passages):
        for iri in p.get("mentions", []):
            mentioning[iri].add(row)
        for iri in p.get("doc_entities", []):
            about[iri].add(row)
    store = open_store(build, settings)
    return Snapshot(
        build=build,
        passages=passages,
        index=index,
        bm25=bm25,
        idf=idf,
        entities=EntityIndex(records),
        store=store,
        regimes=RegimeIndex.from_store(store),
        speller=Speller(
            [f"{p['title']} {p['heading']} {p['text']}" for p in passages]
            + [label for r in records for label in [r.label, *r.labels]]
        ),
        passage_tokens=[frozenset(t) for t in corpus_tokens],
        rows_by_id={p["id"]: i for i, p in enumerate(passages)},
        rows_mentioning=dict(mentioning),
        rows_about=dict(about),
    )


def load_current(data_dir: Path, settings: Settings | None = None) -> Snapshot:
    return load_snapshot(builds.open_current(data_dir), settings)
