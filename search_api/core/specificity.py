"""How much a question word says about what is asked: rare in the corpus and in English.

Coverage weighs the question's words by corpus idf, but a word the corpus seldom uses can
still be filler ("actually", "right", "happy"), and letting it decide whether a question is
covered declines good questions. Word frequencies of everyday English (pyspellchecker's list)
damp such words; a name or term English seldom uses ("Croydon", "procurement") keeps its weight.
"""

from __future__ import annotations

import math
from functools import lru_cache

import Stemmer

from .spelling import english_frequencies


@lru_cache(maxsize=1)
def english_idf() -> dict[str, float]:
    """-log(share of English text) for every stem, from pyspellchecker's frequency list."""
    stemmer = Stemmer.Stemmer("english")
    counts = english_frequencies()
    by_stem: dict[str, int] = {}
    for word, count in counts.items():
        stem = stemmer.stemWord(word)
        by_stem[stem] = by_stem.get(stem, 0) + count
    total = sum(by_stem.values())
    return {stem: math.log(total / count) for stem, count in by_stem.items()}


def damping(stem: str, common: float, rare: float, floor: float) -> float:
    """1 for a stem English seldom uses (English idf at or above ``rare``), down to ``floor``
    for an everyday one (at or below ``common``), linear in between."""
    value = english_idf().get(stem)
    if value is None:
        return 1.0
    return min(1.0, max(floor, (value - common) / (rare - common)))
