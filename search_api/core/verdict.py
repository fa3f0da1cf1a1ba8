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

from .question import Asks


class Modality(StrEnum):
    NOT_KNOWN = "not_known"  # the sources say the fact is not known or not given
    RESTRICTED = "restricted"  # allowed only in listed cases
    FORBIDDEN = "forbidden"
    CONDITIONAL = "conditional"  # allowed where a condition holds
    PERMITTED = "permitted"
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"


RESTRICTED = re.compile(
    r"\bonly\b[^.;]{0,90}?\b(if|where|when|in|for|under|above|below|grounds?|cases?|conditions?|"
    r"circumstances|justifications?)\b|\blimited (to|circumstances|cases|grounds|set)\b|"
    r"\b(listed|narrow|specific|exceptional) (grounds|cases|circumstances|justifications)\b|"
    r"\bunless\b|\bexcept (where|when|if|for)\b",
    re.I,
)
FORBIDDEN = re.compile(
    r"\b(cannot|can't|can not|must not|mustn't|may not|is not (allowed|permitted|lawful)|"
    r"are not (allowed|permitted|lawful)|not allowed|not permitted|prohibit\w*|unlawful|"
    r"forbid\w*|no power to|is barred|are barred)\b",
    re.I,
)
PERMITS = re.compile(
    r"\b(can|may|is (free|able|allowed|permitted|entitled) to|are (free|able|allowed|permitted|"
    r"entitled) to|allows?|allowed|permits?|permitted|lets?|enables?|has (the )?power|have (the )?"
    r"power|power to|(is|are) lawful|(is|are) possible|flexib\w*|permissive|room to)\b",
    re.I,
)
CONDITION = re.compile(
    r"\b(if|where|provided|as long as|so long as|subject to|once|when|on condition)\b", re.I
)
REQUIRES = re.compile(
    r"\b(must|has to|have to|is required|are required|requires?|duty to|under a duty|obliged|"
    r"obligation to|mandatory|compulsory|shall)\b",
    re.I,
)
RELEASES = re.compile(
    r"\b(need not|does not (have|need) to|do not (have|need) to|not required|no (duty|requirement|"
    r"obligation|need)|is not obliged|are not obliged|optional|does not apply|do not apply|"
    r"falls? outside|outside (the|its) (rules|regulations|act|scope)|not caught)\b",
    re.I,
)
# A sentence saying the sources do not give a fact: "X is not known from the sources", "the
# sources do not say whether ...", "could not be confirmed", "no outcome figures are given".
# The corpus states what it does not know in these few forms; the hedge an inference carries
# ("Inference, not stated in the sources: ...") is a different thing and is left out.
NOT_KNOWN = re.compile(
    r"\b(is|are|was|were|remains?) (\w+ )?(not known|unknown)\b|\bnot known from\b|"
    r"\((title|name|date|text) not known\)|"
    r"\bthe sources?( \w+){0,2} (do|does|did) not (say|give|state|name|describe|confirm|explain|"
    r"list|show|record|mention|identify)\b|\bnone of the sources\b|\bthe sources? gives? no\b|"
    r"\b(could|can) not be (confirmed|found|established|verified)\b|\bcannot be confirmed\b|"
    r"\b(was|were) not (found|checked|confirmed|read)\b|\b(is|are) not (given|listed|described|"
    r"stated|named)( \w+){0,3} (here|in the sources?)\b|\bno [\w-]+( [\w-]+){0,3} (is|are) "
    r"(given|named|stated)\b",
    re.I,
)
INFERENCE = re.compile(r"^\W*inference\b", re.I)


def says_not_known(sentence: str) -> bool:
    """Whether the sentence says a fact is not known or not given by the sources."""
    return unknown_clause(sentence) is not None


