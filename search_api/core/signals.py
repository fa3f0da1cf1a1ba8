"""The retrieval signals: each scores passage rows for a question, best first.

A signal is one function from the snapshot and the question as searched to scores per passage
row, plus one entry in ``SIGNALS`` saying how fusion treats it: its weight under the fusion the
settings select, whether it only lifts passages other signals found, whether its scores are read
relative to the question's best, and whether it can score any passage on demand. A search mode
is the signals that rank (``MODES``); the hybrid mode ranks by every signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from bm25s import selection as bm25_selection

from kg import vectors
from kg.config import Settings
from kg.entities import Mention
from kg.sparql import select_rows
from kg.text import tokens, word_pairs

from .snapshot import Snapshot
from .spelling import Correction

Scores = dict[int, float]  # passage row -> score, best first


@dataclass(frozen=True)
class SearchedQuestion:
    """The question as every signal searches it: spelling corrected, with its words, the
    entities it names, its embedding, and how many rows of which each signal may return."""

    text: str
    corrections: list[Correction]
    tokens: list[str]
    entities: list[str]  # IRIs recognised in the question
    vector: np.ndarray
    pool: int
    allowed: set[int] | None  # the rows the filters keep; None keeps every row
    mentions: tuple[Mention, ...] = ()  # where the entities are named, for later stages


@dataclass(frozen=True)
class Signal:
    """One way of scoring passages, and how fusion reads its scores."""

    name: str  # its key in a hit's scores
    score: Callable[[Snapshot, SearchedQuestion, Settings], Scores]
    weight: Callable[[Settings], float]  # under the fusion the settings select
    stage: str = ""  # its name in the timings, when not its own
    lifts: bool = False  # only raises passages other signals found
    relative: bool = False  # divided by the question's best score (its scale is unbounded)
    exact: Callable[[Snapshot, SearchedQuestion, list[int]], Scores] | None = None  # any row

    @property
    def lap(self) -> str:
        return self.stage or self.name


@dataclass
class SignalScores:
    """What one signal scored for one question."""

    signal: Signal
    of: Scores

    @property
    def scale(self) -> float:
        """What weighted fusion divides a score by, to set it beside a cosine."""
        return max(self.of.values(), default=1.0) if self.signal.relative else 1.0


def dense_scores(snapshot: Snapshot, question: SearchedQuestion, settings: Settings) -> Scores:
    """Cosine of the question's embedding to the closest passages (FAISS)."""
    pool = question.pool
    allowed = question.allowed
    if allowed is not None:
        # A filter keeps only some rows: search deep enough to find n of them. An exact
        # index over a corpus this size can rank every row; an approximate one over millions
        # gets a bounded candidate pool instead.
        exact = snapshot.index.ntotal <= 100_000
        pool = snapshot.index.ntotal if exact else min(snapshot.index.ntotal, max(pool * 50, 5000))
    hits = vectors.search(snapshot.index, question.vector, pool)
    return dict([(r, s) for r, s in hits if allowed is None or r in allowed][: question.pool])


def dense_cosines(snapshot: Snapshot, question: SearchedQuestion, rows: list[int]) -> Scores:
    """The exact cosine of passages the index search did not return."""
    return snapshot.cosines(question.vector, rows)


def bm25_scores(snapshot: Snapshot, question: SearchedQuestion, settings: Settings) -> Scores:
    """BM25 over the question's words, and the labels of the entities it names when
    ``expand_entities`` is on ("reg 32" also searches for "negotiated procedure without prior
    publication")."""
    words = question.tokens + expansion(snapshot, question.entities, settings)
    known = [t for t in words if t in snapshot.idf]
    if not known or not snapshot.passages:
        return {}
    # Every passage ranked by bm25s's own selection, as its ``retrieve`` does for one query,
    # without the per-call progress bar and batching ``retrieve`` sets up; the passages with
    # no matching word dropped before leaving numpy.
    scores, rows = bm25_selection.topk(
        snapshot.bm25.get_scores(known), len(snapshot.passages), sorted=True
    )
    matched = scores > 0
    out = zip(rows[matched].tolist(), scores[matched].tolist(), strict=True)
    allowed = question.allowed
    return dict([(r, s) for r, s in out if allowed is None or r in allowed][: question.pool])


def phrase_scores(snapshot: Snapshot, question: SearchedQuestion, settings: Settings) -> Scores:
    """The share of the question's adjacent word pairs each passage has adjacent too.

    BM25 counts words wherever they stand, so a passage saying "social value" and one using
    "social" and "value" apart score alike; a question asked in a passage's own phrasing
    ("payment by results", "light touch regime") should find that passage first. A question
    of one word has no pair and lifts nothing.
    """
    pairs = word_pairs(question.tokens)
    if not pairs:
        return {}
    counts: dict[int, int] = {}
    for pair in pairs:
        for row in snapshot.rows_with_pair.get(pair, ()):
            counts[row] = counts.get(row, 0) + 1
    allowed = question.allowed
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {r: n / len(pairs) for r, n in ranked if allowed is None or r in allowed}


def expansion(snapshot: Snapshot, entity_iris: list[str], settings: Settings) -> list[str]:
    """Words of the preferred labels of the entities a question names."""
    if not settings.expand_entities:
        return []
    words: list[str] = []
    for iri in entity_iris:
        record = snapshot.entities.records.get(iri)
        if record is not None:
            words += tokens(record.label)
    return words


def graph_lift(snapshot: Snapshot, question: SearchedQuestion, settings: Settings) -> Scores:
    """Rows lifted by the question's entities: mention 1.0, document about
    ``graph_about_lift``, mention of a closest neighbour in the graph (a route's legal basis,
    its successor) ``graph_related_lift``."""
    weights: Scores = {}

    def lift(rows, w):
        for r in rows:
            weights[r] = max(weights.get(r, 0.0), w)

    for iri in question.entities:
        lift(snapshot.rows_about.get(iri, ()), settings.graph_about_lift)
        lift(snapshot.rows_mentioning.get(iri, ()), 1.0)
        for other in related_entities(snapshot, iri):
            lift(snapshot.rows_mentioning.get(other, ()), settings.graph_related_lift)
    return weights


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


def _weighted(settings: Settings) -> bool:
    return settings.fusion == "weighted"


SIGNALS: dict[str, Signal] = {
    s.name: s
    for s in (
        Signal(
            "dense",
            dense_scores,
            weight=lambda s: s.fusion_dense_share if _weighted(s) else s.dense_weight,
            stage="faiss",
            exact=dense_cosines,
        ),
        Signal(
            "bm25",
            bm25_scores,
            weight=lambda s: 1 - s.fusion_dense_share if _weighted(s) else s.bm25_weight,
            relative=True,
        ),
        Signal(
            "graph",
            graph_lift,
            # Rank fusion adds a first rank's share of graph_boost for a full lift.
            weight=lambda s: s.fusion_graph_lift if _weighted(s) else s.graph_boost / (s.rrf_k + 1),
            lifts=True,
        ),
        Signal(
            "phrase",
            phrase_scores,
            weight=lambda s: (
                s.fusion_phrase_lift if _weighted(s) else s.phrase_boost / (s.rrf_k + 1)
            ),
            lifts=True,
        ),
    )
}

# The signals each mode ranks by. The dense search runs in every mode all the same: how close
# the closest passage is decides whether the corpus covers the question.
MODES: dict[str, tuple[str, ...]] = {
    "hybrid": tuple(SIGNALS),
    "dense": ("dense",),
    "bm25": ("bm25",),
}
ALWAYS = "dense"
