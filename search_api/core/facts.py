"""Graph facts about the entities a question names, each with the passage that states it."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import TypeVar

from kg.sparql import select_rows

from .snapshot import Snapshot


@dataclass
class GraphFact:
    text: str
    passage_ids: list[str]
    subject: str
    routes: list[str]


T = TypeVar("T")
# The graph never changes under a snapshot, so what it says about a set of entities is read
# once: the SPARQL of the facts below was about a fifth of an /ask's time outside the encoder.
# Kept per snapshot, for this many entity sets of each kind (questions name few, and repeat).
ENTITY_SETS_KEPT = 4096


def _read_once(snapshot: Snapshot, kind: str, iris: list[str], read: Callable[[], T]) -> T:
    """``read()`` for these entities, from the snapshot's cache when it was read before."""
    kept: dict[tuple[str, ...], T] = snapshot.cache.setdefault(kind, {})
    key = tuple(iris)
    if key not in kept:
        found = read()
        if len(kept) >= ENTITY_SETS_KEPT:
            return found
        kept[key] = found
    return kept[key]


# How a partnership's legal basis is known, one row a kind: the predicate that states it, the
# SPARQL variable prefix, and how the fact says it. The hedge travels with the fact: an
# inferred basis is never stated as one.
BASES: tuple[tuple[str, str, str], ...] = (
    ("p2p:legalBasis", "basis", "legal basis: {}"),
    ("p2p:inferredLegalBasis", "inferred", "legal basis not stated by its sources; inferred: {}"),
)


def _basis_block(predicate: str, var: str) -> str:
    return f"""
          OPTIONAL {{
            ?ps {predicate} ?{var} . ?route p2p:legalBasis ?{var} .
            ?{var} skos:prefLabel ?{var}Label .
            ?{var}F rdf:subject ?ps ; rdf:predicate {predicate} ; rdf:object ?{var} ;
                prov:wasDerivedFrom ?{var}P .
            ?{var}P dcterms:identifier ?{var}Passage .
          }}"""


def partnership_facts(
    snapshot: Snapshot, entity_iris: list[str], limit: int = 3
) -> list[GraphFact]:
    """For councils, routes, provisions or partnerships in the question: which partnership used
    which route, on which legal basis, with the passages the graph took those facts from.
    Read once per entity list and snapshot; each caller gets its own copies."""
    if not entity_iris:
        return []
    facts = _read_once(
        snapshot,
        "partnership_facts",
        entity_iris,
        lambda: _partnership_facts(snapshot, entity_iris),
    )
    return [
        replace(f, passage_ids=list(f.passage_ids), routes=list(f.routes)) for f in facts[:limit]
    ]


def _partnership_facts(snapshot: Snapshot, entity_iris: list[str]) -> list[GraphFact]:
    values = " ".join(f"<{iri}>" for iri in entity_iris)
    selected = " ".join(f"?{var}Label ?{var}Passage" for _, var, _ in BASES)
    query = f"""
        SELECT ?ps ?psLabel ?councilLabel ?route ?routeLabel ?routePassage {selected}
        WHERE {{
          VALUES ?e {{ {values} }}
          ?ps a p2p:Partnership ; skos:prefLabel ?psLabel .
          {{ ?ps p2p:council ?e }} UNION {{ ?ps p2p:route ?e }} UNION {{ ?ps p2p:legalBasis ?e }}
          UNION {{ FILTER(?ps = ?e) }}
          OPTIONAL {{ ?ps p2p:council/skos:prefLabel ?councilLabel }}
          ?ps p2p:route ?route .
          ?route skos:prefLabel ?routeLabel .
          ?rf rdf:subject ?ps ; rdf:predicate p2p:route ; rdf:object ?route ;
              prov:wasDerivedFrom ?rp .
          ?rp dcterms:identifier ?routePassage .{"".join(_basis_block(p, v) for p, v, _ in BASES)}
        }} ORDER BY ?psLabel ?routeLabel"""
    grouped: dict[str, GraphFact] = {}
    heads: dict[str, str] = {}
    # Each route once, with its bases of one kind together ("regulations 74, 75 and 76").
    bases: dict[str, dict[str, dict[str, list[str]]]] = {}
    for row in select_rows(snapshot.store, query):
        ps = row["ps"]
        if ps not in grouped:
            who = f"{row['councilLabel']}: " if "councilLabel" in row else ""
            heads[ps] = f"{who}{row['psLabel']} used "
            grouped[ps] = GraphFact("", [], ps, [])
        fact = grouped[ps]
        route = bases.setdefault(ps, {}).setdefault(row["routeLabel"], {})
        for _, var, says in BASES:  # the first way the basis is known, said with its hedge
            if f"{var}Label" in row:
                labels = route.setdefault(says, [])
                if row[f"{var}Label"] not in labels:
                    labels.append(row[f"{var}Label"])
                break
        if row["route"] not in fact.routes:
            fact.routes.append(row["route"])
        for key in ("routePassage", *(f"{var}Passage" for _, var, _ in BASES)):
            if key in row and row[key] not in fact.passage_ids:
                fact.passage_ids.append(row[key])
    for ps, fact in grouped.items():
        routes = [
            label + "".join(f" ({says.format(_joined(found))})" for says, found in known.items())
            for label, known in bases[ps].items()
        ]
        fact.text = heads[ps] + " and ".join(routes)
    return list(grouped.values())


