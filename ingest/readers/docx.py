"""Word (.docx), read by python-docx: paragraphs and tables in document order, headings from
paragraph styles ("Title", "Heading 1".."Heading 9"), list styles as "- item", table rows as
"cell; cell", hyperlinks kept, title and date from the core properties."""

from __future__ import annotations

import io

from .base import Block, ReadText, Unreadable, read_blocks


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        tail = style.removeprefix("Heading ").strip()
        return int(tail) if tail.isdigit() else 2
    return 0


def _paragraph(paragraph) -> Block | None:
    from docx.text.hyperlink import Hyperlink

    parts: list[str] = []
    links: list[tuple[int, int, str]] = []
    for item in paragraph.iter_inner_content():
        start = sum(len(p) for p in parts)
        parts.append(item.text)
        address = getattr(item, "address", "") if isinstance(item, Hyperlink) else ""
        if address.startswith(("http://", "https://")):
            links.append((start, start + len(item.text), address))
    raw = "".join(parts)
    text = raw.strip()
    if not text:
        return None
    lead = len(raw) - len(raw.lstrip())
    links = [(s - lead, e - lead, u) for s, e, u in links if e - lead > 0]
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith("List") and not style.startswith("List Paragraph"):
        text, links = "- " + text, [(s + 2, e + 2, u) for s, e, u in links]
    return Block(text, _heading_level(style), links)


def _table(table) -> Block | None:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell repeats across the columns it spans
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append("; ".join(cells))
    return Block("\n".join(rows)) if rows else None


def read(body: str | bytes) -> ReadText:
    import docx
    from docx.table import Table

    assert isinstance(body, bytes)
    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx raises KeyError, ValueError, BadZipFile...
        raise Unreadable(f"not a Word document (.docx): {exc}") from exc
    blocks = []
    for item in document.iter_inner_content():
        block = _table(item) if isinstance(item, Table) else _paragraph(item)
        if block is not None:
            blocks.append(block)
    if not blocks:
        raise Unreadable("the Word document has no text")
    props = document.core_properties
    stamp = props.created or props.modified
    return read_blocks(
        blocks,
        title=" ".join((props.title or "").split()),
        published=stamp.date().isoformat() if stamp else "",
    )
