"""The README's SPARQL examples return what the README shows.

Each ```sparql block followed by a ```console block of TSV rows is run through /sparql (TSV, as
shown); the rows must come back in that order, with a score the README abbreviates ("0.467...")
matching to the digits it gives. The curl example's JSON answer is checked the same way.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from kg.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sparql\n(.*?)```\s*```console\n(.*?)```", README, re.DOTALL)
CURLS = re.findall(r"\$ curl -s '[^']*/sparql\?query=([^']*)'\n(\{.*?\})\n", README)


def _same_cell(shown: str, got: str) -> bool:
    if shown.endswith('..."'):  # an abbreviated number: "0.467..." matches "0.4672..."^^xsd:double
        return got.startswith(shown[: -len('..."')])
    return shown == got


def test_the_readme_has_a_semantic_search_example_with_a_graph_join():
    assert EXAMPLES and any("kgfn:similarity" in q and "p2p:about" in q for q, _ in EXAMPLES)


@pytest.mark.parametrize("query,shown", EXAMPLES)
def test_a_readme_sparql_example_returns_the_rows_it_shows(client, query, shown):
    r = client.post(
        "/sparql", data={"query": query}, headers={"accept": "text/tab-separated-values"}
    )
    assert r.status_code == 200, r.text
    expected = [line.split("\t") for line in shown.strip().splitlines()]
    got = [line.split("\t") for line in r.text.strip().splitlines()]
    assert got[0] == expected[0]  # the header
    assert len(got) == len(expected), r.text
    for want, row in zip(expected[1:], got[1:], strict=True):
        assert all(_same_cell(w, g) for w, g in zip(want, row, strict=True)), (want, row)


@pytest.mark.parametrize("query,shown", CURLS)
def test_a_readme_curl_sparql_example_answers_as_shown(client, query, shown):
    r = client.get("/sparql", params={"query": urllib.parse.unquote_plus(query)})
    assert r.status_code == 200 and r.json() == json.loads(shown)
