"""The formats ``kg ingest`` reads: one Reader per format, found by file suffix or content type.

Adding a format is one module in this package that defines ``read`` and one row in
``FORMATS``; the accepted suffixes, the message for an unknown one and the dispatch all come
from that row.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .base import ReadText


@dataclass(frozen=True)
class Reader:
    """How one format becomes ReadText: the row of ``FORMATS`` for it.

    ``binary`` readers receive the file's bytes; the others receive its decoded text (the loader
    decodes, so every text format reports bad bytes the same way). ``front_matter`` formats may
    open with YAML front matter. ``self_sourced`` formats are their own source: a link inside a
    PDF is not where the PDF came from. The module named ``name`` in this package holds ``read``;
    it is imported on first use, so a format's parser costs nothing until a file of it is read.
    """

    name: str
    suffixes: tuple[str, ...]
    content_types: tuple[str, ...]
    binary: bool = False
    front_matter: bool = False
    self_sourced: bool = False

    @property
    def read(self) -> Callable[[str | bytes], ReadText]:
        return importlib.import_module(f"{__package__}.{self.name}").read


FORMATS: tuple[Reader, ...] = (
    Reader(
        "markdown", (".md", ".markdown"), ("text/markdown", "text/x-markdown"), front_matter=True
    ),
    Reader("text", (".txt",), ("text/plain",)),
    Reader("html", (".html", ".htm"), ("text/html", "application/xhtml+xml")),
    Reader("pdf", (".pdf",), ("application/pdf",), binary=True, self_sourced=True),
    Reader(
        "docx",
        (".docx",),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
        binary=True,
        self_sourced=True,
    ),
)


def by_name(name: str) -> Reader:
    return next(r for r in FORMATS if r.name == name)


def suffixes() -> tuple[str, ...]:
    return tuple(s for r in FORMATS for s in r.suffixes)


def for_suffix(suffix: str) -> Reader | None:
    suffix = suffix.lower()
    return next((r for r in FORMATS if suffix in r.suffixes), None)


def for_content_type(content_type: str) -> Reader | None:
    """The reader for a Content-Type header value (parameters such as charset ignored)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return next((r for r in FORMATS if media in r.content_types), None)


def unsupported(what: str) -> str:
    """The message for a suffix or content type no reader takes, naming those that are read."""
    known = ", ".join(r.suffixes[0] for r in FORMATS)
    return f"unsupported {what} (kg ingest reads {known})"
