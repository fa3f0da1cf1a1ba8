"""Each reader on documents made here: what it keeps, what it refuses and why."""

import datetime as dt

import pytest

from ingest.clean import clean
from ingest.document import to_document
from ingest.load import discover, load
from ingest.model import DocumentError
from ingest.readers import docx, html, pdf, registry
from ingest.readers.base import Unreadable
from ingest.split import split
from tests.ingest.makers import (
    CHROME,
    make_docx,
    make_pdf,
    make_renamed_zip,
    make_scanned_pdf,
    web_page,
)

PAGE_ONE = [
    "Light-touch regime services above the threshold may be procured with a flexible "
    "procedure the authority designs itself, provided it is transparent and fair.",
    "The authority must still publish a contract notice and a contract award notice.",
]
PAGE_TWO = ["A mobilisation period of six months lets a new provider recruit staff."]


def test_registry_takes_every_format_by_suffix_and_content_type():
    assert {".md", ".txt", ".html", ".pdf", ".docx"} <= set(registry.suffixes())
    assert registry.for_suffix(".PDF").name == "pdf"
    assert registry.for_content_type("application/pdf").name == "pdf"
    assert registry.for_content_type("text/html; charset=utf-8").name == "html"
    assert registry.for_suffix(".xlsx") is None
    assert ".pdf" in registry.unsupported("file type '.xlsx'")


def test_unknown_suffix_is_named_with_the_formats_that_are_read(tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DocumentError, match=r"unsupported file type '\.xlsx'.*\.docx"):
        load(path, 1_000_000)


def test_pdf_keeps_pages_title_and_date(tmp_path):
    path = make_pdf(
        tmp_path / "ltr.pdf",
        [PAGE_ONE, PAGE_TWO],
        title="Light-touch services guide",
        created=dt.datetime(2024, 3, 5, 10, 0),
        headings={1: "Light-touch regime"},
    )
    read = pdf.read(path.read_bytes())
    assert read.title == "Light-touch services guide"
    assert read.published == "2024-03-05"
    assert [(level, text) for _, level, text in read.headings] == [(1, "Light-touch regime")]
    assert read.text.split("\n\n")[1] == PAGE_ONE[0]  # wrapped lines rejoin into the paragraph
    assert read.page_at(read.text.index("mobilisation")) == 2
    assert read.page_at(read.text.index("contract award")) == 1


def test_pdf_passages_cite_their_page(tmp_path):
    path = make_pdf(tmp_path / "two-pages.pdf", [PAGE_ONE, PAGE_TWO], title="Two pages")
    raw = load(path, 1_000_000)
    doc = to_document(raw, clean(raw))
    assert doc.kind == "guidance" and doc.title == "Two pages"
    passages = split(doc, 700, 1100)
    assert [p.page for p in passages] == [1, 2]
    assert passages[1].source_url == path.resolve().as_uri() + "#page=2"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: make_scanned_pdf(p, ["A scanned letter"]), "no text layer"),
        (lambda p: make_pdf(p, [PAGE_ONE], password="secret"), "encrypted"),
        (
            lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage") and p,
            "not a readable PDF",
        ),
    ],
    ids=["scanned", "encrypted", "corrupt"],
)
def test_unreadable_pdfs_are_named_with_their_reason(tmp_path, make, reason):
    path = tmp_path / "bad.pdf"
    make(path)
    raw = load(path, 1_000_000)
    with pytest.raises(DocumentError, match=reason) as err:
        clean(raw)
    assert err.value.path == str(path)


def test_word_headings_tables_and_core_properties(tmp_path):
    path = make_docx(
        tmp_path / "spec.docx",
        [
            ("Title", "Service specification"),
            ("Heading 1", "Outcomes"),
            ("Normal", "Providers report quarterly against the shared outcome framework."),
            ("List Bullet", "Fewer handoffs between services"),
        ],
        title="Complex needs specification",
        created=dt.datetime(2023, 11, 2, 9, 0),
        table=[["Lot", "Value"], ["Housing support", "£2.1m"]],
    )
    read = docx.read(path.read_bytes())
    assert read.title == "Complex needs specification" and read.published == "2023-11-02"
    assert [(lv, t) for _, lv, t in read.headings] == [
        (1, "Service specification"),
        (1, "Outcomes"),
    ]
    assert "- Fewer handoffs between services" in read.text
    assert "Lot; Value\nHousing support; £2.1m" in read.text


def test_a_renamed_zip_is_not_a_word_document(tmp_path):
    raw = load(make_renamed_zip(tmp_path / "minutes.docx"), 1_000_000)
    with pytest.raises(DocumentError, match="not a Word document"):
        clean(raw)


def test_web_page_loses_its_furniture_in_either_markup():
    sections = [("Why an alliance", [PAGE_ONE[0], PAGE_ONE[1]])]
    for style in ("cms", "plain"):
        read = html.read(web_page("Light-touch guide", sections, date="2022-03-03", style=style))
        for name, furniture in CHROME.items():
            assert furniture not in read.text, (style, name)
        assert PAGE_ONE[0] in read.text and read.published == "2022-03-03"


def test_web_page_date_is_never_guessed():
    prose = [
        "The Procurement Act 2023 commenced on 24 February 2025 for procurements begun after it.",
        PAGE_ONE[0],
        PAGE_ONE[1],
    ]
    for style in ("cms", "plain"):
        page = web_page("Commencement", [("Dates", prose)], byline=False, style=style)
        assert html.read(page).published == "", style


def test_a_page_of_nothing_but_boilerplate_is_refused():
    page = f"<html><body><nav>{CHROME['nav']}</nav><div class='cookie'>{CHROME['cookie']}</div>"
    page += f"<footer>{CHROME['footer']}</footer></body></html>"
    with pytest.raises(Unreadable, match="boilerplate"):
        html.read(page)


def test_discover_finds_every_registered_format(tmp_path):
    for name in ("a.md", "b.pdf", "c.docx", "d.html", "e.txt", "f.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in discover([tmp_path])] == ["a.md", "b.pdf", "c.docx", "d.html", "e.txt"]
