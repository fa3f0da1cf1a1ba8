"""The build contract: passage rows are written and read back as the same typed rows."""

from __future__ import annotations

import json

from kg import build as builds
from kg.build import PassageRow


def test_passage_rows_read_back_equal_and_written_back_byte_for_byte(corpus_build, tmp_path):
    path = corpus_build.build.file(builds.PASSAGES)
    rows = builds.read_passages(path)
    assert rows and all(isinstance(row, PassageRow) for row in rows)
    copy = tmp_path / builds.PASSAGES
    builds.write_passages(copy, rows)
    assert copy.read_bytes() == path.read_bytes()
    assert builds.read_passages(copy) == rows


def test_a_row_keeps_the_file_s_key_order():
    row = PassageRow("d/p1", "d", "Title", "faq", "https://x.org", "Text.", "H", 0, 5, ("e",))
    keys = list(json.loads(row.to_json()))
    assert keys[:9] == [
        "id",
        "document_id",
        "title",
        "kind",
        "source_url",
        "text",
        "heading",
        "char_start",
        "char_end",
    ]
    assert PassageRow.from_json(row.to_json()) == row
