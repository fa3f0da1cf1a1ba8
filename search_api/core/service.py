"""The search service without HTTP: the current build, and ask/search over it.

The CLI and the web routes both call this, so ``kg ask --json`` and ``GET /ask`` return the
same object. A new build published by ``kg ingest`` is picked up on the next request: it is
loaded beside the one serving, then swapped in.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import build as builds
from kg.config import Settings
from kg.embed import Encoder

from .answer import Fact, compose, highlights, is_supported
from .facts import entity_labels, partnership_facts, scheme_facts
from .retrieve import Filters, Retrieval, Retriever
from .snapshot import Snapshot, load_snapshot
from .specificity import english_idf


@dataclass
class Query:
    text: str
    k: int = 5
    mode: str = "hybrid"
    offset: int = 0
    filters: Filters | None = None
    as_of: dt.date = field(default_factory=dt.date.today)


class SearchService:
    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        self.settings = settings
        self.encoder = encoder or Encoder(
            settings.model, settings.torch_threads, settings.embed_batch_size
        )
        self.retriever = Retriever(settings, self.encoder)
        self._snapshot: Snapshot | None = None
        self._target = None
        self._lock = threading.Lock()
        self._checked = 0.0

    def snapshot(self) -> Snapshot:
        """The build being served; checks at most once a second whether a newer one exists."""
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked < 1.0:
            return self._snapshot
        target = builds.current_target(self.settings.data_dir)
        if self._snapshot is None or target != self._target:
            with self._lock:
                if self._snapshot is None or target != self._target:
                    build = builds.open_current(self.settings.data_dir)
                    fresh = load_snapshot(build, self.settings)
                    self._snapshot, self._target = fresh, build.path
        self._checked = now
        return self._snapshot

    def update(self, update: str) -> None:
        """Apply a SPARQL Update to the graph being served (the caller checked the token).

        On the embedded store the change lives until the next build is published: a build is
        made from the corpus, so lasting changes belong in the corpus. On a remote store the
        update goes to the store as written (name the build's graph to change what is served).
        """
        from kg.remote import RemoteStore, RemoteStoreError, apply_update
        from kg.sparql import SparqlError

        snap = self.snapshot()
        store = snap.store
        with self._lock:
            if isinstance(store, RemoteStore):
                try:
                    apply_update(store.endpoints, update, store.timeout)
                except RemoteStoreError as exc:
                    status = 400 if exc.status == 400 else 503
                    raise SparqlError(f"the graph store refused the update: {exc}", status) from exc
                return
            try:
                store.update(update)
            except SyntaxError as exc:
                raise SparqlError(f"malformed SPARQL update: {exc}") from exc
            except (ValueError, OSError, RuntimeError) as exc:
                raise SparqlError(f"the update failed: {exc}") from exc
            # A new file per update: query workers reload a graph whose path changed.
            overlay = self.settings.data_dir / "updates" / f"{snap.build_id}-{time.time_ns()}.nt"
            overlay.parent.mkdir(parents=True, exist_ok=True)
            tmp = overlay.with_suffix(".tmp")
            tmp.write_bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
            tmp.replace(overlay)
            previous, snap._graph_path = snap._graph_path, overlay
            if previous is not None:
                previous.unlink(missing_ok=True)
            snap.dump_cache.clear()
            snap.related_cache.clear()

    def warm_up(self) -> None:
        self.snapshot()
        self.encoder.encode_query("warm up")
        english_idf()  # the word frequencies coverage reads, loaded before the first question

    def search(self, query: Query) -> dict:
        started = time.perf_counter()
        snap = self.snapshot()
        result = self.retriever.search(
            snap, query.text, query.k, query.mode, query.filters, query.offset
        )
        q = set(result.query_tokens)
        items = [
            citation_json(
                i + query.offset + 1,
                snap.passages[h.row],
                h.score,
                highlights(snap.passages[h.row]["text"], q),
                {"dense": round(h.dense, 4), "bm25": round(h.bm25, 4), "graph": round(h.graph, 4)},
            )
            for i, h in enumerate(result.hits)
        ]
        notes = []
        if result.hits:
            cited = CitationList(snap, [(snap.passages[h.row], h.score) for h in result.hits])
            for note in self.regime_notes(snap, query, result.entities, cited, []):
                notes.append(
                    {"route": note.route, "counterpart": note.counterpart, "text": note.text}
                )
        return {
            "query": query.text,
            "as_of": query.as_of.isoformat(),
            "corrections": corrections_json(result),
            "regime_notes": notes,
            "mode": query.mode,
            "total": result.total,
            "offset": query.offset,
            "results": items,
            "entities": entity_labels(snap, result.entities),
            "build": snap.build_id,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def ask(self, query: Query) -> dict:
        started = time.perf_counter()
        snap = self.snapshot()
        result = self.retriever.search(snap, query.text, query.k, query.mode, query.filters)
        retrieved = time.perf_counter()
        supported = is_supported(result.best_dense, result.coverage, self.settings)
        cited = CitationList(snap, [(snap.passages[h.row], h.score) for h in result.hits])
        facts: list[Fact] = []
        fact_routes: list[str] = []
        notes: list[dict] = []
        entity_iris = list(result.entities)
        if supported:
            listing = scheme_facts(snap, query.text)
            for gf in listing + partnership_facts(snap, result.entities):
                numbers = [n for n in (cited.cite(pid) for pid in gf.passage_ids) if n]
                if numbers:
                    facts.append(Fact(gf.text, numbers, leads=gf in listing))
                    fact_routes += gf.routes
            for note in self.regime_notes(snap, query, result.entities, cited, fact_routes):
                facts.append(Fact(note.text, note.citations))
                notes.append(
                    {
                        "route": note.route,
                        "counterpart": note.counterpart,
                        "text": note.text,
                        "citations": note.citations,
                    }
                )
                entity_iris += [
                    i for i in (note.route, note.counterpart) if i and i not in entity_iris
                ]
        facts_done = time.perf_counter()
        answer = compose(
            result.query_tokens, cited.passages, snap.idf, supported, facts, question=query.text
        )
        timings = dict(result.timings)
        composed = time.perf_counter()
        timings["facts"] = (facts_done - retrieved) * 1000
        timings["answer"] = (composed - facts_done) * 1000
        return {
            "question": query.text,
            "as_of": query.as_of.isoformat(),
            "corrections": corrections_json(result),
            "answer": {"text": answer.text, "supported": answer.supported},
            "citations": [
                citation_json(c.n, c.passage, c.score, c.highlights) for c in answer.citations
            ],
            # Declined, the question still gets the passages closest to it, marked as such:
            # a false "not covered" then costs the reader a glance, not the sources.
            # Nothing is listed when even the closest passage is far off (pizza, weather).
            "nearest": []
            if answer.supported or result.best_dense < self.settings.support_min_dense
            else [
                citation_json(i + 1, p, score, highlights(p["text"], set(result.query_tokens)))
                for i, (p, score) in enumerate(
                    cited.passages[: self.settings.nearest_when_declined]
                )
            ],
            "entities": entity_labels(snap, entity_iris) if supported else [],
            "regime_notes": notes,
            "mode": query.mode,
            "build": snap.build_id,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
            "timings": {k: round(v, 3) for k, v in timings.items()},
        }

    def regime_notes(
        self,
        snap: Snapshot,
        query: Query,
        entities: list[str],
        cited: CitationList,
        fact_routes: list[str],
    ) -> list:
        """Routes the question, the graph facts or the top passages rely on that do not apply
        to a procurement started on ``as_of``: say so once each, citing both routes."""
        index = snap.regimes
        candidates = index.routes_of(entities)
        for route in fact_routes:  # the routes the graph facts name
            if route not in candidates:
                candidates.append(route)
        if not candidates and cited.passages:  # else the routes the best passage relies on
            candidates = index.routes_of(cited.passages[0][0]["mentions"])
        notes = []
        for route in candidates:
            note = index.note(route, query.as_of)
            if note is None:
                continue
            numbers = [cited.cite_about(route, self.encoder.encode_query(query.text))]
            if note.counterpart:
                numbers.append(
                    cited.cite_about(note.counterpart, self.encoder.encode_query(query.text))
                )
            note.citations = sorted({n for n in numbers if n})
            notes.append(note)
            if len(notes) == 2:
                break
        return notes


class CitationList:
    """The passages an answer cites, numbered in order; facts add the passages they need."""

    def __init__(self, snap: Snapshot, passages: list[tuple[dict, float]]) -> None:
        self.snap = snap
        self.passages = passages

    def cite(self, passage_id: str) -> int | None:
        for i, (p, _) in enumerate(self.passages):
            if p["id"] == passage_id:
                return i + 1
        row = self.snap.rows_by_id.get(passage_id)
        if row is None:
            return None
        self.passages.append((self.snap.passages[row], 0.0))
        return len(self.passages)

    def cite_about(self, iri: str, query_vec) -> int | None:
        """A cited passage that mentions the entity, else the closest one that does."""
        for i, (p, _) in enumerate(self.passages):
            if iri in p["mentions"]:
                return i + 1
        rows = self.snap.rows_mentioning.get(iri, set()) & self.snap.rows_about.get(iri, set())
        rows = rows or self.snap.rows_mentioning.get(iri, set())
        if not rows:
            return None
        index = self.snap.index
        best = max(sorted(rows), key=lambda r: float(index.reconstruct(r) @ query_vec))
        return self.cite(self.snap.passages[best]["id"])


def citation_json(
    n: int, passage: dict, score: float, marks: list[tuple[int, int]], scores: dict | None = None
) -> dict:
    out = {
        "n": n,
        "passage_id": passage["id"],
        "document_id": passage["document_id"],
        "title": passage["title"],
        "kind": passage["kind"],
        "source_url": passage["source_url"],
        "heading": passage["heading"],
        "text": passage["text"],
        "score": round(float(score), 6),
        "char_start": passage["char_start"],
        "char_end": passage["char_end"],
        "highlights": [list(m) for m in marks],
    }
    if scores is not None:
        out["scores"] = scores
    if passage.get("page") is not None:  # paged formats (PDF) only
        out["page"] = passage["page"]
    return out


def corrections_json(result: Retrieval) -> list[dict]:
    return [{"typed": c.original, "searched": c.corrected} for c in result.corrections]
