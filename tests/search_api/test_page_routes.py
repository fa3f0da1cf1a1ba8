"""The routes the page and the widget use, in-process: strict pages, the widget script, the
neighbourhood diagram's data. tests/e2e/test_browser.py drives the page itself in a browser."""

from __future__ import annotations

import re

from bench.widget_size import BUDGET, sizes
from kg.config import PROJECT_ROOT

ID_BASE = "https://w3id.org/p2p-kg/id/"


def test_widget_is_within_its_size_budget():
    got = sizes()
    assert got["minified"] <= BUDGET, got
    assert got["gzip_minified"] < got["minified"] <= got["raw"]


def test_page_and_entity_pages_carry_a_strict_csp_and_no_inline_script(client):
    for path in ("/", "/id/council/oldham"):
        r = client.get(path, headers={"accept": "text/html"})
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert not re.search(r"<script(?![^>]*\ssrc=)", r.text), "inline <script> in " + path
        assert not re.search(r"\son[a-z]+\s*=", r.text), "inline event handler in " + path
    assert 'data-iri="https://w3id.org/p2p-kg/id/council/oldham"' in r.text
    for name in ("page.js", "diagram.js", "entity.js", "widget.js"):
        text = (PROJECT_ROOT / "search_api" / "http" / "static" / name).read_text()
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, name


def test_health_names_the_id_base(client):
    assert client.get("/health").json()["id_base"] == ID_BASE


def test_widget_script_is_served_as_javascript_to_any_origin(client):
    r = client.get("/widget.js", headers={"origin": "http://example.org"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert r.headers["access-control-allow-origin"] == "*"
    assert 'customElements.define("kg-search"' in r.text


def test_neighbourhood_of_a_council(client):
    r = client.get("/graph/neighbourhood", params={"iri": ID_BASE + "council/oldham"})
    assert r.status_code == 200
    body = r.json()
    nodes = {n["iri"]: n for n in body["nodes"]}
    assert 3 <= len(nodes) <= 15
    assert nodes[ID_BASE + "council/oldham"]["depth"] == 0
    for n in body["nodes"]:
        assert set(n) >= {"iri", "label", "type", "href"}
        assert n["href"] == "/id/" + n["iri"][len(ID_BASE) :] and n["label"]
    for e in body["edges"]:
        assert e["source"] in nodes and e["target"] in nodes and e["label"]
    types = {n["type"] for n in body["nodes"]}
    assert {"council", "partnership", "route"} <= types
    labels = {e["label"] for e in body["edges"]}
    assert {"council", "route", "legal basis"} <= labels


def test_neighbourhood_of_a_route_reaches_its_successor(client):
    iri = ID_BASE + "route/innovation-partnership"
    body = client.get("/graph/neighbourhood", params={"iri": iri}).json()
    edges = {(e["source"], e["label"], e["target"]) for e in body["edges"]}
    assert (iri, "replaced by", ID_BASE + "route/competitive-flexible-procedure") in edges
    assert (iri, "legal basis", ID_BASE + "eli/uksi/2015/102/regulation/31") in edges
    small = client.get("/graph/neighbourhood", params={"iri": iri, "limit": 3}).json()
    assert len(small["nodes"]) == 3 and small["truncated"] is True


def test_neighbourhood_rejects_unknown_and_foreign_iris(client):
    url = "/graph/neighbourhood"
    assert client.get(url, params={"iri": ID_BASE + "council/atlantis"}).status_code == 404
    # An IRI outside the service's base names no entity here.
    assert client.get(url, params={"iri": "http://example.org/council/oldham"}).status_code == 404
    for bad in (ID_BASE + "council/x> ?s ?p ?o . <y", ID_BASE + 'a"b', ID_BASE + "a b"):
        r = client.get(url, params={"iri": bad})
        assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert client.get(url).status_code == 422
