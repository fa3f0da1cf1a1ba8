"""The page, the entity pages and the widget in a real browser: headless Chromium driven by
Selenium against real uvicorn servers on 127.0.0.1, the widget on a host page served from
another origin. Screenshots go to a temporary folder; ``KG_SCREENSHOTS=docs/screenshots``
refreshes the ones the documentation shows.

The browser tests (marked ``browser``) skip, with the reason, when chromium or chromedriver is
missing; ``make browser`` installs them. The routes the page and the widget call are checked
in-process by tests/search_api/test_page_routes.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from ingest.pipeline import run
from kg.config import PROJECT_ROOT, Settings
from tests.servers import running_server

pytestmark = pytest.mark.e2e

SHOTS = PROJECT_ROOT / os.environ.get(
    "KG_SCREENSHOTS", Path(tempfile.gettempdir()) / "p2p-kg-screenshots"
)
HOST_PAGE = PROJECT_ROOT / "examples" / "host.html"
HOST_ENDPOINT = "http://127.0.0.1:8000"  # what host.html points at; replaced per test server
PAYLOAD_SCRIPT = "<script>window.__xss=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__xss=1">'
XSS_DOC = f"""---
id: guidance-zebra-tender-checklist
title: The zebra tender checklist
kind: guidance
source_urls:
  - https://example.org/zebra-tender-checklist
retrieved: 2026-11-01
---

# The zebra tender checklist

The zebra tender checklist warns commissioners about supplier notes containing {PAYLOAD_SCRIPT} in a zebra tender.

The zebra tender checklist also warns about supplier notes containing {PAYLOAD_IMG} in a zebra tender.
"""
XSS_QUESTION = "What does the zebra tender checklist warn commissioners about?"
XSS_COPIES = (
    "faq/how-do-you-measure-social-value.md",
    "guidance/grants-versus-contracts.md",
    "case-studies/oldham-social-prescribing.md",
    "regulations/pcr2015-reg-77-reserved-contracts.md",
)


# --- servers -------------------------------------------------------------------------------


@contextlib.contextmanager
def _serve(data_dir: Path, cors_origins: list[str]):
    """`kg serve` for the browser: a page load is several requests (page, styles, scripts, /ask,
    /graph) and these tests load many pages quickly, which is the rate limiter's business."""
    origins = ", ".join(f'"{o}"' for o in cors_origins)
    with running_server(
        data_dir,
        KG_SPARQL_WORKERS="0",
        KG_RATE_LIMIT_PER_MINUTE="0",
        KG_CORS_ORIGINS=f"[{origins}]",
    ) as base:
        yield base


def _host_page(endpoint: str) -> bytes:
    html = HOST_PAGE.read_text(encoding="utf-8")
    assert html.count(HOST_ENDPOINT) == 2  # the script tag and the endpoint attribute
    return html.replace(HOST_ENDPOINT, endpoint).encode()


@pytest.fixture(scope="module")
def server(corpus_settings, corpus_build, host):
    with _serve(corpus_settings.data_dir, [host.origin]) as base:
        host.pages["/host.html"] = _host_page(base)
        yield base


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory, encoder, host):
    """A build of a few real documents plus one whose text carries script and markup."""
    corpus = tmp_path_factory.mktemp("xss-corpus")
    for rel in XSS_COPIES:
        shutil.copy(PROJECT_ROOT / "corpus" / rel, corpus / Path(rel).name)
    (corpus / "zebra-tender-checklist.md").write_text(XSS_DOC, encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("xss-data"))
    report = run(settings, [corpus], encoder=encoder)
    assert report.build is not None and not report.rejected
    with _serve(settings.data_dir, [host.origin]) as base:
        host.pages["/xss-host.html"] = _host_page(base)
        yield base


# --- the browser -----------------------------------------------------------------------------


def _wait(driver, condition, timeout: float = 60):
    return WebDriverWait(driver, timeout).until(condition)


