"""Whether the corpus answers a question: evidence from the passages found, weighed together.

A question is answered when a passage found for it talks about what it asks; it is declined
otherwise, and the nearest passages are listed apart. Four pieces of evidence count, each
measured the same way whatever the wording:

- how close the closest passage is in meaning (dense cosine);
- how much of the question's specific vocabulary the best passages use (coverage);
- how much of it a single quotable sentence of those passages uses (sentence coverage), since
  an answer is quoted sentence by sentence;
- whether a concept the question names — by its label or by the everyday words people use for
  it ("for a pound" for a community asset transfer) — is what a top passage mentions or is about.

They are combined by a logistic model (``WEIGHTS``) fitted on the development question sets
(``corpus/eval/dev.jsonl`` with ``ood.jsonl``, ``situational.jsonl`` with
``situational-ood.jsonl``), each set and each class weighted equally. A question is answered
when the model's probability reaches ``KG_SUPPORT_THRESHOLD``. The held-out sets are measured,
never fitted (bench/RESULTS.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kg.config import Settings
from kg.entities import EntityIndex, Mention
from kg.text import token_set, tokens

from .answer import KIND_CUES, units
from .asked_item import FIRST_CLAUSE, distinctive_names, item_giving, listed_names
from .cues import form_pattern, jurisdictions, section, uncovered
from .figures import thresholds
from .question import Kind, Question
from .retrieve import Retrieval, word_weight
from .snapshot import Snapshot
from .verdict import Modality, modality

# Fitted on the development sets (see the module docstring); the intercept comes last.
WEIGHTS = {"dense": 8.307, "coverage": 4.212, "sentence": 1.158, "concept": 1.171}
INTERCEPT = -7.253
TOP_PASSAGES = 3  # the passages an answer mostly quotes from
# A permission question naming its subject, when nothing found is about it, is answered from a
# probability between the evidence threshold and the model's: it is about that subject, but
# a subject named in passing ("can a losing bidder see the winning tender?") is not enough.
NAMED_SUBJECT_PROBABILITY = 0.3
# What a question can be about that a document of the corpus is about: a route or a topic. The
# partner organisations (charities, co-ops, community groups) are what almost every question
# names, so a document about them says nothing about the question's subject.
SUBJECT_TYPES = {"route", "topic"}
PARTNERS = {("topic", "vcse-organisations")}  # (type, slug)
# A question stating a contract's value ("do we need to advertise a £20k contract?") is about
# the rules that value falls under: the document on contracts below the thresholds, which
# sets out where they start, is about its subject whatever words it asks in.
VALUE_SUBJECTS = {("topic", "below-threshold-procurement")}  # (type, slug)
CONTRACT_VALUE = section("question").contract_value  # cues.toml
# Kinds of question about a council itself (what it did, what it has), not about the rules a
# council asking them follows ("we're Sheffield: can we reserve a contract?").
ABOUT_A_COUNCIL = {Kind.CASE_STUDY, Kind.OTHER}


@dataclass(frozen=True)
class Evidence:
    dense: float  # cosine of the closest passage
    coverage: float  # share of the question's specific weight the top passages use
    sentence: float  # the same share, for the best single quotable sentence
    concept: bool  # a concept the question names is mentioned by, or the topic of, a top passage
    # A top sentence holds the kind of content asked for (see ``asked_content``); None when
    # the question's kind asks for nothing in particular.
    asked: bool | None = None
    # A top passage belongs to a document about a route or topic the question names.
    about: bool = False
    # Jurisdictions the question names that no document is about (other countries' law), and
    # near subjects the corpus does not treat (``uncovered_subjects``).
    elsewhere: tuple[str, ...] = ()
    # A top sentence gives the particular item the question asks for (a person, a quantity,
    # a date) about what it asks (see ``item_giving``); None when it asks for none.
    asked_for: bool | None = None
    # A yes/no question on what may or must be done names a route or topic, perhaps in
    # everyday words ("just hand it to them" for a direct award), whether or not a passage
    # found belongs to a document about it: the answer cites that document's closest passage.
    names_subject: bool = False
    # The top sentences giving the item asked for, the best of which the answer leads with.
    items: frozenset[str] = frozenset()
    # Councils the question names that the corpus never mentions ("what did Kirklees do?").
    unknown_councils: tuple[str, ...] = ()
    # Bodies the question names that the passages found name only in lists of their peers
    # ("built with its partners Buzzacott, Stone King, ..."): nothing is said of them alone.
    only_listed: tuple[str, ...] = ()

    def probability(self) -> float:
        z = INTERCEPT + sum(WEIGHTS[name] * float(getattr(self, name)) for name in WEIGHTS)
        return 1.0 / (1.0 + math.exp(-z))


def evidence(
    snapshot: Snapshot,
    result: Retrieval,
    settings: Settings,
    asked: Question | None = None,
    content: set[str] = frozenset(),
) -> Evidence:
    top = [h.row for h in result.hits[:TOP_PASSAGES]]
    mentions = result.mentions
    named = {m.iri for m in mentions}
    subjects = subjects_of(snapshot, [m.iri for m in mentions]) | value_subjects(
        snapshot, result.question
    )
    about = any(
        h.row in snapshot.rows_about.get(iri, set()) for iri in subjects for h in result.hits
    )
    concept = any(
        row in snapshot.rows_mentioning.get(iri, set())
        or row in snapshot.rows_about.get(iri, set())
        for iri in named
        for row in top
    )
    asks_item, items = item_giving(
        snapshot,
        result,
        {t for m in mentions for t in tokens(m.surface)},
        distinctive_names(snapshot, mentions),
        TOP_PASSAGES,
        word_weight(snapshot, settings),
    )
    return Evidence(
        result.best_dense,
        result.coverage,
        sentence_coverage(snapshot, result.query_tokens, top, settings),
        concept,
        None if asked is None else asked_content(snapshot, result, asked, content),
        about,
        jurisdictions_elsewhere(snapshot, result.question, top)
        + uncovered_subjects(snapshot, result.question),
        bool(items) if asks_item else None,
        asked is not None and asked.kind is Kind.PERMISSION and bool(subjects),
        items,
        unknown_councils(snapshot, result.question, settings.id_base),
        only_listed(snapshot, mentions, top),
    )


def subjects_of(snapshot: Snapshot, iris: list[str]) -> set[str]:
    """The routes and topics among the entities a question names: what it is about."""
    records = [snapshot.entities.records[i] for i in iris if i in snapshot.entities.records]
    return {r.iri for r in records if r.type in SUBJECT_TYPES and (r.type, r.slug) not in PARTNERS}


SUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn|million|thousand)?\b", re.I)
SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}


def stated_value(question: str) -> float | None:
    """The value in pounds of the contract the question states ("a £20k contract": 20,000),
    or None when it states none."""
    found = CONTRACT_VALUE.search(question)
    if found is None:
        return None
    sums = list(SUM.finditer(found.group(0)))
    if not sums:
        return None
    number, scale = sums[-1].groups()  # each form ends with the sum
    return float(number.replace(",", "")) * SCALE.get((scale or "").lower(), 1.0)


def value_subjects(snapshot: Snapshot, question: str) -> set[str]:
    """The subject of a question stating a contract's value below every threshold the graph
    knows: the rules for contracts below the thresholds. A value above the lowest is not
    read: which threshold it meets depends on what is bought and when."""
    value = stated_value(question)
    if value is None or not thresholds(snapshot):
        return set()
    if value >= min(t.amount for t in thresholds(snapshot)):
        return set()
    return {r.iri for r in snapshot.entities.records.values() if (r.type, r.slug) in VALUE_SUBJECTS}


def unknown_councils(snapshot: Snapshot, question: str, id_base: str) -> tuple[str, ...]:
    """The councils of England and Wales (the ONS lookup) the question names that no passage
    of the corpus mentions: a proper name as written ("Sheffield"), or with its council
    ("kirklees council"), so the common words some places are called by ("reading") are not
    taken for them."""
    index = snapshot.cache.get("gazetteer")
    if index is None:
        from kg.registry import ons_councils

        known = set(snapshot.entities.records)
        index = snapshot.cache["gazetteer"] = EntityIndex(
            [r for r in ons_councils(id_base) if r.iri not in known]
        )
    return tuple(dict.fromkeys(index.records[m.iri].label for m in index.find(question)))


def only_listed(snapshot: Snapshot, mentions: list[Mention], rows: list[int]) -> tuple[str, ...]:
    """The organisations the question names that the passages (``rows``) name, but only
    among a list of their peers: "what did Buzzacott contribute?" is not answered by "built
    with its partners Buzzacott, Stone King, The Change Coefficient and Zurich Municipal"."""
    asked = {m.iri for m in mentions if snapshot.entities.records[m.iri].type in LISTED_TYPES}
    out = []
    for iri in asked:
        apart = listed = False
        for row in rows:
            named_apart, named_listed = listed_names(
                snapshot, snapshot.passages[row].text, PEERS_LISTED
            )
            apart |= iri in named_apart
            listed |= iri in named_listed
        if listed and not apart:
            out.append(snapshot.entities.records[iri].label)
    return tuple(sorted(out))


