"""Words as retrieval sees them: lower-cased, stop words dropped, stemmed (Snowball English)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

WORD_RE = re.compile(r"\b\w\w+\b|\b\d\b")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "us",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "get",
        "got",
        "let",
        "lets",
        "there's",
        "what's",
        "isn't",
        "aren't",
        "don't",
        "doesn't",
        "can't",
        "cannot",
        "want",
        "need",
        "tell",
        "know",
        "like",
        "really",
        "please",
        "ok",
    ]
)

_stemmer = Stemmer.Stemmer("english")


# The months by name, in order: dates written out in pages and questions.
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


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


# An answer reads the same sentences of the same passages request after request (to score,
# compare and quote them), and each used to be split into stems again every time: most of an
# /ask's time outside the encoder. Texts up to this length (sentences, questions, labels) keep
# their stems in a bounded cache; longer ones (whole passages, read once at load or ingest)
# would only fill it.
CACHED_TEXT_CHARS = 1000


def _stems(text: str) -> list[str]:
    return [
        stem(w) for w in (m.group(0).lower() for m in WORD_RE.finditer(text)) if w not in STOPWORDS
    ]


def word_pairs(words: list[str]) -> set[tuple[str, str]]:
    """Each two content words next to each other (stop words between them dropped): a
    question's phrasing that a passage matching it word for word shares, in order."""
    return set(zip(words, words[1:], strict=False))


@lru_cache(maxsize=32_768)
def _cached_stems(text: str) -> tuple[str, ...]:
    return tuple(_stems(text))


def tokens(text: str) -> list[str]:
    """The stems of the content words, in order (a new list, the caller's to change)."""
    if len(text) <= CACHED_TEXT_CHARS:
        return list(_cached_stems(text))
    return _stems(text)


def token_set(text: str) -> frozenset[str]:
    """The stems of ``tokens`` as a set: what the many overlap tests of a sentence with a
    question read. Kept like the stems (the same texts, the same bound), so a sentence found
    by many questions is not made into a set for each; frozen, so no caller can change it."""
    if len(text) <= CACHED_TEXT_CHARS:
        return _cached_stem_set(text)
    return frozenset(_stems(text))


@lru_cache(maxsize=32_768)
def _cached_stem_set(text: str) -> frozenset[str]:
    return frozenset(_cached_stems(text))


def index_tokens(text: str) -> list[str]:
    """``tokens`` of a whole passage, read once when a build is indexed: never kept, so a
    large build does not crowd out the sentences answers read again and again."""
    return _stems(text)


# About 12 kB a passage of 1,000 characters: at most some 12 MB, whatever the build's size.
@lru_cache(maxsize=1024)
def _spans(text: str) -> tuple[tuple[int, int, str], ...]:
    out = []
    for m in WORD_RE.finditer(text):
        word = m.group(0).lower()
        if word not in STOPWORDS:
            out.append((m.start(), m.end(), stem(word)))
    return tuple(out)


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each content word, for highlighting matches in a passage.

    Kept per text, bounded: the passages an answer cites are highlighted again for every
    question that finds them."""
    return list(_spans(text))


SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£])")
ABBREVIATIONS = frozenset(
    {
        "e.g.",
        "i.e.",
        "etc.",
        "reg.",
        "regs.",
        "s.",
        "ss.",
        "no.",
        "cf.",
        "dr.",
        "mr.",
        "mrs.",
        "ms.",
        "st.",
        "c.",
        "v.",
        "vs.",
        "para.",
        "art.",
        "cllr.",
        "sch.",
        "approx.",
    }
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries within text[start:end], as absolute (start, end) offsets."""
    end = len(text) if end is None else end
    spans = []
    cursor = start
    for match in SENTENCE_END_RE.finditer(text, start, end):
        before = text[cursor : match.start()].rsplit(None, 1)
        word = before[-1].lower().lstrip("(\"'“‘") if before else ""
        if word in ABBREVIATIONS or re.fullmatch(r"[a-z]\.", word):
            continue
        spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]
