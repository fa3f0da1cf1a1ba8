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


def service_description(endpoint: str, triples: int, build_id: str) -> str:
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in FORMATS)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {formats} ;
    sd:extensionFunction <https://w3id.org/p2p-kg/function#similarity> ;
    dcterms:title "Procurement to Partnership knowledge graph" ;
    sd:defaultDataset [
        a sd:Dataset ;
        dcterms:identifier "{build_id}" ;
        sd:defaultGraph [ a sd:Graph ; void:triples {triples} ]
    ] .

<https://w3id.org/p2p-kg/function#similarity> a sd:Function ;
    dcterms:description "kgfn:similarity(?passage, \"text\") is the cosine similarity (xsd:double) between a passage's sentence embedding and the embedding of the text: semantic search inside SPARQL." .
"""
