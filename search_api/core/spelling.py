"""Question words the corpus cannot match, corrected to the corpus's own spelling.

Commissioners type fast ("procurment", "comissioning") and often in American spelling
("organization"); BM25 then finds nothing for that word and the encoder sees an unfamiliar
token. A word is corrected only when the corpus does not use it and either no English
dictionary knows it (a typo) or it is the American form of a British word the corpus uses.
A real word the corpus simply does not contain ("pothole") is left alone, so a question about
something else still looks like one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

WORD_RE = re.compile(r"[A-Za-z]+")
POSSESSIVE_RE = re.compile(r"([A-Za-z]+)['\u2019]s\b")
MIN_LENGTH = 5  # shorter words are too often acronyms ("tupe", "sroi") to guess at

# American endings and their British forms: every ending a word has gives a candidate, and the
# first candidate the corpus uses is taken.
US_TO_UK = (
    ("ization", "isation"),
    ("izations", "isations"),
    ("izing", "ising"),
    ("ized", "ised"),
    ("izes", "ises"),
    ("ize", "ise"),
    ("yzing", "ysing"),
    ("yzed", "ysed"),
    ("yze", "yse"),
    ("orhood", "ourhood"),
    ("oring", "ouring"),
    ("ored", "oured"),
    ("ors", "ours"),
    ("or", "our"),
    ("ter", "tre"),
    ("ters", "tres"),
    ("ense", "ence"),
    ("eled", "elled"),
    ("eling", "elling"),
    ("gment", "gement"),
)
US_INFIXES = (("iza", "isa"), ("ori", "ouri"), ("orh", "ourh"))


@lru_cache(maxsize=1)
def english_frequencies() -> dict[str, int]:
    """pyspellchecker's English words and their frequencies: a word in it is spelled right,
    even if unseen here, and how often English uses it says how specific it is."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en").word_frequency.dictionary)


@dataclass(frozen=True)
class Correction:
    original: str
    corrected: str


def british_forms(word: str) -> list[str]:
    out = [word[: -len(us)] + uk for us, uk in US_TO_UK if word.endswith(us)]
    out += [word.replace(us, uk) for us, uk in US_INFIXES if us in word]
    return out


# Endings that make a new word of an English one ("vat" + "able"): the dictionary lists few
# such words, and a word so made is spelled right, not a typo of a corpus word ("valuable").
DERIVING = ("able", "ible", "ably", "ability", "ness", "less", "ful", "ish", "ism", "ist", "ee")
MIN_STEM = 3


def derived(word: str, english: Container[str]) -> bool:
    """Whether the word is an English word with a deriving ending ("vatable", "sizeable"), or
    the past form in "-t" of a verb the dictionary has in "-ed" ("dreamt", "learnt")."""
    if word.endswith("t") and word[:-1] + "ed" in english:
        return True
    for ending in DERIVING:
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < MIN_STEM:
            continue
        # A dropped "e" ("value" → "valuable") only of a longer stem: "posible" is no "pose".
        if stem in english or (len(stem) > MIN_STEM and stem + "e" in english):
            return True
    return False


class Speller:
    """Corrections against one corpus's vocabulary, built once per snapshot."""

    def __init__(self, texts: Iterable[str], english: Container[str] | None = None) -> None:
        counts: Counter[str] = Counter()
        # Words the corpus writes with a possessive "'s" ("Barnardo's", "Children's"), which
        # people type without the apostrophe.
        self.possessive: set[str] = set()
        for text in texts:
            counts.update(w.lower() for w in WORD_RE.findall(text))
            self.possessive.update(m.group(1).lower() for m in POSSESSIVE_RE.finditer(text))
        self.counts = counts
        self.words = [w for w in counts if len(w) >= MIN_LENGTH - 2]
        self.english = english if english is not None else english_frequencies()

    def suggest(self, word: str) -> str | None:
        """The corpus word meant by ``word``, or None when it should stay as typed."""
        if len(word) < MIN_LENGTH or word in self.counts:
            return None
        if word.endswith("s") and word[:-1] in self.possessive:
            return word[:-1] + "'s"  # "barnardos": Barnardo's, the name, not a typo
        if word in self.english or derived(word, self.english):
            return next((uk for uk in british_forms(word) if uk in self.counts), None)
        limit = 1 if len(word) <= 5 else 2
        found = process.extract(
            word,
            self.words,
            scorer=DamerauLevenshtein.distance,
            score_cutoff=limit,
            limit=20,
        )
        if not found:
            return None
        # Nearest first, then the word the corpus uses most; ties keep the first letter typed.
        best = min(
            found,
            key=lambda m: (m[1], m[0][0] != word[0], -self.counts[m[0]], m[0]),
        )
        return best[0]

    def correct(self, question: str) -> tuple[str, list[Correction]]:
        """The question with misspelled words replaced, and what was replaced."""
        corrections: list[Correction] = []

        def swap(match: re.Match[str]) -> str:
            typed = match.group(0)
            better = self.suggest(typed.lower())
            if better is None:
                return typed
            if typed[0].isupper():
                better = better[0].upper() + better[1:]
            corrections.append(Correction(typed, better))
            return better

        fixed = WORD_RE.sub(swap, question)
        return fixed, corrections
