"""The corpus is written in the project's own words: no sentence may copy a seed page.

A corpus document fails if any sentence of its body, or its front-matter ``title`` or
``question``, shares 12 or more consecutive words with any seed page in ``shared/seeds/``
(compared case-insensitively, with punctuation stripped). Without the seed pages the check
cannot run, so it is skipped, not passed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from kg.config import PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
CORPUS = PROJECT_ROOT / "corpus"
RUN = 12  # consecutive shared words that count as copying

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def words(text: str) -> list[str]:
    """Lower-case words with every punctuation mark and symbol treated as a space."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+|_", " ", text).split()


def runs(tokens: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def corpus_documents() -> list[Path]:
    return sorted(
        p
        for p in CORPUS.rglob("*.md")
        if p.name != "README.md" and "eval" not in p.relative_to(CORPUS).parts
    )


def sentences(path: Path) -> list[tuple[str, str]]:
    """(where, sentence) pairs: the title and question, then every body sentence."""
    text = path.read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    match = FRONT_MATTER.match(text)
    body = text
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        for key in ("title", "question"):
            if meta.get(key):
                out.append((key, str(meta[key])))
        body = text[match.end() :]
    body = LINK.sub(r"\1", body)
    out.extend(("body", s.strip()) for s in SENTENCE_END.split(body) if s.strip())
    return out


@pytest.fixture(scope="module")
def seed_runs() -> set[tuple[str, ...]]:
    pages = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not pages:
        pytest.skip(f"no seed pages at {SEEDS}: the own-words check needs them to compare against")
    found: set[tuple[str, ...]] = set()
    for page in pages:
        found |= runs(words(page.read_text(encoding="utf-8", errors="replace")))
    return found


def test_words_and_runs() -> None:
    assert words("Isn't this where the market—should come in?") == [
        "isn",
        "t",
        "this",
        "where",
        "the",
        "market",
        "should",
        "come",
        "in",
    ]
    assert len(runs(list("abcdefghijklm"))) == 2


def test_corpus_is_not_empty() -> None:
    assert len(corpus_documents()) > 10


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_no_sentence_copies_a_seed_page(path: Path, seed_runs: set[tuple[str, ...]]) -> None:
    copied = []
    for where, sentence in sentences(path):
        shared = runs(words(sentence)) & seed_runs
        if shared:
            copied.append(f"{where}: {sentence[:160]!r} shares {' '.join(sorted(shared)[0])!r}")
    assert not copied, f"{path.relative_to(CORPUS)} copies a seed page:\n" + "\n".join(copied)
