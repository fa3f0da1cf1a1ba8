"""Security headers on pages, data and static files; pages that run under their own CSP.

In-process: the headers are the middleware's, the same over TestClient as over a socket.
"""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

from search_api.http.security import inline_script_hashes

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PAGES = ("/", "/id/council/oldham", "/id/route/innovation-partnership", "/sparql")


class InlineCode(HTMLParser):
    """What a strict CSP would block: inline scripts, style elements and attributes, handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value for name, value in attrs}
        if tag == "script":
            if not names.get("src"):
                self.problems.append("<script> without src")
            else:
                self.scripts.append(names["src"])
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems.extend(f"{n} handler on <{tag}>" for n in names if n.startswith("on"))
        for name in ("href", "src", "action"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")


def _csp(response: httpx.Response) -> dict[str, list[str]]:
    policy = {}
    for directive in response.headers["content-security-policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_strict_policy_and_no_inline_code(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert r.headers["x-frame-options"] == "DENY"
    policy = _csp(r)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    # YASGUI (the query page) sets inline styles; no page runs inline script.
    styles = ["'self'", "'unsafe-inline'"] if path == "/sparql" else ["'self'"]
    assert policy["style-src"] == styles
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in r.headers["content-security-policy"].replace(
        "style-src 'self' 'unsafe-inline'", ""
    )
    assert "'unsafe-eval'" not in r.headers["content-security-policy"]
    # Each header once: a route that sets its own is not doubled by the middleware.
    assert len(r.headers.get_list("content-security-policy")) == 1
    assert len(r.headers.get_list("x-content-type-options")) == 1
    parser = InlineCode()
    parser.feed(r.text)
    assert parser.problems == []
    for src in parser.scripts:  # every script the page runs is served from here, as JavaScript
        script = client.get(src)
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]


@pytest.mark.parametrize("path", ("/static/page.css", "/static/page.js", "/static/entity.js"))
def test_static_files_stay_loadable_from_other_origins(client, path):
    r = client.get(path, headers={"origin": "https://council.example"})
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "x-frame-options" not in r.headers


def test_the_widget_script_loads_cross_origin(client):
    r = client.get("/widget.js", headers={"origin": "https://council.example"})
    if r.status_code == 404:
        pytest.skip("/widget.js is not served yet")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert r.headers["cross-origin-resource-policy"] == "cross-origin"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in r.headers
    assert "cross-origin-embedder-policy" not in r.headers
    assert len(r.headers.get_list("cross-origin-resource-policy")) == 1


@pytest.mark.parametrize(
    "path", ("/health", "/sparql?query=ASK%7B%7D", "/ask?q=grants", "/no/such/route")
)
def test_data_and_errors_are_nosniff_without_page_rules(client, path):
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "x-frame-options" not in r.headers


def test_api_docs_allow_their_inline_script_by_hash_only(client):
    r = client.get("/docs")
    assert r.status_code == 200
    policy = _csp(r)
    hashes = inline_script_hashes(r.text)
    assert hashes and all(h in policy["script-src"] for h in hashes)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert r.headers["x-frame-options"] == "DENY"


def test_inline_script_hashes_match_what_browsers_compute():
    # sha256 of "alert(1)" as a CSP source, as in the CSP specification's examples.
    page = "<script>alert(1)</script><script src='/x.js'></script>"
    assert inline_script_hashes(page) == ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
