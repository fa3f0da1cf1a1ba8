"""Web pages: trafilatura (ingest/readers/html.py) against the hand-written html.parser cleaner
it replaced (ingest/clean.py as of commit d524da6, read from git), on pages made from the
corpus's own documents inside a site's furniture (tests/ingest/makers.py): a CMS theme's markup
and bare <div>/<p> markup, each with a stated date and without one.

Per reader: the share of the document's words recovered in order, headings kept, pieces of
furniture that reached the text (of 10 per page), dates right (stated one found, none
invented), milliseconds a page.

    python -m bench.web_pages
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.pdf_text import in_order_recall
from ingest.readers import html, markdown
from tests.ingest.makers import CHROME, web_page

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "d524da6"


def baseline_cleaner():
    """The hand-written cleaner as the project had it, loaded from git without checking out."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE}:ingest/clean.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    spec = importlib.util.spec_from_loader("ingest.baseline_clean", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "ingest"
    sys.modules[spec.name] = module
    exec(compile(source, "baseline_clean.py", "exec"), module.__dict__)
    return module


def sections(path: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """A corpus document as (title, [(heading, paragraphs)]), through the Markdown reader."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    read = markdown.read(body)
    out: list[tuple[str, list[str]]] = [("", [])]
    starts = {start: text for start, _, text in read.headings}
    for match in re.finditer(r"[^\n](?:.|\n(?!\n))*", read.text):
        if match.start() in starts:
            out.append((starts[match.start()], []))
        else:
            out[-1][1].extend(line for line in match.group(0).split("\n") if line.strip())
    title = out[1][0] if len(out) > 1 and not out[0][1] else path.stem
    return title, [(h, ps) for h, ps in out if ps and h != title]


def main() -> None:
    old = baseline_cleaner()
    docs = sorted(p for p in (ROOT / "corpus").rglob("*.md") if p.name != "README.md")
    readers = {
        "hand-written (html.parser)": lambda page: old.clean(page, "html"),
        "trafilatura + furniture rules": html.read_trafilatura,
        "trafilatura, hand-written when it keeps no heading (shipped)": html.read,
    }
    print(
        "| reader | markup | pages | words recovered | headings kept | furniture leaked | "
        "dates right | ms/page |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, read in readers.items():
        for style in ("cms", "plain"):
            recall, heads, heads_total, leaked, dates, ms, n = 0.0, 0, 0, 0, 0, 0.0, 0
            for i, path in enumerate(docs):
                title, secs = sections(path)
                stated = i % 2 == 0
                page = web_page(
                    title, secs, date="2022-03-03" if stated else "", byline=stated, style=style
                )
                source = "\n".join([h for h, _ in secs] + [p for _, ps in secs for p in ps])
                start = time.perf_counter()
                try:
                    out = read(page)
                    text, headings, published = out.text, out.headings, out.published
                except Exception:  # noqa: BLE001 - a refused page recovers nothing
                    text, headings, published = "", [], ""
                ms += (time.perf_counter() - start) * 1000
                n += 1
                recall += in_order_recall(source, text)
                wanted = {h for h, _ in secs if h}
                heads_total += len(wanted)
                heads += len(wanted & {t for _, _, t in headings})
                leaked += sum(piece[:40] in text for piece in CHROME.values())
                dates += published == ("2022-03-03" if stated else "")
            print(
                f"| {name} | {style} | {n} | {recall / n:.3f} | {heads}/{heads_total} | "
                f"{leaked}/{10 * n} | {dates}/{n} | {ms / n:.1f} |"
            )


if __name__ == "__main__":
    main()
