"""Documents into passages: a few sentences each, with the heading they sit under.

Passage text is always ``document.text[char_start:char_end]``, so a citation's offsets can be
checked against the cleaned document. Ids are ``{document id}/p{ordinal}``: the same document
gives the same ids on every ingest.
"""

from __future__ import annotations

import re

from kg.text import sentence_spans

from .model import Document, Passage


def _paragraphs(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, heading path) of every non-heading block of the cleaned text."""
    heading_at = {start: (level, text) for start, level, text in doc.headings}
    trail: list[tuple[int, str]] = []
    out = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\n))*", doc.text):
        start, end = match.start(), match.end()
        if start in heading_at:
            level, text = heading_at[start]
            trail = [(lv, t) for lv, t in trail if lv < level] + [(level, text)]
            continue
        context = " › ".join([doc.title] + [t for _, t in trail if t != doc.title])
        out.append((start, end, context))
    return out


def _page(doc: Document, offset: int) -> int | None:
    """The page the character at ``offset`` was printed on (None for unpaged formats)."""
    return next((p.page for p in doc.pages if p.start <= offset < p.end), None)


def _source_url(doc: Document, start: int, end: int, page: int | None) -> str:
    for link in doc.links:
        if start <= link.start < end:
            return link.url
    url = doc.source_urls[0] if doc.source_urls else ""
    return f"{url}#page={page}" if url and page is not None else url


def split(doc: Document, target_chars: int, max_chars: int) -> list[Passage]:
    """Group paragraphs (and sentences of long ones) into passages of about target_chars."""
    chunks: list[tuple[int, int, str]] = []
    for start, end, heading in _paragraphs(doc):
        if end - start <= max_chars:
            chunks.append((start, end, heading))
            continue
        piece_start = piece_end = None
        for s, e in sentence_spans(doc.text, start, end):
            if piece_start is None:
                piece_start, piece_end = s, e
            elif e - piece_start > target_chars:
                chunks.append((piece_start, piece_end, heading))
                piece_start, piece_end = s, e
            else:
                piece_end = e
        if piece_start is not None:
            chunks.append((piece_start, piece_end, heading))

    merged: list[list] = []
    for start, end, heading in chunks:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last[2] == heading
            and (end - last[0] <= target_chars or last[1] - last[0] < target_chars // 4)
            and end - last[0] <= max_chars
            and _page(doc, start) == _page(doc, last[0])  # a passage cites one page
        ):
            last[1] = end
        else:
            merged.append([start, end, heading])

    passages = []
    for ordinal, (start, end, heading) in enumerate(merged, start=1):
        page = _page(doc, start)
        passages.append(
            Passage(
                id=f"{doc.id}/p{ordinal}",
                document_id=doc.id,
                ordinal=ordinal,
                text=doc.text[start:end],
                char_start=start,
                char_end=end,
                heading=heading,
                source_url=_source_url(doc, start, end, page),
                page=page,
            )
        )
    return passages