LISTED_TYPES = {"organisation", "body"}
# Names in a run that list peers: "Catch22 and Kibble" may be what a sentence is about.
PEERS_LISTED = 3


def about_listed(found: Evidence, asked: Question) -> bool:
    """Whether the question asks what a body did or has that the passages found name only
    among their peers: they give nothing of it alone, unless the sources say it is not known."""
    return bool(found.only_listed) and asked.kind in ABOUT_A_COUNCIL


def central_documents(snapshot: Snapshot, subjects: set[str]) -> set[str]:
    """Of the documents about each subject, those about the fewest routes and topics: the
    guide to community asset transfer, not the subsidy control notes that touch on it among
    four other routes."""
    spread = snapshot.cache.get("subjects_per_document")
    if spread is None:
        about: dict[str, set[str]] = {}
        for iri, rows in snapshot.rows_about.items():
            record = snapshot.entities.records.get(iri)
            if record is not None and record.type in SUBJECT_TYPES:
                for row in rows:
                    about.setdefault(snapshot.passages[row].document_id, set()).add(iri)
        spread = snapshot.cache["subjects_per_document"] = {d: len(s) for d, s in about.items()}
    central: set[str] = set()
    for iri in subjects:
        documents = {snapshot.passages[row].document_id for row in snapshot.rows_about.get(iri, ())}
        if documents:
            fewest = min(spread.get(d, 0) for d in documents)
            central |= {d for d in documents if spread.get(d, 0) == fewest}
    return central


