"""What every reader returns, whatever the format: one text with the offsets passages cite.

A reader builds its text block by block; ``assemble`` joins the blocks with blank lines and
records where each heading, link and page lands, so a passage's ``[char_start, char_end)`` is a
slice of ``ReadText.text`` and its page is looked up, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Link


class Unreadable(Exception):
    """A file a reader cannot turn into text; ``where`` is a line or page the reader could name."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


@dataclass(frozen=True)
class PageSpan:
    """The characters ``[start, end)`` of the read text came from page ``page`` (1-based)."""

    start: int
    end: int
    page: int


@dataclass
class Block:
    """A paragraph or heading of a document, with its links measured from its own first char."""

    text: str
    heading_level: int = 0  # 0 for a paragraph
    links: list[tuple[int, int, str]] = field(default_factory=list)
    page: int | None = None  # the page it was printed on, for paged formats


@dataclass
class ReadText:
    """A document's text as a reader found it, with what it knows of its metadata."""

    text: str
    headings: list[tuple[int, int, str]]  # (char offset, level, heading text)
    links: list[Link]
    dropped: list[str] = field(default_factory=list)  # boilerplate paragraphs removed
    title: str = ""
    canonical: str = ""  # the document's own address (<link rel=canonical>, og:url)
    published: str = ""  # ISO date the document states (metadata, byline), never a guess
    pages: list[PageSpan] = field(default_factory=list)  # for paged formats (PDF)

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` was printed on (None for unpaged formats)."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return None


def assemble(
    blocks: list[Block],
) -> tuple[str, list[tuple[int, int, str]], list[Link], list[PageSpan]]:
    """Join blocks with blank lines, recording where each heading, link and page ends up."""
    parts: list[str] = []
    headings: list[tuple[int, int, str]] = []
    links: list[Link] = []
    pages: list[PageSpan] = []
    offset = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            offset += 2
        if block.heading_level:
            headings.append((offset, block.heading_level, block.text))
        for start, end, url in block.links:
            links.append(Link(offset + start, offset + end, url))
        if block.page is not None:
            if pages and pages[-1].page == block.page:
                pages[-1] = PageSpan(pages[-1].start, offset + len(block.text), block.page)
            else:
                pages.append(PageSpan(offset, offset + len(block.text), block.page))
        parts.append(block.text)
        offset += len(block.text)
    return "".join(parts), headings, links, pages


def read_blocks(blocks: list[Block], dropped: list[str] | None = None, **meta: str) -> ReadText:
    """The ReadText of the blocks a reader kept, with the metadata it found."""
    text, headings, links, pages = assemble(blocks)
    return ReadText(text, headings, links, dropped or [], pages=pages, **meta)
