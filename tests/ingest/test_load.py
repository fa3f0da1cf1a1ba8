from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.document import to_document
from ingest.load import load
from ingest.model import DocumentError


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _document(path: Path):
    raw = load(path, 1_000_000)
    return to_document(raw, clean(raw))


def test_broken_front_matter_names_file_and_line(tmp_path):
    path = _write(tmp_path, "bad.md", "---\nid: x\ntitle: [unclosed\nkind: faq\n---\nBody text.\n")
    with pytest.raises(DocumentError) as err:
        load(path, 1_000_000)
    assert err.value.path == str(path)
    assert err.value.line in (3, 4, 5)
    assert "front matter" in err.value.reason


def test_unknown_kind_names_its_line(tmp_path):
    path = _write(tmp_path, "k.md", "---\nid: k\ntitle: T\nkind: recipe\n---\nSome text here.\n")
    with pytest.raises(DocumentError) as err:
        _document(path)
    assert err.value.line == 4
    assert "recipe" in err.value.reason


def test_empty_and_binary_files_are_rejected(tmp_path):
    with pytest.raises(DocumentError, match="empty"):
        load(_write(tmp_path, "e.txt", "  \n"), 1_000_000)
    with pytest.raises(DocumentError, match="binary"):
        load(_write(tmp_path, "b.txt", b"\x00\x01\x02PNG"), 1_000_000)


def test_file_over_the_size_limit_is_rejected(tmp_path):
    with pytest.raises(DocumentError, match="over the limit"):
        load(_write(tmp_path, "big.txt", "word " * 100), 50)


def test_invalid_utf8_is_decoded_with_a_warning(tmp_path):
    raw = load(_write(tmp_path, "w.txt", "Caf\xe9 society and councils.".encode("cp1252")), 10_000)
    assert "Café" in raw.body
    assert raw.warnings and "not valid UTF-8" in raw.warnings[0]


def test_document_without_front_matter_gets_id_title_and_source(tmp_path):
    path = _write(
        tmp_path,
        "Raw Page.txt",
        "Council partnerships\n\nOldham worked with a consortium of local charities "
        "on social prescribing, see https://example.org/oldham for the council page "
        "and its report on what the partnership achieved.\n",
    )
    doc = _document(path)
    assert doc.id == "raw-page"
    assert doc.title == "Council partnerships"
    assert doc.source_urls == ["https://example.org/oldham"]


NEWS_PAGE = """<!DOCTYPE html><html><head><title>Plymouth Alliance update | Example Council News</title>
<link rel="canonical" href="https://news.example.gov.uk/plymouth-alliance-update"></head>
<body><div id="cookie-banner">We use cookies to improve your website experience.</div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article><h1>Plymouth Alliance: an update on the complex needs contract</h1>
<p class="byline">Posted 3 March 2022 by the communications team</p>
<p>The Plymouth Alliance brings together voluntary sector providers and the council to support
people with complex needs, including homelessness and substance misuse.</p>
<h2>What has changed</h2><p>Since the alliance began, referrals are handled through one front
door and caseworkers from different organisations work from the same plan.</p></article></main>
<footer>Follow us on Twitter and Facebook</footer></body></html>"""


def test_raw_web_page_keeps_its_heading_address_and_date_but_not_its_byline(tmp_path):
    doc = _document(_write(tmp_path, "plymouth-news.html", NEWS_PAGE))
    # The page's own headline, not the <title> with the site's name.
    assert doc.title == "Plymouth Alliance: an update on the complex needs contract"
    assert doc.source_urls == ["https://news.example.gov.uk/plymouth-alliance-update"]
    assert doc.meta["published"] == "2022-03-03"
    assert [h[2] for h in doc.headings] == [
        "Plymouth Alliance: an update on the complex needs contract",
        "What has changed",
    ]
    assert "Posted" not in doc.text and "cookies" not in doc.text and "Twitter" not in doc.text


def test_page_metadata_date_wins_over_a_byline(tmp_path):
    page = NEWS_PAGE.replace(
        "</head>", '<meta property="article:published_time" content="2022-02-28T09:00:00Z"></head>'
    )
    assert _document(_write(tmp_path, "p.html", page)).meta["published"] == "2022-02-28"
