"""The reference entities: the ontology's concept schemes and councils, plus the ONS lookup.

Read once per ingest; the entity records are written into the build (entities.json) so the
service recognises the same entities without reading the ontology again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .entities import EntityRecord, council_records
from .namespaces import DEFAULT_ID, P2P, slugify
from .vocabulary import TYPE_OF_CLASS

# Every Turtle file of the ontology folder but the ontology itself and its shapes holds reference
# entities, so a new concept scheme is a new file (or a few lines in an existing one).
NOT_REFERENCE = {"p2p.ttl", "shapes.ttl"}


def reference_files(ontology_dir: Path) -> list[Path]:
    return sorted(p for p in ontology_dir.glob("*.ttl") if p.name not in NOT_REFERENCE)


@dataclass
class Registry:
    graph: Graph
    records: list[EntityRecord]
    gazetteer: list[EntityRecord]  # councils known from the ONS lookup, not yet in the graph


def rebase(graph: Graph, id_base: str) -> Graph:
    """Move IRIs written under the default base to the configured one."""
    if id_base == DEFAULT_ID:
        return graph
    moved = Graph()

    def move(term):
        if isinstance(term, URIRef) and str(term).startswith(DEFAULT_ID):
            return URIRef(id_base + str(term)[len(DEFAULT_ID) :])
        return term

    for s, p, o in graph:
        moved.add((move(s), p, move(o)))
    return moved


def load_registry(ontology_dir: Path, id_base: str) -> Registry:
    graph = Graph()
    for path in reference_files(ontology_dir):
        graph.parse(path, format="turtle")
    graph = rebase(graph, id_base)
    records: list[EntityRecord] = []
    for cls, type_ in TYPE_OF_CLASS.items():
        for subject in graph.subjects(RDF.type, cls):
            slug = graph.value(subject, DCTERMS.identifier)
            pref = graph.value(subject, SKOS.prefLabel)
            labels = [
                str(o) for p in (SKOS.altLabel, SKOS.hiddenLabel) for o in graph.objects(subject, p)
            ]
            gss = graph.value(subject, P2P.gssCode)
            colloquial = [str(o) for o in graph.objects(subject, P2P.colloquialLabel)]
            records.append(
                EntityRecord(
                    iri=str(subject),
                    type=type_,
                    label=str(pref or slug),
                    slug=str(slug or ""),
                    labels=labels,
                    gss=str(gss or ""),
                    colloquial=colloquial,
                )
            )
    known = {r.iri for r in records}
    ons = {r.iri: r for r in ons_councils(id_base)}
    gazetteer = [r for r in ons.values() if r.iri not in known]
    # Registry councils learn their upper tier from the lookup too.
    for record in records:
        if record.iri in ons and ons[record.iri].upper_tier:
            record.upper_tier = ons[record.iri].upper_tier
    return Registry(graph=graph, records=records, gazetteer=gazetteer)


def ons_councils(id_base: str) -> list[EntityRecord]:
    import qlacref_authorities

    return council_records(list(qlacref_authorities.records), slugify, id_base)
