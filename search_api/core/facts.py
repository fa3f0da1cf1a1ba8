"""Graph facts about the entities a question names, each with the passage that states it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.sparql import select_rows

from .snapshot import Snapshot


@dataclass
class GraphFact:
    text: str
    passage_ids: list[str]
    subject: str
    routes: list[str]


def partnership_facts(
    snapshot: Snapshot, entity_iris: list[str], limit: int = 3
) -> list[GraphFact]:
    """For councils, routes, provisions or partnerships in the question: which partnership used
    which route, on which legal basis, with the passages the graph took those facts from."""
    if not entity_iris:
        return []
    values = " ".join(f"<{iri}>" for iri in entity_iris)
    query = f"""
        SELECT ?ps ?psLabel ?councilLabel ?route ?routeLabel ?routePassage ?basisLabel ?basisPassage
               ?inferredLabel ?inferredPassage
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
          ?rp dcterms:identifier ?routePassage .
          OPTIONAL {{
            ?ps p2p:legalBasis ?basis . ?route p2p:legalBasis ?basis .
            ?basis skos:prefLabel ?basisLabel .
            ?bf rdf:subject ?ps ; rdf:predicate p2p:legalBasis ; rdf:object ?basis ;
                prov:wasDerivedFrom ?bp .
            ?bp dcterms:identifier ?basisPassage .
          }}
          OPTIONAL {{
            ?ps p2p:inferredLegalBasis ?inferred . ?route p2p:legalBasis ?inferred .
            ?inferred skos:prefLabel ?inferredLabel .
            ?if rdf:subject ?ps ; rdf:predicate p2p:inferredLegalBasis ; rdf:object ?inferred ;
                prov:wasDerivedFrom ?ip .
            ?ip dcterms:identifier ?inferredPassage .
          }}
        }} ORDER BY ?psLabel ?routeLabel"""
    grouped: dict[str, GraphFact] = {}
    for row in select_rows(snapshot.store, query):
        ps = row["ps"]
        route = f"{row['routeLabel']}"
        if "basisLabel" in row:
            route += f" (legal basis: {row['basisLabel']})"
        elif "inferredLabel" in row:
            # The hedge travels with the fact: an inferred basis is never stated as one.
            route += f" (legal basis not stated by its sources; inferred: {row['inferredLabel']})"
        fact = grouped.get(ps)
        if fact is None:
            who = f"{row['councilLabel']}: " if "councilLabel" in row else ""
            fact = GraphFact(f"{who}{row['psLabel']} used {route}", [], ps, [])
            grouped[ps] = fact
        elif route not in fact.text:
            fact.text += f" and {route}"
        if row["route"] not in fact.routes:
            fact.routes.append(row["route"])
        for key in ("routePassage", "basisPassage", "inferredPassage"):
            if key in row and row[key] not in fact.passage_ids:
                fact.passage_ids.append(row[key])
    return list(grouped.values())[:limit]


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


def scheme_facts(snapshot: Snapshot, question: str) -> list[GraphFact]:
    """A question about a whole scheme ("what are the five correctives?") gets its members
    from the graph, cited to the fewest passages that name them all."""
    text = " ".join(question.lower().split())
    facts = []
    for scheme in schemes(snapshot):
        if not scheme.pattern.search(text):
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
    """(IRI, "label: definition") for the concepts named that the graph defines, in order."""
    if not entity_iris:
        return []
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
