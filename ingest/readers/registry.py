"""The formats ``kg ingest`` reads: one Reader per format, found by file suffix or content type.

Adding a format is one module in this package that defines ``READER`` and one name in
``FORMATS``; the accepted suffixes, the message for an unknown one and the dispatch all come
from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .base import ReadText

FORMATS = ("markdown", "text", "html", "pdf", "docx")


@dataclass(frozen=True)
class Reader:
    """How one format becomes ReadText.

    ``binary`` readers receive the file's bytes; the others receive its decoded text (the loader
    decodes, so every text format reports bad bytes the same way). ``front_matter`` formats may
    open with YAML front matter. ``self_sourced`` formats are their own source: a link inside a
    PDF is not where the PDF came from.
    """

    name: str
    suffixes: tuple[str, ...]
    content_types: tuple[str, ...]
    read: Callable[[str | bytes], ReadText]
    binary: bool = False
    front_matter: bool = False
    self_sourced: bool = False


@cache
def readers() -> tuple[Reader, ...]:
    return tuple(importlib.import_module(f"{__package__}.{name}").READER for name in FORMATS)


def by_name(name: str) -> Reader:
    return next(r for r in readers() if r.name == name)


def suffixes() -> tuple[str, ...]:
    return tuple(s for r in readers() for s in r.suffixes)


def for_suffix(suffix: str) -> Reader | None:
    suffix = suffix.lower()
    return next((r for r in readers() if suffix in r.suffixes), None)


def for_content_type(content_type: str) -> Reader | None:
    """The reader for a Content-Type header value (parameters such as charset ignored)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return next((r for r in readers() if media in r.content_types), None)


def unsupported(what: str) -> str:
    """The message for a suffix or content type no reader takes, naming those that are read."""
    known = ", ".join(r.suffixes[0] for r in readers())
    return f"unsupported {what} (kg ingest reads {known})"
