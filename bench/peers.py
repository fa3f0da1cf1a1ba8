"""The retrieval pipelines a team would build instead, set up as their documentation shows.

Each is given the same passages (the text ingest embeds: heading, newline, text, under the
passage's id) and the same installed model, and answers a question with passage ids, best
first. They are installed only by the ``peers`` extra (``make bench-peers``); without it
``available()`` names what is missing and bench.compare leaves their rows out.

- Haystack 2: an ``InMemoryDocumentStore``; ``InMemoryBM25Retriever`` (its default BM25L) and
  ``InMemoryEmbeddingRetriever`` over ``SentenceTransformersDocumentEmbedder`` vectors,
  joined by ``DocumentJoiner(join_mode="reciprocal_rank_fusion")``: Haystack's hybrid
  retrieval tutorial, in one query pipeline.
- txtai: ``Embeddings(hybrid=True, content=True)`` over the same model: its own BM25 index
  and the dense index, scores combined as txtai does (a convex mix of normalised scores).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable

Ranker = Callable[[str], list[str]]


def available() -> dict[str, str]:
    """Peer name -> why it cannot run ("" when it can)."""
    need = {"Haystack 2": "haystack", "txtai": "txtai"}
    return {
        name: "" if importlib.util.find_spec(module) else f"`{module}` not installed"
        for name, module in need.items()
    }


def haystack_version() -> str:
    from importlib.metadata import version

    return version("haystack-ai")


def txtai_version() -> str:
    from importlib.metadata import version

    return version("txtai")


def haystack(model_path: str, ids: list[str], texts: list[str], k: int = 10) -> Ranker:
    """Haystack 2's hybrid retrieval: BM25 and embeddings, reciprocal rank fusion."""
    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    from haystack import Document, Pipeline
    from haystack.components.embedders import (
        SentenceTransformersDocumentEmbedder,
        SentenceTransformersTextEmbedder,
    )
    from haystack.components.joiners import DocumentJoiner
    from haystack.components.retrievers.in_memory import (
        InMemoryBM25Retriever,
        InMemoryEmbeddingRetriever,
    )
    from haystack.document_stores.in_memory import InMemoryDocumentStore
    from haystack.utils import ComponentDevice

    device = ComponentDevice.from_str("cpu")
    store = InMemoryDocumentStore()
    embedder = SentenceTransformersDocumentEmbedder(
        model=model_path, device=device, progress_bar=False, local_files_only=True
    )
    embedder.warm_up()
    docs = [Document(id=i, content=t) for i, t in zip(ids, texts, strict=True)]
    store.write_documents(embedder.run(docs)["documents"])

    query = Pipeline()
    query.add_component(
        "text_embedder",
        SentenceTransformersTextEmbedder(
            model=model_path, device=device, progress_bar=False, local_files_only=True
        ),
    )
    query.add_component("embedding_retriever", InMemoryEmbeddingRetriever(store, top_k=k))
    query.add_component("bm25_retriever", InMemoryBM25Retriever(store, top_k=k))
    query.add_component("joiner", DocumentJoiner(join_mode="reciprocal_rank_fusion", top_k=k))
    query.connect("text_embedder.embedding", "embedding_retriever.query_embedding")
    query.connect("embedding_retriever", "joiner")
    query.connect("bm25_retriever", "joiner")
    query.warm_up()

    def rank(question: str) -> list[str]:
        out = query.run(
            {"text_embedder": {"text": question}, "bm25_retriever": {"query": question}}
        )
        return [d.id for d in out["joiner"]["documents"]][:k]

    return rank


def txtai(model_path: str, ids: list[str], texts: list[str], k: int = 10) -> Ranker:
    """txtai's hybrid embeddings index (sparse BM25 + dense) over the same model."""
    from txtai import Embeddings

    embeddings = Embeddings(path=model_path, hybrid=True, content=True)
    embeddings.index([(i, t, None) for i, t in zip(ids, texts, strict=True)])

    def rank(question: str) -> list[str]:
        return [hit["id"] for hit in embeddings.search(question, k)]

    return rank
