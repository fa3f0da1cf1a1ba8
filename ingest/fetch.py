"""Documents from the web: a page or file fetched over HTTP(S), and the pages a sitemap lists.

Each fetch has a timeout, follows a few redirects, stops reading past the size limit, and lets
the response's content type choose the reader (the URL's suffix when the server says only
"application/octet-stream"). Every failure is a DocumentError naming the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from .load import DEFAULT_KIND, RawDocument, from_bytes
from .model import DocumentError
from .readers import registry

MAX_REDIRECTS = 5
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")
USER_AGENT = "p2p-kg ingest (+https://w3id.org/p2p-kg/)"


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    timeout_s: float = 20.0


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def open_client(limits: FetchLimits) -> httpx.Client:
    """One connection pool for an ingest's fetches."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(limits.timeout_s),
        headers={"User-Agent": USER_AGENT},
    )


def _get(client: httpx.Client, url: str, limits: FetchLimits) -> tuple[str, str, bytes]:
    """(final URL, content type, body) of a GET, read no further than the size limit."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise DocumentError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            declared = int(response.headers.get("content-length") or 0)
            if declared > limits.max_bytes:
                raise DocumentError(
                    url, f"response is {declared} bytes, over the limit of {limits.max_bytes}"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise DocumentError(
                        url, f"response is over the limit of {limits.max_bytes} bytes"
                    )
                chunks.append(chunk)
            return str(response.url), response.headers.get("content-type", ""), b"".join(chunks)
    except httpx.TimeoutException as exc:
        raise DocumentError(url, f"timed out after {limits.timeout_s:g} s") from exc
    except httpx.TooManyRedirects as exc:
        raise DocumentError(url, f"more than {MAX_REDIRECTS} redirects") from exc
    except httpx.HTTPError as exc:
        raise DocumentError(url, f"cannot fetch: {exc}") from exc


def _name(url: str) -> Path:
    """A file name for a fetched document, whose stem becomes its id: the URL's last path
    segment, its folder's name for an index page ("/guides/lease/index.html" -> "lease.html"),
    or the host for a site's home page."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return Path(parts.hostname or "page")
    last = PurePosixPath(segments[-1])
    if last.stem.lower() in ("index", "default") and len(segments) > 1:
        return Path(segments[-2] + last.suffix)
    return Path(last.name)


def fetch(
    url: str,
    limits: FetchLimits,
    default_kind: str = DEFAULT_KIND,
    client: httpx.Client | None = None,
) -> RawDocument:
    """The RawDocument of a URL; raises DocumentError naming the URL and what went wrong."""
    if not is_url(url):
        raise DocumentError(url, "not an http(s) address")
    if client is None:
        with open_client(limits) as own:
            final, content_type, data = _get(own, url, limits)
    else:
        final, content_type, data = _get(client, url, limits)
    name = _name(final)
    media = content_type.split(";", 1)[0].strip().lower()
    reader = registry.for_content_type(media)
    if reader is None and media in GENERIC_TYPES:
        reader = registry.for_suffix(name.suffix)
    if reader is None:
        raise DocumentError(url, registry.unsupported(f"content type '{media or 'none'}'"))
    if reader.name == "html" and not name.suffix:
        name = name.with_suffix(".html")
    return from_bytes(name, data, reader, origin=url, source_url=final, default_kind=default_kind)


def sitemap_urls(url: str, limits: FetchLimits, depth: int = 2) -> list[str]:
    """The page addresses a sitemap lists, following a sitemap index ``depth`` levels down."""
    from lxml import etree

    with open_client(limits) as http:
        _, _, data = _get(http, url, limits)
    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise DocumentError(url, f"not a sitemap: {exc}") from exc
    locs = [(el.text or "").strip() for el in root.iter("{*}loc") if (el.text or "").strip()]
    if etree.QName(root).localname == "sitemapindex":
        if depth <= 0:
            raise DocumentError(url, "sitemap indexes nested too deep")
        return [page for sub in locs for page in sitemap_urls(sub, limits, depth - 1)]
    return [loc for loc in locs if is_url(loc)]
