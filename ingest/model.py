"""The data classes that flow through ingest; transforms take and return these, never files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .readers.base import PageSpan


class DocumentError(Exception):
    """A document that cannot be ingested, with where and why, so the author can fix it."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Link:
    """An inline link in the cleaned text: [start, end) carries the link text, url its target."""

    start: int
    end: int
    url: str


@dataclass
class Document:
    """A source file after loading and cleaning: metadata plus the cleaned text passages index."""

    id: str
    path: str
    title: str
    kind: str
    text: str
    source_urls: list[str]
    meta: dict = field(default_factory=dict)
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (start, level, text)
    links: list[Link] = field(default_factory=list)
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    # Front-matter line of each entity key, so a bad reference names its line.
    meta_lines: dict[str, int] = field(default_factory=dict)
    # (start, end, page) of the text printed on each page, for paged formats (PDF).
    pages: list[PageSpan] = field(default_factory=list)


@dataclass
class Passage:
    """A retrievable span of a document's cleaned text, with a stable id."""

    id: str
    document_id: str
    ordinal: int
    text: str
    char_start: int
    char_end: int
    heading: str
    source_url: str
    mentions: list[str] = field(default_factory=list)  # entity IRIs recognised in the text
    page: int | None = None  # the page its text starts on, for paged formats (PDF)

    @property
    def embed_text(self) -> str:
        """What the encoder sees: the heading gives a passage the context its sentences assume."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text
