"""The page furniture of raw web captures, and the one call that reads a body in its format.

A web page saved as text carries cookie banners, navigation, contact lines, social links and
bylines between its paragraphs; ``filter_web_blocks`` drops those paragraphs so they never reach
a passage. HTML pages are read by trafilatura (``ingest.readers.html``), which finds the main
content from the markup; a plain-text capture has no markup left, so these rules stay for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.text import MONTHS

from .model import DocumentError
from .readers import registry
from .readers.base import Block, ReadText, Unreadable

if TYPE_CHECKING:
    from .load import RawDocument

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
    r"^((for (further|more) information,? (please )?contact|contact us|get in touch|follow us|"
    r"share (this|on)|sign up|subscribe|skip to (main )?content|back to top|read more|"
    r"you are here|related (posts|articles|pages|links|content)|copyright)\b|©)",
    re.IGNORECASE,
)
SOCIAL_RE = re.compile(
    r"\b(twitter|facebook|linkedin|instagram|youtube|x\.com)\b|(^|\s)@\w{3,}", re.I
)


BYLINE_RE = re.compile(r"^(posted|published|first published|updated|last updated|written)\b", re.I)
DAY_MONTH_YEAR_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(MONTHS) + r") (\d{4})\b", re.I
)
ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


def _dates(text: str):
    """Every date written in ``text`` as YYYY-MM-DD, ISO forms first, then "3 March 2022"."""
    for m in ISO_DATE_RE.finditer(text):
        yield m.group(0)
    for m in DAY_MONTH_YEAR_RE.finditer(text):
        day, month, year = int(m.group(1)), MONTHS.index(m.group(2).lower()) + 1, m.group(3)
        if 1 <= day <= 31:
            yield f"{year}-{month:02d}-{day:02d}"


def iso_date(text: str) -> str:
    """The first date in ``text`` as YYYY-MM-DD ("3 March 2022", "2022-03-03T10:00"), or ""."""
    return next(_dates(text), "")


def stated_dates(text: str) -> set[str]:
    """The dates a page writes anywhere (metadata or prose): a date found elsewhere is a guess."""
    return set(_dates(text))


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


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def drop_furniture(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop banners, contact, social and byline paragraphs, short lines a page repeats (a
    tagline, a contact strip) and any paragraph already kept once."""
    counts: dict[str, int] = {}
    for b in blocks:
        counts[_key(b.text)] = counts.get(_key(b.text), 0) + 1
    repeated = {k for k, n in counts.items() if n > 1 and len(k.split()) <= 12}
    kept: list[Block] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for b in blocks:
        key = _key(b.text)
        if (not b.heading_level and is_boilerplate(b.text)) or key in repeated or key in seen:
            dropped.append(b.text)
            continue
        seen.add(key)
        kept.append(b)
    return kept, dropped


def filter_web_blocks(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Page furniture out of a capture that lost its markup (``drop_furniture``), and its
    headings back: a short line with no closing punctuation is a heading when real prose
    follows it, and navigation or a tagline otherwise."""
    survivors, dropped = drop_furniture(blocks)
    kept: list[Block] = []
    for i, block in enumerate(survivors):
        words = len(block.text.split())
        nxt = survivors[i + 1] if i + 1 < len(survivors) else None
        short = (
            block.heading_level
            or looks_like_heading(block.text)
            or (words <= 10 and not re.search(r"[.!?]$", block.text.strip()))
        )
        if not short:
            kept.append(block)
            continue
        if block.heading_level:
            # A real heading may have a short line (a caption, a date) before its prose.
            ahead = survivors[i + 1 :]
            stop = next((j for j, b in enumerate(ahead) if b.heading_level), len(ahead))
            prose = any(len(b.text.split()) >= 20 for b in ahead[:stop])
        else:
            prose = nxt is not None and len(nxt.text.split()) >= 20 and not nxt.heading_level
        if prose:
            kept.append(Block(" ".join(block.text.split()), block.heading_level or 2, []))
        else:
            dropped.append(block.text)
    return kept, dropped


def published_in(stated: str, dropped: list[str]) -> str:
    """The date a page states: its metadata's, else the one in a byline the cleaning dropped."""
    return iso_date(stated) or next(
        (date for d in dropped if is_byline(d) and (date := iso_date(d))), ""
    )


def clean(raw: RawDocument) -> ReadText:
    """A loaded document's text, read by the reader registered for its format; a file the
    reader cannot read is a DocumentError naming the file."""
    try:
        return registry.by_name(raw.format).read(raw.body)
    except Unreadable as exc:
        raise DocumentError(raw.where, exc.reason, line=exc.line) from exc