def _joined(labels: list[str]) -> str:
    """ "PCR 2015 regulation 74", "... 75" -> "PCR 2015 regulations 74, 75 and 76"."""
    labels = sorted(labels)
    if len(labels) == 1:
        return labels[0]
    stem = labels[0].rsplit(" ", 1)[0]
    if all(label.rsplit(" ", 1)[0] == stem for label in labels):
        numbers = [label.rsplit(" ", 1)[1] for label in labels]
        return f"{stem}s {', '.join(numbers[:-1])} and {numbers[-1]}"
    return ", ".join(labels[:-1]) + " and " + labels[-1]


SCHEME_MEMBERS_MAX = 12  # a scheme longer than this (all the routes) is no answer by itself


@dataclass
class Scheme:
    iri: str
    label: str
    pattern: re.Pattern[str]
    members: list[tuple[str, str]]  # (IRI, label), in notation order


def schemes(snapshot: Snapshot) -> list[Scheme]:
    """The graph's short concept schemes (the correctives, the principles), read once."""
    cached = snapshot.cache.get("schemes")
    if cached is None:
        labels: dict[str, list[str]] = {}  # the preferred label first
        for row in select_rows(
            snapshot.store,
            """SELECT ?s ?pref ?alt WHERE { ?s a skos:ConceptScheme ; skos:prefLabel ?pref .
                   OPTIONAL { ?s skos:altLabel ?alt } }""",
        ):
            labels.setdefault(row["s"], [row["pref"]])
            if "alt" in row:
                labels[row["s"]].append(row["alt"])
        members: dict[str, list[tuple[str, str, str]]] = {}
        for row in select_rows(
            snapshot.store,
            """SELECT ?s ?m ?label ?notation WHERE { ?m skos:inScheme ?s ; skos:prefLabel ?label .
                   OPTIONAL { ?m skos:notation ?notation } }""",
        ):
            members.setdefault(row["s"], []).append(
                (row.get("notation", ""), row["m"], row["label"])
            )
        cached = []
        for iri, names in labels.items():
            found = members.get(iri, [])
            if not found or len(found) > SCHEME_MEMBERS_MAX:
                continue
            found.sort(key=lambda m: (len(m[0]), m[0], m[2]))
            alternatives = "|".join(re.escape(n.lower()) for n in sorted(set(names), key=len)[::-1])
            cached.append(
                Scheme(
                    iri,
                    names[0],
                    re.compile(rf"\b(?:{alternatives})\b"),
                    [(m, label) for _, m, label in found],
                )
            )
        snapshot.cache["schemes"] = cached
    return cached


def scheme_facts(snapshot: Snapshot, question: str, named: Collection[str] = ()) -> list[GraphFact]:
    """A question about a whole scheme ("what are the five correctives?") gets its members
    from the graph, cited to the fewest passages that name them all. A question naming one
    member (``named``, by IRI: "what is the second of the five correctives about?") asks
    about that member, which the passages about it answer, or say is not known."""
    text = " ".join(question.lower().split())
    facts = []
    for scheme in schemes(snapshot):
        if not scheme.pattern.search(text) or any(m in named for m, _ in scheme.members):
            continue
        uncovered = {m for m, _ in scheme.members}
        naming: dict[int, set[str]] = {}
        for member in uncovered:
            rows = snapshot.rows_mentioning.get(member, set()) | snapshot.rows_about.get(
                member, set()
            )
            for row in rows:
                naming.setdefault(row, set()).add(member)
        passages = []
        while uncovered:
            best = max(naming, key=lambda r: (len(naming[r] & uncovered), -r), default=None)
            if best is None or not naming[best] & uncovered:
                break
            uncovered -= naming[best]
            passages.append(snapshot.passages[best].id)
        listed = "; ".join(label for _, label in scheme.members)
        facts.append(GraphFact(f"{scheme.label}: {listed}", passages, scheme.iri, []))
    return facts


def entity_labels(snapshot: Snapshot, iris: list[str]) -> list[dict]:
    out = []
    for iri in iris:
        record = snapshot.entities.records.get(iri)
        if record is not None:
            out.append({"iri": iri, "label": record.label, "type": record.type})
    return out


def definitions(snapshot: Snapshot, entity_iris: list[str]) -> list[tuple[str, str]]:
    """(IRI, "label: definition") for the concepts named that the graph defines, in order
    (read once per entity list and snapshot)."""
    if not entity_iris:
        return []
    return list(
        _read_once(
            snapshot, "definitions", entity_iris, lambda: _definitions(snapshot, entity_iris)
        )
    )


def _definitions(snapshot: Snapshot, entity_iris: list[str]) -> list[tuple[str, str]]:
    values = " ".join(f"<{iri}>" for iri in entity_iris)
    rows = select_rows(
        snapshot.store,
        f"""SELECT ?e ?label ?definition WHERE {{ VALUES ?e {{ {values} }}
              ?e skos:prefLabel ?label ; skos:definition ?definition }}""",
    )
    found = {
        row["e"]: f"{row['label'][:1].upper()}{row['label'][1:]}: {row['definition']}"
        for row in rows
    }
    return [(iri, found[iri]) for iri in entity_iris if iri in found]
