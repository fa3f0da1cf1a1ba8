"""The search service without HTTP: the current build, and ask/search over it.

The CLI and the web routes both call this, so ``kg ask --json`` and ``GET /ask`` return the
same object. A new build published by ``kg ingest`` is picked up on the next request: it is
loaded beside the one serving, then swapped in.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from kg import build as builds
from kg.build import PassageRow
from kg.config import Settings
from kg.embed import Encoder
from kg.namespaces import minted_iri
from kg.text import tokens

from .answer import (
    NOT_KNOWN_LEAD,
    UNSUPPORTED_TEXT,
    Answer,
    Fact,
    RegimeNames,
    Status,
    compose,
    content_stems,
    highlights,
)
from .asked_item import (
    asks_other_currency,
    asks_other_than_figure,
    name_stems,
    named_in,
    proper_names,
)
from .facts import definitions, entity_labels, partnership_facts, scheme_facts
from .figures import asks_threshold, threshold_facts, unset_sentence, unset_years
from .prepared import prepare
from .question import Kind, asks_who_is, classify, day_stated
from .reader import Reader, declines, installed, lead_sentence
from .retrieve import Filters, Retrieval, Retriever
from .signals import SIGNALS
from .snapshot import Snapshot, load_snapshot
from .specificity import english_idf
from .support import (
    about_listed,
    central_documents,
    evidence,
    is_supported,
    subjects_of,
    value_subjects,
)


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
        self.encoder = encoder or Encoder.from_settings(settings)
        self.retriever = Retriever(settings, self.encoder)
        self._snapshot: Snapshot | None = None
        self._target = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self._reader: Reader | None = None
        self._reader_folder = None

    def snapshot(self) -> Snapshot:
        """The build being served; checks at most once a second whether a newer one exists,
        and whether a reader was installed or replaced."""
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked < 1.0:
            return self._snapshot
        target = builds.current_target(self.settings.data_dir)
        if self._snapshot is None or target != self._target:
            with self._lock:
                if self._snapshot is None or target != self._target:
                    build = builds.open_current(self.settings.data_dir)
                    build.check_encoder(self.encoder.identity)
                    fresh = load_snapshot(build, self.settings)
                    prepare(fresh, id_base=self.settings.id_base)
                    self._snapshot, self._target = fresh, build.path
        self._refresh_reader()
        self._checked = now
        return self._snapshot

    def replace_snapshot(self, change: Callable[[Snapshot], Snapshot]) -> Snapshot:
        """Serve the snapshot ``change`` derives from the one being served (a changed graph).

        Changes are made one at a time; requests in flight finish on the snapshot they have.
        The change lasts until the next build is published.
        """
        self.snapshot()
        with self._lock:
            self._snapshot = change(self._snapshot)
            return self._snapshot

    def answer_reader(self) -> Reader | None:
        """The data folder's trained reader (``kg reader``); None when there is none or
        ``reader`` is off."""
        self.snapshot()
        return self._reader

    def _refresh_reader(self) -> None:
        """Load the reader installed, when it is new or replaced.

        A reader that cannot be loaded is reported once and left out: answers are then
        decided as without one, never refused.
        """
        if not self.settings.reader:
            return
        folder = installed(self.settings.data_dir)
        if folder != self._reader_folder:
            with self._lock:
                if folder != self._reader_folder:
                    self._reader = None
                    if folder is not None:
                        try:
                            self._reader = Reader(folder, self.settings.torch_threads)
                        except Exception as exc:  # noqa: BLE001 - any unreadable file
                            logging.getLogger(__name__).warning(
                                "the answer reader in %s cannot be loaded (%s); answering "
                                "without it",
                                folder,
                                exc,
                            )
                    self._reader_folder = folder

    def warm_up(self) -> None:
        self.snapshot().dedupe_keys  # noqa: B018 - made now, not in the first request
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
                highlights(snap.passages[h.row].text, q),
                {name: round(h.scores.get(name, 0.0), 4) for name in SIGNALS},
            )
            for i, h in enumerate(result.hits)
        ]
        notes = []
        if result.hits:
            cited = CitationList(snap, [(snap.passages[h.row], h.score) for h in result.hits])
            for note in self.regime_notes(snap, result, query.as_of, cited, []):
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
        cited = CitationList(snap, [(snap.passages[h.row], h.score) for h in result.hits])
        mentions = result.mentions
        # A question stating when its procurement starts ("going out in March 2026") is
        # answered with the figures and the regime of that day.
        stated = day_stated(query.text, query.as_of)
        situated = replace(query, as_of=stated) if stated else query
        asked = classify(
            result.question,
            names_council=any(snap.entities.records[m.iri].type == "council" for m in mentions),
        )
        # Concept names are highlighted whole ("best value duty"); everyday words for a
        # concept ("for a pound", "friends group") only where a word is specific.
        named = [m.surface for m in mentions if not snap.entities.is_colloquial(m)]
        marked = content_stems(result.query_tokens, named)
        content = content_stems(result.query_tokens, [m.surface for m in mentions])
        found = evidence(snap, result, self.settings, asked, content)
        threshold_asked = (
            asked.kind is Kind.FIGURE
            and asks_threshold(result.question)
            and not asks_other_than_figure(result.question)
        )
        figures = (
            threshold_facts(
                snap, result.question, situated.as_of, self.regimes_asked(snap, result, situated)
            )
            if threshold_asked
            and not asks_other_currency(result.question)  # the graph's figures are in pounds
            else []
        )
        # A threshold the graph holds for the day asked answers a threshold question however
        # it is worded ("our cleaning tender went out in autumn 2023, what threshold
        # applied?"), unless it asks of another country. So does the graph holding none for
        # the year asked, which the answer says before giving today's figures, if any.
        unset = unset_years(snap, result.question, query.as_of) if threshold_asked else []
        supported = is_supported(found, self.settings, asked) or bool(
            (figures or unset) and not found.elsewhere
        )
        facts: list[Fact] = []
        defined: set[str] = set()  # the texts of the definitions among the facts
        fact_routes: list[str] = []
        notes: list[dict] = []
        entity_iris = list(result.entities)
        if supported:
            leading = scheme_facts(snap, result.question, {m.iri for m in mentions}) + figures
            if asked.kind is Kind.DEFINITION and not leading:
                # A question asking what a concept is leads with the graph's definition,
                # cited to the passage about the concept closest to the question.
                for iri, text in definitions(snap, [m.iri for m in mentions])[:1]:
                    number = cited.cite_about(iri, result.vector)
                    if number:
                        facts.append(Fact(text, [number], leads=True))
                        defined.add(text)
            for gf in leading + partnership_facts(snap, result.entities):
                numbers = [n for n in (cited.cite(pid) for pid in gf.passage_ids) if n]
                if numbers:
                    facts.append(Fact(gf.text, numbers, leads=gf in leading))
                    fact_routes += gf.routes
            # A note on which law applies is said once, apart from the quoted answer: the
            # page, the widget and the CLI show it under the answer.
            for note in self.regime_notes(snap, result, situated.as_of, cited, fact_routes):
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
        subject_documents = central_documents(
            snap,
            subjects_of(snap, [m.iri for m in mentions]) | value_subjects(snap, result.question),
        )
        subject_rows = {
            row for document in subject_documents for row in snap.document_rows.get(document, ())
        }
        if supported and subject_rows and not subject_rows & {h.row for h in result.hits}:
            # The question names its subject in everyday words ("for a pound") and retrieval,
            # reading the words, found none of the document about it: its closest passage is
            # cited too, for the answer to lead with.
            cited.cite_closest(subject_rows, result.vector)
        facts_done = time.perf_counter()
        answer = compose(
            result.query_tokens,
            cited.passages,
            snap.idf,
            supported,
            facts,
            question=asked,
            marked=marked,
            quotable=len(result.hits),
            content=content,
            names=name_stems(snap, mentions),
            proper=proper_names(snap, mentions),
            named_in=named_in(snap, mentions),
            # A graph fact leading the answer (a threshold in force, a scheme's members) gives
            # the item asked; a concept's definition gives no fine, date or name.
            # Nor does a body named only among its peers, asked what it did or has.
            gives_asked=(found.asked_for is not False and not about_listed(found, asked))
            or any(f.leads for f in facts if f.text not in defined),
            subject_documents=subject_documents,
            # "Who is Julian Blake?" asks what the corpus says of him, not for a name.
            items=frozenset() if asks_who_is(result.question) else found.items,
            verdict_found=asked.kind is Kind.PERMISSION and found.asked is True,
            other_regime=self.other_regime_documents(snap, result, situated, cited.passages),
            regime_names=self.regime_names(snap, result),
            concepts=tuple(
                frozenset(tokens(m.surface))
                for m in mentions
                if m.iri in snap.entities.records
                and m.iri not in snap.regimes.regimes
                and not snap.entities.is_colloquial(m)
            ),
        )
        if unset and answer.status is not Status.NOT_KNOWN:
            answer = replace(
                answer,
                # Today's figures follow; what else was found on thresholds does not.
                text=f"{NOT_KNOWN_LEAD} {unset_sentence(unset, bool(figures))}"
                + (f" {answer.text}" if figures else ""),
                supported=False,
                status=Status.NOT_KNOWN,
            )
        composed = time.perf_counter()
        # The trained reader judges the sentence the answer leads with: an answer that names
        # what was asked about but does not give what was asked is declined.
        reader = self.answer_reader() if answer.status is Status.ANSWERED else None
        judged = reader.score(query.text, lead_sentence(answer.text)) if reader else None
        if judged is not None and declines(judged, found.probability(), self.settings):
            answer = Answer(UNSUPPORTED_TEXT, False, [], [], Status.NOT_COVERED)
        timings = dict(result.timings)
        timings["facts"] = (facts_done - retrieved) * 1000
        timings["answer"] = (composed - facts_done) * 1000
        if reader is not None:
            timings["reader"] = (time.perf_counter() - composed) * 1000
        return {
            "question": query.text,
            "as_of": query.as_of.isoformat(),
            "corrections": corrections_json(result),
            "answer": {
                "text": answer.text,
                "supported": answer.supported,
                "status": answer.status.value,
                "reader": None if judged is None else round(judged, 4),
            },
            "citations": [
                citation_json(c.n, c.passage, c.score, c.highlights) for c in answer.citations
            ],
            # Declined, the question still gets the passages closest to it, marked as such:
            # a false "not covered" then costs the reader a glance, not the sources.
            # Nothing is listed when even the closest passage is far off (pizza, weather).
            "nearest": []
            if answer.status is not Status.NOT_COVERED
            or result.best_dense < self.settings.support_min_dense
            else [
                citation_json(i + 1, p, score, highlights(p.text, marked))
                for i, (p, score) in enumerate(
                    cited.passages[: self.settings.nearest_when_declined]
                )
            ],
            "entities": entity_labels(snap, entity_iris)
            if answer.status is not Status.NOT_COVERED
            else [],
            # Which law applies matters only to an answer; "the sources do not give this" has none.
            "regime_notes": notes if answer.status is Status.ANSWERED else [],
            "mode": query.mode,
            "build": snap.build_id,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
            "timings": {k: round(v, 3) for k, v in timings.items()},
        }

    @staticmethod
    def regimes_asked(snap: Snapshot, result: Retrieval, query: Query) -> set[str]:
        """The regimes a question is about, whose thresholds and rules it wants: the ones it
        names, else the ones governing a procurement started on ``as_of``."""
        named = {iri for iri in result.entities if iri in snap.regimes.regimes}
        if named:
            return named
        return {iri for iri, r in snap.regimes.regimes.items() if r.applies(query.as_of)}

    @staticmethod
    def regime_names(snap: Snapshot, result: Retrieval) -> RegimeNames | None:
        """The names of the regimes a question names, and of the others; None when it names
        none. Names are labels, not everyday words ("the new act" is not quoted)."""
        named = {iri for iri in result.entities if iri in snap.regimes.regimes}
        if not named:
            return None

        def names(iris: set[str]) -> frozenset[str]:
            records = [snap.entities.records[i] for i in iris if i in snap.entities.records]
            return frozenset(n for r in records for n in (r.label, *r.labels))

        return RegimeNames(names(named), names(set(snap.regimes.regimes) - named))

    def other_regime_documents(
        self,
        snap: Snapshot,
        result: Retrieval,
        query: Query,
        passages: list[tuple[PassageRow, float]],
    ) -> set[str]:
        """The cited documents on the rules of a regime the question is not about: not the one
        it names, else not the one a procurement started on ``as_of`` falls under. The rules on
        changing a contract already awarded are left out: they follow the regime it was
        awarded under, whatever the day."""
        index, base = snap.regimes, self.settings.id_base
        others = set(index.regimes) - self.regimes_asked(snap, result, query)

        def other(slug: str) -> bool:
            return minted_iri(base, "regime", slug) in others

        return {
            p.document_id
            for p, _ in passages
            if p.regime and other(p.regime) and not index.changes.intersection(p.routes)
        }

    def regime_notes(
        self,
        snap: Snapshot,
        result: Retrieval,
        as_of: dt.date,
        cited: CitationList,
        fact_routes: list[str],
    ) -> list:
        """Routes the question, the graph facts or the top passages rely on that do not apply
        to a procurement started on ``as_of``: say so once each, citing both routes, each
        cited by the passage nearest the question as searched."""
        index = snap.regimes
        candidates = index.routes_of(result.entities)
        for route in fact_routes:  # the routes the graph facts name
            if route not in candidates:
                candidates.append(route)
        if not candidates and cited.passages:
            # Else the routes the best passage names itself, of those its document is about:
            # a passage on reserved contracts under the Act does not bring in regulation 77
            # because its document compares the two.
            best = cited.passages[0][0]
            candidates = [r for r in index.routes_of(list(best.mentions)) if r in best.routes]
        changing = [r for r in candidates if r in index.changes]
        if changing:
            # Changing a contract already awarded is not starting a procurement: the routes
            # of a new procurement say nothing about which law governs the change.
            candidates = changing
        notes = []
        for route in candidates:
            note = index.note(route, as_of)
            if note is None:
                continue
            numbers = [cited.cite_about(route, result.vector)]
            if note.counterpart:
                numbers.append(cited.cite_about(note.counterpart, result.vector))
            note.citations = sorted({n for n in numbers if n})
            notes.append(note)
            if len(notes) == 2:
                break
        return notes


class CitationList:
    """The passages an answer cites, numbered in order; facts add the passages they need."""

    def __init__(self, snap: Snapshot, passages: list[tuple[PassageRow, float]]) -> None:
        self.snap = snap
        self.passages = passages

    def cite(self, passage_id: str) -> int | None:
        for i, (p, _) in enumerate(self.passages):
            if p.id == passage_id:
                return i + 1
        row = self.snap.rows_by_id.get(passage_id)
        if row is None:
            return None
        self.passages.append((self.snap.passages[row], 0.0))
        return len(self.passages)

    def cite_about(self, iri: str, query_vec) -> int | None:
        """A cited passage that mentions the entity, else the closest one that does."""
        for i, (p, _) in enumerate(self.passages):
            if iri in p.mentions:
                return i + 1
        rows = self.snap.rows_mentioning.get(iri, set()) & self.snap.rows_about.get(iri, set())
        return self.cite_closest(rows or self.snap.rows_mentioning.get(iri, set()), query_vec)

    def cite_closest(self, rows: set[int], query_vec) -> int | None:
        """The passage of ``rows`` closest in meaning to the question, cited."""
        if not rows:
            return None
        index = self.snap.index
        best = max(sorted(rows), key=lambda r: float(index.reconstruct(r) @ query_vec))
        return self.cite(self.snap.passages[best].id)


def citation_json(
    n: int,
    passage: PassageRow,
    score: float,
    marks: list[tuple[int, int]],
    scores: dict | None = None,
) -> dict:
    out = {
        "n": n,
        "passage_id": passage.id,
        "document_id": passage.document_id,
        "title": passage.title,
        "kind": passage.kind,
        "source_url": passage.source_url,
        "heading": passage.heading,
        "text": passage.text,
        "score": round(float(score), 6),
        "char_start": passage.char_start,
        "char_end": passage.char_end,
        "highlights": [list(m) for m in marks],
    }
    if scores is not None:
        out["scores"] = scores
    if passage.page is not None:  # paged formats (PDF) only
        out["page"] = passage.page
    return out


def corrections_json(result: Retrieval) -> list[dict]:
    return [{"typed": c.original, "searched": c.corrected} for c in result.corrections]