def jurisdictions_elsewhere(snapshot: Snapshot, question: str, rows: list[int]) -> tuple[str, ...]:
    """The jurisdictions the question names that no document of the corpus is about (no
    title names it): "the Republic of Ireland's thresholds" is not answered from English law
    that shares its words. Then those, other than the home ones, that some document is about
    but none of the passages found (``rows``) speaks of: "we're in Wales - what does our
    policy statement ask?" is not answered from England's, nor "can our Scottish council use
    the competitive flexible procedure?" from the Act's rules alone. The home jurisdictions
    are the corpus's subject throughout."""
    named = jurisdictions_named(snapshot, question)
    if not named:
        return ()
    spoken = " ".join(f"{snapshot.passages[r].title} {snapshot.passages[r].text}" for r in rows)
    return tuple(n for n, covered in named if not covered) + tuple(
        n for n, covered in named if covered and n not in HOME and not SPOKEN_OF[n].search(spoken)
    )


def jurisdictions_named(snapshot: Snapshot, question: str) -> list[tuple[str, bool]]:
    """The jurisdictions the question names, each once, by its first name, with whether a
    document of the corpus is about it (a home jurisdiction always is)."""
    kept = snapshot.cache.get("jurisdictions")
    if kept is None:
        home, others = jurisdictions()
        titles = {p.title for p in snapshot.passages}
        table = []
        for forms in home + others:
            covered = forms in home or any(form_pattern(forms).search(t) for t in titles)
            table += [(form, forms[0], form_pattern([form]), covered) for form in forms]
        table.sort(key=lambda row: -len(row[0]))  # "Northern Ireland" before "Ireland"
        # Most questions name no jurisdiction: one pattern of every form says so at once.
        kept = snapshot.cache["jurisdictions"] = (form_pattern([row[0] for row in table]), table)
    any_form, table = kept
    if not any_form.search(question):
        return []
    named: dict[str, bool] = {}
    text = question
    for _, name, pattern, covered in table:
        if pattern.search(text):
            text = pattern.sub(" ", text)
            named.setdefault(name, covered)
    return list(named.items())


