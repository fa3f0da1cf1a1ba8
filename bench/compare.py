"""This project's retrieval beside what a user would pick instead, on the shipped corpus.

On the current build (``data/current``; the corpus is ingested into a temporary folder when
there is none, or when its vectors are another encoder's) and the development and held-out
questions (``corpus/eval/dev.jsonl``, ``heldout.jsonl``, ``heldout-2.jsonl``, graded passage
judgements), in one run and one process:

(a) plain sentence-transformers: the same model, the same passage text as ingest embeds
    (heading + newline + text, ``Passage.embed_text``), ``util.semantic_search`` top 10;
(b) a LangChain-style naive pipeline, in plain Python: each document's cleaned text cut into
    fixed 500-character chunks overlapping by 50 (no headings prepended, no regard for
    paragraphs), embedded with the same model, cosine top 50 chunks, each chunk mapped to the
    passage it overlaps most, first occurrence kept, top 10;
(c) BM25 alone, as a user of bm25s would set it up: ``bm25s.tokenize`` with English stop words
    and the Snowball English stemmer (PyStemmer, as search_api uses) over the same passage text;
(d) this project's hybrid: ``SearchService.search(Query(q, 10, "hybrid"))`` (BM25 and cosine
    in weighted fusion, graph and phrase lifts, near-duplicate removal).

(e) Haystack 2 and (f) txtai, their hybrid pipelines (bench/peers.py), when the ``peers``
    extra is installed (``make bench-peers``).

The project's own single modes (dense, bm25) are listed too, to show what fusion adds.
Recall@5, Recall@10, MRR@10 and nDCG@10 follow search_api/core/evaluate.py ``RetrievalEvaluator``
exactly (checked: the hybrid row is recomputed by it and must agree). Latency is the median
wall time of one query, end to end in-process: with the query's embedding computed (as for a
new question) and with it already computed (what retrieval itself costs). Every dense method
uses the same loaded model with the project's thread setting (1 torch thread).

Usage: ``python -m bench.compare [--no-write]`` (``make bench-peers``); writes the section "Compared with what a user
would pick instead" of bench/RESULTS.md, leaving every other section as it is.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TITLE = "Compared with what a user would pick instead"
CHUNK, OVERLAP = 500, 50
CUTOFFS = (5, 10)


@dataclass
class Method:
    name: str
    rank: Callable[[str], list[str]]  # question -> passage ids, best first (query encoded)
    rank_cached: Callable[[str], list[str]] | None = None  # same, query embedding precomputed
    note: str = ""


def metrics(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """One question's scores, as search_api/core/evaluate.py RetrievalEvaluator computes them."""
    rel = set(relevant)
    out = {f"recall@{k}": len(rel & set(ranked[:k])) / len(rel) for k in CUTOFFS}
    first = next((i for i, pid in enumerate(ranked[:10]) if pid in rel), None)
    out["mrr@10"] = 0.0 if first is None else 1.0 / (first + 1)
    gains = [2 ** relevant.get(pid, 0) - 1 for pid in ranked[:10]]
    ideal = sorted((2**g - 1 for g in relevant.values()), reverse=True)[:10]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    out["ndcg@10"] = dcg / idcg if idcg else 0.0
    return out


