"""Web pages, read by trafilatura: the main content with its headings, lists, tables and links,
the page's title, canonical address and stated date.

trafilatura finds the content from the markup (article, main, the theme's classes); a page
whose furniture is bare <div>s and <p>s gives it nothing to go on, so the paragraphs it keeps
pass once more through the word rules for page furniture (``ingest.clean``). When the page has
headings and trafilatura kept none of them, it read the page with its paragraphs-only fallback;
the hand-written reader (``html_parser``) keeps more of such a page (bench/RESULTS.md, "Web
pages") and reads it instead. A date counts only when the page states it: htmldate's
opportunistic search is off (it took a date from the prose, "commenced on 24 February 2025",
as the page's), the date it finds in the metadata must be written in the page, and failing
that a byline ("Posted 3 March 2022 by ...") gives it.
"""

from __future__ import annotations

from ..clean import (
    drop_furniture,
    filter_web_blocks,
    is_byline,
    iso_date,
    published_in,
    site_title,
    stated_dates,
)
from .base import Block, ReadText, Unreadable, read_blocks
from .html_parser import html_blocks

LEVELS = {f"h{n}": n for n in range(1, 7)}


def _text(element) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of a trafilatura XML element, with (start, end, url) of its <ref> links."""
    parts: list[str] = [element.text or ""]
    links: list[tuple[int, int, str]] = []
    for child in element:
        start = sum(len(p) for p in parts)
        inner, inner_links = _text(child)
        links.extend((s + start, e + start, u) for s, e, u in inner_links)
        parts.append(inner)
        target = child.get("target") or ""
        if child.tag == "ref" and target.startswith(("http://", "https://")):
            links.append((start, start + len(inner), target))
        parts.append(child.tail or "")
    raw = "".join(parts)
    text = " ".join(raw.split())
    if text != raw.strip():  # whitespace collapsed: re-measure each link on the collapsed text
        links = _relocate(raw, text, links)
    else:
        lead = len(raw) - len(raw.lstrip())
        links = [(s - lead, e - lead, u) for s, e, u in links]
    return text, links


def _relocate(raw: str, text: str, links: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for start, end, url in links:
        label = " ".join(raw[start:end].split())
        at = text.find(label) if label else -1
        if at >= 0:
            out.append((at, at + len(label), url))
    return out


def xml_blocks(root) -> list[Block]:
    """Blocks of trafilatura's XML output: <head>, <p>, list <item>s, table <row>s."""
    main = root.find("main")
    blocks: list[Block] = []
    for element in main.iter() if main is not None else []:
        tag = element.tag
        if tag == "head":
            text, links = _text(element)
            level = LEVELS.get(element.get("rend") or "", 2)
            if text:
                blocks.append(Block(text, level, links))
        elif tag in ("p", "quote", "code") and element.getparent().tag not in ("item", "cell"):
            text, links = _text(element)
            if text:
                blocks.append(Block(text, 0, links))
        elif tag == "item":
            text, links = _text(element)
            if text:
                blocks.append(Block("- " + text, 0, [(s + 2, e + 2, u) for s, e, u in links]))
        elif tag == "row":
            cells = [" ".join("".join(c.itertext()).split()) for c in element.findall("cell")]
            if any(cells):
                blocks.append(Block("; ".join(c for c in cells if c), 0, []))
    return blocks


BYLINE_TAGS = ("p", "div", "span", "time", "li", "small", "address")


def byline_date(tree) -> str:
    """The date of the page's byline ("Posted 3 March 2022 by ..."), or ""."""
    for element in tree.iter(*BYLINE_TAGS):
        text = element.text_content()
        if len(text) < 200 and is_byline(text):
            return iso_date(text)
    return ""


def read_by_parser(html: str) -> ReadText:
    """The hand-written reader (``html_parser``) and the furniture rules of text captures."""
    blocks, title, meta = html_blocks(html)
    kept, dropped = filter_web_blocks(blocks)
    if not kept:
        raise Unreadable("nothing but boilerplate: every paragraph is page furniture")
    canonical = meta.get("canonical", "")
    return read_blocks(
        kept,
        dropped,
        title=next((b.text for b in blocks if b.heading_level == 1), "") or site_title(title),
        canonical=canonical if canonical.startswith(("http://", "https://")) else "",
        published=published_in(meta.get("published", ""), dropped),
    )


def _headings(tree) -> set[str]:
    return {
        " ".join(h.text_content().split()) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
    }


def read(body: str | bytes) -> ReadText:
    html = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    return read_trafilatura(html, fallback=True)


def read_trafilatura(html: str, fallback: bool = False) -> ReadText:
    """trafilatura's reading; with ``fallback``, the hand-written one's when trafilatura kept
    none of the page's headings."""
    import lxml.html
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_links=True,
        include_tables=True,
        include_comments=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not xml:
        raise Unreadable("nothing but boilerplate: no main content found in the page")
    root = etree.fromstring(xml.encode("utf-8"))
    tree = lxml.html.fromstring(html)
    page_headings = _headings(tree) - {""}
    kept_headings = {" ".join("".join(h.itertext()).split()) for h in root.iter("head")}
    if fallback and page_headings and not page_headings & kept_headings:
        return read_by_parser(html)  # trafilatura fell back to paragraphs only: see html_parser
    kept, dropped = drop_furniture(xml_blocks(root))
    if not kept:
        raise Unreadable("nothing but boilerplate: every paragraph is page furniture")
    date = root.get("date") or ""
    if date not in stated_dates(html):
        date = byline_date(tree)
    canonical = root.get("url") or ""
    return read_blocks(
        kept,
        dropped,
        title=site_title(root.get("title") or ""),
        canonical=canonical if canonical.startswith(("http://", "https://")) else "",
        published=date,
    )
