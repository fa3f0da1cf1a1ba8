"""PDF text extraction, peers side by side: pypdfium2, pypdf and pdfplumber (PyMuPDF is AGPL and
left out). Speed in pages a second, and text quality two ways: on PDFs made here from known
paragraphs, the share of the source's words recovered in order; on the real PDFs a Debian
system ships, the share of extracted words an English dictionary knows (glued or split words and
unresolved ligatures fall out of it).

    python -m bench.pdf_text
"""

from __future__ import annotations

import difflib
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REAL_PDFS = [
    Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
]
WORD_RE = re.compile(r"[A-Za-z]+")


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pypdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def plumber_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


READERS: dict[str, Callable[[Path], list[str]]] = {
    "pypdfium2": pdfium_pages,
    "pypdf": pypdf_pages,
    "pdfplumber": plumber_pages,
}


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def in_order_recall(source: str, extracted: str) -> float:
    """Share of the source's words found, in order, in the extracted text."""
    a, b = _words(source), _words(extracted)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(a), 1)


def dictionary_share(text: str, known: Callable[[list[str]], set[str]]) -> float:
    words = [w for w in _words(text) if len(w) > 2]
    return 1 - len(known(words)) / max(len(words), 1)


def _timed(read: Callable[[Path], list[str]], path: Path, repeats: int) -> tuple[float, list[str]]:
    times, pages = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        pages = read(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), pages


def synthetic(folder: Path) -> list[tuple[Path, str]]:
    """Three made PDFs with their source text: guidance prose, short list lines, a long report."""
    from tests.ingest.makers import make_pdf

    corpus = sorted((Path(__file__).resolve().parent.parent / "corpus").rglob("*.md"))
    prose = [
        p.read_text(encoding="utf-8").split("---", 2)[-1] for p in corpus if p.stem != "README"
    ]
    paragraphs = [
        " ".join(para.split()).replace("#", "").replace("*", "")
        for text in prose
        for para in text.split("\n\n")
        if len(para.split()) > 8
    ]
    docs = []
    for name, chunk in (("guidance", paragraphs[:40]), ("report", paragraphs[:400])):
        pages = [chunk[i : i + 4] for i in range(0, len(chunk), 4)]
        docs.append((make_pdf(folder / f"{name}.pdf", pages), "\n".join(chunk)))
    lines = [f"Regulation {n}: the contracting authority may use route {n}" for n in range(60)]
    docs.append(
        (make_pdf(folder / "lists.pdf", [lines[i : i + 30] for i in (0, 30)]), "\n".join(lines))
    )
    return docs


def main() -> None:
    from spellchecker import SpellChecker

    checker = SpellChecker()
    with tempfile.TemporaryDirectory() as tmp:
        made = synthetic(Path(tmp))
        print("| PDF | pages | reader | pages/s | words recovered in order | known words |")
        print("|---|---|---|---|---|---|")
        runs = [(f"made: {path.name}", path, 3, source) for path, source in made]
        runs += [(f"Debian: {p.name}", p, 1, None) for p in REAL_PDFS if p.is_file()]
        for label, path, repeats, source in runs:
            for name, read in READERS.items():
                seconds, pages = _timed(read, path, repeats)
                text = "\n".join(pages)
                order = "–" if source is None else f"{in_order_recall(source, text):.3f}"
                print(
                    f"| {label} | {len(pages)} | {name} | {len(pages) / seconds:.0f} | {order} | "
                    f"{dictionary_share(text, checker.unknown):.3f} |"
                )


if __name__ == "__main__":
    main()
