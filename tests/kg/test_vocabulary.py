"""The vocabulary table agrees with the ontology, the shapes and what the service serves."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH

from ingest.pipeline import parse_file
from ingest.triples import IRIs, document_triples
from kg.config import PROJECT_ROOT, Settings
from kg.entities import EntityIndex, EntityRecord
from kg.namespaces import DEFAULT_ID, P2P
from kg.registry import load_registry
from kg.vocabulary import DOCUMENT_KINDS, ENTITY_TYPES, KINDS, REFERENCE_KEYS
from search_api.http.app import create_app

ONTOLOGY = PROJECT_ROOT / "ontology"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "p2p.ttl", format="turtle")


def _named_classes() -> set[URIRef]:
    return {cls for type_ in ENTITY_TYPES for cls in type_.classes} | {
        kind.cls for kind in DOCUMENT_KINDS
    }


def test_every_class_the_vocabulary_names_is_declared_in_the_ontology(ontology):
    for cls in _named_classes():
        if str(cls).startswith(str(P2P)):
            assert (cls, RDF.type, OWL.Class) in ontology, cls
        else:  # a class reused from another vocabulary: the ontology relates its own terms to it
            assert any(ontology.triples((None, None, cls))), cls


def test_every_predicate_the_vocabulary_names_is_declared_in_the_ontology(ontology):
    for ref in REFERENCE_KEYS:
        assert (ref.predicate, RDF.type, OWL.ObjectProperty) in ontology, ref.key


def test_the_shapes_allow_exactly_the_vocabularys_kinds():
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    (kind_shape,) = shapes.subjects(SH.path, P2P.kind)
    allowed = Collection(shapes, shapes.value(kind_shape, SH["in"]))
    assert tuple(str(value) for value in allowed) == KINDS


def test_the_served_names_are_the_tables_open_to_the_widgets_sites(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path, sparql_workers=0)))
    response = client.get("/vocabulary", headers={"Origin": "https://council.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    served = response.json()
    assert served["kinds"] == [
        {"kind": k.name, "label": k.label, "plural": k.plural} for k in DOCUMENT_KINDS
    ]
    assert served["entity_types"] == [{"type": t.name, "label": t.label} for t in ENTITY_TYPES]


def test_an_inferred_legal_basis_is_stated_apart_from_a_stated_one(tmp_path):
    path = tmp_path / "inferred.md"
    path.write_text(
        "---\nid: inferred-basis\ntitle: A partnership on an inferred basis\nkind: case_study\n"
        "source_urls: [https://example.org/partnership]\ncouncil: oldham\n"
        "inferred_regulations: [pcr2015-reg-31]\n"
        "partnership:\n  name: An inferred partnership\n---\n"
        "Oldham formed an innovation partnership under regulation 31 of the PCR 2015.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    registry = load_registry(ONTOLOGY, DEFAULT_ID)
    index = EntityIndex(registry.records + registry.gazetteer)
    parsed = parse_file(path, settings, index)
    iris = IRIs(DEFAULT_ID)
    triples = set(document_triples(parsed.doc, parsed.passages, parsed.links, iris))

    partnership = iris.partnership("inferred-basis")
    provision = URIRef(index.resolve("legislation", "pcr2015-reg-31").iri)
    basis = {(p, o) for s, p, o in triples if s == partnership and o == provision}
    assert basis == {(P2P.inferredLegalBasis, provision)}
    assert not any(p == P2P.legalBasis for _, p, _ in triples)
    # As a stated basis is: a fact naming the passage it comes from, and what the document is about.
    assert any(
        (f, RDF.predicate, P2P.inferredLegalBasis) in triples
        and (f, RDF.subject, partnership) in triples
        for f, p, o in triples
        if p == RDF.type and o == P2P.Fact
    )
    assert (iris.document("inferred-basis"), P2P.about, provision) in triples


def test_a_name_with_an_apostrophe_is_found_in_a_question_typed_without_it():
    index = EntityIndex(
        [
            EntityRecord(iri="urn:x:barnardos", type="organisation", label="Barnardo's"),
            EntityRecord(
                iri="urn:x:cip", type="partnership", label="Children's Innovation Partnership"
            ),
        ]
    )
    found = index.find_in_question("is the barnardos childrens innovation partnership working")
    assert [(m.iri, m.surface) for m in found] == [
        ("urn:x:barnardos", "barnardos"),
        ("urn:x:cip", "childrens innovation partnership"),
    ]
    # Text the corpus writes keeps its apostrophe; nothing is found by the joined form there.
    assert index.find("Barnardos") == []


def test_a_label_is_found_in_a_question_in_the_plural():
    index = EntityIndex(
        [
            EntityRecord(iri="urn:x:psed", type="concept", label="equality duty"),
            EntityRecord(iri="urn:x:ltr", type="regime", label="light touch regime"),
            EntityRecord(iri="urn:x:cat", type="route", label="community asset transfer"),
        ]
    )
    found = index.find_in_question(
        "which equality duties apply to light touch regimes and community asset transfers?"
    )
    assert [m.iri for m in found] == ["urn:x:psed", "urn:x:ltr", "urn:x:cat"]
    # Documents are read as written.
    assert index.find("the equality duties") == []
