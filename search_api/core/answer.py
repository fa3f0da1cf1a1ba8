"""Composing an answer only from what the cited passages and the graph say.

The answer is extractive: its sentences are copied from the cited passages, each followed by
its [n] marker, plus graph facts whose evidence passage is also cited. Nothing is generated, so
nothing can be said that a source does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.build import PassageRow
from kg.text import sentence_spans, token_spans, tokens

UNSUPPORTED_TEXT = (
    "The corpus does not cover this question: no passage in the Procurement to Partnership "
    "sources answers it closely enough to cite."
)


@dataclass
class Citation:
    n: int
    passage: PassageRow
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Fact:
    text: str
    citations: list[int]  # numbers of the citations that support it
    leads: bool = False  # the fact is the answer itself (a scheme's members): put it first


@dataclass
class Answer:
    text: str
    supported: bool
    citations: list[Citation]
    facts: list[Fact] = field(default_factory=list)


def highlights(text: str, query_tokens: set[str]) -> list[tuple[int, int]]:
    return [(s, e) for s, e, stem in token_spans(text) if stem in query_tokens]


def is_supported(best_dense: float, coverage: float, settings) -> bool:
    """In the corpus's domain when the closest passage is near the question and the top
    passages cover its specific words, or when the closest passage is very near."""
    if best_dense >= settings.support_dense_alone:
        return True
    return best_dense >= settings.support_min_dense and coverage >= settings.support_min_coverage


def _sentence_score(sentence: str, q: set[str], idf: dict[str, float]) -> float:
    words = set(tokens(sentence))
    if not words:
        return 0.0
    overlap = sum(idf.get(t, 0.0) for t in words & q)
    return overlap / (1.0 + 0.02 * len(sentence.split()))


YES_NO_RE = re.compile(
    r"^\W*(is|are|can|could|do|does|did|should|must|may|will|would|has|have|shall|am)\b", re.I
)
# (question pattern, cue a supporting sentence must contain, the direct first words)
VERDICTS = (
    (
        re.compile(
            r"procurement (issue|problem|barrier|obstacle)|(rules?|law|regulations?) "
            r"(stop|prevent|block|forbid|get in the way)|(allowed|permitted) to partner",
            re.I,
        ),
        # The backing sentence must say the rules permit, and be about the rules; the
        # strongest wording ("permissive", "myth") is preferred over a plain "allows".
        (
            re.compile(
                r"(?=.*\b(permissive|flexib\w*|myths?|custom and practice)\b)"
                r"(?=.*\b(rules?|regulations?|law|procurement)\b)",
                re.I,
            ),
            re.compile(
                r"(?=.*\b(allows?|allowed|permits?|permitted|enabl\w*)\b)"
                r"(?=.*\b(rules?|regulations?|law|procurement)\b)",
                re.I,
            ),
        ),
        "Usually not:",
    ),
    (
        re.compile(
            r"without (a |an |any )?(tender|competition|competitive|procurement|advert|"
            r"contract notice)|direct(ly)? award|\b(just|simply) (hand|give|award|pass)|"
            r"\bhand (it|the|a|over)\b",
            re.I,
        ),
        (
            re.compile(
                r"\bonly\b.*\b(grounds?|cases?|conditions?|where|if|when)\b|\blimited\b|"
                r"\blisted\b|\bexempt\w*|\boutside\b|\bnot (a )?procurement\b",
                re.I,
            ),
        ),
        "Only in limited cases:",
    ),
)


def verdict(question: str) -> tuple[tuple[re.Pattern[str], ...], str] | None:
    """For yes/no questions of the "is there a procurement issue" or "can we award without a
    tender" kind: the cue a cited sentence must carry, and the words that lead the answer."""
    if not YES_NO_RE.search(question):
        return None
    for pattern, cue, words in VERDICTS:
        if pattern.search(question):
            return cue, words
    return None


# Words that lean on the sentence before: lifted out alone, such a sentence means little.
DANGLING_RE = re.compile(
    r"^(it|this|that|these|those|they|he|she|such|hence|thus|therefore|so|but|however|"
    r"also|instead|otherwise|here|there)\b",
    re.I,
)
ITEM_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
LIST_UNIT_MAX = 700  # a whole list reads as one sentence up to this length


