"""Fusion combines the signals' scores with the arithmetic the development set was tuned on."""

from dataclasses import replace

from search_api.core.fusion import (
    document_lift,
    fuse,
    rank_fusion,
    score_every_candidate,
    weighted_fusion,
)
from search_api.core.signals import SIGNALS, SignalScores

DENSE, BM25, GRAPH = SIGNALS["dense"], SIGNALS["bm25"], SIGNALS["graph"]


def _signals() -> list[SignalScores]:
    return [
        SignalScores(DENSE, {1: 0.8, 2: 0.5, 5: 0.1}),
        SignalScores(BM25, {2: 4.0, 3: 2.0}),
        SignalScores(GRAPH, {3: 1.0, 4: 0.5}),
    ]


def test_weighted_fusion_adds_cosine_and_bm25_over_the_best_then_lifts_found_passages():
    weights = {"dense": 0.5, "bm25": 1 - 0.5, "graph": 0.1}
    fused = fuse(_signals(), weights, weighted_fusion)
    expected = {
        1: 0.5 * 0.8 + (1 - 0.5) * 0.0 / 4.0,
        2: 0.5 * 0.5 + (1 - 0.5) * 4.0 / 4.0,
        3: 0.5 * 0.0 + (1 - 0.5) * 2.0 / 4.0 + 0.1 * 1.0,
        5: 0.5 * 0.1 + (1 - 0.5) * 0.0 / 4.0,
    }
    assert fused == expected
    assert list(fused) == [2, 1, 3, 5]  # best first; row 4, only lifted, is no candidate


def test_rank_fusion_adds_each_signals_weight_over_k_plus_rank():
    weights = {"dense": 0.7, "bm25": 1.0, "graph": 0.3 / 11}
    fused = fuse(_signals(), weights, lambda s, w: rank_fusion(s, w, k=10))
    assert fused[2] == 0.0 + 0.7 / 12 + 1.0 / 11
    assert fused[3] == 0.0 + 1.0 / 12 + 0.3 / 11 * 1.0
    assert fused[5] == 0.0 + 0.7 / 13
    assert 4 not in fused


def test_ties_are_broken_by_row_and_a_single_signal_keeps_its_own_order():
    tied = [SignalScores(DENSE, {7: 0.5, 3: 0.5}), SignalScores(BM25, {})]
    assert list(fuse(tied, {"dense": 1.0, "bm25": 0.0}, weighted_fusion)) == [3, 7]
    alone = [SignalScores(DENSE, {7: 0.5, 3: 0.5})]
    assert list(fuse(alone, {"dense": 1.0}, weighted_fusion)) == [7, 3]


def test_a_passage_one_signal_missed_gets_its_exact_score_from_a_signal_that_can_give_one():
    asked: list[int] = []

    def cosines(snapshot, question, rows):
        asked.extend(rows)
        return {r: 0.25 for r in rows}

    dense = SignalScores(replace(DENSE, exact=cosines), {1: 0.8})
    completed = score_every_candidate(None, None, [dense, SignalScores(BM25, {1: 3.0, 2: 1.0})])
    assert asked == [2]
    assert completed[0].of == {1: 0.8, 2: 0.25}
    assert dense.of == {1: 0.8}  # the signal's own scores stay as it found them


def test_document_lift_brings_a_good_documents_passages_before_a_stray_match():
    documents = ["a", "a", "b", "a", "b"]
    fused = {0: 0.9, 2: 0.7, 1: 0.65, 4: 0.3, 3: 0.2}
    lifted = document_lift(fused, documents, 0.3)
    assert lifted == {
        0: 0.9 + 0.3 * 0.9,
        1: 0.65 + 0.3 * 0.9,
        2: 0.7 + 0.3 * 0.7,
        4: 0.3 + 0.3 * 0.7,
        3: 0.2 + 0.3 * 0.9,
    }
    assert list(lifted) == [0, 1, 2, 4, 3]  # document a's second passage now before b's best
    assert list(document_lift(fused, documents, 0.0)) == list(fused)


def test_document_lift_keeps_the_order_of_the_documents_best_and_within_each_document():
    documents = [f"d{row % 7}" for row in range(60)]
    fused = {row: ((row * 37) % 101) / 100 for row in range(60)}
    for share in (0.1, 0.2, 0.5, 1.0):
        lifted = list(document_lift(fused, documents, share))
        before = list(dict(sorted(fused.items(), key=lambda item: (-item[1], item[0]))))
        for doc in set(documents):
            assert [r for r in lifted if documents[r] == doc] == [
                r for r in before if documents[r] == doc
            ]
        firsts = list(dict.fromkeys(documents[r] for r in before))
        assert list(dict.fromkeys(documents[r] for r in lifted)) == firsts
