"""Combining the signals' scores into one ranking.

Weighted fusion (cosine plus BM25 scaled by the question's best BM25 score) cross-validated
better on the development set than reciprocal rank fusion, still selectable with
``KG_FUSION=rrf``. Under either, a lifting signal (the graph, the phrase) only raises passages
the others found. Sums run in signal order, term by term, so a score does not depend on anything but the
signals and their weights.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

from kg.config import Settings

from .signals import Scores, SearchedQuestion, SignalScores
from .snapshot import Snapshot

Fuser = Callable[[Sequence[SignalScores], Mapping[str, float]], Scores]


def fuse(signals: Sequence[SignalScores], weights: Mapping[str, float], fuser: Fuser) -> Scores:
    """One signal's ranking as it stands; several combined by ``fuser``, best first, ties
    broken by row."""
    if len(signals) == 1:
        return dict(signals[0].of)
    fused = fuser(signals, weights)
    return dict(sorted(fused.items(), key=lambda item: (-item[1], item[0])))


def weighted_fusion(signals: Sequence[SignalScores], weights: Mapping[str, float]) -> Scores:
    """Each signal's score times its weight, summed.

    Unlike rank fusion this keeps how far apart the scores are: a passage far ahead on one
    signal stays ahead. A passage a signal did not score counts 0 on it, so a signal that can
    score any passage should have scored every candidate first (``score_every_candidate``).
    """
    fused: Scores = {}
    found = [(s, weights[s.signal.name], s.scale) for s in signals if not s.signal.lifts]
    for row in candidates(signals):
        terms = [weight * s.of.get(row, 0.0) / scale for s, weight, scale in found]
        total = terms[0]
        for term in terms[1:]:
            total += term
        fused[row] = total
    lift(fused, signals, weights)
    return fused


def rank_fusion(signals: Sequence[SignalScores], weights: Mapping[str, float], k: int) -> Scores:
    """Reciprocal rank fusion: each signal adds its weight over ``k`` plus the passage's rank."""
    fused: Scores = {}
    for s in signals:
        if s.signal.lifts:
            continue
        weight = weights[s.signal.name]
        for rank, row in enumerate(s.of, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    lift(fused, signals, weights)
    return fused


def lift(fused: Scores, signals: Sequence[SignalScores], weights: Mapping[str, float]) -> None:
    """Raise the fused passages a lifting signal scored by its weight times that score."""
    for s in signals:
        if not s.signal.lifts:
            continue
        weight = weights[s.signal.name]
        for row, score in s.of.items():
            if row in fused:
                fused[row] += weight * score


def document_lift(fused: Scores, documents: Sequence[str], share: float) -> Scores:
    """Each passage raised by ``share`` times the best score among the fused passages of its
    document (``documents``: each row's document), best first again.

    A document one of whose passages answers the question well is likelier to answer it in
    its other passages too than a document that only brushes it, so a good document's
    neighbouring passages come before another document's stray match. Each document's best
    passage keeps its place among the other documents' best (all scale by ``1 + share``), and
    a document's own passages keep their order.
    """
    best: dict[str, float] = {}
    for row, score in fused.items():
        doc = documents[row]
        if score > best.get(doc, float("-inf")):
            best[doc] = score
    lifted = {row: score + share * best[documents[row]] for row, score in fused.items()}
    return dict(sorted(lifted.items(), key=lambda item: (-item[1], item[0])))


def score_every_candidate(
    snapshot: Snapshot, question: SearchedQuestion, signals: Sequence[SignalScores]
) -> list[SignalScores]:
    """The signals with every passage any of them found scored exactly by each signal that can
    score any passage: a passage only BM25 found gets its real cosine, so weighted fusion does
    not treat it as unrelated in meaning. Rank fusion reads ranks, which such a score lacks."""
    rows = candidates(signals)
    out = []
    for s in signals:
        if s.signal.exact is not None:
            missing = [r for r in rows if r not in s.of]
            s = SignalScores(s.signal, {**s.of, **s.signal.exact(snapshot, question, missing)})
        out.append(s)
    return out


def candidates(signals: Sequence[SignalScores]) -> list[int]:
    """The passages the signals that find passages found, in signal order."""
    return list(dict.fromkeys(row for s in signals if not s.signal.lifts for row in s.of))


def fuser(settings: Settings) -> Fuser:
    """The fuser ``KG_FUSION`` selects."""
    if settings.fusion == "weighted":
        return weighted_fusion
    return partial(rank_fusion, k=settings.rrf_k)


def weights(settings: Settings, signals: Sequence[SignalScores]) -> dict[str, float]:
    return {s.signal.name: s.signal.weight(settings) for s in signals}
