"""Orchestration: files in, one Build out, with a report of what was rejected and why."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kg import build as builds
from kg import vectors
from kg.config import Settings
from kg.embed import Encoder
from kg.entities import EntityIndex, EntityRecord
from kg.registry import load_registry

from . import fetch
from . import triples as tr
from .clean import clean
from .document import to_document
from .embedding import ChunkedEncoding, previous_vectors
from .legal import link_in_context
from .link import DocumentLinks, link_passages, resolve_references
from .load import DEFAULT_KIND, RawDocument, discover, load
from .model import Document, DocumentError, Passage
from .progress import Progress
from .read_ahead import read_ahead
from .split import split

if TYPE_CHECKING:
    from rdflib import Graph


class IngestAborted(Exception):
    """--strict stopped at a rejected document; nothing was published."""


@dataclass
class IngestReport:
    build: builds.Build | None = None
    documents: int = 0
    passages: int = 0
    triples: int = 0
    entities: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    rejected: list[DocumentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"build {self.build.id if self.build else '(none)'}: {self.documents} documents, "
            f"{self.passages} passages, {self.triples} triples, {self.entities} entities "
            f"in {self.seconds:.1f}s ({self.embedded} passages embedded, {self.reused} reused)"
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"rejected: {e}" for e in self.rejected]
        return "\n".join(lines)


@dataclass
class Parsed:
    doc: Document
    links: DocumentLinks
    passages: list[Passage]


def parse_file(path: Path, settings: Settings, index: EntityIndex) -> Parsed:
    """One file through load -> clean -> document -> links -> passages (pure after the read)."""
    return parse_raw(load(path, settings.max_document_bytes), settings, index)


def parse_raw(raw: RawDocument, settings: Settings, index: EntityIndex) -> Parsed:
    """A loaded file or fetched URL through clean -> document -> links -> passages."""
    doc = to_document(raw, clean(raw))
    links = resolve_references(doc, index)
    passages = split(doc, settings.passage_target_chars, settings.passage_max_chars)
    if not passages:
        raise DocumentError(raw.where, "no passage could be cut from the text")
    link_passages(passages, index)
    if not raw.front_matter:  # a raw document: what its text cites stands for front matter
        cited = link_in_context(passages, doc.text, list(index.records.values()))
        if cited:
            links.by_key["regulations"] = cited
    return Parsed(doc, links, passages)


def run(
    settings: Settings,
    paths: list[Path] | None = None,
    strict: bool = False,
    encoder: Encoder | None = None,
    urls: list[str] | None = None,
    sitemaps: list[str] | None = None,
    kind: str = DEFAULT_KIND,
    quiet: bool = False,
) -> IngestReport:
    """Ingest files and folders (the corpus when nothing is named), URLs and the pages of
    sitemaps into one Build; ``kind`` is the kind of documents whose front matter names none.
    When no document is valid, nothing is published and the previous build is still served."""
    started = time.perf_counter()
    report = IngestReport()
    data_dir = settings.data_dir
    with builds.ingest_lock(data_dir):
        builds.clean_debris(data_dir)
        registry = load_registry(settings.ontology_dir, settings.id_base)
        index = EntityIndex(registry.records + registry.gazetteer)

        parsed: list[Parsed] = []
        seen_ids: dict[str, str] = {}

        def reject(exc: DocumentError) -> None:
            if strict:
                raise IngestAborted(str(exc)) from exc
            report.rejected.append(exc)

        roots = paths if paths or urls or sitemaps else settings.corpus
        try:
            files = discover(roots or [])
        except DocumentError as exc:
            reject(exc)
            files = discover([p for p in roots if p.exists()])
        limits = fetch.FetchLimits(settings.max_document_bytes, settings.fetch_timeout_s)
        pages = list(urls or [])
        for sitemap in sitemaps or []:
            try:
                pages.extend(fetch.sitemap_urls(sitemap, limits))
            except DocumentError as exc:
                reject(exc)
        encoder = encoder or Encoder.from_settings(settings)
        chunk = settings.embed_batch_size * 4
        encoding = ChunkedEncoding(encoder, previous_vectors(settings), chunk)
        reading = Progress(len(files) + len(pages), "reading", "documents", quiet)
        with fetch.open_client(limits) as client:
            sources = [(p, lambda p=p: load(p, settings.max_document_bytes, kind)) for p in files]
            sources += [(u, lambda u=u: fetch.fetch(u, limits, kind, client)) for u in pages]
            # Later documents are read in a worker thread while this one encodes a chunk.
            outcomes = read_ahead(sources, lambda source: parse_raw(source[1](), settings, index))
            with closing(outcomes):  # whatever ends the loop, the reading thread is waited for
                for outcome in outcomes:
                    where = outcome.source[0]
                    try:
                        item = outcome.get()
                        if item.doc.id in seen_ids:
                            raise DocumentError(
                                where,
                                f"duplicate document id '{item.doc.id}' "
                                f"(already used by {seen_ids[item.doc.id]})",
                                line=item.doc.meta_lines.get("id"),
                            )
                        seen_ids[item.doc.id] = str(where)
                        report.warnings.extend(item.doc.warnings)
                        parsed.append(item)
                        encoding.add(item.passages)
                    except DocumentError as exc:
                        reject(exc)
                    reading.advance()
        reading.close()
        if not parsed:
            report.warnings.append("no valid document: nothing published")
            report.seconds = time.perf_counter() - started
            return report
        # The graph is built in a worker thread while the last chunk is encoded in this one.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-graph") as worker:
            graph_built = worker.submit(_graph, registry, parsed, settings)
            embedded = encoding.finish(quiet)
            graph, entity_rows = graph_built.result()
        report.embedded, report.reused = embedded.embedded, embedded.reused

        build_id = builds.new_build_id()
        tmp = builds.start(data_dir, build_id)
        matrix = embedded.matrix
        vectors.save(vectors.build_index(matrix, **vectors.config(settings)), tmp / builds.VECTORS)
        np.save(tmp / builds.EMBEDDINGS, matrix)
        graph.serialize(destination=str(tmp / builds.GRAPH), format="ox-nt")
        n_triples = len(graph)
        (tmp / builds.ENTITIES).write_text(
            json.dumps(entity_rows, ensure_ascii=False), encoding="utf-8"
        )
        builds.write_passages(tmp / builds.PASSAGES, passage_rows(parsed, embedded.keys))

        manifest = {
            "build_id": build_id,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "model": encoder.model_name,
            "encoder": encoder.identity,
            "dimension": int(matrix.shape[1]),
            "base_iri": settings.base_iri,
            "counts": {
                "documents": len(parsed),
                "passages": len(matrix),
                "triples": n_triples,
                "entities": len(entity_rows),
            },
            "documents": {
                item.doc.id: {
                    "path": item.doc.path,
                    "sha256": item.doc.content_hash,
                    "passages": len(item.passages),
                }
                for item in parsed
            },
            "rejected": [str(e) for e in report.rejected],
        }
        if settings.graph_store:
            manifest["graph"] = _upload_remote(settings, build_id, tmp / builds.GRAPH)
        report.build = builds.publish(data_dir, tmp, manifest)
        if settings.graph_store:
            _switch_remote(settings, manifest["graph"])
    report.documents, report.passages = len(parsed), len(matrix)
    report.triples, report.entities = n_triples, len(entity_rows)
    report.seconds = time.perf_counter() - started
    return report


def _graph(registry, parsed: list[Parsed], settings: Settings) -> tuple[Graph, list[dict]]:
    """The build's graph, in memory (written once the vectors are, so a build folder is only
    started when every file of it can be written), and its entity rows."""
    from rdflib import Graph

    iris = tr.IRIs(settings.id_base)
    graph = Graph(store="Oxigraph")
    for triple in registry.graph:
        graph.add(triple)
    mentioned: set[str] = set()
    for item in parsed:
        for triple in tr.document_triples(item.doc, item.passages, item.links, iris):
            graph.add(triple)
        mentioned.update(item.links.all)
        for passage in item.passages:
            mentioned.update(passage.mentions)
    gazetteer = {r.iri: r for r in registry.gazetteer}
    # A lower-tier council brings its upper tier into the graph with it.
    uppers = {gazetteer[i].upper_tier for i in mentioned if i in gazetteer}
    councils = [gazetteer[i] for i in sorted(mentioned | uppers) if i in gazetteer]
    for triple in tr.council_triples(councils):
        graph.add(triple)
    # Upper-tier links only to councils the graph holds.
    in_graph = mentioned | uppers | {r.iri for r in registry.records}
    for triple in tr.upper_tier_triples(councils + registry.records):
        if str(triple[2]) in in_graph:
            graph.add(triple)

    rows = [r.to_json() for r in registry.records] + [r.to_json() for r in councils]
    for item in parsed:
        info = tr.partnership_info(item.doc)
        if info is not None:
            rows.append(
                EntityRecord(
                    iri=str(iris.partnership(item.doc.id)),
                    type="partnership",
                    label=str(info.get("name") or item.doc.title),
                ).to_json()
            )
        for name in item.doc.meta.get("partners") or []:
            rows.append(
                EntityRecord(
                    iri=str(iris.organisation(name)), type="organisation", label=name
                ).to_json()
            )
    unique = {row["iri"]: row for row in rows}
    return graph, list(unique.values())


def _upload_remote(settings: Settings, build_id: str, graph_file: Path) -> str:
    """The build's graph goes into its own named graph before the build is published."""
    from kg import remote

    graph = remote.build_graph_iri(settings.id_base, build_id)
    try:
        remote.upload(settings.remote_endpoints(), graph, graph_file)
    except remote.RemoteStoreError as exc:
        raise builds.BuildError(f"cannot write the graph to {settings.graph_store}: {exc}") from exc
    return graph


