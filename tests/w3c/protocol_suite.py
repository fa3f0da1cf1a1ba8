"""The W3C SPARQL 1.1 Protocol test suite as data, and a replay of it against a running service.

The manifest (``sparql11-protocol/manifest.ttl``) describes each test as HTTP requests
(``ht:Request``) with the response each must get: a status class, and for queries the result
format ("boolean", "tabular" or "RDF") and the ASK answer. A test that names graph data
(``ut:graphData``) has those graphs loaded first, through the service's own SPARQL Update.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.sparql import RESULT_FORMATS

SUITE = Path(__file__).resolve().parent / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Expected:
    status_classes: frozenset[int]  # 2 for 2xx, 4 for 4xx ...
    result_format: str | None = None  # boolean | tabular | RDF
    boolean: bool | None = None


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str  # as the manifest gives it, under /sparql/
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass(frozen=True)
class ProtocolTest:
    name: str  # the manifest's local name: query_post_form ...
    title: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph IRI)
    requests: list[ProtocolRequest] = field(default_factory=list)


def _status_class(code: URIRef) -> int:
    return int(str(code).removeprefix(str(HTS)).removeprefix("StatusCode")[0])


def _request(g: Graph, node) -> ProtocolRequest:
    headers = {}
    headers_node = g.value(node, HT.headers)
    if headers_node is not None:
        for header in Collection(g, headers_node):
            headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
    body = None
    body_node = g.value(node, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
    resp = g.value(node, HT.resp)
    boolean = g.value(resp, MF.expectedBoolean)
    result_format = g.value(resp, MF.expectedFormat)
    return ProtocolRequest(
        method=str(g.value(node, HT.methodName)),
        path=str(g.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        expected=Expected(
            frozenset(_status_class(c) for c in g.objects(resp, MF.expectedStatus)),
            str(result_format) if result_format is not None else None,
            boolean.toPython() if boolean is not None else None,
        ),
    )


def load_suite(manifest: Path = MANIFEST) -> list[ProtocolTest]:
    """Every test of the manifest, in the manifest's order."""
    g = Graph()
    g.parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = g.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for entry in Collection(g, g.value(root, MF.entries)):
        data = [
            (
                Path(urllib.parse.urlparse(str(g.value(d, UT.graph))).path),
                str(g.value(d, RDFS.label)),
            )
            for d in g.objects(entry, UT.graphData)
        ]
        action = g.value(entry, MF.action)
        requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
        tests.append(
            ProtocolTest(
                name=str(entry).rsplit("#", 1)[-1],
                title=str(g.value(entry, MF.name)),
                graph_data=sorted(data, key=lambda d: d[1]),
                requests=requests,
            )
        )
    return tests


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def check_response(response: httpx.Response, expected: Expected) -> list[str]:
    """What is wrong with a response (nothing: an empty list)."""
    problems = []
    if response.status_code // 100 not in expected.status_classes:
        classes = " or ".join(f"{c}xx" for c in sorted(expected.status_classes))
        problems.append(
            f"status {response.status_code}, expected {classes}: {response.text[:300]!r}"
        )
        return problems
    media = _media(response)
    if expected.result_format in ("boolean", "tabular"):
        if media not in RESULT_FORMATS:
            return [f"{expected.result_format} results expected, got {media!r}"]
        try:
            results = ox.parse_query_results(response.content, format=RESULT_FORMATS[media])
        except (SyntaxError, ValueError) as exc:
            return [f"the {media} results do not parse: {exc}"]
        is_boolean = isinstance(results, ox.QueryBoolean)
        if is_boolean != (expected.result_format == "boolean"):
            problems.append(f"{expected.result_format} results expected, got {type(results)}")
        elif expected.boolean is not None and bool(results) != expected.boolean:
            problems.append(f"ASK answered {bool(results)}, expected {expected.boolean}")
    elif expected.result_format == "RDF":
        if media not in RDF_TYPES:
            return [f"RDF expected, got {media!r}"]
        try:
            list(ox.parse(response.content, format=RDF_TYPES[media]))
        except (SyntaxError, ValueError) as exc:
            problems.append(f"the {media} answer does not parse: {exc}")
    return problems


def load_graph_data(client: httpx.Client, endpoint: str, token: str, test: ProtocolTest) -> None:
    """The graphs a test names, written through the service's own SPARQL Update."""
    for path, graph in test.graph_data:
        triples = (SUITE / path.name).read_text(encoding="utf-8")
        update = (
            f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}"
        )
        r = client.post(
            endpoint,
            content=update.encode(),
            headers={
                "content-type": "application/sparql-update",
                "authorization": f"Bearer {token}",
            },
        )
        if r.status_code // 100 != 2:
            raise AssertionError(f"loading {graph} answered {r.status_code}: {r.text[:300]}")


def replay(client: httpx.Client, base: str, token: str, test: ProtocolTest) -> list[str]:
    """Run one test against the service at ``base`` (its endpoint is ``base`` + /sparql);
    every request carries the update token, so a refusal is the Protocol's, not the token's."""
    endpoint = f"{base}/sparql"
    load_graph_data(client, endpoint, token, test)
    problems = []
    for n, request in enumerate(test.requests, start=1):
        path = request.path.replace("/sparql/", "/sparql", 1)
        headers = {**request.headers, "authorization": f"Bearer {token}"}
        response = client.request(
            request.method, base + path, content=request.body, headers=headers
        )
        problems += [
            f"request {n} ({request.method}): {p}"
            for p in check_response(response, request.expected)
        ]
    return problems


def summary(results: dict[str, list[str]]) -> str:
    passed = sum(1 for problems in results.values() if not problems)
    lines = [f"{passed}/{len(results)} passed"]
    lines += [f"{name}: {'; '.join(p)}" for name, p in results.items() if p]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m tests.w3c.protocol_suite URL TOKEN: replay against a server
    import sys

    base_url, update_token = sys.argv[1].rstrip("/"), sys.argv[2]
    with httpx.Client(timeout=30) as http:
        outcome = {t.name: replay(http, base_url, update_token, t) for t in load_suite()}
    print(summary(outcome))
    print(json.dumps({"passed": sum(1 for p in outcome.values() if not p), "of": len(outcome)}))
