"""No route that serves files lets a request path climb out of its folder.

The request targets are sent byte for byte (http.client), since HTTP client libraries resolve
``..`` segments before sending.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

TARGETS = (
    "/static/../../pyproject.toml",
    "/static/../pyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2E%2E%2F%2E%2E%2Fpyproject.toml",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/..%5C..%5Cpyproject.toml",
    "/static/%252e%252e/%252e%252e/pyproject.toml",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/static/../../../../../../etc/passwd",
    "/dumps/..%2Fgraph.nt",
    "/dumps/../graph.nt",
    "/dumps/..%2F..%2Fpyproject.toml",
    "/dumps/graph.nt%00.txt",
    "/id/../../etc/passwd",
    "/id/..%2F..%2Fetc%2Fpasswd",
    "/id/%2e%2e/%2e%2e/pyproject.toml",
    "/ontology/../README.md",
    "/ontology/..%2FREADME.md",
    "/ontology/%2e%2e/pyproject.toml",
    "/ontology/shapes/../../pyproject.toml",
    "/widget.js/../../pyproject.toml",
)
# Text that only the files outside the served folders contain.
SECRETS = (b"[build-system]", b"root:x:0:0", b"# Procurement to Partnership: knowledge graph")


def _raw_get(base: str, target: str) -> tuple[int, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        conn.putheader("Accept", "*/*")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("target", TARGETS)
def test_traversal_is_refused(live_server, target):
    status, body = _raw_get(live_server, target)
    assert status in (400, 404), (target, status, body[:200])
    assert not any(secret in body for secret in SECRETS), (target, body[:200])


def test_the_same_files_are_served_by_their_own_routes(live_server):
    """The check above is not vacuous: these routes do serve files when asked properly."""
    status, body = _raw_get(live_server, "/static/page.css")
    assert status == 200 and body
    status, body = _raw_get(live_server, "/ontology")
    assert status == 200 and b"@prefix" in body
