"""Documents, passages and links into RDF triples, each derived fact with its provenance.

Facts a document states about a partnership (its council, route, legal basis, partners...) are
also given as reified statements (``p2p:Fact``, an ``rdf:Statement``) that name the passage they
come from (``prov:wasDerivedFrom``), so a researcher can ask "where does the graph say that?".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.entities import EntityRecord
from kg.namespaces import ORG, P2P, SG, minted_iri, slugify
from kg.vocabulary import COUNCIL, KIND_CLASS

from .link import DocumentLinks
from .model import Document, Passage

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]

REPORTED = {
    "values": P2P.reportedValue,
    "durations": P2P.reportedDuration,
    "outcomes": P2P.reportedOutcome,
    "procedures_as_recorded": P2P.recordedProcedure,
}


def _date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 4 and value.isdigit():
        return Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value)


# Single values of a partnership block: predicate, how the value is written, and the words
# that find the passage stating it.
ATTRIBUTES: tuple[tuple[str, URIRef, Callable[[str], Literal], Callable[[str], list[str]]], ...] = (
    ("service_area", P2P.serviceArea, Literal, lambda area: [area, *area.split()]),
    ("started", P2P.startDate, _date_literal, lambda started: [started[:4]]),
)


def _minted_under(segment: str) -> Callable[[IRIs, str], URIRef]:
    """A method minting ``{base}{segment}/{local}``: one scheme for every kind of minted node."""

    def mint(self: IRIs, local: str) -> URIRef:
        return URIRef(minted_iri(self.base, segment, local))

    return mint


class IRIs:
    """The IRI scheme under one base: the same document always gives the same IRIs."""

    document = _minted_under("document")
    passage = _minted_under("passage")
    partnership = _minted_under("partnership")
    question = _minted_under("question")
    answer = _minted_under("answer")

    def __init__(self, id_base: str) -> None:
        self.base = id_base

    def organisation(self, name: str) -> URIRef:
        return URIRef(f"{self.base}organisation/{slugify(name)}")

    def fact(self, s: URIRef, p: URIRef, o) -> URIRef:
        digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:16]
        return URIRef(f"{self.base}fact/{digest}")


def document_triples(
    doc: Document, passages: list[Passage], links: DocumentLinks, iris: IRIs
) -> Iterator[Triple]:
    d = iris.document(doc.id)
    yield d, RDF.type, P2P.SourceDocument
    yield d, RDF.type, KIND_CLASS[doc.kind]
    yield d, RDF.type, FOAF.Document
    yield d, DCTERMS.identifier, Literal(doc.id)
    yield d, DCTERMS.title, Literal(doc.title)
    yield d, P2P.kind, Literal(doc.kind)
    yield d, P2P.contentHash, Literal(doc.content_hash)
    for url in doc.source_urls:
        yield d, DCTERMS.source, URIRef(url)
    if doc.meta.get("published"):
        yield d, DCTERMS.issued, _date_literal(doc.meta["published"])
    if doc.meta.get("retrieved"):
        yield d, P2P.retrieved, _date_literal(doc.meta["retrieved"])
    for iri in links.all:
        yield d, P2P.about, URIRef(iri)
    for ref, iri in links.references():
        if ref.subject == "document":
            yield d, ref.predicate, URIRef(iri)

    for passage in passages:
        p = iris.passage(passage.id)
        yield p, RDF.type, P2P.Passage
        yield p, RDF.type, PROV.Entity
        yield p, DCTERMS.identifier, Literal(passage.id)
        yield p, DCTERMS.isPartOf, d
        yield p, PROV.wasQuotedFrom, d
        yield p, P2P.text, Literal(passage.text)
        yield p, P2P.ordinal, Literal(passage.ordinal)
        yield p, P2P.charStart, Literal(passage.char_start)
        yield p, P2P.charEnd, Literal(passage.char_end)
        if passage.heading:
            yield p, P2P.heading, Literal(passage.heading)
        if passage.source_url:
            yield p, DCTERMS.source, URIRef(passage.source_url)
        for iri in passage.mentions:
            yield p, P2P.mentions, URIRef(iri)

    yield from _kind_triples(doc, passages, links, iris)


def _evidence(passages: list[Passage], target: str | None, words: Iterable[str] = ()) -> Passage:
    """The passage that states a fact: the first that mentions its object, else its words."""
    if target:
        for passage in passages:
            if target in passage.mentions:
                return passage
    for word in words:
        for passage in passages:
            if word and word.lower() in passage.text.lower():
                return passage
    return passages[0]


def _fact(s, p, o, evidence: Passage, iris: IRIs) -> Iterator[Triple]:
    yield s, p, o
    f = iris.fact(s, p, o)
    yield f, RDF.type, P2P.Fact
    yield f, RDF.type, RDF.Statement
    yield f, RDF.subject, s
    yield f, RDF.predicate, p
    yield f, RDF.object, o
    yield f, PROV.wasDerivedFrom, iris.passage(evidence.id)


def partnership_info(doc: Document) -> dict | None:
    """The partnership a case study describes, or None when it describes none.

    Only a case study whose front matter has a ``partnership`` block describes one partnership;
    the others (a case study that could not be found, a council's framework, a round-up of
    several) are documents about councils and routes, not partnerships, and minting a
    ``p2p:Partnership`` for them would claim a partnership with no route that nobody formed.
    """
    info = doc.meta.get("partnership")
    if doc.kind != "case_study" or not isinstance(info, dict):
        return None
    return info


def _kind_triples(
    doc: Document, passages: list[Passage], links: DocumentLinks, iris: IRIs
) -> Iterator[Triple]:
    d = iris.document(doc.id)
    meta = doc.meta
    partners = meta.get("partners") or []
    for name in partners:
        org = iris.organisation(name)
        yield org, RDF.type, ORG.Organization
        yield org, RDF.type, P2P.PartnerOrganisation
        yield org, RDFS.label, Literal(name)
        yield org, SKOS.prefLabel, Literal(name, lang="en")

    info = partnership_info(doc)
    if info is not None:
        ps = iris.partnership(doc.id)
        name = str(info.get("name") or doc.title)
        yield ps, RDF.type, P2P.Partnership
        yield ps, RDF.type, ORG.OrganizationalCollaboration
        yield ps, RDFS.label, Literal(name)
        yield ps, SKOS.prefLabel, Literal(name, lang="en")
        yield ps, P2P.caseStudy, d
        yield ps, PROV.wasDerivedFrom, d
        for ref, iri in links.references():
            if ref.subject != "partnership":
                continue
            yield from _fact(ps, ref.predicate, URIRef(iri), _evidence(passages, iri), iris)
            if ref.entity is COUNCIL:  # p2p:council refines org:hasMember
                yield from _fact(ps, ORG.hasMember, URIRef(iri), _evidence(passages, iri), iris)
        for partner in partners:
            org = iris.organisation(partner)
            ev = _evidence(passages, None, [partner, partner.split()[0]])
            yield from _fact(ps, ORG.hasMember, org, ev, iris)
            yield from _fact(ps, P2P.partner, org, ev, iris)
        for key, predicate, literal, words in ATTRIBUTES:
            if info.get(key):
                value = str(info[key])
                evidence = _evidence(passages, None, words(value))
                yield from _fact(ps, predicate, literal(value), evidence, iris)
        # Reported figures and descriptions: sources may disagree, so each is kept as stated,
        # with the passage that states it, and none is preferred over another.
        for key, predicate in REPORTED.items():
            for value in info.get(key) or []:
                words = [w.strip("(),;") for w in str(value).split()]
                yield from _fact(
                    ps,
                    predicate,
                    Literal(str(value)),
                    _evidence(
                        passages,
                        None,
                        [w for w in words if any(c.isdigit() for c in w)]
                        + [w for w in words if len(w) > 6],
                    ),
                    iris,
                )
    elif doc.kind == "faq" and meta.get("question"):
        q, a = iris.question(doc.id), iris.answer(doc.id)
        yield q, RDF.type, SDO.Question
        yield q, SDO.name, Literal(str(meta["question"]))
        yield q, SDO.acceptedAnswer, a
        yield q, DCTERMS.source, d
        yield a, RDF.type, SDO.Answer
        yield a, PROV.wasDerivedFrom, d
        for passage in passages:
            yield a, SDO.hasPart, iris.passage(passage.id)


def council_triples(records: Iterable[EntityRecord]) -> Iterator[Triple]:
    """Triples for councils recognised from the ONS lookup (reference data, not documents)."""
    for record in records:
        c = URIRef(record.iri)
        yield c, RDF.type, P2P.Council
        yield c, RDF.type, ORG.FormalOrganization
        yield c, DCTERMS.identifier, Literal(record.slug)
        yield c, SKOS.prefLabel, Literal(record.label, lang="en")
        if record.gss:
            yield c, P2P.gssCode, Literal(record.gss)
            yield c, OWL.sameAs, SG[record.gss]


def upper_tier_triples(records: Iterable[EntityRecord]) -> Iterator[Triple]:
    for record in records:
        if record.upper_tier and record.upper_tier != record.iri:
            yield URIRef(record.iri), P2P.upperTier, URIRef(record.upper_tier)
