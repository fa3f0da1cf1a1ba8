"""PDF, read by pypdfium2 (PDFium, BSD/Apache): the text layer page by page, paragraphs from the
gaps between lines, headings from type larger than the body's, title and date from the
document's metadata. Every block keeps its page, so a passage cites ``#page=N``.

pypdfium2 was measured against pypdf and pdfplumber (bench/pdf_text.py, bench/RESULTS.md):
the same words recovered, 5-16 times faster.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .base import Block, ReadText, Unreadable, read_blocks

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\ufffe]")
PDF_DATE_RE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")
FOLIO_RE = re.compile(r"(\d+|[ivxlc]+)", re.IGNORECASE)  # a page number printed alone


@dataclass
class _Line:
    text: str
    page: int
    top: float | None  # PDF units, y grows upwards
    bottom: float | None
    size: float


def pdf_date(value: str) -> str:
    """A PDF date ("D:20240305100000+00'00'") as YYYY-MM-DD; "" when it states no full date."""
    m = PDF_DATE_RE.match(value.strip())
    if not m or not m.group(3):
        return ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    return f"{year}-{month}-{day}" if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else ""


def _page_lines(page, number: int) -> list[_Line]:
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        count = textpage.count_chars()
        located = len(text) == count  # one char per index: boxes can be read per line
        lines: list[_Line] = []
        index = 0
        for raw in re.split(r"(\r\n|\n|\r)", text):
            if raw in ("\r\n", "\n", "\r"):
                index += len(raw)
                continue
            first = index + (len(raw) - len(raw.lstrip()))
            index += len(raw)
            clean = " ".join(CONTROL_RE.sub("", raw).split())
            if not clean:
                continue
            top = bottom = None
            size = 0.0
            if located and first < count:
                _, bottom, _, top = textpage.get_charbox(first, loose=True)
                size = float(pdfium_c.FPDFText_GetFontSize(textpage.raw, first))
            lines.append(_Line(clean, number, top, bottom, size))
        return lines
    finally:
        textpage.close()


def _join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += line if out.endswith("-") and out[-2:-1].isalpha() else " " + line
    return out


def _blocks(lines: list[_Line]) -> list[Block]:
    """Lines into paragraphs: a paragraph ends at a gap wider than the type, a change of type
    size, or a page break; a short paragraph in larger type than the body is a heading."""
    sizes = [line.size for line in lines for _ in line.text if line.size]
    body = statistics.median(sizes) if sizes else 0.0
    groups: list[list[_Line]] = []
    for line in lines:
        prev = groups[-1][-1] if groups else None
        new = (
            prev is None
            or prev.page != line.page
            or prev.bottom is None
            or line.top is None
            or prev.bottom - line.top > 0.5 * max(line.size, 1.0)
            or abs(prev.size - line.size) > 0.5
        )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    paragraphs = [(_join([line.text for line in g]), g[0].size, g[0].page) for g in groups]
    paragraphs = [p for p in paragraphs if not FOLIO_RE.fullmatch(p[0])]

    def is_heading(text: str, size: float) -> bool:
        return bool(body) and size >= 1.15 * body and len(text.split()) <= 20

    # The largest heading type is level 1, the next level 2, and so on.
    sizes = sorted({round(s, 1) for t, s, _ in paragraphs if is_heading(t, s)}, reverse=True)
    return [
        Block(
            text, min(sizes.index(round(size, 1)) + 1, 6) if is_heading(text, size) else 0, [], page
        )
        for text, size, page in paragraphs
    ]


def read(body: str | bytes) -> ReadText:
    import pypdfium2 as pdfium

    assert isinstance(body, bytes)
    try:
        document = pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable("encrypted PDF: it cannot be opened without its password") from exc
        raise Unreadable(f"not a readable PDF ({_reason(exc)})") from exc
    try:
        lines: list[_Line] = []
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            try:
                lines.extend(_page_lines(page, number))
            except pdfium.PdfiumError as exc:
                raise Unreadable(f"page {number} cannot be read ({_reason(exc)})") from exc
            finally:
                page.close()
        meta = document.get_metadata_dict()
    finally:
        document.close()
    if not lines:
        raise Unreadable(
            "no text layer: the pages are images (a scan); run OCR on it before ingesting"
        )
    return read_blocks(
        _blocks(lines),
        title=" ".join((meta.get("Title") or "").split()),
        published=pdf_date(meta.get("CreationDate") or meta.get("ModDate") or ""),
    )


def _reason(exc: Exception) -> str:
    """PDFium's own words, without its wrapper ("Failed to load document (PDFium: ...)")."""
    m = re.search(r"PDFium: ([^)]*)", str(exc))
    return m.group(1).strip() if m else str(exc)
