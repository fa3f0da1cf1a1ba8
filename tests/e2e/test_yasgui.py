"""YASGUI against /sparql in headless Chromium: as it ships, on a page of another origin, and as
the endpoint's own query page.

On the other origin YASGUI keeps its default settings (a form POST, the CORS "simple" request
that needs no preflight), so the answers reach it only if the server lets other origins read
them. A SELECT and a CONSTRUCT must show their results, a malformed query the server's message.
"""

from __future__ import annotations

import httpx
import pytest
from selenium.webdriver.common.by import By

from tests.e2e.test_browser import _console_problems, _shot, _wait
from tests.servers import running_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SELECT = """PREFIX p2p: <https://w3id.org/p2p-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?council WHERE { ?c a p2p:Council ; skos:prefLabel ?council } ORDER BY ?council"""
CONSTRUCT = """PREFIX p2p: <https://w3id.org/p2p-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?c skos:prefLabel ?label } WHERE { ?c a p2p:Council ; skos:prefLabel ?label }"""
MALFORMED = "SELECT ?s WHERE { ?s ?p }"
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A researcher's page</title>
<link rel="stylesheet" href="{base}/static/yasgui/yasgui.min.css">
<script src="{base}/static/yasgui/yasgui.min.js"></script>
</head><body><div id="yasgui"></div>
<script>
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: "{base}/sparql" }},
  }});
</script></body></html>"""


@pytest.fixture(scope="module")
def sparql_server(corpus_settings, corpus_build):
    with running_server(corpus_settings.data_dir, KG_RATE_LIMIT_PER_MINUTE="0") as base:
        yield base


def _run(driver, query: str) -> str:
    """Set the query in YASQE, press its run button, and return what YASR shows once the
    answer has come (the results or the error)."""
    driver.execute_script(
        "const y = window.yasgui;"
        "if (y.__answers === undefined) { y.__answers = 0; y.on('queryResponse', () => y.__answers++); }"
        "window.__before = y.__answers; y.getTab().getYasqe().setValue(arguments[0]);",
        query,
    )
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    _wait(driver, lambda d: d.execute_script("return window.yasgui.__answers > window.__before"))
    return _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".yasr").text.strip())


def test_yasgui_with_its_defaults_queries_from_another_origin(browser, sparql_server, host):
    host.pages["/yasgui.html"] = HOST_PAGE.format(base=sparql_server).encode()
    browser.get(f"{host.origin}/yasgui.html")
    _wait(browser, lambda d: d.execute_script("return !!(window.yasgui && window.yasgui.getTab())"))
    method = browser.execute_script("return window.yasgui.getTab().getRequestConfig().method")
    assert method == "POST"  # YASGUI's default, kept

    selected = _run(browser, SELECT)
    assert "Oldham Council" in selected and "Unable to get response" not in selected
    _shot(browser, "yasgui-other-origin-select.png")

    constructed = _run(browser, CONSTRUCT)
    assert "Oldham Council" in constructed and "prefLabel" in constructed

    failed = _run(browser, MALFORMED)
    assert "malformed SPARQL query" in failed and "Unable to get response" not in failed
    _shot(browser, "yasgui-other-origin-error.png")


def test_the_query_page_is_yasgui_with_the_service_prefixes(browser, sparql_server):
    page = httpx.get(f"{sparql_server}/sparql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "/static/yasgui/yasgui.min.js" in page.text
    browser.get(f"{sparql_server}/sparql")
    _wait(
        browser,
        lambda d: d.execute_script("return !!(window.kgYasgui && window.kgYasgui.getTab())"),
    )
    _console_problems(browser)  # what the page logged while loading is checked below
    # The first query uses p2p: and skos: undeclared, as the endpoint allows; the page declares
    # them (and only them) for the editor, which then flags nothing.
    first = browser.execute_script("return window.kgYasgui.getTab().getYasqe().getValue()")
    assert "PREFIX p2p: <https://w3id.org/p2p-kg/ontology#>" in first
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in first
    assert "PREFIX eli:" not in first and "p2p:Council" in first
    assert browser.execute_script("return window.kgYasgui.getTab().getYasqe().queryValid")
    picker = browser.find_element(By.ID, "example")
    options = picker.find_elements(By.TAG_NAME, "option")
    assert len(options) > 10
    options[1].click()
    query = browser.execute_script("return window.kgYasgui.getTab().getYasqe().getValue()")
    assert "PREFIX p2p: <https://w3id.org/p2p-kg/ontology#>" in query
    valid = browser.execute_script("return window.kgYasgui.getTab().getYasqe().queryValid")
    assert valid is True
    browser.execute_script("window.yasgui = window.kgYasgui")
    shown = _run(browser, query)
    assert "Showing" in shown and "error" not in shown.lower()
    _shot(browser, "sparql-page-yasgui.png")
    assert not _console_problems(browser)
