"""Markdown, parsed by markdown-it-py (CommonMark with GFM tables), into ReadText.

markdown-it gives the block structure and each block's source lines; this module decides how a
block reads as plain text: headings and paragraphs as they are, list items as "- item",
table rows as "cell; cell", inline markup dropped but a link's text kept and its target
recorded. Blocks the source writes without a blank line between them (a paragraph and the list
it introduces, a table's rows) stay one block, so a passage keeps its lead-in with its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .base import Block, ReadText, read_blocks

URL_RE = re.compile(r"https?://[^\s<>()\[\]|]+")
RULE_RE = re.compile(r"\s*([-*_]\s*){3,}")


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


@dataclass
class _Piece:
    """A leaf block's text lines and the source lines [first, last) it came from."""

    lines: list[str]
    first: int
    last: int
    heading_level: int = 0
    links: list[tuple[int, int, str]] = field(default_factory=list)


def parse_inline(text: str) -> list:
    """The inline tokens of one paragraph of Markdown (links, emphasis, code)."""
    tokens = _parser().parseInline(text)
    return tokens[0].children if tokens else []


def inline_text(children) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text of an inline token's children, and the (start, end, url) of its web links."""
    out: list[str] = []
    links: list[tuple[int, int, str]] = []
    length = 0
    open_links: list[tuple[int, str]] = []
    for token in children or []:
        piece = ""
        if token.type in ("text", "code_inline", "html_inline"):
            piece = token.content
        elif token.type in ("softbreak", "hardbreak"):
            piece = "\n"
        elif token.type == "image":
            piece = token.content
        elif token.type == "link_open":
            open_links.append((length, str(token.attrGet("href") or "")))
        elif token.type == "link_close" and open_links:
            start, url = open_links.pop()
            if url.startswith(("http://", "https://")):
                links.append((start, length, url))
        out.append(piece)
        length += len(piece)
    text = "".join(out)
    for match in URL_RE.finditer(text):
        if not any(s <= match.start() < e for s, e, _ in links):
            links.append((match.start(), match.end(), match.group(0).rstrip(".,;:")))
    return text, sorted(links)


def _pieces(body: str) -> list[_Piece]:
    tokens = _parser().parse(body)
    pieces: list[_Piece] = []
    items: list[str] = []  # the marker of each open list item, innermost last
    fresh_item = False
    row: list[str] = []
    row_links: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            items.append("- " if token.markup in "-*+" else f"{token.info}{token.markup} ")
            fresh_item = True
        elif kind == "list_item_close":
            items.pop()
            fresh_item = False
        elif kind in ("heading_open", "paragraph_open"):
            text, links = inline_text(tokens[i + 1].children)
            first, last = token.map
            if kind == "heading_open":
                pieces.append(_Piece([text], first, last, int(token.tag[1]), links))
                continue
            if items and fresh_item:
                marker = items[-1]
                text = marker + text
                links = [(s + len(marker), e + len(marker), u) for s, e, u in links]
                fresh_item = False
            pieces.append(_Piece(text.split("\n"), first, last, 0, links))
        elif kind == "tr_open":
            row, row_links = [], []
        elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            text, links = inline_text(token.children)
            text = text.strip()
            if text:
                offset = sum(len(c) + 2 for c in row)
                row.append(text)
                row_links.extend((s + offset, e + offset, u) for s, e, u in links)
        elif kind == "tr_close":
            first, last = _row_lines(tokens, i)
            pieces.append(_Piece(["; ".join(row)], first, last, 0, row_links))
        elif kind in ("fence", "code_block", "html_block"):
            first, last = token.map
            lines = [line.rstrip() for line in token.content.rstrip("\n").split("\n")]
            pieces.append(_Piece(lines, first, last))
    return pieces


def _row_lines(tokens, close_index: int) -> tuple[int, int]:
    """Source lines of the table row that closes at ``close_index``."""
    depth = 0
    for j in range(close_index, -1, -1):
        if tokens[j].type == "tr_close":
            depth += 1
        elif tokens[j].type == "tr_open":
            depth -= 1
            if depth == 0 and tokens[j].map:
                return tokens[j].map[0], tokens[j].map[1]
    return 0, 0


def _separated(lines: list[str], first: int, last: int) -> bool:
    """A blank line or a rule between two blocks ends a paragraph group."""
    return any(not line.strip() or RULE_RE.fullmatch(line) for line in lines[first:last])


def markdown_blocks(body: str) -> list[Block]:
    source = body.split("\n")
    blocks: list[Block] = []
    group: list[_Piece] = []

    def flush() -> None:
        if not group:
            return
        parts: list[str] = []
        links: list[tuple[int, int, str]] = []
        length = 0
        for piece in group:
            text = "\n".join(piece.lines)
            if parts:
                parts.append("\n")
                length += 1
            links.extend((s + length, e + length, u) for s, e, u in piece.links)
            parts.append(text)
            length += len(text)
        joined = "".join(parts)
        stripped = joined.strip()
        lead = len(joined) - len(joined.lstrip())
        if stripped:
            level = group[0].heading_level
            kept = [(s - lead, e - lead, u) for s, e, u in sorted(links) if e - lead > 0]
            blocks.append(Block(stripped, level, kept))
        group.clear()

    for piece in _pieces(body):
        if (
            piece.heading_level
            or (group and group[-1].heading_level)
            or group
            and _separated(source, group[-1].last, piece.first)
        ):
            flush()
        group.append(piece)
    flush()
    return blocks


def read(body: str | bytes) -> ReadText:
    assert isinstance(body, str)
    return read_blocks(markdown_blocks(body))
