"""The answer reader: trained here (a small one, from a few questions), installed in a data
folder, read by the service, which declines what it scores below the threshold."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys

import pytest

from kg.config import PROJECT_ROOT
from kg.embed import resolve_model_path
from search_api.core.reader import LINK, MANIFEST, Reader, asked_part, installed, lead_sentence
from search_api.core.reader_pairs import PairError, labelled_sets, pairs
from search_api.core.reader_training import export_onnx, score_pairs, train_and_install, train_model
from search_api.core.service import Query, SearchService

AS_OF = dt.date(2026, 11, 30)
# Asked of the reader's service; in words of no answer set.
ANSWERED = "how much did oldham's social prescribing contract cost the council?"


def some_cases() -> list[str]:
    """Four answerable and four unanswerable records of a shipped answer set."""
    lines = (PROJECT_ROOT / "corpus" / "eval" / "answers-heldout-2.jsonl").read_text().splitlines()
    cases = [json.loads(line) for line in lines]
    chosen = [c for c in cases if c["answerable"]][:4] + [c for c in cases if not c["answerable"]][
        :4
    ]
    return [json.dumps(c) for c in chosen]


@pytest.fixture(scope="module")
def reader_dir(tmp_path_factory, corpus_settings, corpus_build, encoder):
    """A data folder serving the corpus build, with a reader trained on eight questions."""
    data_dir = tmp_path_factory.mktemp("reader-data")
    (data_dir / "current").symlink_to(corpus_build.build.path)
    sets = tmp_path_factory.mktemp("reader-sets")
    (sets / "answers-heldout-x.jsonl").write_text("\n".join(some_cases()) + "\n")
    settings = corpus_settings.model_copy(update={"data_dir": data_dir, "reader": False})
    found = pairs(SearchService(settings, encoder), labelled_sets(sets), AS_OF)
    folder, trained = train_and_install(
        data_dir, settings.model, resolve_model_path(settings.model), found, 1
    )
    assert trained
    return data_dir, found, folder


def served(corpus_settings, encoder, data_dir, **update) -> SearchService:
    return SearchService(
        corpus_settings.model_copy(update={"data_dir": data_dir, **update}), encoder
    )


def test_the_lead_sentence_is_read_up_to_its_first_citation():
    assert lead_sentence("Yes: a council may reserve it. [1] More follows [2].") == (
        "Yes: a council may reserve it."
    )


def test_the_reader_reads_what_a_message_asks_not_the_situation_told_first():
    one = "can a town council just hand the cafe lease to the friends group?"
    assert asked_part(one) == one
    assert asked_part("housing first pilots 2024") == "housing first pilots 2024"
    message = (
        "We run a small youth charity in Devon. The council wants to buy our hall at £1.5m. "
        "Do our trustees need the regulator's consent before they sell?"
    )
    assert asked_part(message) == "Do our trustees need the regulator's consent before they sell?"
    short = "our parish owns the old school. it is empty. What now?"
    assert asked_part(short) == "it is empty. What now?"
    told_last = "can we extend it? we awarded it under the old rules in 2023."
    assert asked_part(told_last) == "can we extend it?"


def test_the_trained_reader_scores_every_answer(reader_dir, corpus_settings, encoder):
    data_dir, found, folder = reader_dir
    assert installed(data_dir) == folder.resolve()
    assert {p.label for p in found} == {0, 1}
    result = served(corpus_settings, encoder, data_dir, reader_threshold=0.0).ask(
        Query(ANSWERED, as_of=AS_OF)
    )
    assert result["answer"]["status"] == "answered"
    assert 0.0 < result["answer"]["reader"] < 1.0
    assert "reader" in result["timings"]
    without = served(corpus_settings, encoder, data_dir, reader=False).ask(
        Query(ANSWERED, as_of=AS_OF)
    )
    assert without["answer"]["reader"] is None
    assert without["answer"]["text"] == result["answer"]["text"]


def test_an_answer_scored_below_the_threshold_is_declined_with_its_nearest_passages(
    reader_dir, corpus_settings, encoder
):
    data_dir, _, _ = reader_dir
    score = served(corpus_settings, encoder, data_dir, reader_threshold=0.0).ask(
        Query(ANSWERED, as_of=AS_OF)
    )["answer"]["reader"]
    declined = served(
        corpus_settings, encoder, data_dir, reader_threshold=min(1.0, score + 1e-3)
    ).ask(Query(ANSWERED, as_of=AS_OF))
    assert declined["answer"]["status"] == "not_covered"
    assert declined["answer"]["supported"] is False
    assert declined["citations"] == []
    assert declined["nearest"], "a declined question near the corpus lists its nearest passages"
    kept = served(corpus_settings, encoder, data_dir, reader_threshold=max(0.0, score - 1e-3)).ask(
        Query(ANSWERED, as_of=AS_OF)
    )
    assert kept["answer"]["status"] == "answered"


def test_a_middling_score_declines_only_where_the_rules_evidence_was_weak_too(
    reader_dir, corpus_settings, encoder
):
    """Above the threshold, a score below the doubt threshold declines the answer only when
    the rules' evidence for answering it was below ``reader_doubt_evidence``."""
    data_dir, _, _ = reader_dir
    asked = Query(
        "what did oldham's commissioning partnership board approve, and when?", as_of=AS_OF
    )
    score = served(corpus_settings, encoder, data_dir, reader_threshold=0.0).ask(asked)["answer"][
        "reader"
    ]
    doubted = {"reader_threshold": 0.0, "reader_doubt_threshold": min(1.0, score + 1e-3)}
    weak = served(corpus_settings, encoder, data_dir, reader_doubt_evidence=1.0, **doubted)
    assert weak.ask(asked)["answer"]["status"] == "not_covered"
    strong = served(corpus_settings, encoder, data_dir, reader_doubt_evidence=0.0, **doubted)
    assert strong.ask(asked)["answer"]["status"] == "answered"
    above = served(
        corpus_settings,
        encoder,
        data_dir,
        reader_threshold=0.0,
        reader_doubt_threshold=max(0.0, score - 1e-3),
        reader_doubt_evidence=1.0,
    )
    assert above.ask(asked)["answer"]["status"] == "answered"


