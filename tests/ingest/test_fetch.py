"""Documents fetched from a website on 127.0.0.1: the content type picks the reader, and every
failure names its URL."""

import pytest

from ingest.clean import clean
from ingest.fetch import FetchLimits, fetch, sitemap_urls
from ingest.model import DocumentError
from tests.ingest.makers import make_pdf, web_page
from tests.ingest.website import Route, website

PROSE = (
    "Social value weighting of ten per cent was applied to every lot, and the weighting was "
    "explained to bidders at the market engagement event before the tender opened."
)
PAGE = web_page("Social value weighting", [("Weighting", [PROSE])], date="2023-05-04").encode()
LIMITS = FetchLimits(max_bytes=200_000, timeout_s=1.0)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pdf = make_pdf(tmp_path_factory.mktemp("site") / "r.pdf", [[PROSE], [PROSE]], title="Report")
    sitemap = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/weighting</loc></url><url><loc>{base}/files/report</loc></url></urlset>"""
    routes = {
        "/news/weighting": Route(PAGE),
        "/files/report": Route(pdf.read_bytes(), "application/pdf"),
        "/files/report.pdf": Route(pdf.read_bytes(), "application/octet-stream"),
        "/old": Route(b"", status=301, location="/news/weighting"),
        "/slow": Route(PAGE, delay_s=3.0),
        "/big": Route(b"<p>" + b"word " * 100_000 + b"</p>"),
        "/sheet": Route(b"a,b\n1,2\n", "text/csv"),
    }
    with website(routes) as base:
        routes["/sitemap.xml"] = Route(sitemap.replace(b"{base}", base.encode()), "application/xml")
        yield base


def test_a_page_is_read_as_html_and_cites_its_address(site):
    raw = fetch(f"{site}/news/weighting", LIMITS)
    read = clean(raw)
    assert raw.format == "html" and raw.origin == f"{site}/news/weighting"
    assert PROSE in read.text and read.published == "2023-05-04"
    assert raw.source_url == f"{site}/news/weighting"


def test_the_content_type_picks_the_reader_and_a_generic_one_falls_back_to_the_suffix(site):
    assert fetch(f"{site}/files/report", LIMITS).format == "pdf"
    assert fetch(f"{site}/files/report.pdf", LIMITS).format == "pdf"


def test_a_redirect_is_followed_and_the_final_address_cited(site):
    raw = fetch(f"{site}/old", LIMITS)
    assert raw.source_url == f"{site}/news/weighting" and raw.origin == f"{site}/old"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/slow", "timed out after 1 s"),
        ("/big", "over the limit of 200000"),
        ("/sheet", "unsupported content type 'text/csv'"),
    ],
)
def test_each_failed_url_is_named_with_its_reason(site, path, reason):
    with pytest.raises(DocumentError, match=reason) as err:
        fetch(f"{site}{path}", LIMITS)
    assert err.value.path == f"{site}{path}"


def test_a_sitemap_lists_its_pages(site):
    assert sitemap_urls(f"{site}/sitemap.xml", LIMITS) == [
        f"{site}/news/weighting",
        f"{site}/files/report",
    ]
