"""The search service without HTTP: the current build, and ask/search over it.

The CLI and the web routes both call this, so ``kg ask --json`` and ``GET /ask`` return the
same object. A new build published by ``kg ingest`` is picked up on the next request: it is
loaded beside the one serving, then swapped in.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from kg import build as builds
from kg.config import Settings
from kg.embed import Encoder

from .answer import Fact, compose, is_supported
from .facts import entity_labels, partnership_facts
from .retrieve import Filters, Retriever
from .snapshot import Snapshot, load_snapshot


@dataclass
class Query:
    text: str
    k: int = 5
    mode: str = "hybrid"
    offset: int = 0
    filters: Filters | None = None


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
                    fresh = load_snapshot(build)
                    self._snapshot, self._target = fresh, build.path
        self._checked = now
        return self._snapshot

    def warm_up(self) -> None:
        self.snapshot()
        self.encoder.encode_query("warm up")

    def search(self, query: Query) -> dict:
        started = time.perf_counter()
        snap = self.snapshot()
        result = self.retriever.search(
            snap, query.text, query.k, query.mode, query.filters, query.offset
        )
        q = set(result.query_tokens)
        from .answer import highlights

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
        return {
            "query": query.text,
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
        supported = is_supported(result.best_dense, result.coverage, self.settings)
        passages = [(snap.passages[h.row], h.score) for h in result.hits]
        facts: list[Fact] = []
        if supported:
            for gf in partnership_facts(snap, result.entities):
                numbers = []
                for pid in gf.passage_ids:
                    index = next((i for i, (p, _) in enumerate(passages) if p["id"] == pid), None)
                    if index is None and pid in snap.rows_by_id:
                        passages.append((snap.passages[snap.rows_by_id[pid]], 0.0))
                        index = len(passages) - 1
                    if index is not None:
                        numbers.append(index + 1)
                if numbers:
                    facts.append(Fact(gf.text, numbers))
        answer = compose(result.query_tokens, passages, snap.idf, supported, facts)
        return {
            "question": query.text,
            "answer": {"text": answer.text, "supported": answer.supported},
            "citations": [
                citation_json(c.n, c.passage, c.score, c.highlights) for c in answer.citations
            ],
            "entities": entity_labels(snap, result.entities) if supported else [],
            "mode": query.mode,
            "build": snap.build_id,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }


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
    return out
