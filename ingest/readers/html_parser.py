"""The hand-written HTML reader (html.parser), kept for pages trafilatura reads badly.

trafilatura finds a page's content from its markup; a page whose furniture and content are all
bare <div>s and <p>s leaves it a fallback that keeps paragraphs only. On such pages it kept 5 of
249 headings and 0.885 of the words, where this reader keeps 236/249 and 0.923
(bench/web_pages.py, bench/RESULTS.md "Web pages"), so ``html.read`` falls back to it when the
page has headings and trafilatura kept none. It reads every block of the page, skipping
scripts, navigation, headers, footers, asides and elements whose id or class names a banner;
``ingest.clean.filter_web_blocks`` then drops the furniture left.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .base import Block


class _HTMLText(HTMLParser):
    """Block text of an HTML page, skipping scripts, styles, navigation and consent banners."""

    SKIP = {
        "script",
        "style",
        "noscript",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "svg",
        "iframe",
        "template",
        "select",
    }
    BLOCK = {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "table",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
    }
    NOISE = re.compile(
        r"cookie|consent|gdpr|banner|navbar|menu|breadcrumb|share|social|newsletter", re.I
    )
    VOID = {
        "br",
        "img",
        "hr",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._buf: list[str] = []
        self._links: list[tuple[int, int, str]] = []
        self._href: list[tuple[int, str]] = []
        self._skip = 0
        self._stack: list[tuple[str, bool]] = []
        self._heading = 0
        self._in_title = False
        self.meta: dict[str, str] = {}

    def _flush(self) -> None:
        raw = "".join(self._buf)
        text = re.sub(r"[ \t\r\f\v]+", " ", raw)
        text = re.sub(r" ?\n ?", "\n", text)
        if text.strip():
            lead = len(text) - len(text.lstrip())
            links = [(s - lead, e - lead, u) for s, e, u in self._links if e - lead > 0]
            if text != raw:  # whitespace collapsed: links cannot be placed reliably
                links = [(0, 0, u) for _, _, u in links]
            self.blocks.append(Block(text.strip(), self._heading, links))
        self._buf, self._links = [], []

    PUBLISHED_META = {"article:published_time", "date", "dc.date", "dcterms.date", "dcterms.issued"}

    def _metadata(self, tag: str, attr: dict[str, str | None]) -> None:
        """The page's own address and date, from the head (or a <time> in the body)."""
        if tag == "link" and "canonical" in (attr.get("rel") or "").lower().split():
            self.meta.setdefault("canonical", attr.get("href") or "")
        elif tag == "meta":
            name = (attr.get("property") or attr.get("name") or "").lower()
            if name == "og:url":
                self.meta.setdefault("canonical", attr.get("content") or "")
            elif name in self.PUBLISHED_META:
                self.meta.setdefault("published", attr.get("content") or "")
        elif tag == "time" and attr.get("datetime"):
            self.meta.setdefault("published", attr["datetime"] or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self._metadata(tag, attr)
        noisy = bool(self.NOISE.search(f"{attr.get('id') or ''} {attr.get('class') or ''}"))
        skip = tag in self.SKIP or noisy or attr.get("aria-hidden") == "true"
        if tag not in self.VOID:
            self._stack.append((tag, skip))
        if skip:
            self._skip += 1
            return
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self._flush()
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self._heading = int(tag[1])
            if tag == "li":
                self._buf.append("- ")
        if tag == "a" and attr.get("href", "").startswith(("http://", "https://")):
            self._href.append((len("".join(self._buf)), attr["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        while self._stack:
            open_tag, skipped = self._stack.pop()
            if skipped:
                self._skip -= 1
            if open_tag == tag:
                break
        if self._skip:
            return
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._href:
            start, url = self._href.pop()
            self._links.append((start, len("".join(self._buf)), url))
        if tag in self.BLOCK:
            self._flush()
            self._heading = 0

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(body: str) -> tuple[list[Block], str, dict[str, str]]:
    """Blocks of an HTML page, its <title>, and its canonical address and date from the head."""
    parser = _HTMLText()
    parser.feed(body)
    parser.close()
    return parser.blocks, " ".join(parser.title.split()), parser.meta
