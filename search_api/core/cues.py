"""The cue table (cues.toml): the words and forms questions and sentences are read by.

One table, read once; question kinds, what a sentence of a kind holds, what a sentence says
may or must be done, and the first words of a yes/no answer are all derived from it, so a cue
is added in one place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

TABLE = Path(__file__).with_name("cues.toml")


@cache
def table() -> dict:
    with TABLE.open("rb") as f:
        return tomllib.load(f)


def patterns(section: str) -> dict[str, re.Pattern[str]]:
    """Every pattern of a section, its alternatives joined, matched case-insensitively."""
    return {
        name: re.compile("|".join(alternatives), re.I)
        for name, alternatives in table()[section].items()
    }


def section(name: str) -> SimpleNamespace:
    """A section's patterns by attribute (``section("question").amount``)."""
    return SimpleNamespace(**patterns(name))


def leads() -> list[tuple[str, str, str]]:
    """(what a yes means, what the sentence says, the answer's first words)."""
    return [tuple(row) for row in table()["leads"]["rows"]]


@dataclass(frozen=True)
class AskedFor:
    """A particular item a question can ask for (a person, a quantity, a date)."""

    name: str
    question: re.Pattern[str]  # the question forms asking for it
    sentence: re.Pattern[str]  # the sentence forms giving it
    # Words for the events it dates, one pattern per kind of event (a beginning, an end), in
    # question and sentence: a sentence dates the kind of event the question asks of.
    event: tuple[re.Pattern[str], ...]
    # The wider kind this one narrows ("money" narrows "quantity"): asked only with it, and
    # then in its place.
    narrows: str | None = None
    # The item is followed, within a few words, by a word the question counts ("how many
    # councils?": "40 member councils").
    counted: bool = False
    # The item is a person: names the graph knows (councils, bodies, laws, concepts) are not
    # people's names.
    people: bool = False
    # The question forms asking who does something a body may do ("who runs / delivers X?"):
    # an organisation or council is then an answer as much as a person is.
    bodies: re.Pattern[str] | None = None
    # Asked only of someone of this entity type the question names ("person": "what did
    # Baroness Armstrong say?" asks for her words; "what does corrective 4 say?" does not).
    of: str | None = None
    # Only the first event the question names is asked ("did they approve the extension?"
    # asks of an approval, not of any extension).
    one_event: bool = False
    # For a person, the form of a person's name alone (the first sentence form): the holder of
    # a role asked for is named so, beside the role's words.
    holder: re.Pattern[str] | None = None
    # What the question names is what the item measures ("how long is the standstill?"): a
    # sentence naming it and giving the item gives it, whatever else the question says.
    of_named: bool = False
    # The item may be said in the question's own words ("is it a charity or a company?": "the
    # children's charity Barnardo's"), which are then not blanked from the sentence.
    in_question_words: bool = False


def asked_for() -> dict[str, AskedFor]:
    def joined(forms: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(forms), re.I)

    return {
        kind: AskedFor(
            kind,
            joined(forms["question"]),
            joined(forms["sentence"]),
            tuple(re.compile(form, re.I) for form in forms.get("event", ())),
            forms.get("narrows"),
            bool(forms.get("counted", False)),
            bool(forms.get("people", False)),
            # A kind asked only of bodies ("which charity?") asks it by its question forms.
            joined(forms["bodies"] if "bodies" in forms else forms["question"])
            if "bodies" in forms or forms.get("asks_bodies")
            else None,
            forms.get("of"),
            bool(forms.get("one_event", False)),
            joined(forms["sentence"][:1]) if forms.get("people") else None,
            bool(forms.get("of_named", False)),
            bool(forms.get("in_question_words", False)),
        )
        for kind, forms in table()["asked_for"].items()
    }


def word_rows(name: str) -> list[re.Pattern[str]]:
    """One pattern per row of a table of words ([details], [measures]): the row's words,
    whole, matched case-insensitively."""
    return [
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in row) + r")\b", re.I)
        for row in table()[name]["rows"]
    ]


def rows(name: str) -> list[list[str]]:
    """A table's rows of words, as written ([same_thing])."""
    return [list(row) for row in table()[name]["rows"]]


def words(name: str) -> list[str]:
    """A table's plain list of words ([name_kinds])."""
    return list(table()[name]["words"])


def jurisdictions() -> tuple[list[list[str]], list[list[str]]]:
    """(home, others): each a list of the forms a question names a jurisdiction by."""
    found = table()["jurisdictions"]
    return found["home"], found["others"]


def uncovered() -> list[list[str]]:
    """The subjects near the corpus's own it does not treat: each the forms a question names
    it by, its name first."""
    return table()["uncovered"]["rows"]


def form_pattern(forms: list[str]) -> re.Pattern[str]:
    """Whole words; a form in capitals ("US") matches only in capitals, not the word "us"."""
    alternatives = [
        re.escape(f) if f.isupper() else f"(?i:{re.escape(f)})"
        for f in sorted(forms, key=len, reverse=True)
    ]
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b")