def _shot(driver, name: str, max_height: int = 0) -> None:
    """A screenshot of the viewport, or of the page's top `max_height` pixels."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if max_height:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        width = driver.execute_script("return window.innerWidth")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": min(height, max_height),
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        driver.save_screenshot(str(SHOTS / name))
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.save_screenshot(str(SHOTS / name))


def _console_problems(driver) -> list[str]:
    """Errors, CSP violations and failed loads the page logged since the last call."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def _active(driver):
    return driver.switch_to.active_element


def _press(driver, *keys) -> None:
    """Keys to whatever has focus, as a keyboard sends them. (WebElement.send_keys re-focuses
    its element first, which inside a shadow root blurs the input and closes the list.)"""
    ActionChains(driver).send_keys(*keys).perform()


def _ask(driver, question: str) -> None:
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(question, Keys.ENTER)
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#answer ol.citations > li"))


# --- the page --------------------------------------------------------------------------------


@pytest.mark.browser
def test_question_shows_cited_answer_entities_and_diagram(browser, server):
    browser.get(server + "/")
    _ask(browser, "What procurement route did Oldham use?")
    status = browser.find_element(By.ID, "status")
    assert status.get_attribute("role") == "status" and "Answer ready" in status.text
    items = browser.find_elements(By.CSS_SELECTOR, "ol.citations > li")
    assert len(items) >= 2
    first = items[0]
    source = first.find_element(By.CSS_SELECTOR, "a.source")
    assert source.get_attribute("href").startswith("http") and source.text
    assert first.find_element(By.CSS_SELECTOR, ".kind").text.lower() == "case study"
    assert first.find_elements(By.CSS_SELECTOR, "blockquote mark")
    ld = first.find_element(By.CSS_SELECTOR, "a.ld")
    assert ld.get_dom_attribute("href").startswith("/id/passage/")
    refs = browser.find_elements(By.CSS_SELECTOR, ".answer-text a.ref")
    assert refs and refs[0].get_dom_attribute("href").startswith("#cite-")
    entity = browser.find_element(By.CSS_SELECTOR, "ul.entities a")
    assert entity.get_dom_attribute("href") == "/id/council/oldham"
    nodes = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#answer svg.graph a.node"))
    assert len(nodes) >= 3
    for node in nodes:
        assert node.get_dom_attribute("href").startswith("/id/")
        assert node.get_dom_attribute("aria-label")
        assert node.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert "Oldham Council" in browser.find_element(By.CSS_SELECTOR, "svg.graph").text
    assert "q=What+procurement+route" in browser.current_url
    _shot(browser, "page-answer.png", max_height=2400)
    assert not _console_problems(browser)


@pytest.mark.browser
def test_keyboard_only_question_citation_and_linked_data_page(browser, server):
    browser.get(server + "/")
    _press(browser, Keys.TAB)
    assert _active(browser).get_attribute("id") == "q"
    _press(browser, "Can we reserve a contract for a mutual?", Keys.ENTER)
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ol.citations > li"))
    for _ in range(60):
        _press(browser, Keys.TAB)
        if browser.execute_script("return !!document.activeElement.closest('ol.citations')"):
            break
    else:
        pytest.fail("Tab never reached the citations")
    focus = browser.execute_script(
        "const e = document.activeElement, s = getComputedStyle(e);"
        "return [e.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth)]"
    )
    assert focus[0] is True and focus[1] != "none" and focus[2] >= 2, focus
    assert "source" in _active(browser).get_attribute("class")
    _press(browser, Keys.TAB)
    ld = _active(browser)
    assert "ld" in ld.get_attribute("class")
    target = ld.get_dom_attribute("href")
    _press(browser, Keys.ENTER)
    _wait(browser, lambda d: d.current_url.endswith(target))
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.CSS_SELECTOR, "main blockquote").text
    assert not _console_problems(browser)


@pytest.mark.browser
def test_link_with_a_question_and_filters_asks_on_arrival(browser, server):
    q = quote("How do you measure social value?")
    browser.get(f"{server}/?q={q}&kind=faq")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ol.citations > li"))
    assert (
        browser.find_element(By.ID, "q").get_attribute("value")
        == "How do you measure social value?"
    )
    assert (
        Select(browser.find_element(By.ID, "kind")).first_selected_option.text == "Expert answers"
    )
    kinds = {k.text.lower() for k in browser.find_elements(By.CSS_SELECTOR, "ol.citations .kind")}
    assert kinds == {"expert answer"}


