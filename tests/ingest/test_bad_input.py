"""Bad input is named with its reason, the rest ingested; with nothing valid left, the previous
build keeps serving. Progress goes to standard error as plain lines, or nowhere when quiet."""

import io
import shutil

import pytest

from ingest.pipeline import run
from ingest.progress import Progress
from kg import build as builds
from kg.config import Settings
from tests.conftest import CORPUS
from tests.ingest.makers import CHROME, make_renamed_zip, make_scanned_pdf
from tests.ingest.website import Route, website


@pytest.mark.slow
def test_nothing_valid_publishes_nothing_and_the_last_build_serves(tmp_path, encoder):
    settings = Settings(data_dir=tmp_path / "data")
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(CORPUS / "faq" / "how-do-you-measure-social-value.md", good)
    served = run(settings, [good], encoder=encoder, quiet=True).build.id

    bad = tmp_path / "bad"
    bad.mkdir()
    make_scanned_pdf(bad / "scan.pdf", ["A letter"])
    make_renamed_zip(bad / "minutes.docx")
    (bad / "banner.html").write_text(
        f"<html><body><nav>{CHROME['nav']}</nav><p>{CHROME['cookie']}</p></body></html>"
    )
    with website({}) as site:
        report = run(settings, [bad], encoder=encoder, urls=[f"{site}/gone"], quiet=True)
    assert report.build is None
    reasons = {e.path.rsplit("/", 1)[-1]: e.reason for e in report.rejected}
    assert "no text layer" in reasons["scan.pdf"]
    assert "not a Word document" in reasons["minutes.docx"]
    assert "boilerplate" in reasons["banner.html"]
    assert reasons["gone"].startswith("HTTP 404")
    assert builds.open_current(settings.data_dir).id == served


@pytest.mark.slow
def test_a_sitemap_ingests_its_pages(tmp_path, encoder):
    prose = (
        "Councils that publish a pipeline of upcoming contracts give local charities time to "
        "form consortia and bid, which widens the market for community services."
    )
    page = f"<html><head><title>Pipeline</title></head><body><main><h1>Pipelines</h1><p>{prose}</p>"
    page += "</main></body></html>"
    routes = {"/pipeline": Route(page.encode())}
    with website(routes) as site:
        sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site}/pipeline</loc></url></urlset>'
        routes["/sitemap.xml"] = Route(sitemap.encode(), "application/xml")
        report = run(
            Settings(data_dir=tmp_path / "data"),
            sitemaps=[f"{site}/sitemap.xml"],
            encoder=encoder,
            kind="faq",
            quiet=True,
        )
    rows = report.build.passages()
    assert report.rejected == [] and report.documents == 1
    assert rows[0].kind == "faq" and rows[0].source_url == f"{site}/pipeline"


def test_progress_is_plain_lines_off_a_terminal_and_silent_when_quiet():
    stream = io.StringIO()
    progress = Progress(20, "embedding", "passages", stream=stream)
    for _ in range(20):
        progress.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("embedding: 20/20 passages")
    quiet = io.StringIO()
    progress = Progress(20, "embedding", "passages", quiet=True, stream=quiet)
    progress.advance(20)
    assert quiet.getvalue() == ""
