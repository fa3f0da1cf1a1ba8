"""Request and response shapes of the HTTP API (also what /docs shows)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_serializer

Mode = Literal["hybrid", "dense", "bm25"]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: object) -> object:
    """Dates as YYYY-MM-DD only: a number is not read as a Unix time."""
    if isinstance(value, (int, float)) or (
        isinstance(value, str) and not ISO_DATE.fullmatch(value)
    ):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


class AskRequest(BaseModel):
    question: str = Field(
        ..., min_length=1, pattern=r"\S", description="A question in plain English."
    )
    k: int = Field(5, ge=1, le=50, description="How many passages to cite.")
    mode: Mode = "hybrid"
    kind: list[str] = Field(default_factory=list)
    council: list[str] = Field(default_factory=list)
    route: list[str] = Field(default_factory=list)
    regime: list[str] = Field(default_factory=list)
    as_of: IsoDate | None = Field(
        None, description="Procurement start date, YYYY-MM-DD (default today)."
    )


class AnswerBody(BaseModel):
    text: str
    supported: bool = Field(description='True exactly when the status is "answered".')
    status: Literal["answered", "not_known", "not_covered"] = Field(
        "answered",
        description="answered; not_known: the sources say the fact asked is not known (the "
        'text opens "The sources do not give this." and quotes them, citing the passage); '
        "not_covered: declined, with the nearest passages listed apart.",
    )
    reader: float | None = Field(
        None,
        description="The trained reader's probability that the answer's first sentence gives "
        "what was asked; below reader_threshold the answer is declined. Null when no reader "
        "is installed (kg reader) or the answer was declined before it was read.",
    )


class CitationOut(BaseModel):
    n: int
    passage_id: str
    document_id: str
    title: str
    kind: str
    source_url: str
    heading: str = ""
    text: str
    score: float
    char_start: int
    char_end: int
    highlights: list[list[int]] = Field(
        default_factory=list, description="[start, end) of matched words in text"
    )
    scores: dict[str, float] | None = None
    page: int | None = Field(
        None, description="The PDF page the passage starts on; present only for paged documents."
    )

    @model_serializer(mode="wrap")
    def _page_only_when_present(self, handler):
        """A citation of an unpaged document has no "page" key at all, not a null one."""
        out = handler(self)
        if out.get("page") is None:
            out.pop("page", None)
        return out


class EntityOut(BaseModel):
    iri: str
    label: str
    type: str


class RegimeNote(BaseModel):
    route: str
    counterpart: str | None
    text: str
    citations: list[int] = Field(default_factory=list)


class SpellingOut(BaseModel):
    typed: str = Field(description="The word as the question had it.")
    searched: str = Field(description="The corpus word searched for instead.")


# Fields /ask and /search both answer with, declared once.
Corrections = Annotated[
    list[SpellingOut],
    Field(
        default_factory=list,
        description="Misspelled words searched under the corpus's spelling.",
    ),
]
RegimeNotes = Annotated[list[RegimeNote], Field(default_factory=list)]


class AskResponse(BaseModel):
    timings: dict[str, float] = Field(
        default_factory=dict, description="Milliseconds per stage (encode, faiss, bm25, ...)."
    )
    question: str
    as_of: str
    corrections: Corrections
    regime_notes: RegimeNotes
    answer: AnswerBody
    citations: list[CitationOut]
    nearest: list[CitationOut] = Field(
        default_factory=list,
        description="When the answer is not supported: the passages closest to the question, "
        "which do not answer it closely enough to cite.",
    )
    entities: list[EntityOut]
    mode: str
    build: str
    took_ms: float


class SearchResponse(BaseModel):
    query: str
    as_of: str
    corrections: Corrections
    regime_notes: RegimeNotes
    mode: str
    total: int
    offset: int
    results: list[CitationOut]
    entities: list[EntityOut]
    build: str
    took_ms: float


class ErrorBody(BaseModel):
    """Every error the service answers: a short name and a message saying what to change."""

    error: str = Field(description="What went wrong, as a name: invalid_request, not_found ...")
    detail: str = Field(description="What to change, in words.")


class HealthOut(BaseModel):
    status: str
    build: str | None
    passages: int
    triples: int
    id_base: str


class Node(BaseModel):
    iri: str
    label: str
    type: str
    href: str = Field(description="Its Linked Data page on this service.")
    depth: int = Field(description="Steps from the entity asked about (0: that entity).")


class Edge(BaseModel):
    source: str
    target: str
    label: str = Field(description="The relation, as a diagram names it.")
    predicate: str = Field(description="The IRI of the relation's predicate.")


class Neighbourhood(BaseModel):
    iri: str
    nodes: list[Node]
    edges: list[Edge]
    truncated: bool = Field(description="Whether entities within reach were left out (limit).")
    build: str


class DocumentKindOut(BaseModel):
    kind: str = Field(description="The value of a document's kind (its front matter, p2p:kind).")
    label: str = Field(description="One document of the kind, as the page names it.")
    plural: str = Field(description="Documents of the kind, as a filter names them.")


class EntityTypeOut(BaseModel):
    type: str = Field(description="An entity's type, as /ask, /search and the diagrams give it.")
    label: str = Field(description="The type as the page and the diagrams name it.")


class Vocabulary(BaseModel):
    kinds: list[DocumentKindOut] = Field(description="Document kinds, in the order offered.")
    entity_types: list[EntityTypeOut] = Field(
        description="Entity types, in the order a diagram stacks a column."
    )
