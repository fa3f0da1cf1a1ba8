from ingest.clean import is_boilerplate
from ingest.readers import html, markdown, text


def test_markdown_links_keep_text_and_record_url():
    read = markdown.read("See [the E3M page](https://e3m.org.uk/x) for **more**.")
    assert read.text == "See the E3M page for more."
    assert [(link.start, link.end, link.url) for link in read.links] == [
        (4, 16, "https://e3m.org.uk/x")
    ]


def test_markdown_headings_and_lists_become_plain_text():
    cleaned = markdown.read("# Title\n\nIntro line.\n\n## Part\n\n- one\n- two\n")
    assert cleaned.text == "Title\n\nIntro line.\n\nPart\n\n- one\n- two"
    assert [(level, text) for _, level, text in cleaned.headings] == [(1, "Title"), (2, "Part")]


def test_markdown_table_rows_read_as_cells_and_a_lead_in_keeps_its_list():
    cleaned = markdown.read("Routes:\n- open\n- competitive\n\n| a | b |\n|---|---|\n| c | d |\n")
    assert cleaned.text == "Routes:\n- open\n- competitive\n\na; b\nc; d"


def test_cookie_banner_contact_and_social_lines_are_boilerplate():
    assert is_boilerplate("We use cookies to help you navigate efficiently and perform functions.")
    assert is_boilerplate("E: comms@councils.coop | T: @CoopInnovation | W: councils.coop")
    assert is_boilerplate("For further information contact:")
    assert is_boilerplate("© 2024 Co-operative Network. Registered in England.")
    assert not is_boilerplate("Oldham used an innovation partnership for social prescribing.")


def test_seed_pages_lose_their_banners_but_keep_their_content(seed_pages):
    for path in seed_pages:
        cleaned = text.read(path.read_text(encoding="utf-8"))
        lower = cleaned.text.lower()
        assert "cookie" not in lower, path.name
        assert "@" not in cleaned.text, path.name
        assert "there’s a procurement issue" in cleaned.text or "procurement issue" in lower


def test_html_drops_scripts_navigation_and_consent():
    page = """<html><head><title>Page</title><script>alert(1)</script></head><body>
    <nav><a href="/">Home</a></nav><div class="cookie-consent">We use cookies.</div>
    <h1>Plymouth Alliance</h1><p>Plymouth City Council replaced 25 contracts with one
    alliance contract for people with complex needs.</p><footer>Contact us</footer></body></html>"""
    cleaned = html.read(page)
    assert cleaned.title == "Plymouth Alliance"  # the page's headline
    assert "alert" not in cleaned.text and "Home" not in cleaned.text
    assert "cookies" not in cleaned.text and "Contact" not in cleaned.text
    assert "Plymouth City Council replaced 25 contracts" in cleaned.text