@pytest.mark.browser
def test_misspelled_question_says_what_was_searched(browser, server):
    browser.get(server + "/")
    _ask(browser, "is comissioning the same thing as procurment?")
    line = browser.find_element(By.CSS_SELECTOR, "#answer .spelling").text
    assert "“commissioning” for “comissioning”" in line
    assert "“procurement” for “procurment”" in line


@pytest.mark.browser
def test_declined_question_lists_the_nearest_passages_apart(browser, server):
    browser.get(server + "/")
    _ask(browser, "how do I pay my council tax online")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".nearest ol.citations > li"))
    assert "does not cover" in browser.find_element(By.CSS_SELECTOR, "#answer").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".sources:not(.nearest)")
    assert "do not answer" in browser.find_element(By.CSS_SELECTOR, ".nearest").text


@pytest.mark.browser
def test_regime_filter_and_example_question(browser, server):
    browser.get(server + "/")
    Select(browser.find_element(By.ID, "regime")).select_by_value("pcr2015")
    browser.find_element(By.CSS_SELECTOR, "button.example").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ol.citations > li"))
    assert "regime=pcr2015" in browser.current_url
    for label in browser.find_elements(By.CSS_SELECTOR, "label"):
        target = label.get_attribute("for")
        assert target and browser.find_elements(By.ID, target), "unlabelled control"


@pytest.mark.browser
def test_answer_shows_which_law_applies_on_the_start_date(browser, server):
    q = quote("can we use an innovation partnership?")
    browser.get(f"{server}/?q={q}&as_of=2026-11-23")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".regime-note"))
    note = browser.find_element(By.CSS_SELECTOR, ".regime-note")
    assert note.is_displayed()
    assert "24 February 2025" in note.text and "competitive flexible procedure" in note.text
    assert note.find_elements(By.CSS_SELECTOR, "a")  # its citations link to the sources
    _shot(browser, "page-regime-note.png", max_height=1100)
    browser.get(f"{server}/?q={q}&as_of=2024-06-01")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ol.citations > li"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".regime-note")


@pytest.mark.browser
def test_entity_page_draws_its_neighbourhood(browser, server):
    browser.get(server + "/id/council/oldham")
    nodes = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.graph a.node"))
    assert len(nodes) >= 3
    graph = browser.find_element(By.CSS_SELECTOR, "svg.graph")
    assert graph.get_dom_attribute("aria-label").startswith("How Oldham Council connects")
    assert graph.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    hrefs = [n.get_dom_attribute("href") for n in nodes]
    assert "/id/council/oldham" in hrefs and all(h.startswith("/id/") for h in hrefs)
    _shot(browser, "entity-page.png", max_height=1000)
    partnership = next(n for n in nodes if "/id/partnership/" in n.get_dom_attribute("href"))
    target = partnership.get_dom_attribute("href")
    partnership.click()
    _wait(browser, lambda d: d.current_url.endswith(target))
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.graph a.node.centre"))
    assert not _console_problems(browser)


@pytest.mark.browser
def test_page_is_readable_on_a_phone(phone, server):
    phone.get(server + "/")
    _ask(phone, "What procurement route did Oldham use?")
    _wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.graph a.node"))
    width = phone.execute_script("return window.innerWidth")
    assert width == 375
    overflow = phone.execute_script("return document.documentElement.scrollWidth")
    assert overflow <= width, f"the page scrolls sideways: {overflow} > {width}"
    # The diagram keeps its text legible and scrolls inside its own box instead.
    box = phone.find_element(By.CSS_SELECTOR, ".diagram-scroll")
    assert phone.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box)
    size = phone.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('blockquote')).fontSize)"
    )
    assert size >= 14
    _shot(phone, "page-phone.png")
    assert not _console_problems(phone)


# --- the widget on another origin ------------------------------------------------------------


def _options(driver, root):
    """The listed passages, once the search for what was typed has answered."""

    def settled(d):
        box = root.find_element(By.CSS_SELECTOR, "[role=listbox]")
        options = root.find_elements(By.CSS_SELECTOR, "[role=option]")
        return options if box.get_attribute("aria-busy") == "false" and options else None

    return _wait(driver, settled)


