from pathlib import Path

from ingest.clean import clean
from ingest.document import to_document
from ingest.load import RawDocument
from ingest.split import split
from kg.text import sentence_spans

BODY = """# Reserved contracts

## Under PCR 2015

Regulation 77 lets an authority reserve some health, social and cultural services. The
reservation lasts at most three years. See the [guidance](https://example.org/reg77).

## Under the Procurement Act 2023

Section 33 allows reserving light touch services for public service mutuals. The maximum
term is five years.
"""


def _doc():
    raw = RawDocument(
        path=Path("r.md"),
        format="markdown",
        body=BODY,
        front_matter={
            "id": "reserved",
            "title": "Reserved contracts",
            "kind": "regulation",
            "source_urls": ["https://example.org/main"],
        },
    )
    return to_document(raw, clean(raw))


def test_passage_text_is_the_slice_its_offsets_name():
    doc = _doc()
    passages = split(doc, 700, 1100)
    assert len(passages) == 2
    for p in passages:
        assert doc.text[p.char_start : p.char_end] == p.text


def test_passages_keep_their_heading_and_first_link_as_source():
    first, second = split(_doc(), 700, 1100)
    assert first.heading == "Reserved contracts › Under PCR 2015"
    assert first.source_url == "https://example.org/reg77"
    assert second.source_url == "https://example.org/main"


def test_passage_ids_are_stable_across_runs():
    assert [p.id for p in split(_doc(), 700, 1100)] == ["reserved/p1", "reserved/p2"]
    assert [p.id for p in split(_doc(), 700, 1100)] == [p.id for p in split(_doc(), 700, 1100)]


def test_long_paragraph_is_split_at_sentence_boundaries():
    text = " ".join(f"Sentence number {i} talks about councils and partners." for i in range(40))
    raw = RawDocument(
        path=Path("l.txt"),
        format="markdown",
        body=text,
        front_matter={"id": "long", "title": "Long", "kind": "guidance"},
    )
    doc = to_document(raw, clean(raw))
    passages = split(doc, 300, 500)
    assert len(passages) > 3
    assert all(len(p.text) <= 500 for p in passages)
    assert all(p.text.endswith(".") for p in passages)


def test_sentence_spans_skip_abbreviations():
    text = "Direct award under s. 41 is allowed. See e.g. Schedule 5 for cases."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Direct award under s. 41 is allowed.",
        "See e.g. Schedule 5 for cases.",
    ]
