"""What kind of question it is, so the answer can lead with what that kind asks for.

A commissioner asking "can we just give the contract to the co-op?" wants a yes or no first;
"what is a public service mutual?" wants the defining sentence; "what's the threshold?" wants
the figure; "what did Plymouth do?" wants the council's action. The kind is read from the
question's form (its opening words and a few cue phrases), never from its topic, so it holds
for questions about subjects the corpus gains later.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from kg.text import MONTHS

from .cues import section


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


CUE = section("question")  # the patterns of cues.toml [question]
DEFINITION_MAX_TERM_WORDS = 7  # "what is X" with a longer X is a question about X, not its meaning


def classify(text: str, names_council: bool = False) -> Question:
    """The question's kind, read from its form; ``names_council`` when it names a council."""
    q = " ".join(text.split())
    asks = _asks(q)
    if asks is not None:
        return Question(q, Kind.PERMISSION, asks=asks)
    if CUE.comparison.search(q):
        return Question(q, Kind.COMPARISON)
    if CUE.duration.search(q):
        return Question(q, Kind.FIGURE, figure="duration")
    if CUE.amount.search(q):
        return Question(q, Kind.FIGURE, figure="amount")
    if CUE.date.search(q):
        return Question(q, Kind.FIGURE, figure="date")
    if names_council and (
        CUE.case_study.search(q) or CUE.how_to.search(q) or not CUE.yes_no.search(q)
    ):
        return Question(q, Kind.CASE_STUDY)
    if CUE.case_study.search(q):
        return Question(q, Kind.CASE_STUDY)
    match = CUE.definition.match(q)
    if match:
        term = next(t for t in match.group("term", "term2", "term3") if t)
        if len(term.split()) <= DEFINITION_MAX_TERM_WORDS:
            return Question(q, Kind.DEFINITION, term=term.strip(" ?."))
    if CUE.how_to.search(q):
        return Question(q, Kind.HOW_TO)
    return Question(q, Kind.OTHER)


# "Who is Julian Blake?", "who actually is she?": what the corpus says of someone named, not
# a person's name to be found.
WHO_IS = re.compile(
    r"^\W*who(?:'s|\u2019s|\s+is|\s+was|\s+were|\s+are)(?:\s+(?:actually|really|exactly))?\s+"
    r"(?!(?:the|a|an|in|at|on|behind|running|leading|responsible|involved|in charge)\b)\w"
    r"|^\W*who\s+(?:actually|really|exactly)\s+(?:is|was|are|were)\b",
    re.I,
)


def asks_who_is(text: str) -> bool:
    """Whether the question asks who someone named is, not for a person's name."""
    return WHO_IS.match(text) is not None


def asks_yes_or_no(text: str) -> bool:
    """Whether the question, or its last sentence ("We're a parish council. Are we ...?"),
    is put to be answered yes or no: it asks no particular detail of a thing."""
    last = re.split(r"[.!?]\s+", text.strip())[-1]
    return any(CUE.yes_no.match(part) for part in (text, last))


def _asks(q: str) -> Asks | None:
    if CUE.request.search(q):
        return None  # "can I see the list?" asks for the list, not whether it may be seen
    if CUE.obstacle.search(q) and CUE.yes_no.search(q):
        return Asks.OBSTACLE
    # "How many days do we have to answer?" asks for a figure, not whether we must.
    asks_what = CUE.wh_opening.search(q) is not None
    if CUE.obligation.search(q) and (
        CUE.yes_no.search(q) or (q.rstrip().endswith("?") and not asks_what)
    ):
        return Asks.MUST
    if CUE.opening_modal.search(q) or (CUE.permission_cues.search(q) and CUE.yes_no.search(q)):
        return Asks.MAY
    if CUE.permission_cues.search(q) and not asks_what:
        return Asks.MAY
    return None


DAY_STATED = section("question").day_stated  # cues.toml
LAW_YEAR = section("question").law_year  # "PCR 2015": a year that is part of a law's name


# A part of a year ("autumn 2023", "early 2024", "the end of 2025") as the (month, day) it is
# read as: a day inside it, after the 1 January on which figures change.
PART_OF_YEAR = {
    "start": (1, 1),
    "beginning": (1, 1),
    "early": (2, 1),
    "spring": (4, 1),
    "mid": (7, 1),
    "middle": (7, 1),
    "summer": (7, 1),
    "autumn": (10, 1),
    "fall": (10, 1),
    "late": (11, 1),
    "end": (12, 1),
    "winter": (12, 1),
}


YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def years_named(question: str) -> list[int]:
    """The years the question names, in order; not the year in a law's name ("PCR 2015",
    "the Procurement Act 2023"), which names the law."""
    return sorted({int(y) for y in YEAR.findall(LAW_YEAR.sub(" ", question))})


def day_stated(question: str, today: dt.date) -> dt.date | None:
    """The day the question says its procurement started, or None: "a tender that went out in
    March 2026" is 1 March 2026, "in autumn 2023" 1 October 2023; a year alone ("the
    thresholds back in 2020") is its 1 July, after the 1 January on which figures change, or
    ``today`` in this year. A day after
    ``today`` is not read: the figures then are not yet set, and those in force today are
    stated as today's. "Since 2020" states a range, not a day."""
    found = DAY_STATED.search(question)
    if found is None:
        return None
    year = int(found.group("year"))
    month = found.group("month")
    part = found.group("part")
    if part is not None:
        day = dt.date(year, *PART_OF_YEAR[part.lower()])
    elif month is None:
        day = today if year == today.year else dt.date(year, 7, 1)
    else:
        number = MONTHS.index(month.lower()) + 1
        try:
            day = dt.date(year, number, int(found.group("day") or 1))
        except ValueError:  # "31 February": the month is what it says
            day = dt.date(year, number, 1)
    return day if day <= today else None
