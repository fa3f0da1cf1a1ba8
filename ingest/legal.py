"""Legal references in running text ("regulation 77", "reg. 72(1)(b)", "section 33 of the
Procurement Act 2023", "Schedule 5") resolved to the ELI IRIs of the provisions the registry
knows (ontology/*.ttl).

A bare number names nothing until its instrument is known, so each reference is resolved from,
in order: the instrument named right after it ("... of the Procurement Act 2023"), the one
instrument of its kind named near it, the one named anywhere in the document, and the
document's regime. A reference that stays ambiguous, or names a provision the registry does not
hold, is not linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.entities import EntityRecord

from .model import Passage

REF_RE = re.compile(
    r"\b(?P<unit>regulations?|regs?\.?|sections?|ss?\.|schedule|sch\.)\s*(?P<num>\d+)"
    r"(?P<sub>(?:\([0-9a-z]+\))*)",
    re.IGNORECASE,
)
UNITS = {
    "reg": "regulation",
    "sec": "section",
    "s.": "section",
    "ss.": "section",
    "sch": "schedule",
}
PROVISION_RE = re.compile(r"/(regulation|section|schedule)/\d+$")
WINDOW = 300  # characters either side that count as a reference's context


@dataclass(frozen=True)
class Instrument:
    """A piece of legislation the registry holds, and the names text calls it by."""

    iri: str
    names: tuple[str, ...]
    units: tuple[str, ...]  # "regulation" for statutory instruments; "section", "schedule" for Acts


@dataclass(frozen=True)
class LegalReference:
    start: int
    end: int
    iri: str


def _abbreviations(label: str) -> list[str]:
    """ "Public Contracts Regulations 2015" -> "Public Contracts Regulations", "PCR 2015", "PCR"."""
    m = re.fullmatch(r"(.*?)\s+((?:19|20)\d\d)", label.strip())
    if not m:
        return []
    name, year = m.groups()
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    out = [name]
    if len(initials) >= 2:
        out.append(f"{initials} {year}")
    if len(initials) >= 3:
        out.append(initials)
    return out


def instruments(records: list[EntityRecord]) -> list[Instrument]:
    """The Acts and regulations among the registry's legislation records."""
    out = []
    for record in records:
        if record.type != "legislation" or PROVISION_RE.search(record.iri):
            continue
        statutory = "/uksi/" in record.iri
        names = [record.label, *record.labels, *_abbreviations(record.label)]
        names = sorted({n for n in names if n}, key=len, reverse=True)
        units = ("regulation",) if statutory else ("section", "schedule")
        out.append(Instrument(record.iri, tuple(names), units))
    return out


def is_provision(iri: str) -> bool:
    return bool(PROVISION_RE.search(iri))


def _named(text: str, instrument: Instrument) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in instrument.names)


def _unit(word: str) -> str:
    word = word.lower()
    return next(unit for prefix, unit in UNITS.items() if word.startswith(prefix))


def _resolve(
    unit: str, text: str, start: int, end: int, candidates: list[Instrument], regime: str
) -> Instrument | None:
    after = text[end : end + 80]
    for instrument in candidates:
        for name in instrument.names:
            if re.match(rf"\s*(?:of|to|in|under)\s+(?:the\s+)?{re.escape(name)}\b", after):
                return instrument
    near = text[max(0, start - WINDOW) : end + WINDOW]
    for scope in (near, text):
        named = [i for i in candidates if _named(scope, i)]
        if len(named) == 1:
            return named[0]
        if named:
            return None  # two instruments of this kind named: the number alone is ambiguous
    return next((i for i in candidates if i.iri == regime), None)


def legal_references(
    text: str, known: set[str], acts: list[Instrument], regime: str = ""
) -> list[LegalReference]:
    """The references in ``text`` to provisions in ``known``, in order.

    ``regime`` is the IRI of the instrument the document's regime makes the default (PCR 2015
    for a pre-2025 procurement), or "".
    """
    found = []
    for m in REF_RE.finditer(text):
        unit = _unit(m.group("unit"))
        candidates = [i for i in acts if unit in i.units]
        instrument = _resolve(unit, text, m.start(), m.end(), candidates, regime)
        if instrument is None:
            continue
        iri = f"{instrument.iri}/{unit}/{int(m.group('num'))}"
        if iri in known:
            found.append(LegalReference(m.start(), m.end(), iri))
    return found


def link_in_context(passages: list[Passage], text: str, records: list[EntityRecord]) -> list[str]:
    """A document without front matter: its passages' provision mentions come from the
    references resolved in context, not from bare label matches ("section 33" alone names no
    Act). Returns the provisions the document cites, in order of first reference."""
    refs = legal_references(text, {r.iri for r in records}, instruments(records))
    for passage in passages:
        kept = [iri for iri in passage.mentions if not is_provision(iri)]
        found = [r.iri for r in refs if passage.char_start <= r.start < passage.char_end]
        passage.mentions = kept + list(dict.fromkeys(found))
    return list(dict.fromkeys(r.iri for r in refs))
