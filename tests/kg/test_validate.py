"""SHACL validation of builds: the shipped corpus conforms, and each kind of damage is reported.

Each check validates the whole corpus graph (seconds apiece), so the checks of damaged graphs
are marked slow; the quick loop keeps the shipped build's.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from kg.build import GRAPH
from kg.namespaces import P2P
from kg.validate import ValidationReport, load_graph, validate, validate_graph

ID = Namespace("https://w3id.org/p2p-kg/id/")
OLDHAM_PASSAGE = ID["passage/case-oldham-social-prescribing/p1"]
PLYMOUTH = ID["partnership/case-plymouth-alliance"]


@pytest.fixture(scope="module")
def graph_path(corpus_build) -> Path:
    return corpus_build.build.file(GRAPH)


@pytest.fixture(scope="module")
def ontology_dir(corpus_settings) -> Path:
    return corpus_settings.ontology_dir


@pytest.mark.slow
def test_shipped_corpus_build_has_no_violations(graph_path, ontology_dir):
    report = validate(graph_path, ontology_dir)
    assert report.violations == [], report.format()
    assert report.conforms
    assert report.triples > 1000
    assert report.format().startswith("conforms:")


def _remove_part_of(g: Graph) -> None:
    g.remove((OLDHAM_PASSAGE, DCTERMS.isPartOf, None))


def _remove_routes(g: Graph) -> None:
    g.remove((PLYMOUTH, P2P.route, None))


def _swap_offsets(g: Graph) -> None:
    g.set((OLDHAM_PASSAGE, P2P.charEnd, Literal(0)))


def _bad_gss_code(g: Graph) -> None:
    g.set((ID["council/oldham"], P2P.gssCode, Literal("X0800004")))


def _website_instead_of_legislation_id(g: Graph) -> None:
    reg31 = ID["eli/uksi/2015/102/regulation/31"]
    g.remove((reg31, RDFS.seeAlso, None))
    g.add(
        (reg31, RDFS.seeAlso, URIRef("https://www.legislation.gov.uk/uksi/2015/102/regulation/31"))
    )


def _unknown_kind(g: Graph) -> None:
    g.set((ID["document/case-croydon"], P2P.kind, Literal("blog")))


def _fact_without_passage(g: Graph) -> None:
    for fact in g.subjects(RDF.predicate, P2P.route):
        g.remove((fact, PROV.wasDerivedFrom, None))


def _document_without_sources(g: Graph) -> None:
    g.remove((ID["document/case-croydon"], DCTERMS.source, None))


def _document_typed_only_by_kind(g: Graph) -> None:
    g.remove((ID["document/case-croydon"], RDF.type, P2P.SourceDocument))


BREAKS: dict[str, tuple[Callable[[Graph], None], URIRef, str]] = {
    "passage without its document": (_remove_part_of, OLDHAM_PASSAGE, "dcterms:isPartOf"),
    "partnership without a route": (_remove_routes, PLYMOUTH, "has no procurement route"),
    "passage ending before it starts": (_swap_offsets, OLDHAM_PASSAGE, "not less than"),
    "council with a malformed GSS code": (_bad_gss_code, ID["council/oldham"], "GSS code"),
    "provision linked to a web page": (
        _website_instead_of_legislation_id,
        ID["eli/uksi/2015/102/regulation/31"],
        "legislation.gov.uk identifier",
    ),
    "document of an unknown kind": (_unknown_kind, ID["document/case-croydon"], "p2p:kind"),
    "fact without its passage": (_fact_without_passage, None, "must name the p2p:Passage"),
    # Found through the ontology's CaseStudy subclass axiom, reported because queries need the type.
    "document typed only by its kind": (
        _document_typed_only_by_kind,
        ID["document/case-croydon"],
        "not typed p2p:SourceDocument itself",
    ),
    "document without a source page": (
        _document_without_sources,
        ID["document/case-croydon"],
        "source page",
    ),
}


@pytest.fixture(scope="module")
def nt_text(graph_path) -> str:
    return graph_path.read_text(encoding="utf-8")


def _broken(nt_text: str, breaker: Callable[[Graph], None]) -> Graph:
    g = Graph().parse(data=nt_text, format="nt")
    breaker(g)
    return g


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BREAKS))
def test_broken_graph_reports_what_is_wrong_and_where(name, nt_text, ontology_dir):
    breaker, focus, fragment = BREAKS[name]
    report = validate_graph(_broken(nt_text, breaker), ontology_dir)
    assert not report.conforms
    matching = [v for v in report.violations if fragment in v.message]
    assert matching, report.format()
    if focus is not None:
        assert str(focus) in {v.focus_node for v in matching}, report.format()
    assert all(v.severity == "Violation" for v in matching)
    assert fragment in report.format()


@pytest.mark.slow
def test_sparql_checks_find_text_that_does_not_match_its_offsets(nt_text, ontology_dir):
    g = _broken(nt_text, lambda g: g.set((OLDHAM_PASSAGE, P2P.text, Literal("too short"))))
    report = validate_graph(g, ontology_dir)
    [violation] = [v for v in report.violations if "characters long" in v.message]
    assert violation.focus_node == str(OLDHAM_PASSAGE)
    assert "9 characters long" in violation.message


@pytest.mark.slow
def test_validate_reads_a_graph_file(tmp_path, nt_text, ontology_dir):
    path = tmp_path / "graph.nt"
    _broken(nt_text, _remove_part_of).serialize(path, format="nt", encoding="utf-8")
    report = validate(path, ontology_dir)
    assert isinstance(report, ValidationReport)
    assert not report.conforms
    lines = report.format().splitlines()
    assert lines[0].startswith("does not conform:")
    assert any(
        "passage/case-oldham-social-prescribing/p1" in line and "dcterms:isPartOf" in line
        for line in lines[1:]
    )
    assert len(load_graph(path)) == report.triples


@pytest.mark.slow
def test_a_route_succession_must_qualify_a_replaced_by_link(nt_text, ontology_dir):
    succession = ID["succession/innovation-partnership"]
    g = Graph().parse(data=nt_text, format="nt")
    if (succession, RDF.type, P2P.RouteSuccession) not in g:
        pytest.skip("no route successions in the reference data")
    g.remove((ID["route/innovation-partnership"], P2P.replacedBy, None))
    report = validate_graph(g, ontology_dir)
    [violation] = [v for v in report.violations if "qualifies no p2p:replacedBy" in v.message]
    assert violation.focus_node == str(succession)
