"""A loaded, cleaned file becomes a Document: front matter checked, id, title and kind settled."""

from __future__ import annotations

import datetime as dt
import re

from kg.namespaces import slugify
from kg.vocabulary import KINDS, REFERENCE_LIST_KEYS

from .load import RawDocument
from .model import Document, DocumentError
from .readers.base import ReadText

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
LIST_KEYS = ("source_urls", "partners", *REFERENCE_LIST_KEYS)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if str(value).strip() else []


def _date(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def to_document(raw: RawDocument, cleaned: ReadText) -> Document:
    """Settle a document's identity and metadata; raise DocumentError naming the line at fault."""
    meta = dict(raw.front_matter)
    lines = raw.meta_lines
    path = raw.path
    where = raw.where

    def fail(key: str, reason: str) -> DocumentError:
        return DocumentError(where, reason, line=lines.get(key, 1 if meta else None))

    doc_id = str(meta.get("id") or slugify(path.stem))
    if not ID_RE.match(doc_id):
        raise fail("id", f"id '{doc_id}' must be lower-case letters, digits, '.', '_' or '-'")
    kind = str(meta.get("kind") or raw.default_kind)
    if kind not in KINDS:
        raise fail("kind", f"unknown kind '{kind}' (expected one of: {', '.join(KINDS)})")
    for key in LIST_KEYS:
        if key in meta and not isinstance(meta[key], (list, tuple, str)):
            raise fail(key, f"'{key}' must be a list or a single value")
        meta[key] = _as_list(meta.get(key))
    for key in ("published", "retrieved"):
        if key in meta:
            meta[key] = _date(meta[key])
    if not meta.get("published") and cleaned.published:
        meta["published"] = cleaned.published  # a raw page's own date (metadata or byline)
    if meta.get("partnership") is not None and not isinstance(meta["partnership"], dict):
        raise fail("partnership", "'partnership' must be a mapping (name, service_area, ...)")
    for url in meta["source_urls"]:
        if not url.startswith(("http://", "https://")):  # front matter must name the web source
            raise fail("source_urls", f"source URL '{url}' is not an http(s) address")

    title = str(meta.get("title") or "").strip()
    if not title:
        title = cleaned.title or (cleaned.headings[0][2] if cleaned.headings else "")
        title = title or path.stem
    source_urls = list(meta["source_urls"])
    if not source_urls and cleaned.canonical:
        source_urls = [cleaned.canonical]
    if not source_urls and raw.source_url:
        source_urls = [raw.source_url]  # a fetched page, a PDF or Word file: its own address
    if not source_urls and cleaned.links:
        source_urls = [cleaned.links[0].url]
    if not source_urls and not raw.front_matter:
        source_urls = [path.resolve().as_uri()]  # a raw capture's only known source is its file
    if not cleaned.text.strip():
        raise DocumentError(where, "nothing but boilerplate is left after cleaning", line=None)
    return Document(
        id=doc_id,
        path=where,
        title=title,
        kind=kind,
        text=cleaned.text,
        source_urls=source_urls,
        meta=meta,
        headings=cleaned.headings,
        links=cleaned.links,
        pages=cleaned.pages,
        content_hash=raw.content_hash,
        warnings=list(raw.warnings),
        meta_lines=dict(lines),
    )
