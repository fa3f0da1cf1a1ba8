"""Plain text, such as a web page saved as text: paragraphs split on blank lines, the inline
Markdown a capture kept read by markdown-it, and the page furniture a capture carries (cookie
banners, contact strips, bylines, navigation) dropped by ``ingest.clean``."""

from __future__ import annotations

import re

from ..clean import filter_web_blocks, published_in
from .base import Block, ReadText, read_blocks
from .markdown import inline_text, parse_inline

LIST_RE = re.compile(r"^\s*(?:[-*+•⊕]|\d+[.)])\s+")


def text_blocks(body: str) -> list[Block]:
    blocks = []
    for para in re.split(r"\n\s*\n", body):
        lines = [LIST_RE.sub("- ", ln.strip(), count=1) for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        text, links = inline_text(parse_inline("\n".join(lines)))
        if text.strip():
            lead = len(text) - len(text.lstrip())
            kept = [(s - lead, e - lead, u) for s, e, u in links if e - lead > 0]
            blocks.append(Block(text.strip(), 0, kept))
    return blocks


def read(body: str | bytes) -> ReadText:
    assert isinstance(body, str)
    kept, dropped = filter_web_blocks(text_blocks(body))
    return read_blocks(kept, dropped, published=published_in("", dropped))
