"""Everything the service needs from one build, loaded into memory and never mutated.

A new build is loaded into a new Snapshot beside the old one and swapped in with one reference
assignment, so requests in flight finish on the snapshot they started with.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import bm25s
import faiss
import numpy as np

from kg import build as builds
from kg import vectors
from kg.build import PassageRow
from kg.config import Settings
from kg.entities import EntityIndex, EntityRecord
from kg.similarity import PassageVectors
from kg.store import EmbeddedStore, GraphStore, open_store
from kg.text import index_tokens, word_pairs

from .regime import RegimeIndex
from .spelling import Speller


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One build as served. Its fields are never reassigned: a change to the graph (a SPARQL
    Update) makes a new Snapshot, and the caches below hold only reads of this one's data."""

    build: builds.Build
    passages: list[PassageRow]
    index: faiss.Index
    bm25: bm25s.BM25
    idf: dict[str, float]
    entities: EntityIndex
    store: GraphStore
    regimes: RegimeIndex
    speller: Speller
    graph_path: Path  # the graph query workers load: the build's, or a copy changed by updates
    passage_tokens: list[frozenset[str]] = field(default_factory=list)
    rows_by_id: dict[str, int] = field(default_factory=dict)
    rows_mentioning: dict[str, set[int]] = field(default_factory=dict)
    rows_about: dict[str, set[int]] = field(default_factory=dict)
    rows_with_pair: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    related_cache: dict[str, list[str]] = field(default_factory=dict)
    dump_cache: dict[str, bytes] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)  # graph reads made once per build
    _vectors: dict[str, PassageVectors] = field(default_factory=dict, repr=False)

    @property
    def build_id(self) -> str:
        return self.build.id

    def with_graph(self, store: GraphStore, graph_path: Path) -> Snapshot:
        """This build over a changed graph: what was read from the old graph is read again."""
        return replace(
            self,
            store=store,
            graph_path=graph_path,
            regimes=RegimeIndex.from_store(store),
            related_cache={},
            dump_cache={},
            cache={},
            _vectors={},
        )

    @cached_property
    def dedupe_keys(self) -> list[str]:
        """Each passage's text as near-duplicates share it (case and spacing aside, the first
        300 characters): made once per build, not for every hit of every question."""
        return [" ".join(p.text.lower().split())[:300] for p in self.passages]

    @cached_property
    def document_rows(self) -> dict[str, tuple[int, ...]]:
        """The rows of each document, so a question's subject documents are not found by
        reading every passage."""
        rows: dict[str, list[int]] = {}
        for row, p in enumerate(self.passages):
            rows.setdefault(p.document_id, []).append(row)
        return {document: tuple(found) for document, found in rows.items()}

    @cached_property
    def passage_documents(self) -> list[str]:
        """Each row's document, for lifting a passage by how well its document answers."""
        return [p.document_id for p in self.passages]

    @property
    def triples(self) -> int:
        """How many triples the graph holds, as /health reports it. Counting an embedded graph
        walks all of it, and it never changes under a snapshot (an update makes a new one), so
        it is counted once; a remote store is asked every time, so /health still finds out
        whether it answers."""
        if not isinstance(self.store, EmbeddedStore):
            return len(self.store)
        if "triples" not in self.cache:
            self.cache["triples"] = len(self.store)
        return self.cache["triples"]

    @cached_property
    def rarest_idf(self) -> float:
        """The highest corpus idf: what a word the corpus never uses weighs (read per question
        by coverage and the support decision, so found once)."""
        return max(self.idf.values(), default=1.0)

    @cached_property
    def _embeddings(self) -> np.ndarray | None:
        path = self.build.file(builds.EMBEDDINGS)
        return np.load(path, mmap_mode="r") if path.exists() else None

    def cosines(self, query_vec: np.ndarray, rows: list[int]) -> dict[int, float]:
        """Exact similarity of the question to some passages, read from the build's stored
        embeddings (memory-mapped, so a large build is not loaded for a few rows)."""
        if not rows or self._embeddings is None:
            return {}
        order = sorted(rows)
        scores = np.asarray(self._embeddings[order], dtype=np.float32) @ query_vec.reshape(-1)
        return dict(zip(order, scores.tolist(), strict=True))

    def passage_vectors(self, id_base: str) -> PassageVectors:
        if id_base not in self._vectors:
            self._vectors[id_base] = PassageVectors.from_build(self.build.path, id_base)
        return self._vectors[id_base]


def load_snapshot(build: builds.Build, settings: Settings | None = None) -> Snapshot:
    passages = build.passages()
    index = vectors.load(build.file(builds.VECTORS))
    corpus_tokens = [index_tokens(f"{p.title} {p.heading} {p.text}") for p in passages]
    ranking = settings or Settings()
    bm25 = bm25s.BM25(
        method=ranking.bm25_method, k1=ranking.bm25_k1, b=ranking.bm25_b, delta=ranking.bm25_delta
    )
    if passages:
        bm25.index(corpus_tokens, show_progress=False)
    df = Counter(t for toks in corpus_tokens for t in set(toks))
    n = max(len(passages), 1)
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    records = [EntityRecord(**row) for row in build.entities()]
    mentioning: dict[str, set[int]] = defaultdict(set)
    about: dict[str, set[int]] = defaultdict(set)
    for row, p in enumerate(passages):
        for iri in p.mentions:
            mentioning[iri].add(row)
        for iri in p.doc_entities:
            about[iri].add(row)
    with_pair: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row, toks in enumerate(corpus_tokens):
        for pair in word_pairs(toks):
            with_pair[pair].add(row)
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
            [f"{p.title} {p.heading} {p.text}" for p in passages]
            + [label for r in records for label in [r.label, *r.labels]]
        ),
        graph_path=builds.served_graph(build),
        passage_tokens=[frozenset(t) for t in corpus_tokens],
        rows_by_id={p.id: i for i, p in enumerate(passages)},
        rows_mentioning=dict(mentioning),
        rows_about=dict(about),
        rows_with_pair={pair: frozenset(rows) for pair, rows in with_pair.items()},
    )


def load_current(data_dir: Path, settings: Settings | None = None) -> Snapshot:
    return load_snapshot(builds.open_current(data_dir), settings)
