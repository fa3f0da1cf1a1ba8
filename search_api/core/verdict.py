"""A direct first line for a yes/no question, only when a cited sentence says it.

The first words ("Yes, if the conditions are met:", "Usually not:", "Only in limited cases:")
are chosen from what the backing sentence itself says — whether it permits, restricts,
forbids, requires or releases — and from what a yes would mean to the question asked ("may we"
versus "do we have to" versus "is there a problem"). No backing sentence, no direct line: the
answer then opens with its best quoted sentence as before.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from .cues import leads, section
from .question import Asks


class Modality(StrEnum):
    NOT_KNOWN = "not_known"  # the sources say the fact is not known or not given
    RESTRICTED = "restricted"  # allowed only in listed cases
    FORBIDDEN = "forbidden"
    CONDITIONAL = "conditional"  # allowed where a condition holds
    PERMITTED = "permitted"
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"


CUE = section("verdict")  # the patterns of cues.toml [verdict]
# The hedge an inference carries ("Inference, not stated in the sources: ...") says how a fact
# is known, not that it is unknown: such a sentence never says "not known".
INFERENCE = re.compile(r"^\W*inference\b", re.I)


def says_not_known(sentence: str) -> bool:
    """Whether the sentence says a fact is not known or not given by the sources."""
    return unknown_clause(sentence) is not None


@lru_cache(maxsize=32_768)
def unknown_clause(sentence: str) -> str | None:
    """The clause of the sentence that says what is not known ("the sources do not give
    outcome figures for the Alliance"), or None when it says nothing is missing.

    Kept per sentence (bounded): every answer asks it of each sentence it may quote."""
    if INFERENCE.match(sentence):
        return None
    clauses = _clauses(sentence)
    # Only a sentence that opens by saying so: "X, and the sources do not describe Y" states X.
    # A sentence lifted with the one it leans on is judged by its own (last) sentence.
    sentences = [i for i, c in enumerate(clauses) if i == 0 or clauses[i - 1].endswith(".")]
    # A clause after a semicolon stands as a sentence of its own: "both are dates of the award;
    # the sources do not give the date the service began" says the start date is unknown.
    first = sentences[-1]
    for i in range(first, len(clauses)):
        if (i == first or clauses[i - 1].endswith(";")) and CUE.not_known.search(clauses[i]):
            return clauses[i]
    return None


def hedged_clauses(sentence: str) -> list[str]:
    """Every clause of the sentence (or of the sentences quoted together) that says something
    is not known: "The sources do not list X. They do not say whether Y" hedges X and Y."""
    return [c for c in _clauses(sentence) if CUE.not_known.search(c)]


def _clauses(sentence: str) -> list[str]:
    """The sentence's clauses, with "they" after a clause on the sources read as the sources:
    "The sources used here do not list X. They do not say Y"."""
    clauses = [c for c in CLAUSES.split(sentence) if c.strip()]
    return [
        THEY.sub("The sources ", c, count=1)
        if i > 0 and THEY.match(c) and any(SOURCES.search(b) for b in clauses[:i])
        else c
        for i, c in enumerate(clauses)
    ]


THEY = re.compile(r"^\W*they\s+(?=(also\s+)?(do|does|did)\s+not\b)", re.I)
SOURCES = re.compile(r"\bthe sources?\b", re.I)


def unknown_subject(clause: str) -> str:
    """What the clause says is not known: what follows "the sources do not give", or what
    comes before "is not known" (from its last conjunction on), or what "no ... was found"
    names; for a clause saying so of several things ("X was not checked, and Y is not covered
    here"), all of them."""
    found = list(CUE.not_known.finditer(clause))
    parts = []
    for i, match in enumerate(found):
        if re.match(r"(the|none of the|no(?: \w+)?) sources?", match.group(0), re.I):
            parts.append(clause[match.end() : found[i + 1].start() if i + 1 < len(found) else None])
        elif none := NONE_FOUND.match(match.group(0)):
            parts.append(none.group(1))
        else:
            parts.append(
                SUBJECT_START.split(clause[found[i - 1].end() if i else 0 : match.start()])[-1]
            )
    return " ".join(parts)


NONE_FOUND = re.compile(r"no (.+) (?:is|are|was|were) (?:given|named|stated|found)$", re.I)
SUBJECT_START = re.compile(r"\b(?:since|because|as|so|while|but|whereas)\b|[;:]", re.I)


CLAUSES = re.compile(r"(?<=[.;:])\s+|,\s+(?:and|but|so|while)\s+(?=the sources?\b|they\b)", re.I)


# A sentence about the rules being permissive answers "is there a procurement issue?".


def modality(sentence: str) -> Modality | None:
    """What the sentence says about doing something, strongest reading first; None when a
    negation makes the reading unsure ("does not itself allow ...")."""
    if says_not_known(sentence):
        return Modality.NOT_KNOWN
    if (
        CUE.negated.search(sentence)
        and not CUE.forbidden.search(sentence)
        and not CUE.releases.search(sentence)
    ):
        return None
    if CUE.restricted.search(sentence):
        return Modality.RESTRICTED
    if CUE.releases.search(sentence):
        return Modality.NOT_REQUIRED
    if CUE.forbidden.search(sentence):
        return Modality.FORBIDDEN
    if CUE.permits.search(sentence):
        return Modality.CONDITIONAL if CUE.condition.search(sentence) else Modality.PERMITTED
    if CUE.requires.search(sentence):
        return Modality.REQUIRED
    return None


# (what a yes means, what the sentence says) -> the answer's first words
LEADS: dict[tuple[Asks, Modality], str] = {
    (Asks(asks), Modality(says)): words for asks, says, words in leads()
}


def lead_words(asks: Asks, sentence: str) -> str | None:
    """The direct first words a sentence backs for the question, or None if it backs none."""
    found = modality(sentence)
    if found is None:
        return None
    if asks is Asks.MUST and found is Modality.REQUIRED and CUE.condition.search(sentence):
        found = Modality.RESTRICTED  # "must ... where ..." is required only in some cases
    if asks is Asks.OBSTACLE and not CUE.about_rules.search(sentence):
        return None  # a permission unrelated to the rules says nothing about an obstacle
    return LEADS.get((asks, found))
