"""The vocabulary table: entity types, front-matter reference keys and document kinds, once.

Every other table of names is derived from these rows: the registry's class → type map, the keys
the ingest resolves and the predicates it states them with, the class of each document kind, the
diagrams' edge labels for reference predicates, and the labels the page and the widget show
(served at ``/vocabulary``). A new concept is its Turtle in ``ontology/`` plus one row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from .namespaces import ELI, P2P


@dataclass(frozen=True)
class EntityType:
    """A type of node in the graph, as entity records and diagrams name it."""

    name: str
    classes: tuple[URIRef, ...]
    label: str  # how the page and the diagrams name one of them
    reference: bool = False  # reference data: read from the ontology folder by the registry


@dataclass(frozen=True)
class ReferenceKey:
    """A front-matter key whose values are slugs of reference entities of one type."""

    key: str
    entity: EntityType
    predicate: URIRef
    many: bool  # a list of slugs (or one), rather than exactly one slug
    # What the predicate is stated of: the partnership a case study describes (a p2p:Fact with
    # its evidence passage), or the document itself.
    subject: Literal["partnership", "document"] = "partnership"
    edge: str | None = None  # the diagrams' label for the predicate, where they draw it

    @property
    def classes(self) -> tuple[URIRef, ...]:
        return self.entity.classes


@dataclass(frozen=True)
class DocumentKind:
    """A value of a document's ``kind``: which part of the toolkit it belongs to."""

    name: str
    cls: URIRef
    label: str
    plural: str


COUNCIL = EntityType("council", (P2P.Council,), "council", reference=True)
PARTNERSHIP = EntityType("partnership", (P2P.Partnership,), "partnership")
ROUTE = EntityType("route", (P2P.ProcurementRoute,), "procurement route", reference=True)
LEGISLATION = EntityType(
    "legislation", (P2P.LegalProvision, ELI.LegalResource), "legal provision", reference=True
)
CORRECTIVE = EntityType(
    "corrective", (P2P.FundamentalCorrective,), "Fundamental Corrective", reference=True
)
PRINCIPLE = EntityType("principle", (P2P.Principle,), "principle", reference=True)
IMPERATIVE = EntityType(
    "imperative", (P2P.SocialValueImperative,), "social value imperative", reference=True
)
REGIME = EntityType("regime", (P2P.Regime,), "procurement regime", reference=True)
TOPIC = EntityType("topic", (P2P.Topic,), "topic", reference=True)
ORGANISATION = EntityType("organisation", (P2P.PartnerOrganisation,), "partner organisation")
BODY = EntityType("body", (P2P.Body,), "organisation", reference=True)
PERSON = EntityType("person", (P2P.Person,), "person", reference=True)
DOCUMENT = EntityType("document", (P2P.SourceDocument,), "document")
PASSAGE = EntityType("passage", (P2P.Passage,), "passage")

# In the order diagrams stack a column: the council, partnership, route and law first.
ENTITY_TYPES: tuple[EntityType, ...] = (
    COUNCIL,
    PARTNERSHIP,
    ROUTE,
    LEGISLATION,
    CORRECTIVE,
    PRINCIPLE,
    IMPERATIVE,
    REGIME,
    TOPIC,
    ORGANISATION,
    BODY,
    PERSON,
    DOCUMENT,
    PASSAGE,
)

REFERENCE_KEYS: tuple[ReferenceKey, ...] = (
    ReferenceKey("council", COUNCIL, P2P.council, many=False, edge="council"),
    ReferenceKey("routes", ROUTE, P2P.route, many=True, edge="route"),
    ReferenceKey("regulations", LEGISLATION, P2P.legalBasis, many=True, edge="legal basis"),
    ReferenceKey(
        "correctives", CORRECTIVE, P2P.illustratesCorrective, many=True, edge="illustrates"
    ),
    ReferenceKey("principles", PRINCIPLE, P2P.illustratesPrinciple, many=True, edge="illustrates"),
    ReferenceKey("imperatives", IMPERATIVE, P2P.appliesImperative, many=True),
    ReferenceKey("regime", REGIME, P2P.regime, many=False, subject="document"),
    ReferenceKey("topics", TOPIC, P2P.topic, many=True),
    ReferenceKey(
        "inferred_regulations",
        LEGISLATION,
        P2P.inferredLegalBasis,
        many=True,
        edge="inferred legal basis",
    ),
)

# In the order the page offers them: the case studies and answers first.
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("case_study", P2P.CaseStudy, "Case study", "Case studies"),
    DocumentKind("faq", P2P.FAQAnswer, "Expert answer", "Expert answers"),
    DocumentKind("guidance", P2P.GuidanceNote, "Guidance", "Guidance"),
    DocumentKind("regulation", P2P.RegulationGuidance, "Regulation", "Regulations"),
    DocumentKind(
        "corrective", P2P.CorrectiveDescription, "Fundamental Corrective", "Fundamental Correctives"
    ),
    DocumentKind("principle", P2P.GuidanceNote, "Principle", "Principles"),
    DocumentKind(
        "imperative", P2P.GuidanceNote, "Social value imperative", "Social value imperatives"
    ),
    DocumentKind(
        "organisation", P2P.OrganisationProfile, "Organisation profile", "Organisation profiles"
    ),
)

# Derived tables: what each consumer reads.
KINDS: tuple[str, ...] = tuple(kind.name for kind in DOCUMENT_KINDS)
KIND_CLASS: dict[str, URIRef] = {kind.name: kind.cls for kind in DOCUMENT_KINDS}
TYPE_OF_CLASS: dict[URIRef, str] = {
    cls: type_.name for type_ in ENTITY_TYPES if type_.reference for cls in type_.classes
}
REFERENCE_BY_KEY: dict[str, ReferenceKey] = {ref.key: ref for ref in REFERENCE_KEYS}
REFERENCE_LIST_KEYS: tuple[str, ...] = tuple(ref.key for ref in REFERENCE_KEYS if ref.many)
EDGE_LABELS: dict[URIRef, str] = {ref.predicate: ref.edge for ref in REFERENCE_KEYS if ref.edge}
