"""Markdown, plain text and HTML into one cleaned text, its headings and its inline links.

Offsets of passages refer to the cleaned text this module returns, so it is built block by block
with the positions recorded as it grows. Raw web captures carry cookie banners, navigation,
contact lines and social links; those paragraphs are dropped here so they never reach a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .model import Link

LINK_RE = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)|<(https?://[^>\s]+)>")
EMPHASIS_RE = re.compile(
    r"\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])|`([^`\n]+)`"
)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_RE = re.compile(r"^\s*(?:[-*+•⊕]|\d+[.)])\s+")
URL_RE = re.compile(r"https?://[^\s<>()\[\]|]+")


@dataclass
class Block:
    text: str
    heading_level: int = 0  # 0 for a paragraph
    links: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class CleanText:
    text: str
    headings: list[tuple[int, int, str]]  # (char offset, level, heading text)
    links: list[Link]
    dropped: list[str] = field(default_factory=list)  # boilerplate paragraphs removed
    title: str = ""
    canonical: str = ""  # the page's own address (<link rel=canonical>, og:url)
    published: str = ""  # ISO date from the page's metadata or byline, when it gives one


def inline(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Strip inline Markdown (links, emphasis, code) keeping offsets of the links' text."""
    out: list[str] = []
    links: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for match in LINK_RE.finditer(text):
        plain = _strip_emphasis(text[pos : match.start()])
        out.append(plain)
        length += len(plain)
        label = _strip_emphasis(match.group(1) if match.group(1) is not None else match.group(3))
        url = match.group(2) if match.group(1) is not None else match.group(3)
        out.append(label)
        if url and url.startswith(("http://", "https://")):
            links.append((length, length + len(label), url))
        length += len(label)
        pos = match.end()
    out.append(_strip_emphasis(text[pos:]))
    plain_text = "".join(out)
    for match in URL_RE.finditer(plain_text):
        if not any(s <= match.start() < e for s, e, _ in links):
            links.append((match.start(), match.end(), match.group(0).rstrip(".,;:")))
    return plain_text, sorted(links)


def _strip_emphasis(text: str) -> str:
    return EMPHASIS_RE.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def markdown_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text, links = inline("\n".join(para))
            if text.strip():
                blocks.append(Block(text.strip(), 0, _shift(links, text)))
            para.clear()

    in_fence = False
    for raw in body.split("\n"):
        line = raw.rstrip()
        if line.strip().startswith("```"):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            para.append(line)
            continue
        heading = HEADING_RE.match(line)
        if heading:
            flush()
            text, links = inline(heading.group(2))
            if text.strip():
                blocks.append(Block(text.strip(), len(heading.group(1)), _shift(links, text)))
            continue
        if not line.strip() or re.fullmatch(r"\s*([-*_]\s*){3,}", line):
            flush()
            continue
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            line = "; ".join(c for c in cells if c)
        line = re.sub(r"^\s*>\s?", "", line)
        if LIST_RE.match(line):
            line = "- " + LIST_RE.sub("", line, count=1)
        para.append(line.strip())
    flush()
    return blocks