def test_the_served_graph_scores_as_the_trained_model(reader_dir, corpus_settings, tmp_path):
    _, found, folder = reader_dir
    model, tokenizer = train_model(resolve_model_path(corpus_settings.model), found, 1)
    export_onnx(model, tokenizer, tmp_path)
    (tmp_path / MANIFEST).write_text((folder / MANIFEST).read_text())
    served_scores = [Reader(tmp_path).score(p.question, p.sentence) for p in found]
    assert served_scores == pytest.approx(score_pairs(model, tokenizer, found), abs=1e-4)
    assert len({round(x, 3) for x in served_scores}) > 1


def test_training_again_on_the_same_pairs_reuses_the_reader(reader_dir, corpus_settings):
    data_dir, found, folder = reader_dir
    again, trained = train_and_install(
        data_dir, corpus_settings.model, resolve_model_path(corpus_settings.model), found, 1
    )
    assert (again, trained) == (folder, False)


def test_a_reader_that_cannot_be_loaded_leaves_answers_as_without_one(
    tmp_path, corpus_settings, corpus_build, encoder, caplog
):
    (tmp_path / "current").symlink_to(corpus_build.build.path)
    broken = tmp_path / "readers" / "broken"
    broken.mkdir(parents=True)
    (broken / "reader.json").write_text(json.dumps({"key": "broken"}))
    (tmp_path / LINK).symlink_to(os.path.relpath(broken, tmp_path))
    with caplog.at_level(logging.WARNING):
        result = served(corpus_settings, encoder, tmp_path).ask(Query(ANSWERED, as_of=AS_OF))
    assert result["answer"]["status"] == "answered"
    assert result["answer"]["reader"] is None
    assert "cannot be loaded" in caplog.text


def test_retrieval_and_out_of_domain_records_are_labelled_too(tmp_path, service):
    """A retrieval record (its relevant passages) is answerable, stated by their documents; a
    question alone (an out-of-domain set) is not."""
    asked = service.ask(Query(ANSWERED, as_of=AS_OF))
    cited = asked["citations"][0]["document_id"]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        json.dumps({"question": ANSWERED, "relevant": {f"{cited}/p1": 2}})
        + "\n"
        + json.dumps({"question": "who won the football world cup in 2022"})
        + "\n"
    )
    found = pairs(service, [mixed], AS_OF)
    assert [(p.question, p.label, p.answered) for p in found][0] == (ANSWERED, 1, True)
    assert found[-1].question.startswith("who won") and found[-1].label == 0


def test_pairs_name_the_line_of_a_bad_record(tmp_path, service):
    bad = tmp_path / "answers-heldout-bad.jsonl"
    bad.write_text(some_cases()[0] + "\n" + '{"question": "no label", "answerable": "yes"}\n')
    with pytest.raises(PairError, match=r"answers-heldout-bad.jsonl:2"):
        pairs(service, [bad], AS_OF)


def test_kg_reader_without_labelled_sets_names_the_setting(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "kg.cli", "reader", "--data-dir", str(tmp_path), "--quiet"],
        env={**os.environ, "KG_READER_SETS": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert run.returncode == 2
    assert "KG_READER_SETS" in run.stderr and "*.jsonl" in run.stderr
