import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.build import GRAPH
from kg.config import PROJECT_ROOT
from kg.namespaces import EPO, ORG, P2P
from kg.validate import load_graph

ONTOLOGY = PROJECT_ROOT / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/p2p-kg/ontology")
# Vocabularies the graph reuses rather than reinvents; anything else must be a p2p: term.
REUSED = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "https://schema.org/",
    "http://data.europa.eu/eli/ontology#",
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "p2p.ttl", format="turtle")


@pytest.fixture(scope="module")
def build_graph(corpus_build) -> Graph:
    return load_graph(corpus_build.build.file(GRAPH))


def _declared(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}


def _p2p_terms_used(graph: Graph) -> set[URIRef]:
    predicates = set(graph.predicates())
    classes = set(graph.objects(None, RDF.type))
    return {t for t in predicates | classes if str(t).startswith(str(P2P))}


def test_ontology_header_names_itself(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate


def test_every_p2p_term_in_the_corpus_build_is_declared_with_a_comment(ontology, build_graph):
    used = _p2p_terms_used(build_graph)
    assert P2P.Partnership in used and P2P.replacedBy in used
    missing = sorted(str(t) for t in used - _declared(ontology))
    assert missing == [], f"used in the graph but not declared in ontology/p2p.ttl: {missing}"
    for term in used:
        comment = ontology.value(term, RDFS.comment)
        assert comment is not None and len(str(comment)) > 30, term
        assert ontology.value(term, RDFS.label) is not None, term


def test_every_triple_uses_p2p_terms_or_a_reused_vocabulary(build_graph):
    terms = set(build_graph.predicates()) | set(build_graph.objects(None, RDF.type))
    assert RDF.type in terms
    for term in terms:
        assert str(term).startswith((str(P2P), *REUSED)), f"{term} belongs to no known vocabulary"


def test_every_p2p_term_the_code_and_reference_data_use_is_declared(ontology):
    """Terms the ingest emits or the reference data uses, even where the corpus has no instance."""
    sources = [
        p for pkg in ("ingest", "kg", "search_api") for p in (PROJECT_ROOT / pkg).rglob("*.py")
    ]
    sources += [p for p in ONTOLOGY.glob("*.ttl") if p.name != "p2p.ttl"]
    sources += list((PROJECT_ROOT / "queries").glob("*.rq"))
    used: set[URIRef] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        used |= {P2P[name] for name in re.findall(r"\b(?:P2P\.|p2p:)([A-Za-z]\w*)", text)}
    assert P2P.legislation in used and P2P.CaseStudy in used
    missing = sorted(str(t) for t in used - _declared(ontology))
    assert missing == []


def test_every_declared_term_is_documented(ontology):
    declared = _declared(ontology)
    assert P2P.Partnership in declared
    for term in declared:
        assert str(term).startswith(str(P2P)), term
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term


@pytest.mark.parametrize(
    ("term", "axiom", "other"),
    [
        (P2P.Partnership, RDFS.subClassOf, ORG.OrganizationalCollaboration),
        (P2P.Partnership, RDFS.seeAlso, EPO.OrganisationGroup),
        (P2P.Council, RDFS.subClassOf, ORG.FormalOrganization),
        (P2P.Council, RDFS.subClassOf, URIRef("http://data.europa.eu/m8g/PublicOrganisation")),
        (P2P.PartnerOrganisation, RDFS.subClassOf, ORG.Organization),
        (P2P.Passage, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (P2P.SourceDocument, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Document")),
        (P2P.Fact, RDFS.subClassOf, RDF.Statement),
        (P2P.ProcurementRoute, RDFS.subClassOf, SKOS.Concept),
        (
            P2P.LegalProvision,
            RDFS.subClassOf,
            URIRef("http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
        ),
        (P2P.legalBasis, RDFS.seeAlso, EPO.hasLegalBasis),
        (P2P.replacedBy, RDFS.subPropertyOf, DCTERMS.isReplacedBy),
        (P2P.mentions, RDFS.subPropertyOf, DCTERMS.references),
        (P2P.council, RDFS.subPropertyOf, ORG.hasMember),
        (P2P.partner, RDFS.subPropertyOf, ORG.hasMember),
    ],
)
def test_terms_are_aligned_with_the_vocabularies_they_refine(ontology, term, axiom, other):
    assert (term, axiom, other) in ontology


def test_the_toolkits_own_names_are_labels(ontology):
    partnership_labels = {str(o) for o in ontology.objects(P2P.Partnership, SKOS.altLabel)}
    assert "Public Service Community Partnership" in partnership_labels
    assert (
        P2P.PartnerOrganisation,
        SKOS.altLabel,
        Literal("purpose-aligned partner", lang="en"),
    ) in (ontology)


def test_routes_map_to_eu_procedure_types_where_they_exist(build_graph):
    types = "http://publications.europa.eu/resource/authority/procurement-procedure-type/"
    route = "https://w3id.org/p2p-kg/id/route/"
    mapped = {
        str(s).removeprefix(route): str(o).removeprefix(types)
        for s, o in build_graph.subject_objects(SKOS.closeMatch)
        if str(o).startswith(types)
    }
    assert mapped["innovation-partnership"] == "innovation"
    assert mapped["competitive-procedure-with-negotiation"] == "neg-w-call"
    assert "competitive-flexible-procedure" not in mapped


def test_shapes_and_ontology_parse(ontology):
    shapes = Graph().parse(Path(ONTOLOGY / "shapes.ttl"), format="turtle")
    assert len(shapes) > 100 and len(ontology) > 100


def _label_problems(graph: Graph) -> list[str]:
    """skos:prefLabel values without a language tag, and subjects with two in one language."""
    problems, seen = [], set()
    for s, label in graph.subject_objects(SKOS.prefLabel):
        language = getattr(label, "language", None)
        if not language:
            problems.append(f"{s}: {label!r} has no language tag")
        elif (s, language) in seen:
            problems.append(f"{s}: two skos:prefLabel in @{language}")
        seen.add((s, language))
    return problems


def test_every_preflabel_of_the_reference_data_has_one_language_tag_per_language():
    graph = Graph()
    for path in ONTOLOGY.glob("*.ttl"):
        graph.parse(path, format="turtle")
    assert len(set(graph.subject_objects(SKOS.prefLabel))) > 100
    assert _label_problems(graph) == []


def test_every_preflabel_ingest_writes_has_one_language_tag_per_language(build_graph):
    """Councils, partner organisations and partnerships come from documents and the ONS lookup,
    not from ontology/*.ttl: their labels are tagged too, so FILTER(lang(?l) = "en") and
    language-aware clients see every entity."""
    assert _label_problems(build_graph) == []
    kinds = {P2P.Council, P2P.Partnership, P2P.PartnerOrganisation}
    labelled = {
        s
        for s in build_graph.subjects(SKOS.prefLabel)
        if kinds & set(build_graph.objects(s, RDF.type))
    }
    assert len(labelled) > 10