def chunks(text: str, size: int = CHUNK, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """Fixed-size character windows, ``overlap`` characters shared by neighbours."""
    step = size - overlap
    spans = []
    for start in range(0, max(len(text), 1), step):
        spans.append((start, min(start + size, len(text))))
        if start + size >= len(text):
            break
    return spans


def best_passage(doc_passages: list[dict], start: int, end: int) -> str | None:
    """The passage of the chunk's document that shares the most characters with it."""
    best, most = None, 0
    for p in doc_passages:
        shared = min(end, p["char_end"]) - max(start, p["char_start"])
        if shared > most:
            best, most = p["id"], shared
    return best


def documents(settings) -> dict[str, str]:
    """Each document's cleaned text, the text passage offsets index into."""
    from ingest.clean import clean
    from ingest.document import to_document
    from ingest.load import discover, load

    out = {}
    for path in discover(settings.corpus):
        raw = load(path, settings.max_document_bytes)
        doc = to_document(raw, clean(raw))
        out[doc.id] = doc.text
    return out


def timed_ranks(
    method: Callable[[str], list[str]], questions
) -> tuple[list[list[str]], list[float]]:
    ranks, ms = [], []
    for q in questions:
        started = time.perf_counter()
        ranks.append(method(q.question))
        ms.append((time.perf_counter() - started) * 1000)
    return ranks, ms


def project_build(settings, encoder, tmp: Path):
    """The current build when its vectors are the encoder's, else the corpus ingested anew
    into ``tmp`` (the data folder's build is left as it is)."""
    from ingest import pipeline
    from kg import build as builds

    try:
        build = builds.open_current(settings.data_dir)
        build.check_encoder(encoder.identity)
        return settings, build
    except builds.BuildError as exc:
        sys.stderr.write(f"{exc}\ningesting the shipped corpus into {tmp}\n")
    settings = settings.model_copy(update={"data_dir": tmp})
    pipeline.run(settings, encoder=encoder, quiet=True)
    return settings, builds.open_current(tmp)


# name → (file, path, what it is); the first held-out set has since been used for development.
SETS = {
    "development": ("dev.jsonl", "corpus/eval/dev.jsonl", "the development questions"),
    "first held-out (since development)": (
        "heldout.jsonl",
        "corpus/eval/heldout.jsonl",
        "the first held-out questions, since used for development",
    ),
    "held-out": ("heldout-2.jsonl", "corpus/eval/heldout-2.jsonl", "the held-out questions"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    began = time.perf_counter()

    import tempfile

    import bm25s
    import Stemmer
    import torch
    from sentence_transformers import __version__ as st_version
    from sentence_transformers import util

    from bench import peers
    from bench.million import machine_lines, replace_section
    from kg import build as builds
    from kg import embed
    from kg.config import PROJECT_ROOT, Settings
    from search_api.core.evaluate import RetrievalEvaluator, load_questions
    from search_api.core.service import Query, SearchService

    settings = Settings()
    encoder = embed.Encoder.from_settings(settings)  # the project's, as it serves
    torch_encoder = embed.Encoder.from_settings(
        settings.model_copy(update={"encoder_backend": "torch"})
    )
    torch.set_num_threads(settings.torch_threads)  # every torch model here: 1 thread
    work = Path(tempfile.mkdtemp(prefix="kg-compare-"))
    settings, build = project_build(settings, encoder, work / "data")
    passages = build.passages()
    ids = [p.id for p in passages]
    texts = [f"{p.heading}\n{p.text}" if p.heading else p.text for p in passages]
    question_sets = {
        name: [q for q in load_questions(PROJECT_ROOT / path) if q.relevant]
        for name, (_, path, _) in SETS.items()
    }

    model = torch_encoder._load()  # sentence-transformers on torch, for (a) and (b)
    model.encode(["warm up"])
    model_path = embed.resolve_model_path(settings.model)

    def encode(batch: list[str]):
        return model.encode(batch, convert_to_tensor=True, show_progress_bar=False)

    setup: dict[str, float] = {}

    # (a) plain sentence-transformers over the passages.
    started = time.perf_counter()
    passage_emb = encode(texts)
    setup["a"] = time.perf_counter() - started
    stored = np.load(build.file(builds.EMBEDDINGS))
    agree = float(np.min(np.sum(util.normalize_embeddings(passage_emb).numpy() * stored, axis=1)))

    def st_hits(q_emb, corpus, k):
        return util.semantic_search(q_emb, corpus, top_k=k)[0]

    def rank_a(question: str, q_emb=None) -> list[str]:
        q_emb = encode([question]) if q_emb is None else q_emb
        return [ids[h["corpus_id"]] for h in st_hits(q_emb, passage_emb, 10)]

    # (b) naive fixed-size chunks of each document's text, mapped back to passages by overlap.
    started = time.perf_counter()
    doc_text = documents(settings)
    by_doc: dict[str, list[dict]] = {}
    for p in passages:
        by_doc.setdefault(p.document_id, []).append(
            {"id": p.id, "char_start": p.char_start, "char_end": p.char_end}
        )
    chunk_map: list[str | None] = []
    chunk_texts: list[str] = []
    for doc_id, text in doc_text.items():
        for start, end in chunks(text):
            chunk_texts.append(text[start:end])
            chunk_map.append(best_passage(by_doc.get(doc_id, []), start, end))
    chunk_emb = encode(chunk_texts)
    setup["b"] = time.perf_counter() - started

    def rank_b(question: str, q_emb=None) -> list[str]:
        q_emb = encode([question]) if q_emb is None else q_emb
        out: list[str] = []
        for h in st_hits(q_emb, chunk_emb, 50):
            pid = chunk_map[h["corpus_id"]]
            if pid is not None and pid not in out:
                out.append(pid)
        return out[:10]

    # (c) bm25s as its documentation sets it up, with the Snowball stemmer.
    started = time.perf_counter()
    stemmer = Stemmer.Stemmer("english")
    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False))
    setup["c"] = time.perf_counter() - started

    def rank_c(question: str) -> list[str]:
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        rows, scores = bm25.retrieve(tokens, k=10, show_progress=False)
        return [ids[int(r)] for r, s in zip(rows[0], scores[0], strict=True) if s > 0]

    # (e), (f): the peers, when the peers extra is installed.
    missing = {name: why for name, why in peers.available().items() if why}
    peer_methods = []
    versions = {}
    peer_rows = (  # name, how it ranks, its version, the label of its row
        (
            "Haystack 2",
            peers.haystack,
            ("haystack-ai", peers.haystack_version),
            "(e) Haystack 2: BM25 (BM25L) + sentence-transformers embedder, "
            "`DocumentJoiner` reciprocal rank fusion",
        ),
        (
            "txtai",
            peers.txtai,
            ("txtai", peers.txtai_version),
            "(f) txtai: hybrid `Embeddings` (BM25 + dense, its score mix)",
        ),
    )
    for name, make, (package, version), label in peer_rows:
        if name in missing:
            continue
        started = time.perf_counter()
        ranker = make(model_path, ids, texts)
        versions[package] = version()
        took = f"indexed and embedded in {time.perf_counter() - started:.1f} s"
        peer_methods.append(Method(label, ranker, None, took))

    # (d) this project.
    service = SearchService(settings, encoder)
    started = time.perf_counter()
    service.snapshot()
    setup["d"] = time.perf_counter() - started

    def project(mode: str) -> Callable[[str], list[str]]:
        def rank(question: str) -> list[str]:
            result = service.search(Query(question, 10, mode))
            return [r["passage_id"] for r in result["results"]]

        return rank

    def uncached(rank: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
        def call(question: str) -> list[str]:
            embed._cached_query.cache_clear()
            return rank(question)

        return call

    all_questions = [q for qs in question_sets.values() for q in qs]
    q_embs = {q.question: encode([q.question]) for q in all_questions}
    hybrid_name = (
        "(d) **this project, hybrid** (BM25 + dense, weighted fusion, graph and phrase lifts)"
    )
    methods = [
        Method(
            "(a) sentence-transformers `util.semantic_search`, passages",
            rank_a,
            lambda q: rank_a(q, q_embs[q]),
            f"{len(texts)} passages embedded in {setup['a']:.1f} s",
        ),
        Method(
            f"(b) naive {CHUNK}-char chunks, {OVERLAP} overlap, cosine (LangChain-style)",
            rank_b,
            lambda q: rank_b(q, q_embs[q]),
            f"{len(chunk_texts)} chunks embedded in {setup['b']:.1f} s",
        ),
        Method(
            "(c) BM25 alone (bm25s, English stop words, Snowball stemmer)",
            rank_c,
            rank_c,
            f"indexed in {setup['c'] * 1000:.0f} ms",
        ),
        *peer_methods,
        Method(
            hybrid_name,
            uncached(project("hybrid")),
            project("hybrid"),
            f"build loaded in {setup['d']:.1f} s; encoder `{encoder.backend}`",
        ),
        Method("this project, dense mode only", uncached(project("dense")), project("dense")),
        Method("this project, bm25 mode only", project("bm25"), project("bm25")),
    ]
    tables: dict[str, list] = {}
    for set_name, questions in question_sets.items():
        rows = []
        for method in methods:
            ranks, ms = timed_ranks(method.rank, questions)
            for q in questions:  # the service's query-embedding cache, for the second pass
                encoder.encode_query(q.question)
            ms_cached = (
                timed_ranks(method.rank_cached, questions)[1] if method.rank_cached else None
            )
            per_q = [metrics(r, q.relevant) for r, q in zip(ranks, questions, strict=True)]
            means = {key: statistics.fmean(m[key] for m in per_q) for key in per_q[0]}
            misses = sum(1 for m in per_q if m["mrr@10"] == 0)
            rows.append((method, means, ms, ms_cached, misses))
            sys.stderr.write(f"{set_name} {method.name}: {means}\n")
        check = RetrievalEvaluator(questions)(service, "hybrid")
        hybrid = next(r[1] for r in rows if r[0].name == hybrid_name)
        assert abs(check.recall[5] - hybrid["recall@5"]) < 1e-9, (check.recall, hybrid)
        assert abs(check.recall[10] - hybrid["recall@10"]) < 1e-9, (check.recall, hybrid)
        assert abs(check.mrr10 - hybrid["mrr@10"]) < 1e-9
        assert abs(check.ndcg10 - hybrid["ndcg@10"]) < 1e-9
        tables[set_name] = rows

    lines = [
        "`python -m bench.compare` (`make bench-peers` installs the peers first): "
        + "; ".join(f"{what} (`{path}`)" for _, path, what in SETS.values())
        + f", graded judgements, over build `{build.id}` "
        f"({len(passages)} passages of {len(doc_text)} documents), every method in this one "
        "run and process. Metrics as `kg eval` computes them (search_api/core/evaluate.py; the "
        "hybrid row was recomputed by `RetrievalEvaluator` and agrees). Latency: p50 of one "
        "in-process query, with the query embedded (a new question) and, where the method "
        "can take one, with its embedding already computed. Every torch model runs with "
        f"{settings.torch_threads} thread; the project encodes with its configured backend "
        f"(`{encoder.backend}`), the others with sentence-transformers on torch.",
        "",
        *machine_lines(
            {
                "torch": f"{torch.__version__} (threads: {torch.get_num_threads()})",
                "sentence-transformers": st_version,
                "bm25s": bm25s.__version__,
                **versions,
                "Model": f"`{settings.model}`",
                "Load average (1/5/15 min) at the end": " ".join(
                    f"{x:.2f}" for x in os.getloadavg()
                ),
                "Whole run": f"{time.perf_counter() - began:.0f} s",
            }
        ),
        "",
    ]
    for why in missing.values():
        lines.append(f"- Peers left out: {why} (`make bench-peers` installs them).")
    for set_name, rows in tables.items():
        n = len(question_sets[set_name])
        lines += [
            f"### {set_name.capitalize()} questions ({n})",
            "",
            "| Method | Recall@5 | Recall@10 | MRR@10 | nDCG@10 | No relevant in top 10 "
            "| p50 ms (query embedded) | p99 ms | p50 ms (embedding ready) | Set-up |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for method, m, ms, ms_cached, misses in rows:
            ready = f"{statistics.median(ms_cached):.2f}" if ms_cached else "–"
            lines.append(
                f"| {method.name} | {m['recall@5']:.3f} | {m['recall@10']:.3f} "
                f"| {m['mrr@10']:.3f} | {m['ndcg@10']:.3f} | {misses} "
                f"| {statistics.median(ms):.1f} | {np.percentile(ms, 99):.1f} | {ready} "
                f"| {method.note} |"
            )
        d = next(r for r in rows if r[0].name == hybrid_name)
        lines.append("")
        for other in rows:
            if other[0].name.startswith(("(e)", "(f)", "(c)")):
                label = other[0].name.split(":")[0].split(" (")[0]
                lines.append(
                    f"- Project hybrid against {label}: MRR@10 "
                    f"{d[1]['mrr@10'] - other[1]['mrr@10']:+.3f}, nDCG@10 "
                    f"{d[1]['ndcg@10'] - other[1]['ndcg@10']:+.3f}, Recall@5 "
                    f"{d[1]['recall@5'] - other[1]['recall@5']:+.3f}, p50 latency "
                    f"{statistics.median(d[2]) / statistics.median(other[2]):.2f}x."
                )
        lines.append("")
    lines += [
        f"- (a) embeds exactly what ingest embeds: its passage vectors match the build's to a "
        f"cosine of at least {agree:.6f}, so (a) against the project's dense mode isolates "
        "the ranking code (the project's dense mode also removes near-duplicate passages).",
        "- (b) chunk boundaries ignore the document's structure and its headings are not "
        "prepended; a chunk counts as the passage it overlaps most, so several chunks can "
        "credit one passage (kept once, at its best rank).",
        "- (c) uses bm25s's own tokenizer and English stop words over heading + text; the "
        "project's bm25 mode tokenises with its own stop-word list (which also drops question "
        "words such as 'tell', 'need', 'know') and indexes the document title too.",
        "- (e) and (f) are set up as their documentation shows (bench/peers.py), over the same "
        "passage texts and ids and the same installed model; neither sees the graph.",
    ]
    text = "\n".join(lines)
    sys.stdout.write(text + "\n")
    if not args.no_write:
        replace_section(args.out, TITLE, lines, "bench.compare")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
