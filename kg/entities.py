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
    # Everyday words for the entity (p2p:colloquialLabel), recognised in questions only.
    colloquial: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", [], None)}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str
    surface: str


WORD_RE = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    """Labels and texts are compared word by word, so "light-touch", "light touch" and
    "reg. 31" / "reg 31" match whatever punctuation stands between the words."""
    return tuple(WORD_RE.findall(text))


def _unapostrophed(words: tuple[str, ...]) -> tuple[str, ...]:
    """A label's words with a possessive "s" joined to the word before it, as typed without
    the apostrophe."""
    out: list[str] = []
    for word in words:
        if word == "s" and out:
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


def _plural(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """A label's words with the last in the regular English plural ("duty" → "duties"), or
    None when the last word is not a lower-case word that takes one."""
    last = words[-1] if words else ""
    if len(last) < 3 or not last.isalpha() or not last.islower() or last.endswith("s"):
        return None
    if last.endswith("y") and last[-2] not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.endswith(("ch", "sh", "x", "z")):
        plural = last + "es"
    else:
        plural = last + "s"
    return (*words[:-1], plural)


class _Table:
    """Labels (word tuples) to IRIs, with the most words of a label by its first word: a scan
    tries only the lengths a label starting at a word can have, so most words cost one look-up."""

    def __init__(self, labels: dict[tuple[str, ...], str], fold: bool) -> None:
        self.labels = labels
        self.fold = fold  # keys are lower-cased: look them up by the lower-cased words
        self.reach: dict[str, int] = {}
        for words in labels:
            self.reach[words[0]] = max(self.reach.get(words[0], 0), len(words))


class EntityIndex:
    """Finds entity mentions by label, longest label first, never two overlapping.

    Labels are held as word sequences in dictionaries, so a text is scanned once, word by word,
    trying the longest label length first: linear in the text whatever the number of labels.
    """

    def __init__(self, records: list[EntityRecord]) -> None:
        self.records = {r.iri: r for r in records}
        self.by_slug: dict[tuple[str, str], EntityRecord] = {}
        self._folded: dict[tuple[str, ...], str] = {}  # lower-cased words -> IRI
        self._exact: dict[tuple[str, ...], str] = {}  # proper nouns and acronyms, as written
        for record in records:
            if record.slug:
                self.by_slug[(record.type, record.slug)] = record
            for label in [record.label, *record.labels]:
                words = _words(label)
                if len(label.strip()) < 2 or not words:
                    continue
                if self._case_sensitive(label, record):
                    self._exact.setdefault(words, record.iri)
                else:
                    self._folded.setdefault(tuple(w.lower() for w in words), record.iri)
        self._question = {
            tuple(w.lower() for w in k): v
            for k, v in self._exact.items()
            if " ".join(k).lower() not in WORD_ACRONYMS
        }
        self._question.update(self._folded)
        # "barnardos" and "childrens" as people type them, for "Barnardo's", "Children's";
        # "equality duties" and "light touch regimes" for the label in the singular.
        for words, iri in list(self._question.items()):
            self._question.setdefault(_unapostrophed(words), iri)
            if plural := _plural(words):
                self._question.setdefault(plural, iri)
        for record in records:
            for label in record.colloquial:
                words = tuple(w.lower() for w in _words(label))
                if words:
                    self._question.setdefault(words, record.iri)
        self._in_documents = [_Table(self._exact, False), _Table(self._folded, True)]
        self._in_questions = [_Table(self._question, True)]

    @staticmethod
    def _case_sensitive(label: str, record: EntityRecord) -> bool:
        if len(_words(label)) > 1:
            return False
        return label != label.lower()

    def is_colloquial(self, mention: Mention) -> bool:
        """Whether the question named the entity by an everyday word, not by a label."""
        words = tuple(w.lower() for w in _words(mention.surface))
        record = self.records.get(mention.iri)
        return record is not None and any(
            tuple(w.lower() for w in _words(label)) == words for label in record.colloquial
        )

    def resolve(self, type_: str, slug: str) -> EntityRecord | None:
        return self.by_slug.get((type_, slug))

    @staticmethod
    def _scan(text: str, tables: list[_Table]) -> list[Mention]:
        spans = [(m.start(), m.end(), m.group(0)) for m in WORD_RE.finditer(text)]
        words = [w for _, _, w in spans]
        lowered = [w.lower() for w in words]
        found: list[Mention] = []
        i = 0
        while i < len(spans):
            # How many words a label starting here can have, per table (0: none starts here).
            reach = [t.reach.get(lowered[i] if t.fold else words[i], 0) for t in tables]
            for n in range(min(max(reach), len(spans) - i), 0, -1):
                iri = None
                for table, longest in zip(tables, reach, strict=True):
                    if n > longest:
                        continue
                    iri = table.labels.get(tuple((lowered if table.fold else words)[i : i + n]))
                    if iri:
                        break
                if iri:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    found.append(Mention(start, end, iri, text[start:end]))
                    i += n
                    break
            else:
                i += 1
        return found

    def find(self, text: str) -> list[Mention]:
        """Mentions in document text: proper nouns and acronyms must match their case."""
        return self._scan(text, self._in_documents)

    def find_in_question(self, text: str) -> list[Mention]:
        """Mentions in a question: people type names in lower case, so case is ignored."""
        return self._scan(text, self._in_questions)

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
