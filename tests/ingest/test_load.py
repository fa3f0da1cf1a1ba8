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
    return to_document(raw, clean(raw.body, raw.format))


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
