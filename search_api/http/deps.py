"""Dependencies declared once: the service, the settings, and the query parameters of a question.

They are ``async`` because they only read: FastAPI runs a plain ``def`` dependency in its
thread pool, a thread hop (and a wake-up of the event loop) per dependency per request, which
was most of the time a request spent between the socket and the search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from kg.config import Settings

from ..core.retrieve import Filters
from ..core.service import Query as ServiceQuery
from ..core.service import SearchService
from .schemas import IsoDate, Mode


async def get_service(request: Request) -> SearchService:
    return request.app.state.service


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ServiceDep = Annotated[SearchService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

ListParam = Annotated[list[str], Query()]
AsOf = Annotated[
    IsoDate | None,
    Query(
        description="The date a procurement starts (YYYY-MM-DD; default today): answers say "
        "when a route they cite does not apply on it."
    ),
]


def question_text(text: str, settings: Settings, field: str) -> str:
    """The question as the service takes it: stripped, not empty, within the length limit.

    Too long is a 422 naming ``field``: the limit (KG_MAX_QUESTION_CHARS) is the schema's
    maxLength, so a client sees it as a validation error like any other."""
    text = text.strip()
    if not text:
        raise HTTPException(422, f"{field}: the question is empty")
    if len(text) > settings.max_question_chars:
        raise HTTPException(
            422,
            f"{field}: the question is {len(text)} characters; "
            f"the limit is {settings.max_question_chars}",
        )
    return text


@dataclass(frozen=True)
class Question:
    """What GET /ask and GET /search share: the words, the ranking, the filters, the date."""

    text: str
    mode: Mode
    filters: Filters
    as_of: dt.date

    def query(self, k: int, offset: int = 0) -> ServiceQuery:
        return ServiceQuery(self.text, k, self.mode, offset, self.filters, self.as_of)


async def question_params(
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            pattern=r"\S",
            description="The question, or the words to search (not only white space)",
        ),
    ],
    mode: Mode = "hybrid",
    kind: ListParam = (),
    council: ListParam = (),
    route: ListParam = (),
    regime: ListParam = (),
    as_of: AsOf = None,
) -> Question:
    filters = Filters(list(kind), list(council), list(route), list(regime))
    return Question(question_text(q, settings, "q"), mode, filters, as_of or dt.date.today())


QuestionDep = Annotated[Question, Depends(question_params)]