def _shift(links: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Links were measured on the unstripped text; move them by what strip() removed."""
    lead = len(text) - len(text.lstrip())
    return [(s - lead, e - lead, u) for s, e, u in links if e - lead > 0]


# --- Boilerplate of raw web captures -------------------------------------------------------------

COOKIE_RE = re.compile(
    r"\bcookies?\b.*\b(consent|necessary|analytic|advertis|functional|performance|browser|"
    r"preferences|navigate|third-party|website|visitors)|\b(accept all|reject all|always active|"
    r"customi[sz]e consent|consent preferences|privacy overview|cookie policy|cookie settings)\b",
    re.IGNORECASE | re.DOTALL,
)
CONTACT_RE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|\b(?:T|Tel|E|W|Email|Phone)\s*:\s*\S|\b0\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}\b",
)
CONTACT_PROMPT_RE = re.compile(
    r"^(for (further|more) information,? (please )?contact|contact us|get in touch|follow us|"
    r"share (this|on)|sign up|subscribe|skip to (main )?content|back to top|read more)\b",
    re.IGNORECASE,
)
SOCIAL_RE = re.compile(
    r"\b(twitter|facebook|linkedin|instagram|youtube|x\.com)\b|(^|\s)@\w{3,}", re.I
)


BYLINE_RE = re.compile(r"^(posted|published|first published|updated|last updated|written)\b", re.I)
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DAY_MONTH_YEAR_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(MONTHS) + r") (\d{4})\b", re.I
)
ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


def iso_date(text: str) -> str:
    """The first date in ``text`` as YYYY-MM-DD ("3 March 2022", "2022-03-03T10:00"), or ""."""
    if m := ISO_DATE_RE.search(text):
        return m.group(0)
    if m := DAY_MONTH_YEAR_RE.search(text):
        day, month, year = int(m.group(1)), MONTHS.index(m.group(2).lower()) + 1, m.group(3)
        return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""
    return ""


def is_byline(text: str) -> bool:
    """ "Posted 3 March 2022 by the communications team", "By Jo Bloggs, 3 March 2022": page
    furniture, not content. A short line starting "By" needs a date too, as prose can."""
    flat = " ".join(text.split())
    if len(flat.split()) > 15:
        return False
    dated = bool(iso_date(flat))
    if BYLINE_RE.match(flat):
        return dated or " by " in flat.lower()
    return flat.lower().startswith("by ") and dated


def site_title(title: str) -> str:
    """A <title> without its site name ("Plymouth update | Council News" -> "Plymouth update")."""
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", title)
    return parts[0] if len(parts) > 1 and len(parts[0].split()) >= 2 else title


def is_boilerplate(text: str) -> bool:
    flat = " ".join(text.split())
    words = flat.split()
    if COOKIE_RE.search(flat):
        return True
    if CONTACT_PROMPT_RE.search(flat):
        return True
    if len(words) <= 25 and (CONTACT_RE.search(flat) or SOCIAL_RE.search(flat)):
        return True
    if is_byline(flat):
        return True
    return bool(re.fullmatch(r"[\W\d_]*", flat))


def looks_like_heading(text: str) -> bool:
    flat = " ".join(text.split())
    return (
        "\n" not in text.strip()
        and 1 <= len(flat.split()) <= 12
        and not re.search(r"[.!?,;:]$", flat)
    )


def filter_web_blocks(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop banners, contact and social lines, navigation fragments and repeated paragraphs.

    A short line with no closing punctuation is a heading when real prose follows it, and
    navigation or a tagline otherwise.
    """
    dropped: list[str] = []
    kept: list[Block] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for b in blocks:
        key = " ".join(b.text.split()).lower()
        counts[key] = counts.get(key, 0) + 1
    # A short line that a page repeats is site chrome (a tagline, a contact strip), not content.
    repeated = {k for k, n in counts.items() if n > 1 and len(k.split()) <= 12}
    candidates = [
        b
        for b in blocks
        if (not b.heading_level and is_boilerplate(b.text))
        or " ".join(b.text.split()).lower() in repeated
    ]
    survivors = [b for b in blocks if b not in candidates]
    dropped.extend(b.text for b in candidates)
    for i, block in enumerate(survivors):
        key = " ".join(block.text.split()).lower()
        if key in seen:
            dropped.append(block.text)
            continue
        words = len(block.text.split())
        nxt = survivors[i + 1] if i + 1 < len(survivors) else None
        short = (
            block.heading_level
            or looks_like_heading(block.text)
            or (words <= 10 and not re.search(r"[.!?]$", block.text.strip()))
        )
        if short:
            if block.heading_level:
                # A real heading may have a short line (a caption, a date) before its prose.
                ahead = survivors[i + 1 :]
                stop = next((j for j, b in enumerate(ahead) if b.heading_level), len(ahead))
                prose = any(len(b.text.split()) >= 20 for b in ahead[:stop])
            else:
                prose = nxt is not None and len(nxt.text.split()) >= 20 and not nxt.heading_level
            if prose:
                seen.add(key)
                kept.append(Block(" ".join(block.text.split()), block.heading_level or 2, []))
            else:
                dropped.append(block.text)
            continue
        seen.add(key)
        kept.append(block)
    return kept, dropped


def text_blocks(body: str) -> list[Block]:
    """Plain text: paragraphs split on blank lines; inline Markdown a capture kept is stripped."""
    blocks = []
    for para in re.split(r"\n\s*\n", body):
        lines = [LIST_RE.sub("- ", ln.strip(), count=1) for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        text, links = inline("\n".join(lines))
        if text.strip():
            blocks.append(Block(text.strip(), 0, _shift(links, text)))
    return blocks


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
    parser = _HTMLText()
    parser.feed(body)
    parser.close()
    return parser.blocks, " ".join(parser.title.split()), parser.meta


def assemble(blocks: list[Block]) -> tuple[str, list[tuple[int, int, str]], list[Link]]:
    """Join blocks with blank lines, recording where each heading and link ends up."""
    parts: list[str] = []
    headings: list[tuple[int, int, str]] = []
    links: list[Link] = []
    offset = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            offset += 2
        if block.heading_level:
            headings.append((offset, block.heading_level, block.text))
        for start, end, url in block.links:
            links.append(Link(offset + start, offset + end, url))
        parts.append(block.text)
        offset += len(block.text)
    return "".join(parts), headings, links


def clean(body: str, fmt: str) -> CleanText:
    """The cleaned text of a document body, in the format the loader detected."""
    title, meta = "", {}
    if fmt == "markdown":
        blocks, dropped = markdown_blocks(body), []
    elif fmt == "html":
        blocks, title, meta = html_blocks(body)
        blocks, dropped = filter_web_blocks(blocks)
    else:
        blocks, dropped = filter_web_blocks(text_blocks(body))
    text, headings, links = assemble(blocks)
    canonical = meta.get("canonical", "")
    published = iso_date(meta.get("published", "")) or next(
        (date for d in dropped if is_byline(d) and (date := iso_date(d))), ""
    )
    return CleanText(
        text=text,
        headings=headings,
        links=links,
        dropped=dropped,
        title=site_title(title),
        canonical=canonical if canonical.startswith(("http://", "https://")) else "",
        published=published,
    )
