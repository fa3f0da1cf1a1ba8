"""A PDF, a Word file and a fetched web page ingest beside Markdown documents in one
``kg ingest``, and answers cite them (the PDF by its page); a broken file is named."""

import datetime as dt
import shutil

import pytest

from ingest import pipeline
from kg import build as builds
from kg.cli import main
from kg.config import Settings
from search_api.core.retrieve import Filters
from search_api.core.service import Query, SearchService
from tests.conftest import CORPUS
from tests.ingest.makers import CHROME, make_docx, make_pdf, web_page
from tests.ingest.website import Route, website

pytestmark = pytest.mark.slow  # whole ingests with the model

PDF_PAGE_ONE = [
    "This guide explains how Gateshead Council planned a homelessness prevention service with "
    "local housing associations, as a light-touch service under regulation 74 of the Public "
    "Contracts Regulations 2015.",
]
PDF_PAGE_TWO = [
    "Mobilisation of the homelessness prevention service took fourteen weeks, because the "
    "new provider had to recruit twelve tenancy sustainment officers before the start date.",
]
WORD = (
    "Providers of the carers' breaks service report every quarter how many respite nights "
    "they delivered and how many carers used a short break for the first time."
)
WEB = (
    "The library volunteers scheme trains residents to run story sessions and digital help "
    "desks, and each branch library hosts a volunteer coordinator two days a week."
)


def _ask(service: SearchService, question: str) -> dict:
    return service.ask(
        Query(question, 5, "hybrid", 0, Filters([], [], [], []), dt.date(2025, 6, 1))
    )


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory, encoder):
    docs = tmp_path_factory.mktemp("docs")
    shutil.copytree(CORPUS / "faq", docs / "faq")
    make_pdf(
        docs / "prevention-guide.pdf",
        [PDF_PAGE_ONE, PDF_PAGE_TWO],
        title="Homelessness prevention: a planning guide",
        created=dt.datetime(2024, 2, 1),
    )
    make_docx(
        docs / "carers-spec.docx",
        [("Heading 1", "Reporting"), ("Normal", WORD)],
        title="Carers' breaks specification",
        created=dt.datetime(2023, 9, 12),
    )
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF")
    page = web_page("Library volunteers", [("How the scheme works", [WEB])], date="2024-04-10")
    data = tmp_path_factory.mktemp("data")
    with website({"/libraries/volunteers": Route(page.encode())}) as site:
        url = f"{site}/libraries/volunteers"
        original = pipeline.Encoder.__dict__["from_settings"]
        # The session's model, loaded once, serves the CLI's ingest too.
        pipeline.Encoder.from_settings = classmethod(lambda cls, settings: encoder)
        try:
            code = main(["ingest", str(docs), url, "--data-dir", str(data), "--quiet"])
        finally:
            pipeline.Encoder.from_settings = original
    settings = Settings(data_dir=data)
    return code, url, builds.open_current(data), SearchService(settings, encoder)


def test_a_broken_file_is_named_and_the_exit_is_nonzero(mixed_build, capsys):
    code, _, build, _ = mixed_build
    assert code == 1
    rejected = build.manifest["rejected"]
    assert (
        len(rejected) == 1 and "broken.pdf" in rejected[0] and "not a readable PDF" in rejected[0]
    )


def test_every_format_joins_the_build(mixed_build):
    _, url, build, _ = mixed_build
    rows = build.passages()
    by_doc = {row.document_id: row for row in rows}
    assert {"prevention-guide", "carers-spec", "volunteers"} <= set(by_doc)
    assert by_doc["prevention-guide"].title == "Homelessness prevention: a planning guide"
    assert by_doc["carers-spec"].published == "2023-09-12"
    assert by_doc["volunteers"].source_url == url
    new = {"prevention-guide", "carers-spec", "volunteers"}
    assert all(row.kind == "guidance" for row in rows if row.document_id in new)
    assert all(row.page is None for row in rows if row.document_id != "prevention-guide")


def test_a_raw_pdf_links_its_council_and_the_provisions_it_cites(mixed_build):
    _, _, build, _ = mixed_build
    first = next(r for r in build.passages() if r.document_id == "prevention-guide")
    base = Settings().id_base
    assert f"{base}council/gateshead" in first.mentions
    assert f"{base}eli/uksi/2015/102/regulation/74" in first.mentions
    assert f"{base}eli/uksi/2015/102/regulation/74" in first.doc_entities


def test_no_boilerplate_reaches_a_passage(mixed_build):
    _, _, build, _ = mixed_build
    text = "\n".join(row.text for row in build.passages())
    for furniture in CHROME.values():
        assert furniture not in text


@pytest.mark.parametrize(
    ("question", "document", "page"),
    [
        (
            "How long did mobilisation of the homelessness prevention service take?",
            "prevention-guide",
            2,
        ),
        ("How often do carers' breaks providers report respite nights?", "carers-spec", None),
        ("What does the library volunteers scheme train residents to do?", "volunteers", None),
    ],
)
def test_questions_only_they_answer_are_cited_to_them(mixed_build, question, document, page):
    _, _, _, service = mixed_build
    result = _ask(service, question)
    assert result["answer"]["supported"], result["answer"]["text"]
    first = result["citations"][0]
    assert first["document_id"] == document
    assert first.get("page") == page
    if page is not None:
        assert first["source_url"].endswith(f"#page={page}")
