"""The SPARQL 1.1 Service Description of the endpoint, as Turtle."""

from __future__ import annotations

FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


RULES = (
    "Queries by GET or POST from any origin; relative IRIs resolve against the endpoint's URL "
    "(its base IRI). SPARQL Update needs 'Authorization: Bearer <token>' and lasts until the "
    "next build is published (builds are made from the corpus). Federated SERVICE clauses and "
    "LOAD are refused: the service fetches no URLs on a client's behalf."
)


def service_description(endpoint: str, triples: int, build_id: str, updates: bool) -> str:
    """``updates``: whether an update token is configured (else the endpoint is read-only)."""
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in FORMATS)
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if updates else "sd:SPARQL11Query"
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    dcterms:description "{RULES}" ;
    sd:resultFormat {formats} ;
    sd:extensionFunction <https://w3id.org/p2p-kg/function#similarity> ;
    dcterms:title "Procurement to Partnership knowledge graph" ;
    sd:defaultDataset [
        a sd:Dataset ;
        dcterms:identifier "{build_id}" ;
        sd:defaultGraph [ a sd:Graph ; void:triples {triples} ]
    ] .

<https://w3id.org/p2p-kg/function#similarity> a sd:Function ;
    dcterms:description "kgfn:similarity(?passage, \\"text\\") is the cosine similarity (xsd:double) between a passage's sentence embedding and the embedding of the text: semantic search inside SPARQL." .
"""
