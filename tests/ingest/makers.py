"""Documents of every format, made on the spot: PDFs (text, scanned, encrypted, corrupt) with
reportlab and Word files with python-docx, so no test downloads a fixture."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path


def make_pdf(
    path: Path,
    pages: list[list[str]],
    title: str = "",
    created: dt.datetime | None = None,
    password: str = "",
    headings: dict[int, str] | None = None,
) -> Path:
    """A text PDF: one list of paragraphs per page, wrapped to the page width.

    ``headings`` puts a larger-type line at the top of the numbered pages (1-based).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    encrypt = None
    if password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, ownerPassword=password + "-owner", strength=128)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    if title:
        pdf.setTitle(title)
    width, height = A4
    for number, paragraphs in enumerate(pages, start=1):
        y = height - 72
        if headings and number in headings:
            pdf.setFont("Helvetica-Bold", 16)
            pdf.drawString(72, y, headings[number])
            y -= 32
        pdf.setFont("Helvetica", 11)
        for paragraph in paragraphs:
            for line in simpleSplit(paragraph, "Helvetica", 11, width - 144):
                pdf.drawString(72, y, line)
                y -= 14
            y -= 10
        pdf.showPage()
    pdf.save()
    if created is not None:
        _set_creation_date(path, created)
    return path


def _set_creation_date(path: Path, created: dt.datetime) -> None:
    """reportlab writes a fixed date in invariant mode; pypdf rewrites the Info dictionary."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    writer.add_metadata({"/CreationDate": created.strftime("D:%Y%m%d%H%M%S+00'00'")})
    with path.open("wb") as fh:
        writer.write(fh)


def make_scanned_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose only page is a picture of text: what a scanner without OCR produces."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((100, 100 + 40 * i), line, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawImage(ImageReader(buffer), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return path


def make_docx(
    path: Path,
    blocks: list[tuple[str, str]],
    title: str = "",
    created: dt.datetime | None = None,
    table: list[list[str]] | None = None,
) -> Path:
    """A Word file from (style, text) blocks: style "Title", "Heading 1".."Heading 3" or "Normal";
    an optional table goes after the blocks."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if title:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    document.save(str(path))
    return path


def make_renamed_zip(path: Path) -> Path:
    """A zip archive of something else, named as if it were a Word file."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday/photo-list.txt", "beach.jpg\nhills.jpg\n")
    return path


# Page furniture a council or network website wraps around its content: what no passage may hold.
CHROME = {
    "cookie": "We use cookies to help you navigate efficiently and perform certain functions. "
    "You will find detailed information about all cookies under each consent category below.",
    "cookie_buttons": "Accept All Reject All Customise Consent Preferences",
    "nav": "Home About us Our members Case studies News Contact",
    "breadcrumb": "You are here: Home / Resources / Guidance",
    "byline": "Posted 3 March 2022 by the communications team",
    "share": "Share this page on Twitter Facebook LinkedIn",
    "related": "Related posts: Social value week round-up; Annual conference tickets on sale",
    "newsletter": "Sign up to our newsletter for monthly updates from the network",
    "contact": "E: comms@network.example | T: 0161 234 5678 | Follow us @CoopNetwork",
    "footer": "© 2024 Co-operative Network. Registered in England. Privacy policy Accessibility",
}


def web_page(
    title: str,
    sections: list[tuple[str, list[str]]],
    date: str = "",
    canonical: str = "",
    byline: bool = True,
    style: str = "cms",
) -> str:
    """An HTML page: ``sections`` of (heading, paragraphs) inside a site's chrome.

    ``style`` "cms" marks the chrome up as a CMS theme does (header, nav, aside, footer, a
    consent plugin's classes); "plain" puts every piece of chrome in bare <div>s and <p>s, as
    older sites do, so only the words tell content from furniture. ``date`` goes into the
    head's article:published_time; the byline states 3 March 2022 when ``byline`` is set.
    """
    head = [f"<title>{title} | Co-operative Network</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if date:
        head.append(f'<meta property="article:published_time" content="{date}T09:00:00+00:00">')
    body = []
    for heading, paragraphs in sections:
        if heading:
            body.append(f"<h2>{heading}</h2>")
        for para in paragraphs:
            if para.startswith("- "):
                body.append(f"<ul><li>{para[2:]}</li></ul>")
            else:
                body.append(f"<p>{para}</p>")
    content = "\n".join(body)
    by = f'<p class="byline">{CHROME["byline"]}</p>' if byline else ""
    if style == "plain":
        return f"""<html><head>{"".join(head)}</head><body>
<div>{CHROME["nav"]}</div><div><p>{CHROME["cookie"]}</p><p>{CHROME["cookie_buttons"]}</p></div>
<div><p>{CHROME["breadcrumb"]}</p><h1>{title}</h1>{by}{content}
<p>{CHROME["share"]}</p></div><div><p>{CHROME["related"]}</p></div>
<div><p>{CHROME["newsletter"]}</p><p>{CHROME["contact"]}</p><p>{CHROME["footer"]}</p></div>
</body></html>"""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">{"".join(head)}</head>
<body><div class="cky-consent-container"><div class="cky-consent-bar"><p>{CHROME["cookie"]}</p>
<div class="cky-notice-btn-wrapper"><button>Accept All</button><button>Reject All</button>
<button>Customise Consent Preferences</button></div></div></div>
<header class="site-header"><nav class="main-menu"><ul><li><a href="/">Home</a></li>
<li><a href="/about">About us</a></li><li><a href="/members">Our members</a></li>
<li><a href="/case-studies">Case studies</a></li><li><a href="/news">News</a></li>
<li><a href="/contact">Contact</a></li></ul></nav></header>
<div class="breadcrumbs">{CHROME["breadcrumb"]}</div>
<main><article class="post"><h1 class="entry-title">{title}</h1>{by}
<div class="entry-content">{content}</div>
<div class="share-buttons">{CHROME["share"]}</div></article>
<aside class="sidebar"><h3>Related</h3><p>{CHROME["related"]}</p></aside></main>
<footer><div class="newsletter"><p>{CHROME["newsletter"]}</p></div>
<p class="contact">{CHROME["contact"]}</p><p>{CHROME["footer"]}</p></footer></body></html>"""