def _switch_remote(settings: Settings, graph: str) -> None:
    """Point the server's metadata at the new build, and drop graphs no build uses any more."""
    from kg import remote

    endpoints = settings.remote_endpoints()
    remote.switch_current(endpoints, graph)
    kept = []
    for path in builds.builds_dir(settings.data_dir).iterdir():
        manifest = path / builds.MANIFEST
        if manifest.is_file():
            kept.append(json.loads(manifest.read_text(encoding="utf-8")).get("graph", ""))
    remote.drop_old_builds(endpoints, settings.id_base, keep=[graph, *kept])


def passage_rows(parsed: list[Parsed], keys: list[str]) -> Iterator[builds.PassageRow]:
    """Each passage as the build stores it, with its document's fields and embedding key."""
    passages = ((item.doc, item.links, passage) for item in parsed for passage in item.passages)
    for (doc, links, passage), key in zip(passages, keys, strict=True):
        yield builds.PassageRow(
            id=passage.id,
            document_id=doc.id,
            title=doc.title,
            kind=doc.kind,
            source_url=passage.source_url,
            text=passage.text,
            heading=passage.heading,
            char_start=passage.char_start,
            char_end=passage.char_end,
            mentions=tuple(passage.mentions),
            doc_entities=tuple(links.all),
            council=tuple(links.by_key.get("council", [])),
            routes=tuple(links.by_key.get("routes", [])),
            regime=doc.meta.get("regime") or "",
            published=doc.meta.get("published") or "",
            embed_key=key,
            page=passage.page,
        )
