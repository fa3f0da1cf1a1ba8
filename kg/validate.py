"""Validate a build's graph against the project's SHACL shapes (``ontology/shapes.ttl``).

``validate(graph_path, ontology_dir)`` reads ``graph.nt`` and returns a ``ValidationReport``: whether
the graph conforms, and one ``Violation`` per problem (focus node, path, message, severity) with
messages that say what to fix and where.

Inference is ``"none"``, on purpose. The graph is queried in Oxigraph, which does no reasoning: a
passage that is only *entailed* to be a ``prov:Entity``, or a case study only entailed to be a
``p2p:SourceDocument``, is invisible to a researcher's SPARQL. The shapes therefore check the
triples as asserted, and some check explicitly that the ingest asserts the types a query relies
on (``rdf:type`` with ``sh:hasValue``). RDFS inference would also hide missing data behind
entailments: with the ontology's ``rdfs:range`` axioms, any object of ``p2p:route`` would become
a ``p2p:ProcurementRoute`` and the ``sh:class`` checks could never fail.

The ontology (``ontology/p2p.ttl``) is still given as ``ont_graph``: pyshacl mixes its class
hierarchy into a working copy of the data, so ``sh:targetClass p2p:SourceDocument`` also reaches
documents typed only as ``p2p:CaseStudy`` (which the type checks then report) — targeting follows
the ontology, the checks follow the asserted data.

pyshacl runs in advanced mode for SHACL-AF SPARQL targets: checks that need SPARQL over every
passage or fact find their suspects with one query instead of one query per node (seconds to
milliseconds). The graph is validated in place (it was loaded for this run), so on the ~6k
triples of the shipped corpus a run takes about a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .namespaces import PREFIXES

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "p2p.ttl"


@dataclass(frozen=True)
class Violation:
    focus_node: str
    path: str
    message: str
    severity: str  # Violation | Warning | Info
    value: str = ""

    def format(self) -> str:
        where = f"{_short(self.focus_node)}"
        if self.path:
            where += f" {_short(self.path)}"
        if self.value and self.value != self.focus_node:
            where += f" = {_short(self.value)}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    def format(self) -> str:
        """Readable lines: a summary, then one line per violation, grouped by message."""
        head = (
            f"{'conforms' if self.conforms else 'does not conform'}: {self.triples} triples, "
            f"{len(self.violations)} violation(s) in {self.seconds:.2f}s"
        )
        ordered = sorted(self.violations, key=lambda v: (v.message, v.focus_node, v.path))
        return "\n".join([head, *(v.format() for v in ordered)])


def _short(term: str) -> str:
    """A term as a reader would write it: a known prefix where one fits."""
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and term != namespace:
            return f"{prefix}:{term[len(namespace) :]}"
    return f"<{term}>" if "://" in term else term


def load_graph(graph_path: Path) -> Graph:
    """A build's N-Triples in a plain in-memory rdflib graph (what pyshacl works on)."""
    graph = Graph()
    graph.parse(graph_path, format="nt")
    return graph


def validate_graph(graph: Graph, ontology_dir: Path) -> ValidationReport:
    """Validate an rdflib graph; the graph may be changed (the ontology is mixed into it)."""
    from pyshacl import validate as shacl_validate

    started = time.perf_counter()
    triples = len(graph)
    shapes = Graph().parse(ontology_dir / SHAPES_FILE, format="turtle")
    ontology = Graph().parse(ontology_dir / ONTOLOGY_FILE, format="turtle")
    conforms, results, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,  # SHACL-AF SPARQL targets (see shapes.ttl)
        inplace=True,  # the graph was loaded for this run only: no copy
        allow_warnings=False,
    )
    violations = [
        _violation(results, node) for node in results.subjects(RDF.type, SH.ValidationResult)
    ]
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations,
        triples=triples,
        seconds=time.perf_counter() - started,
    )


def validate(graph_path: Path, ontology_dir: Path) -> ValidationReport:
    """Validate a build's ``graph.nt`` against ``ontology_dir``'s shapes and ontology."""
    started = time.perf_counter()
    report = validate_graph(load_graph(graph_path), ontology_dir)
    report.seconds = time.perf_counter() - started
    return report


def _violation(results: Graph, node) -> Violation:
    def value(predicate: URIRef) -> str:
        term = results.value(node, predicate)
        return "" if term is None else str(term)

    severity = value(SH.resultSeverity)
    return Violation(
        focus_node=value(SH.focusNode),
        path=value(SH.resultPath),
        message=value(SH.resultMessage) or value(SH.sourceConstraintComponent),
        severity=severity.rsplit("#", 1)[-1] if severity else "Violation",
        value=value(SH.value),
    )
