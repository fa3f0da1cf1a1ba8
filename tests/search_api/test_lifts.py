"""The lifts of hybrid search over the real build of the shipped corpus: a passage sharing the
question's adjacent word pairs is lifted by the share of them it has (the phrase signal), and,
when switched on, a passage by the best score of its document (the document lift)."""

from kg.text import tokens, word_pairs
from search_api.core.fusion import fuse, weighted_fusion
from search_api.core.retrieve import Filters, Stopwatch, allowed_rows
from search_api.core.service import Query
from search_api.core.signals import SIGNALS, SignalScores, phrase_scores


def test_word_pairs_are_neighbours_once_stop_words_are_dropped_in_their_order():
    assert word_pairs(tokens("payment by results")) == {("payment", "result")}
    assert word_pairs(tokens("results of the payment")) == {("result", "payment")}
    assert word_pairs(tokens("social value act")) == {("social", "valu"), ("valu", "act")}
    assert word_pairs(tokens("commissioning")) == set()
    assert word_pairs([]) == set()


def _asked(service, text, allowed=None):
    snap = service.snapshot()
    return snap, service.retriever.question(snap, text, 50, allowed, Stopwatch())


def _brute_force(snap, question_tokens):
    """The share of the question's pairs each passage has, read from its own text."""
    pairs = word_pairs(question_tokens)
    out = {}
    for row, p in enumerate(snap.passages):
        have = word_pairs(tokens(f"{p.title} {p.heading} {p.text}"))
        if pairs & have:
            out[row] = len(pairs & have) / len(pairs)
    return out


def test_each_passage_scores_the_share_of_the_question_pairs_its_text_has(service):
    for text in (
        "what is the light touch regime threshold for social care contracts",
        "payment by results contracts with a voluntary organisation",
        "results payment",  # the pair reversed: another phrase
    ):
        snap, asked = _asked(service, text)
        scores = phrase_scores(snap, asked, service.settings)
        assert scores == _brute_force(snap, asked.tokens), text
        assert all(0 < s <= 1 for s in scores.values())
        assert list(scores.values()) == sorted(scores.values(), reverse=True)


def test_a_passage_in_the_question_own_words_scores_one_and_one_word_lifts_nothing(service):
    snap = service.snapshot()
    p = next(p for p in snap.passages if len(tokens(p.heading)) >= 3)
    _, asked = _asked(service, p.heading)  # a heading asked as it is written
    scores = phrase_scores(snap, asked, service.settings)
    assert scores[snap.rows_by_id[p.id]] == 1.0
    _, one = _asked(service, "alliances")
    assert phrase_scores(snap, one, service.settings) == {}


def test_the_phrase_signal_keeps_to_the_rows_a_filter_allows(service):
    snap = service.snapshot()
    allowed = allowed_rows(snap, Filters(kind=["case_study"]))
    assert allowed
    text = "payment by results contracts with a voluntary organisation"
    _, everywhere = _asked(service, text)
    _, filtered = _asked(service, text, allowed)
    unfiltered = phrase_scores(snap, everywhere, service.settings)
    kept = phrase_scores(snap, filtered, service.settings)
    assert kept == {r: s for r, s in unfiltered.items() if r in allowed}


def test_the_phrase_lift_raises_only_passages_the_other_signals_found():
    phrase = SIGNALS["phrase"]
    signals = [
        SignalScores(SIGNALS["dense"], {1: 0.6, 2: 0.5}),
        SignalScores(SIGNALS["bm25"], {2: 3.0}),
        SignalScores(phrase, {2: 0.5, 9: 1.0}),
    ]
    fused = fuse(signals, {"dense": 0.55, "bm25": 0.45, "phrase": 0.1}, weighted_fusion)
    assert fused == {2: 0.55 * 0.5 + 0.45 * 1.0 + 0.1 * 0.5, 1: 0.55 * 0.6}
    assert phrase.lifts


def test_hybrid_search_adds_the_phrase_lift_to_each_hit_and_reports_its_score(service):
    text = "what is the light touch regime threshold for social care contracts"
    lifted = service.search(Query(text, 20, "hybrid"))["results"]
    unlifted = search_with(service, Query(text, 50, "hybrid"), fusion_phrase_lift=0.0)
    before = {r["passage_id"]: r["score"] for r in unlifted}
    lift = service.settings.fusion_phrase_lift
    assert lift > 0
    assert any(r["scores"]["phrase"] > 0 for r in lifted)
    for r in lifted:
        assert abs(r["score"] - (before[r["passage_id"]] + lift * r["scores"]["phrase"])) < 1e-5


def search_with(service, query: Query, **changes) -> list[dict]:
    """The results of ``query`` searched under the service's settings with ``changes``."""
    retriever = service.retriever
    settings = retriever.settings.model_copy(update=changes)
    try:
        service.retriever = type(retriever)(settings, retriever.encoder)
        return service.search(query)["results"]
    finally:
        service.retriever = retriever


def test_modes_without_fusion_do_not_run_the_phrase_signal(service):
    for mode in ("dense", "bm25"):
        results = service.search(Query("payment by results", 5, mode))["results"]
        assert all(r["scores"]["phrase"] == 0.0 for r in results), mode


def test_the_document_lift_adds_a_share_of_the_best_score_of_each_hits_document(service):
    """Off by default (bench/RESULTS.md); switched on, search applies it to the fused scores."""
    text = "how did plymouth set up its alliance and what did it cost"
    plain = service.search(Query(text, 50, "hybrid"))["results"]
    lifted = search_with(service, Query(text, 50, "hybrid"), fusion_document_lift=0.3)
    before = {r["passage_id"]: r["score"] for r in plain}
    best: dict[str, float] = {}
    for r in plain:
        best[r["document_id"]] = max(best.get(r["document_id"], 0.0), r["score"])
    shared = [r for r in lifted if r["passage_id"] in before]
    assert len(shared) > 20
    for r in shared:
        expected = before[r["passage_id"]] + 0.3 * best[r["document_id"]]
        assert abs(r["score"] - expected) < 1e-5
    assert [r["passage_id"] for r in lifted] != [r["passage_id"] for r in plain][: len(lifted)]
