"""Entity look-up: the reference entities a build knows, and recognising them in text.

Documents and questions name entities in many ways ("regulation 31", "reg. 31", "Oldham",
"innovation partnerships"); the labels come from the ontology's SKOS labels and the ONS council
lookup, so adding a label to the ontology teaches both ingest and the service.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

# Place names that are also ordinary words: only recognised with "Council" after them.
AMBIGUOUS_PLACES = {
    "Reading",
    "Rugby",
    "Eden",
    "Wyre",
    "Derby",
    "Halton",
    "Sefton",
    "Bury",
    "Stroud",
    "Rother",
    "Arun",
    "Hart",
    "Mole Valley",
    "Wealden",
    "Copeland",
    "Adur",
    "Boston",
    "Corby",
    "Crawley",
    "Dover",
    "Lewes",
    "Richmondshire",
}
# Acronyms that are also words when typed in lower case.
WORD_ACRONYMS = {"cat"}


@dataclass
class EntityRecord:
    iri: str
    type: str
    label: str
    slug: str = ""
    labels: list[str] = field(default_factory=list)
    gss: str = ""
    upper_tier: str = ""  # IRI of the upper-tier council, for lower-tier councils

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", [], None)}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str
    surface: str


def _norm(label: str) -> str:
    """Labels match across hyphen and space variants ("light-touch" ~ "light touch")."""
    return re.sub(r"[\s\-]+", " ", label.strip())


def _pattern(labels: list[str]) -> re.Pattern[str] | None:
    if not labels:
        return None
    ordered = sorted(set(labels), key=len, reverse=True)
    body = "|".join(re.escape(label).replace(r"\ ", r"[\s\-]+") for label in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


class EntityIndex:
    """Finds entity mentions by label, longest label first, never two overlapping."""

    def __init__(self, records: list[EntityRecord]) -> None:
        self.records = {r.iri: r for r in records}
        self.by_slug: dict[tuple[str, str], EntityRecord] = {}
        self._label_to_iri: dict[str, str] = {}
        self._exact_to_iri: dict[str, str] = {}
        for record in records:
            if record.slug:
                self.by_slug[(record.type, record.slug)] = record
            for label in [record.label, *record.labels]:
                label = label.strip()
                if len(label) < 2:
                    continue
                if self._case_sensitive(label, record):
                    self._exact_to_iri.setdefault(_norm(label), record.iri)
                else:
                    self._label_to_iri.setdefault(_norm(label).lower(), record.iri)
        self._ci = _pattern(list(self._label_to_iri))
        self._cs = _pattern(list(self._exact_to_iri))
        self._question_ci = _pattern(
            list(self._label_to_iri)
            + [k for k in self._exact_to_iri if k.lower() not in WORD_ACRONYMS]
        )
        if self._ci:
            self._ci = re.compile(self._ci.pattern, re.IGNORECASE)
        if self._question_ci:
            self._question_ci = re.compile(self._question_ci.pattern, re.IGNORECASE)
        self._question_map = {k.lower(): v for k, v in self._exact_to_iri.items()}
        self._question_map.update(self._label_to_iri)

    @staticmethod
    def _case_sensitive(label: str, record: EntityRecord) -> bool:
        if " " in label.strip():
            return False
        return label != label.lower()

    def resolve(self, type_: str, slug: str) -> EntityRecord | None:
        return self.by_slug.get((type_, slug))

    def find(self, text: str) -> list[Mention]:
        """Mentions in document text: proper nouns and acronyms must match their case."""
        found: list[Mention] = []
        for pattern, table, fold in (
            (self._cs, self._exact_to_iri, False),
            (self._ci, self._label_to_iri, True),
        ):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = _norm(m.group(0))
                iri = table.get(key.lower() if fold else key)
                if iri:
                    found.append(Mention(m.start(), m.end(), iri, m.group(0)))
        return self._non_overlapping(found)

    def find_in_question(self, text: str) -> list[Mention]:
        """Mentions in a question: people type names in lower case, so case is ignored."""
        if self._question_ci is None:
            return []
        found = []
        for m in self._question_ci.finditer(text):
            iri = self._question_map.get(_norm(m.group(0)).lower())
            if iri:
                found.append(Mention(m.start(), m.end(), iri, m.group(0)))
        return self._non_overlapping(found)

    @staticmethod
    def _non_overlapping(found: list[Mention]) -> list[Mention]:
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                if mention.end - mention.start > kept[-1].end - kept[-1].start:
                    kept[-1] = mention
                continue
            kept.append(mention)
        return kept


def council_records(rows: list[dict], slugify, id_base: str) -> list[EntityRecord]:
    """Every council of the ONS lower/upper-tier lookup as an entity, linked to its upper tier."""
    records: dict[str, EntityRecord] = {}

    def add(name: str, gss: str, upper: str = "") -> None:
        iri = f"{id_base}council/{slugify(name)}"
        if iri in records:
            if upper and not records[iri].upper_tier:
                records[iri].upper_tier = upper
            return
        labels = [
            f"{name} Council",
            f"{name} County Council",
            f"{name} City Council",
            f"{name} Borough Council",
            f"{name} District Council",
            f"London Borough of {name}",
            f"{name} Metropolitan Borough Council",
        ]
        if name not in AMBIGUOUS_PLACES:
            labels.append(name)
        records[iri] = EntityRecord(
            iri=iri,
            type="council",
            label=f"{name} Council",
            slug=slugify(name),
            labels=labels,
            gss=gss,
            upper_tier=upper,
        )

    for row in rows:
        upper_iri = f"{id_base}council/{slugify(row['UTLA21NM'])}"
        add(row["UTLA21NM"], row["UTLA21CD"])
        add(
            row["LTLA21NM"],
            row["LTLA21CD"],
            upper_iri if row["UTLA21CD"] != row["LTLA21CD"] else "",
        )
    return list(records.values())
