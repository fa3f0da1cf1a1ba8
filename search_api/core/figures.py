"""The threshold in force for a procurement started on a given day, read from the graph.

Thresholds change every two years and the regime changed on 24 February 2025, so a sentence
quoted from a note can be out of date for the reader's procurement. The graph holds every
figure with its regime, category, jurisdiction and validity period (ontology/thresholds.ttl);
the answer states the one that applies on the question's ``as_of`` date, cited to a passage
that gives the same figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.sparql import select_rows

from .facts import GraphFact
from .question import years_named
from .snapshot import Snapshot

# The thresholds are reviewed every two years, on 1 January: those set last hold until then.
REVIEW_YEARS = 2
# "At what value does the Act apply?", "what value triggers the full Act rules?" ask for the
# threshold in other words; "from what value must we publish?" may ask for another figure (a
# notice's), and is not read so.
THRESHOLD_WORDS = re.compile(
    r"\bthresholds?\b|\babove the limit\b|\bover the limit\b"
    r"|\bwhat (?:value|size)\b[^?]{0,40}\b(?:act|regulations|rules)\b[^?]{0,12}\bappl(?:y|ies)\b"
    r"|\bwhat (?:value|size)\b[^?]{0,12}\b(?:triggers?|brings? in|catch(?:es)?)\b[^?]{0,30}"
    r"\b(?:act|regulations|rules)\b",
    re.I,
)
# The categories a question's words point to, most specific first; the default when none do
# is what a council buys most: supplies and services (sub-central), and light touch services.
# The service bought, not the supplier: "social care" is a light touch service, a "social
# enterprise" may supply anything.
CATEGORY_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\butilit", re.I), ("utilities supplies and services",)),
    (re.compile(r"\bconcession", re.I), ("concessions", "light touch concessions")),
    (
        re.compile(
            r"\b(care|social (?:services?|work)|health|education|light[- ]touch|schedule 3|"
            r"community services|"
            r"cultural|legal services|welfare|housing support|youth|children|adults?)\b",
            re.I,
        ),
        ("light touch services",),
    ),
    (re.compile(r"\b(works?|building|construction|refurbish\w*|repair)\b", re.I), ("works",)),
    (
        re.compile(r"\bcentral government\b|\bgovernment department", re.I),
        ("supplies and services, central government",),
    ),
    (
        re.compile(r"\b(goods|supplies|services|council|councils|local authorit\w*)\b", re.I),
        ("supplies and services, sub-central authorities",),
    ),
)
DEFAULT_CATEGORIES = ("supplies and services, sub-central authorities", "light touch services")
WELSH = re.compile(r"\b(wales|welsh)\b", re.I)
WELSH_JURISDICTION = "contracts regulated by the Welsh Ministers"

QUERY = """
SELECT ?t ?category ?amount ?from ?until ?regime ?regimeLabel ?jurisdiction WHERE {
  ?t a p2p:Threshold ; p2p:thresholdCategory ?category ; p2p:amountGBP ?amount ;
     p2p:validFrom ?from ; p2p:regime ?regime .
  ?regime skos:prefLabel ?regimeLabel .
  OPTIONAL { ?t p2p:validUntil ?until }
  OPTIONAL { ?t p2p:jurisdiction ?jurisdiction }
}"""


@dataclass(frozen=True)
class Threshold:
    iri: str
    category: str
    amount: int
    valid_from: dt.date
    valid_until: dt.date | None
    regime: str
    regime_label: str
    jurisdiction: str

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def thresholds(snapshot: Snapshot) -> list[Threshold]:
    cached = snapshot.cache.get("thresholds")
    if cached is None:
        cached = [
            Threshold(
                row["t"],
                row["category"],
                int(float(row["amount"])),
                dt.date.fromisoformat(row["from"][:10]),
                dt.date.fromisoformat(row["until"][:10]) if row.get("until") else None,
                row["regime"],
                row["regimeLabel"],
                row.get("jurisdiction", ""),
            )
            for row in select_rows(snapshot.store, QUERY)
        ]
        snapshot.cache["thresholds"] = cached
    return cached


def asks_threshold(question: str) -> bool:
    return THRESHOLD_WORDS.search(question) is not None


def threshold_facts(
    snapshot: Snapshot, question: str, day: dt.date, regimes: set[str]
) -> list[GraphFact]:
    """The figures in force on ``day`` for the categories the question points to, under the
    regimes given (IRIs: those governing a procurement started that day, or those named)."""
    if not asks_threshold(question):
        return []
    categories = next(
        (cats for pattern, cats in CATEGORY_CUES if pattern.search(question)), DEFAULT_CATEGORIES
    )
    welsh = WELSH.search(question) is not None
    found = [
        t
        for t in thresholds(snapshot)
        if t.category in categories
        and t.in_force(day)
        and t.regime in regimes
        and (t.jurisdiction == WELSH_JURISDICTION) == welsh
    ]
    found.sort(key=lambda t: categories.index(t.category))
    facts = []
    for t in found:
        passages = _stating(snapshot, t.amount)
        if not passages:
            continue  # a figure no passage states is not said
        facts.append(GraphFact(_sentence(t, day), passages[:1], t.iri, []))
    return facts


def unset_years(snapshot: Snapshot, question: str, today: dt.date) -> list[int]:
    """The years the question asks of that no threshold the graph holds is set for: before
    the first it holds, or from the next review on ("what will the thresholds be from
    2028?"), which the figures in force today do not give."""
    held = thresholds(snapshot)
    if not held:
        return []
    first = min(t.valid_from.year for t in held)
    review = max(t.valid_from.year for t in held) + REVIEW_YEARS
    return [y for y in years_named(question) if y < first or (y >= review and y > today.year)]


def unset_sentence(years: list[int], followed: bool) -> str:
    """What the graph says of thresholds for years it holds none for."""
    named = " or ".join(str(y) for y in years)
    then = "; those in force now follow." if followed else "."
    return f"No threshold figures for {named} are given{then}"


def _sentence(t: Threshold, day: dt.date) -> str:
    where = " regulated by the Welsh Ministers" if t.jurisdiction == WELSH_JURISDICTION else ""
    return (
        f"For a procurement started on {_human(day)}{' for contracts' + where if where else ''}, "
        f"the {t.regime_label} threshold for {t.category} is £{t.amount:,} including VAT, "
        f"in force from {_human(t.valid_from)}."
    )


def _stating(snapshot: Snapshot, amount: int) -> list[str]:
    """Passages that give the figure, as written in the corpus (£207,720)."""
    figure = f"£{amount:,}"
    return [p.id for p in snapshot.passages if figure in p.text]


def _human(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