def _item(line: str) -> str:
    item = ITEM_RE.sub("", line).strip().rstrip(";,.")
    return item.removesuffix(" and").removesuffix(" or").rstrip(";,.")


def units(text: str) -> list[tuple[int, str]]:
    """(offset, text) of what an answer may quote: sentences, and list items with their lead-in.

    A list item lifted alone ("it has not won a comparable contract") loses what it is a
    condition of; quoted with its lead-in, or as the whole short list, it stays true.
    """
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        sentences = [
            (a, " ".join(text[a:b].split()))
            for a, b in sentence_spans(text, start, start + len(line))
        ]
        items: list[tuple[int, str]] = []
        j = i + 1
        while j < len(lines) and (ITEM_RE.match(lines[j][1]) or not lines[j][1].strip()):
            if lines[j][1].strip():
                items.append((lines[j][0], _item(lines[j][1])))
            j += 1
        if line.rstrip().endswith(":") and items and sentences:
            *before, (lead_at, lead) = sentences
            lead = lead.rstrip(":")
            out += before
            whole = f"{lead}: {'; '.join(item for _, item in items)}."
            if len(whole) <= LIST_UNIT_MAX:
                out.append((lead_at, whole))
            else:
                out += [(at, f"{lead}: {item}.") for at, item in items]
            i = j
            continue
        if ITEM_RE.match(line):
            out.append((start, ITEM_RE.sub("", line).strip()))
        else:
            out += sentences
        i += 1
    return out


def compose(
    question_tokens: list[str],
    passages: list[tuple[PassageRow, float]],
    idf: dict[str, float],
    supported: bool,
    facts: list[Fact] | None = None,
    max_sentences: int = 3,
    question: str = "",
) -> Answer:
    """The best supporting sentences of the top passages, each with its citation number."""
    if not supported or not passages:
        return Answer(UNSUPPORTED_TEXT, False, [], [])
    q = set(question_tokens)
    citations = [
        Citation(n=i + 1, passage=p, score=s, highlights=highlights(p.text, q))
        for i, (p, s) in enumerate(passages)
    ]

    candidates = []
    for rank, citation in enumerate(citations):
        text = citation.passage.text
        quotable = units(text)
        for k, (start, sentence) in enumerate(quotable):
            if len(sentence) < 25 or len(sentence) > LIST_UNIT_MAX or sentence.endswith(":"):
                continue
            leans = DANGLING_RE.match(sentence) is not None
            if leans and k > 0 and len(quotable[k - 1][1]) + len(sentence) < LIST_UNIT_MAX:
                # "Hence the name ..." is quoted with the sentence it leans on.
                start, sentence = quotable[k - 1][0], f"{quotable[k - 1][1]} {sentence}"
                leans = False
            score = _sentence_score(sentence, q, idf) + 1.5 / (rank + 1)
            if leans:
                score -= 1.0  # "It shows..." means little once lifted out of its passage
            candidates.append((score, rank, start, sentence, citation.n))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    lead = ""
    direct = verdict(question)
    if direct is not None:
        cues, words = direct
        backing = next((c for cue in cues for c in candidates if cue.search(c[3])), None)
        if backing is not None:
            # Only a cited sentence that carries the cue may back a direct first line.
            lead = f"{words} {_terminate(backing[3])} [{backing[4]}]"
            candidates.remove(backing)
            max_sentences -= 1
    chosen: list[tuple[int, int, str, int]] = []
    used_passages: set[int] = set()
    for _score, rank, start, sentence, n in candidates:
        if len(chosen) >= max_sentences:
            break
        if n in used_passages and len(citations) > len(used_passages):
            continue  # prefer breadth: one sentence per passage while others remain
        chosen.append((rank, start, sentence, n))
        used_passages.add(n)
    chosen.sort(key=lambda c: (c[0], c[1]))

    def stated(fact: Fact) -> str:
        return f"{_terminate(fact.text)} {''.join(f'[{n}]' for n in fact.citations)}"

    parts = (
        ([lead] if lead else [])
        + [stated(f) for f in facts or [] if f.leads]
        + [f"{_terminate(sentence)} [{n}]" for _, _, sentence, n in chosen]
        + [stated(f) for f in facts or [] if not f.leads]
    )
    return Answer(" ".join(parts), True, citations, list(facts or []))


def _terminate(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if re.search(r"[.!?…)\"”’]$", sentence) else sentence + "."
