"""Ranking passages for a question: BM25, dense (FAISS) and graph expansion, fused.

The two scores are added with weights (cosine, plus BM25 scaled by the question's best BM25
score), which cross-validated better on the development set than reciprocal rank fusion, still
selectable with ``KG_FUSION=rrf``. Entities recognised in the question (a council, a route,
"regulation 31") then lift the passages that mention them, and those that mention their closest
neighbours in the graph (a route's legal basis, its successor under the next regime).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from kg import vectors
from kg.config import Settings
from kg.sparql import select_rows
from kg.text import tokens

from .snapshot import Snapshot
from .specificity import damping
from .spelling import Correction

MODES = ("hybrid", "dense", "bm25")


@dataclass
class Filters:
    kind: list[str] = field(default_factory=list)
    council: list[str] = field(default_factory=list)
    route: list[str] = field(default_factory=list)
    regime: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.kind or self.council or self.route or self.regime)


@dataclass
class Hit:
    row: int
    score: float
    dense: float = 0.0
    bm25: float = 0.0
    graph: float = 0.0


@dataclass
class Retrieval:
    hits: list[Hit]
    total: int
    entities: list[str]  # IRIs recognised in the question
    best_dense: float
    query_tokens: list[str]
    coverage: float  # share of the question's idf mass in the top passages (fused and dense)
    corrections: list[Correction] = field(default_factory=list)  # misspellings searched as
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage


def _matches(value: str, wanted: list[str]) -> bool:
    return any(value == w or value.endswith("/" + w) for w in wanted)


def allowed_rows(snapshot: Snapshot, filters: Filters) -> set[int] | None:
    if filters.empty():
        return None
    rows = set()
    for i, p in enumerate(snapshot.passages):
        if filters.kind and p.kind not in filters.kind:
            continue
        if filters.council and not any(
            _matches(c, filters.council) for c in p.council + p.mentions if "/council/" in c
        ):
            continue
        if filters.route and not any(
            _matches(r, filters.route) for r in p.routes + p.mentions if "/route/" in r
        ):
            continue
        if filters.regime and not (
            p.regime in filters.regime
            or any(_matches(e, filters.regime) for e in p.doc_entities if "/regime/" in e)
        ):
            continue
        rows.add(i)
    return rows


class Retriever:
    def __init__(self, settings: Settings, encoder) -> None:
        self.settings = settings
        self.encoder = encoder

    def dense(
        self, snapshot: Snapshot, query_vec: np.ndarray, n: int, allowed: set[int] | None
    ) -> list[tuple[int, float]]:
        pool = n
        if allowed is not None:
            # A filter keeps only some rows: search deep enough to find n of them. An exact
            # index over a corpus this size can rank every row; an approximate one over millions
            # gets a bounded candidate pool instead.
            exact = snapshot.index.ntotal <= 100_000
            pool = snapshot.index.ntotal if exact else min(snapshot.index.ntotal, max(n * 50, 5000))
        hits = vectors.search(snapshot.index, query_vec, pool)
        return [(r, s) for r, s in hits if allowed is None or r in allowed][:n]

    def bm25(
        self, snapshot: Snapshot, query_tokens: list[str], n: int, allowed: set[int] | None
    ) -> list[tuple[int, float]]:
        known = [t for t in query_tokens if t in snapshot.idf]
        if not known or not snapshot.passages:
            return []
        total = len(snapshot.passages)
        rows, scores = snapshot.bm25.retrieve([known], k=total, show_progress=False)
        out = [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
        return [(r, s) for r, s in out if allowed is None or r in allowed][:n]

    def rrf(
        self, dense: list[tuple[int, float]], lexical: list[tuple[int, float]]
    ) -> dict[int, float]:
        s = self.settings
        fused: dict[int, float] = {}
        for weight, ranking in ((s.dense_weight, dense), (s.bm25_weight, lexical)):
            for rank, (row, _) in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + weight / (s.rrf_k + rank)
        return fused

    def weighted(
        self,
        snapshot: Snapshot,
        query_vec: np.ndarray,
        dense_of: dict[int, float],
        bm25_of: dict[int, float],
    ) -> dict[int, float]:
        """Cosine plus BM25 scaled by the question's best BM25 score.

        Unlike rank fusion this keeps how far apart the scores are: a passage far ahead on
        one signal stays ahead. A passage only BM25 found gets its exact cosine (filled into
        ``dense_of``), so it is not treated as unrelated in meaning.
        """
        share = self.settings.fusion_dense_share
        best = max(bm25_of.values(), default=1.0)
        rows = list(dict.fromkeys([*dense_of, *bm25_of]))
        dense_of.update(snapshot.cosines(query_vec, [r for r in bm25_of if r not in dense_of]))
        return {
            r: share * dense_of.get(r, 0.0) + (1 - share) * bm25_of.get(r, 0.0) / best for r in rows
        }

    def expansion(self, snapshot: Snapshot, entity_iris: list[str]) -> list[str]:
        """Words of the preferred labels of the entities a question names ("reg 32" also
        searches for "negotiated procedure without prior publication")."""
        if not self.settings.expand_entities:
            return []
        words: list[str] = []
        for iri in entity_iris:
            record = snapshot.entities.records.get(iri)
            if record is not None:
                words += tokens(record.label)
        return words

    def graph_weights(self, snapshot: Snapshot, entity_iris: list[str]) -> dict[int, float]:
        """Rows lifted by the question's entities: mention 1.0, document about 0.5, related 0.3."""
        weights: dict[int, float] = {}

        def lift(rows, w):
            for r in rows:
                weights[r] = max(weights.get(r, 0.0), w)

        for iri in entity_iris:
            lift(snapshot.rows_about.get(iri, ()), 0.5)
            lift(snapshot.rows_mentioning.get(iri, ()), 1.0)
            for other in related_entities(snapshot, iri):
                lift(snapshot.rows_mentioning.get(other, ()), 0.3)
        return weights

    def search(
        self,
        snapshot: Snapshot,
        question: str,
        k: int,
        mode: str = "hybrid",
        filters: Filters | None = None,
        offset: int = 0,
    ) -> Retrieval:
        clock = Stopwatch()
        filters = filters or Filters()
        allowed = allowed_rows(snapshot, filters)
        corrections: list[Correction] = []
        if self.settings.spelling:
            question, corrections = snapshot.speller.correct(question)
        q_tokens = tokens(question)
        entity_iris = [m.iri for m in snapshot.entities.find_in_question(question)]
        entity_iris = list(dict.fromkeys(entity_iris))
        pool = max(50, (k + offset) * 5)
        clock.lap("entities")
        query_vec = self.encoder.encode_query(question)
        clock.lap("encode")
        dense = self.dense(snapshot, query_vec, pool, allowed)
        best_dense = dense[0][1] if dense else 0.0
        clock.lap("faiss")
        lexical = (
            self.bm25(snapshot, q_tokens + self.expansion(snapshot, entity_iris), pool, allowed)
            if mode != "dense"
            else []
        )
        clock.lap("bm25")
        dense_of = dict(dense)
        bm25_of = dict(lexical)

        if mode == "dense":
            ranked = [Hit(r, s, dense=s) for r, s in dense]
        elif mode == "bm25":
            ranked = [Hit(r, s, bm25=s, dense=dense_of.get(r, 0.0)) for r, s in lexical]
        else:
            s = self.settings
            if s.fusion == "weighted":
                fused = self.weighted(snapshot, query_vec, dense_of, bm25_of)
                lift = s.fusion_graph_lift
            else:
                fused = self.rrf(dense, lexical)
                lift = s.graph_boost / (s.rrf_k + 1)
            clock.lap("fusion")
            graph = self.graph_weights(snapshot, entity_iris)
            clock.lap("graph")
            for row, w in graph.items():
                if row in fused:
                    fused[row] += lift * w
            ranked = [
                Hit(
                    r,
                    sc,
                    dense=dense_of.get(r, 0.0),
                    bm25=bm25_of.get(r, 0.0),
                    graph=graph.get(r, 0.0),
                )
                for r, sc in fused.items()
            ]
            ranked.sort(key=lambda h: (-h.score, h.row))
        ranked = dedupe(snapshot, ranked)
        return Retrieval(
            hits=ranked[offset : offset + k],
            total=len(ranked),
            entities=entity_iris,
            best_dense=best_dense,
            query_tokens=q_tokens,
            # Judged on both the fused and the purely semantic top passages: the fused ones
            # alone often share a generic word ("council tax") with an unrelated question.
            coverage=(
                coverage(snapshot, q_tokens, [h.row for h in ranked[:3]], self.settings)
                + coverage(snapshot, q_tokens, [r for r, _ in dense[:3]], self.settings)
            )
            / 2,
            corrections=corrections,
            timings=clock.stop("rank"),
        )


