import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.config import PROJECT_ROOT
from kg.namespaces import DEFAULT_ID, P2P
from kg.registry import load_registry

COUNCILS_SINCE_2021 = {"cumberland", "westmorland-and-furness", "north-yorkshire", "somerset"}


@pytest.fixture(scope="module")
def registry():
    return load_registry(PROJECT_ROOT / "ontology", DEFAULT_ID)


def test_councils_created_since_the_2021_lookup_are_reference_councils(registry):
    councils = {r.slug: r for r in registry.records if r.type == "council"}
    assert set(councils) >= COUNCILS_SINCE_2021
    for slug in COUNCILS_SINCE_2021:
        record = councils[slug]
        assert record.gss == "", "no GSS code is known for them from a stored source"
        iri = URIRef(record.iri)
        assert (iri, RDF.type, P2P.Council) in registry.graph
        assert str(registry.graph.value(iri, DCTERMS.created)) == "2023-04-01"
        assert "not verified against a stored source" in str(
            registry.graph.value(iri, RDFS.comment)
        )
    assert councils["north-yorkshire"].label == "North Yorkshire Council"
    assert "Somerset" in councils["somerset"].labels


def test_registry_councils_win_over_the_ons_lookup_with_the_same_iri(registry):
    gazetteer = {r.slug: r for r in registry.gazetteer}
    # The lookup's 2021 counties North Yorkshire and Somerset give way to the 2023 councils...
    assert "north-yorkshire" not in gazetteer and "somerset" not in gazetteer
    # ...and their former districts still name them as their upper tier.
    assert gazetteer["harrogate"].upper_tier == f"{DEFAULT_ID}council/north-yorkshire"
    assert gazetteer["mendip"].upper_tier == f"{DEFAULT_ID}council/somerset"
    # Councils the lookup has and the reference data does not stay in the gazetteer.
    assert gazetteer["wigan"].gss == "E08000010"
    # Councils the corpus names in passing carry their own names, not the lookup's "<area> Council".
    named = {r.slug: r.label for r in registry.records if r.type == "council"}
    assert named["tameside"] == "Tameside Metropolitan Borough Council"
    assert named["birmingham"] == "Birmingham City Council"
    assert named["lancashire"] == "Lancashire County Council"


def test_the_people_and_bodies_of_the_toolkit_are_reference_entities(registry):
    """A question naming E3M or Julian Blake is read as about them: they are entities of their
    own types, typed in FOAF and W3C ORG terms for queries that use those vocabularies."""
    people = {r.label: r for r in registry.records if r.type == "person"}
    bodies = {r.label: r for r in registry.records if r.type == "body"}
    assert {"Julian Blake", "Jonathan Bland", "Louise Gittins"} <= set(people)
    assert {"E3M", "Co-operative Councils' Innovation Network", "Stone King LLP"} <= set(bodies)
    assert "CCIN" in bodies["Co-operative Councils' Innovation Network"].labels
    assert "Gittens" in people["Louise Gittins"].labels  # the spelling one source uses
    foaf_person = URIRef("http://xmlns.com/foaf/0.1/Person")
    org = URIRef("http://www.w3.org/ns/org#Organization")
    assert (URIRef(people["Julian Blake"].iri), RDF.type, foaf_person) in registry.graph
    assert (URIRef(bodies["E3M"].iri), RDF.type, org) in registry.graph