def _widget(driver, origin: str, page: str):
    driver.get(origin + page)
    element = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "kg-search"))
    root = _wait(driver, lambda d: element.shadow_root)
    box = _wait(driver, lambda d: root.find_element(By.CSS_SELECTOR, "input[role=combobox]"))
    return root, box


@pytest.mark.browser
def test_widget_on_a_host_page_searches_and_answers(browser, server, host):
    root, box = _widget(browser, host.origin, "/host.html")
    assert box.get_attribute("placeholder") == "Ask about partnering"
    assert box.get_attribute("aria-controls") == "list"
    box.send_keys("reserved contract for a mutual")
    options = _options(browser, root)
    assert 2 <= len(options) <= 5
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") is None
    _press(browser, Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "true"
    _press(browser, Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[1].get_attribute("id")
    assert options[0].get_attribute("aria-selected") == "false"
    _press(browser, Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    _shot(browser, "widget-host.png")
    _press(browser, Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    _press(browser, Keys.ENTER)
    cited = _wait(browser, lambda d: root.find_elements(By.CSS_SELECTOR, ".ans ol > li"))
    assert 1 <= len(cited) <= 5
    assert "Answer ready" in root.find_element(By.CSS_SELECTOR, "[role=status]").text
    links = [a.get_attribute("href") for a in cited[0].find_elements(By.TAG_NAME, "a")]
    assert any(h.startswith(server + "/id/passage/") for h in links)
    full = root.find_element(By.CSS_SELECTOR, "a.full").get_attribute("href")
    assert full == server + "/?q=reserved%20contract%20for%20a%20mutual"
    assert not _console_problems(browser)


@pytest.mark.browser
def test_widget_lists_nearest_passages_apart_when_it_declines(browser, server, host):
    root, box = _widget(browser, host.origin, "/host.html")
    box.send_keys("how do I pay my council tax online")
    _options(browser, root)  # the search as you type has caught up with the box
    _press(browser, Keys.ESCAPE)
    _press(browser, Keys.ENTER)
    _wait(browser, lambda d: root.find_elements(By.CSS_SELECTOR, "[part=nearest]"))
    status = root.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert "No answer" in status and "nearest passages listed" in status
    assert len(root.find_elements(By.CSS_SELECTOR, ".ans ol > li")) >= 2


# --- documents cannot inject script or markup -------------------------------------------------


@pytest.mark.browser
def test_page_shows_markup_in_a_passage_as_text(browser, xss_server):
    browser.get(xss_server + "/")
    _ask(browser, XSS_QUESTION)
    _wait(browser, lambda d: PAYLOAD_IMG in d.find_element(By.ID, "answer").text)
    text = browser.find_element(By.ID, "answer").text
    assert PAYLOAD_SCRIPT in text and PAYLOAD_IMG in text
    assert not browser.find_elements(By.CSS_SELECTOR, "#answer script, #answer img")
    assert browser.execute_script("return typeof window.__xss") == "undefined"


@pytest.mark.browser
def test_widget_shows_markup_in_a_passage_as_text(browser, xss_server, host):
    root, box = _widget(browser, host.origin, "/xss-host.html")
    box.send_keys("zebra tender checklist")
    options = _options(browser, root)
    assert "zebra" in options[0].text.lower()
    _press(browser, Keys.ARROW_DOWN, Keys.ENTER)  # shows the whole passage
    answer = root.find_element(By.CSS_SELECTOR, ".ans")
    _wait(browser, lambda d: PAYLOAD_SCRIPT in answer.text and PAYLOAD_IMG in answer.text)
    _press(browser, Keys.ESCAPE)  # clears the box
    _press(browser, XSS_QUESTION, Keys.ENTER)  # and now an answer citing it
    _wait(
        browser,
        lambda d: (
            PAYLOAD_IMG
            in " ".join(li.text for li in root.find_elements(By.CSS_SELECTOR, ".ans ol > li"))
        ),
    )
    assert not root.find_elements(By.CSS_SELECTOR, "script, img")
    assert browser.execute_script("return typeof window.__xss") == "undefined"
