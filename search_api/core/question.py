"""What kind of question it is, so the answer can lead with what that kind asks for.

A commissioner asking "can we just give the contract to the co-op?" wants a yes or no first;
"what is a public service mutual?" wants the defining sentence; "what's the threshold?" wants
the figure; "what did Plymouth do?" wants the council's action. The kind is read from the
question's form (its opening words and a few cue phrases), never from its topic, so it holds
for questions about subjects the corpus gains later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    PERMISSION = "permission"  # may we do it? ("can we", "is it allowed", "do we have to")
    DEFINITION = "definition"  # what is it?
    FIGURE = "figure"  # how much, how long, when?
    CASE_STUDY = "case_study"  # what did a council do?
    HOW_TO = "how_to"  # how do we do it?
    COMPARISON = "comparison"  # how do two things differ?
    OTHER = "other"


class Asks(StrEnum):
    """For a permission question, what a yes would mean."""

    MAY = "may"  # may we do it? (yes = it is allowed)
    MUST = "must"  # do we have to? (yes = it is required)
    OBSTACLE = "obstacle"  # is there a problem? (yes = something stands in the way)


@dataclass(frozen=True)
class Question:
    text: str
    kind: Kind
    asks: Asks | None = None
    term: str = ""  # for a definition: the thing to define, as the question words it
    figure: str = ""  # for a figure: "amount", "date" or "duration"


_ = r"\W*"
OPENING_MODAL = re.compile(
    rf"^{_}(can|could|may|might|are we (allowed|able|permitted)|is (it|this|that) "
    rf"(ok|okay|alright|allowed|legal|lawful|possible|fine|permitted|acceptable)|"
    rf"would (it|we) be (allowed|able|ok|okay|legal|lawful))\b",
    re.I,
)
PERMISSION_CUES = re.compile(
    r"\b(allowed|permitted|lawful|legal to|legally|without (a |an |any )?(re-?tender\w*|tender|tendering|"
    r"competition|competitive|procurement|advert|advertising|contract notice|going out to tender)|"
    r"(just|simply|directly) (give|hand|award|pass|pick|choose|use|extend|renew|appoint)|"
    r"direct(ly)? award|instead of (re-?)?tender\w*)\b",
    re.I,
)
OBLIGATION = re.compile(
    rf"^{_}(do|does|must|shall|will|would|should) (we|i|you|the council|a council|councils|"
    rf"they|our council|my council|authorities)\b.*\b(have to|need to|got to|required|obliged)\b|"
    rf"\b(have to|need to|required to|obliged to|obligated to|compulsory|mandatory)\b|"
    rf"^{_}(must|need) (we|i|the council|a council)\b",
    re.I,
)
OBSTACLE = re.compile(
    r"procurement (issue|problem|barrier|obstacle|risk)|(rules?|law|regulations?|act) "
    r"(stop|prevent|block|forbid|bar|get in the way)|against the (rules|law)|\billegal\b|"
    r"\bunlawful\b|break(ing)? the (rules|law)|\bbreach\b|(is|are) there (a|any) (problem|issue|"
    r"catch|risk)s?\b",
    re.I,
)
YES_NO = re.compile(
    rf"^{_}(is|are|can|could|do|does|did|should|must|may|might|will|would|has|have|shall|am)\b",
    re.I,
)
COMPARISON = re.compile(
    r"\b(difference|differences|differ|distinguish|compared? (to|with)|comparison|versus|vs\.?|"
    r"rather than|better to|or should we|which is better|pros and cons|instead of a)\b",
    re.I,
)
AMOUNT = re.compile(
    r"\b(threshold|thresholds|how much|how many|what (is|'s|are) the (value|figure|amount|limit|"
    r"cap)|figure|amount|£|limit for|cap on|maximum value|minimum value|financial limit)\b|£",
    re.I,
)
DURATION = re.compile(
    r"\bhow long\b|\bmaximum (term|length|duration)\b|\bhow many (days|weeks|months|years)\b|"
    r"\b(standstill|moratorium) period\b",
    re.I,
)
DATE = re.compile(
    r"^\W*when\b|\bwhat (date|year|day)\b|\bsince when\b|\bcome into (force|effect)\b|"
    r"\b(start|commence|began|begin)(ed|s)? (date|on)\b|\bin force\b",
    re.I,
)
CASE_STUDY = re.compile(
    r"\bcase stud(y|ies)\b|\bhow did\b|\bwhat did\b|\bwhich (council|councils|authority)\b.*\b("
    r"did|used|partnered|worked)\b|\bexample(s)? of (a )?council\b",
    re.I,
)
HOW_TO = re.compile(
    r"^\W*how (do|can|should|would|could|might|does|to)\b|^\W*what (steps|do we need to do)\b|"
    r"\bsteps (to|for)\b|\bprocess for\b|\bhow to\b|\bwhere do (we|i) start\b",
    re.I,
)
DEFINITION = re.compile(
    r"^\W*(what|who)(?: is|'s| are|s) (?:(?:a|an|the)\s+)?(?P<term>[^?]{2,80}?)\s*\??\s*$|"
    r"^\W*what does (?P<term2>[^?]{2,60}?) (mean|stand for)\b|"
    r"^\W*(define|explain|meaning of) (?:(?:a|an|the)\s+)?(?P<term3>[^?]{2,60}?)\s*\??\s*$",
    re.I,
)
DEFINITION_MAX_TERM_WORDS = 7  # "what is X" with a longer X is a question about X, not its meaning


def classify(text: str, names_council: bool = False) -> Question:
    """The question's kind, read from its form; ``names_council`` when it names a council."""
    q = " ".join(text.split())
    asks = _asks(q)
    if asks is not None:
        return Question(q, Kind.PERMISSION, asks=asks)
    if COMPARISON.search(q):
        return Question(q, Kind.COMPARISON)
    if DURATION.search(q):
        return Question(q, Kind.FIGURE, figure="duration")
    if AMOUNT.search(q):
        return Question(q, Kind.FIGURE, figure="amount")
    if DATE.search(q):
        return Question(q, Kind.FIGURE, figure="date")
    if names_council and (CASE_STUDY.search(q) or HOW_TO.search(q) or not YES_NO.search(q)):
        return Question(q, Kind.CASE_STUDY)
    if CASE_STUDY.search(q):
        return Question(q, Kind.CASE_STUDY)
    match = DEFINITION.match(q)
    if match:
        term = next(t for t in match.group("term", "term2", "term3") if t)
        if len(term.split()) <= DEFINITION_MAX_TERM_WORDS:
            return Question(q, Kind.DEFINITION, term=term.strip(" ?."))
    if HOW_TO.search(q):
        return Question(q, Kind.HOW_TO)
    return Question(q, Kind.OTHER)


def _asks(q: str) -> Asks | None:
    if OBSTACLE.search(q) and YES_NO.search(q):
        return Asks.OBSTACLE
    if OBLIGATION.search(q) and (YES_NO.search(q) or q.rstrip().endswith("?")):
        return Asks.MUST
    if OPENING_MODAL.search(q) or (PERMISSION_CUES.search(q) and YES_NO.search(q)):
        return Asks.MAY
    if PERMISSION_CUES.search(q) and not re.match(r"^\W*(what|which|who|when|why|how)\b", q, re.I):
        return Asks.MAY
    return None
