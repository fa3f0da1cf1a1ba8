"""Vocabularies the graph uses, and the IRI scheme for the entities it mints.

The ontology namespace is fixed (it names terms, which must not move); entity IRIs live under the
configurable base: ``{base}id/{kind}/{slug}``.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

P2P = Namespace("https://w3id.org/p2p-kg/ontology#")
DEFAULT_ID = "https://w3id.org/p2p-kg/id/"
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
EPO = Namespace("http://data.europa.eu/a4g/ontology#")
SG = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

PREFIXES: dict[str, str] = {
    "p2p": str(P2P),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SDO),
    "eli": str(ELI),
    "epo": str(EPO),
    "kgfn": "https://w3id.org/p2p-kg/function#",
}


def slugify(text: str) -> str:
    """A lower-case ASCII slug; the same text always gives the same slug (IRIs stay stable)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "unnamed"


def expand(pname: str) -> str:
    """``p2p:council`` to its full IRI, under the prefixes above."""
    prefix, _, local = pname.partition(":")
    return PREFIXES[prefix] + local


def compact(iri: str) -> str:
    """A full IRI to its prefixed name where a prefix above covers it, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def minted_iri(id_base: str, segment: str, local: str) -> str:
    """The one scheme of the IRIs a build mints: ``{base}{segment}/{local}``."""
    return f"{id_base}{segment}/{local}"


def document_iri(id_base: str, document_id: str) -> str:
    return minted_iri(id_base, "document", document_id)


def passage_iri(id_base: str, passage_id: str) -> str:
    return minted_iri(id_base, "passage", passage_id)


def sparql_prologue() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
