"""Graph facts about the entities a question names, each with the passage that states it."""

from __future__ import annotations

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
        }} ORDER BY ?psLabel ?routeLabel"""
    grouped: dict[str, GraphFact] = {}
    for row in select_rows(snapshot.store, query):
        ps = row["ps"]
        route = f"{row['routeLabel']}"
        if "basisLabel" in row:
            route += f" (legal basis: {row['basisLabel']})"
        fact = grouped.get(ps)
        if fact is None:
            who = f"{row['councilLabel']}: " if "councilLabel" in row else ""
            fact = GraphFact(f"{who}{row['psLabel']} used {route}", [], ps, [])
            grouped[ps] = fact
        elif route not in fact.text:
            fact.text += f" and {route}"
        if row["route"] not in fact.routes:
            fact.routes.append(row["route"])
        for key in ("routePassage", "basisPassage"):
            if key in row and row[key] not in fact.passage_ids:
                fact.passage_ids.append(row[key])
    return list(grouped.values())[:limit]


def entity_labels(snapshot: Snapshot, iris: list[str]) -> list[dict]:
    out = []
    for iri in iris:
        record = snapshot.entities.records.get(iri)
        if record is not None:
            out.append({"iri": iri, "label": record.label, "type": record.type})
    return out