HOME = {forms[0] for forms in jurisdictions()[0]}  # cues.toml [jurisdictions]
SPOKEN_OF = {forms[0]: form_pattern(forms) for forms in jurisdictions()[1]}


def uncovered_subjects(snapshot: Snapshot, question: str) -> tuple[str, ...]:
    """The subjects near the corpus's own that it does not treat (cues.toml [uncovered]) the
    question's first clause asks about: "can we reclaim the VAT?" is not answered from the
    thresholds' "including VAT". A form some passage uses is covered, and not read."""
    kept = snapshot.cache.get("uncovered")
    if kept is None:
        texts = "\n".join(p.text for p in snapshot.passages)
        rows = []
        for forms in uncovered():
            absent = [f for f in forms if not form_pattern([f]).search(texts)]
            if absent:
                rows.append((forms[0], form_pattern(absent)))
        kept = snapshot.cache["uncovered"] = rows
    clause = FIRST_CLAUSE.split(question, maxsplit=1)[0]
    return tuple(name for name, pattern in kept if pattern.search(clause))


def sentence_coverage(
    snapshot: Snapshot, query_tokens: list[str], rows: list[int], settings: Settings
) -> float:
    """The share of the question's specific weight that one quotable sentence of the given
    passages uses, at best (weights as for coverage: corpus idf, everyday words damped)."""
    words = set(query_tokens)
    if not words or not rows:
        return 0.0
    weighing = word_weight(snapshot, settings)
    weight = {t: weighing(t) for t in words}  # weighed once, read for every sentence
    total = min(math.fsum(weight[t] for t in words), settings.support_weight_cap)
    if not total:
        return 0.0
    best = 0.0
    for row in rows:
        for _, sentence in units(snapshot.passages[row].text):
            seen = token_set(sentence)
            best = max(best, math.fsum(weight[t] for t in words if t in seen) / total)
    return min(1.0, best)


def asked_content(
    snapshot: Snapshot, result: Retrieval, asked: Question, content: set[str]
) -> bool | None:
    """Whether a sentence of the top passages holds the kind of content the question asks
    for, about what it asks: a permission, condition or duty for "can we ...?", a figure or
    date for "how much / when?", an action for "what did the council do?". It must share two
    of the question's content words (one, if it has only one). None for other kinds."""
    if asked.kind is Kind.PERMISSION:

        def fits(sentence: str) -> bool:
            found = modality(sentence)
            return found is not None and found is not Modality.NOT_KNOWN

    elif asked.kind in KIND_CUES:
        cue = KIND_CUES[asked.kind]

        def fits(sentence: str) -> bool:
            return cue.search(sentence) is not None

    else:
        return None
    needed = min(2, len(content))
    for h in result.hits[:TOP_PASSAGES]:
        for _, sentence in units(snapshot.passages[h.row].text):
            if len(content & token_set(sentence)) >= needed and fits(sentence):
                return True
    return False


def is_supported(found: Evidence, settings: Settings, asked: Question | None = None) -> bool:
    """Declined when the question asks about a jurisdiction no document is about, or a near
    subject the corpus does not treat, or what a
    council the corpus never mentions did or has; else the
    model's decision, or answered from a lower probability on evidence the model does
    not see: a passage found belongs to a document about the route or topic the question
    names (by label or everyday words: "for a quid" names a community asset transfer), or,
    for a yes/no question on what may or must be done, a top sentence gives a verdict on
    what it asks. Such questions are short and in everyday words, so no passage is close in
    wording, while the document about the subject, or the verdict sentence, answers them."""
    if found.elsewhere:
        return False
    if found.unknown_councils and asked is not None and asked.kind in ABOUT_A_COUNCIL:
        return False  # what a council the corpus never mentions did or has, it cannot say
    p = found.probability()
    if p >= settings.support_threshold:
        return True
    verdict = asked is not None and asked.kind is Kind.PERMISSION and found.asked is True
    if found.names_subject and p >= NAMED_SUBJECT_PROBABILITY:
        return True
    return p >= settings.support_evidence_threshold and (found.about or verdict)