def unknown_clause(sentence: str) -> str | None:
    """The clause of the sentence that says what is not known ("the sources do not give
    outcome figures for the Alliance"), or None when it says nothing is missing."""
    if INFERENCE.match(sentence):
        return None
    for clause in CLAUSES.split(sentence):
        if NOT_KNOWN.search(clause):
            return clause
    return None


def unknown_subject(clause: str) -> str:
    """What the clause says is not known: what follows "the sources do not give", or what
    comes before "is not known" (from its last conjunction on)."""
    found = NOT_KNOWN.search(clause)
    if found is None:
        return ""
    if re.match(r"(the|none of the) sources?", found.group(0), re.I):
        return clause[found.end() :]
    return SUBJECT_START.split(clause[: found.start()])[-1]


SUBJECT_START = re.compile(r"\b(?:since|because|as|so|while|but|whereas)\b|[;:]", re.I)


CLAUSES = re.compile(r"(?<=[.;:])\s+|,\s+(?:and|but|so|while)\s+(?=the sources?\b)", re.I)


# A sentence about the rules being permissive answers "is there a procurement issue?".
ABOUT_RULES = re.compile(r"\b(rules?|regulations?|law|procurement|act|regime|legislation)\b", re.I)


NEGATED = re.compile(
    r"\b(not|never|no longer|nor)\s+(\w+\s+){0,2}(itself\s+)?(allow|permit|let|enable|exempt|"
    r"require|oblige|apply|can|may|must)\w*",
    re.I,
)


def modality(sentence: str) -> Modality | None:
    """What the sentence says about doing something, strongest reading first; None when a
    negation makes the reading unsure ("does not itself allow ...")."""
    if says_not_known(sentence):
        return Modality.NOT_KNOWN
    if (
        NEGATED.search(sentence)
        and not FORBIDDEN.search(sentence)
        and not RELEASES.search(sentence)
    ):
        return None
    if RESTRICTED.search(sentence):
        return Modality.RESTRICTED
    if RELEASES.search(sentence):
        return Modality.NOT_REQUIRED
    if FORBIDDEN.search(sentence):
        return Modality.FORBIDDEN
    if PERMITS.search(sentence):
        return Modality.CONDITIONAL if CONDITION.search(sentence) else Modality.PERMITTED
    if REQUIRES.search(sentence):
        return Modality.REQUIRED
    return None


# (what a yes means, what the sentence says) -> the answer's first words
LEADS: dict[tuple[Asks, Modality], str] = {
    (Asks.MAY, Modality.PERMITTED): "Yes:",
    (Asks.MAY, Modality.CONDITIONAL): "Yes, if the conditions are met:",
    (Asks.MAY, Modality.RESTRICTED): "Only in limited cases:",
    (Asks.MAY, Modality.FORBIDDEN): "Usually not:",
    (Asks.MAY, Modality.NOT_REQUIRED): "Yes:",
    (Asks.MUST, Modality.REQUIRED): "Yes:",
    (Asks.MUST, Modality.RESTRICTED): "Only in some cases:",
    (Asks.MUST, Modality.NOT_REQUIRED): "Not necessarily:",
    (Asks.OBSTACLE, Modality.PERMITTED): "Usually not:",
    (Asks.OBSTACLE, Modality.CONDITIONAL): "Usually not:",
    (Asks.OBSTACLE, Modality.NOT_REQUIRED): "Usually not:",
    (Asks.OBSTACLE, Modality.RESTRICTED): "It can be:",
}


def lead_words(asks: Asks, sentence: str) -> str | None:
    """The direct first words a sentence backs for the question, or None if it backs none."""
    found = modality(sentence)
    if found is None:
        return None
    if asks is Asks.MUST and found is Modality.REQUIRED and CONDITION.search(sentence):
        found = Modality.RESTRICTED  # "must ... where ..." is required only in some cases
    if asks is Asks.OBSTACLE and not ABOUT_RULES.search(sentence):
        return None  # a permission unrelated to the rules says nothing about an obstacle
    return LEADS.get((asks, found))