class Stopwatch:
    """Milliseconds spent in each stage, for the latency breakdown in bench/RESULTS.md."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + (now - self._last) * 1000
        self._last = now

    def stop(self, name: str) -> dict[str, float]:
        """The last lap, then every lap."""
        self.lap(name)
        return self.laps


def coverage(
    snapshot: Snapshot, query_tokens: list[str], rows: list[int], settings: Settings
) -> float:
    """How much of what the question asks about the best passages actually talk about.

    Words are weighted by idf, and a word the corpus never uses counts as the rarest: a question
    about pizza or potholes shares "council" with the corpus but not its specific word. Words
    everyday English uses a lot are damped, so "actually" or "right" does not decide it.
    A long question needs only ``support_weight_cap`` of its weight covered.
    """
    words = set(query_tokens)
    if not words:
        return 0.0
    rarest = max(snapshot.idf.values(), default=1.0)

    def weight(t: str) -> float:
        return snapshot.idf.get(t, rarest) * damping(
            t,
            settings.support_common_word,
            settings.support_rare_word,
            settings.support_common_floor,
        )

    seen = frozenset().union(*(snapshot.passage_tokens[r] for r in rows)) if rows else frozenset()
    total = min(sum(weight(t) for t in words), settings.support_weight_cap)
    return min(1.0, sum(weight(t) for t in words if t in seen) / total) if total else 0.0


def dedupe(snapshot: Snapshot, hits: list[Hit]) -> list[Hit]:
    """Near-identical passages (the same paragraph in two captures) are shown once."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        key = " ".join(snapshot.passages[hit.row].text.lower().split())[:300]
        if key in seen:
            continue
        seen.add(key)
        out.append(hit)
    return out


def related_entities(snapshot: Snapshot, iri: str) -> list[str]:
    """A route's legal basis and successor, a council's upper tier (and the reverse), cached."""
    cached = snapshot.related_cache.get(iri)
    if cached is None:
        query = f"""
            SELECT DISTINCT ?o WHERE {{
              {{ <{iri}> p2p:legalBasis|p2p:replacedBy|p2p:upperTier ?o }}
              UNION {{ ?o p2p:legalBasis|p2p:replacedBy|p2p:upperTier <{iri}> }}
              FILTER(isIRI(?o))
            }}"""
        cached = [row["o"] for row in select_rows(snapshot.store, query)]
        snapshot.related_cache[iri] = cached
    return cached
