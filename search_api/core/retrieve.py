"""Ranking passages for a question: the signals scored, fused, then near-duplicates dropped.

The question is first spelling corrected; every signal, and every later stage (graph facts,
regime notes, the composed answer), reads the corrected text. Which signals rank is the search
mode (``signals.MODES``); how they combine is ``fusion``. Entities recognised in the question
(a council, a route, "regulation 31") lift the passages that mention them, and those that
mention their closest neighbours in the graph (a route's legal basis, its successor under the
next regime). Passages sharing the question's phrasing (its adjacent word pairs) are lifted too,
and so are the passages of the documents that answer it best (``fusion.document_lift``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from math import fsum

import numpy as np

from kg.config import Settings
from kg.entities import Mention
from kg.text import tokens

from . import fusion
from .signals import ALWAYS, MODES, SIGNALS, Scores, SearchedQuestion, SignalScores
from .snapshot import Snapshot
from .specificity import damping
from .spelling import Correction


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
    score: float  # what the hits are ranked by: the fused score, or the one signal's
    scores: dict[str, float] = field(default_factory=dict)  # each signal that scored the row


@dataclass
class Retrieval:
    hits: list[Hit]
    total: int
    question: str  # the text searched: the question as typed, spelling corrected
    entities: list[str]  # IRIs recognised in the question
    best_dense: float
    query_tokens: list[str]
    coverage: float  # share of the question's idf mass in the top passages (fused and dense)
    vector: np.ndarray  # the searched question's embedding: later stages reuse, never re-encode
    mentions: tuple[Mention, ...] = ()  # the entities as named in the question, found once
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
    """The search pipeline: question, signals, fusion, then near-duplicates and coverage."""

    def __init__(self, settings: Settings, encoder) -> None:
        self.settings = settings
        self.encoder = encoder

    def question(
        self, snapshot: Snapshot, text: str, pool: int, allowed: set[int] | None, clock: Stopwatch
    ) -> SearchedQuestion:
        """The question as the signals search it, spelling corrected."""
        corrections: list[Correction] = []
        if self.settings.spelling:
            text, corrections = snapshot.speller.correct(text)
        mentions = tuple(snapshot.entities.find_in_question(text))
        entity_iris = list(dict.fromkeys(m.iri for m in mentions))
        clock.lap("entities")
        vector = self.encoder.encode_query(text)
        clock.lap("encode")
        return SearchedQuestion(
            text, corrections, tokens(text), entity_iris, vector, pool, allowed, mentions
        )

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
        allowed = allowed_rows(snapshot, filters or Filters())
        asked = self.question(snapshot, question, max(50, (k + offset) * 5), allowed, clock)
        ranking = MODES[mode]
        ran: dict[str, SignalScores] = {}
        for name in dict.fromkeys((ALWAYS, *ranking)):
            signal = SIGNALS[name]
            ran[name] = SignalScores(signal, signal.score(snapshot, asked, self.settings))
            clock.lap(signal.lap)
        closest = ran[ALWAYS].of  # the passages nearest in meaning, as the index found them
        rankers = [ran[name] for name in ranking]
        if len(rankers) > 1 and self.settings.fusion == "weighted":
            rankers = fusion.score_every_candidate(snapshot, asked, rankers)
            ran.update((s.signal.name, s) for s in rankers)
        fused = fusion.fuse(
            rankers, fusion.weights(self.settings, rankers), fusion.fuser(self.settings)
        )
        if len(rankers) > 1 and self.settings.fusion_document_lift:
            fused = fusion.document_lift(
                fused, snapshot.passage_documents, self.settings.fusion_document_lift
            )
        clock.lap("fusion")
        hits = [
            Hit(row, score, {n: s.of[row] for n, s in ran.items() if row in s.of})
            for row, score in fused.items()
        ]
        return self.finish(snapshot, asked, dedupe(snapshot, hits), closest, k, offset, clock)

    def finish(
        self,
        snapshot: Snapshot,
        asked: SearchedQuestion,
        ranked: list[Hit],
        closest: Scores,
        k: int,
        offset: int,
        clock: Stopwatch,
    ) -> Retrieval:
        """The page of hits asked for, and how well the best passages cover the question."""
        nearest = list(closest)[:3]
        return Retrieval(
            hits=ranked[offset : offset + k],
            total=len(ranked),
            question=asked.text,
            entities=asked.entities,
            mentions=asked.mentions,
            best_dense=next(iter(closest.values()), 0.0),
            query_tokens=asked.tokens,
            # Judged on both the fused and the purely semantic top passages: the fused ones
            # alone often share a generic word ("council tax") with an unrelated question.
            coverage=(
                coverage(snapshot, asked.tokens, [h.row for h in ranked[:3]], self.settings)
                + coverage(snapshot, asked.tokens, nearest, self.settings)
            )
            / 2,
            vector=asked.vector,
            corrections=asked.corrections,
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


def word_weight(snapshot: Snapshot, settings: Settings) -> Callable[[str], float]:
    """How much a question word says about what is asked: its corpus idf (a word the corpus
    never uses counts as the rarest), damped when everyday English uses it a lot."""
    rarest = snapshot.rarest_idf

    def weight(t: str) -> float:
        return snapshot.idf.get(t, rarest) * damping(
            t,
            settings.support_common_word,
            settings.support_rare_word,
            settings.support_common_floor,
        )

    return weight


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
    weight = word_weight(snapshot, settings)
    seen = frozenset().union(*(snapshot.passage_tokens[r] for r in rows)) if rows else frozenset()
    total = min(fsum(weight(t) for t in words), settings.support_weight_cap)
    return min(1.0, fsum(weight(t) for t in words if t in seen) / total) if total else 0.0


def dedupe(snapshot: Snapshot, hits: list[Hit]) -> list[Hit]:
    """Near-identical passages (the same paragraph in two captures) are shown once."""
    seen: set[str] = set()
    out = []
    keys = snapshot.dedupe_keys
    for hit in hits:
        key = keys[hit.row]
        if key in seen:
            continue
        seen.add(key)
        out.append(hit)
    return out
