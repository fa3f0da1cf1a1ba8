"""Dependencies declared once: the service, the settings, and the query parameters of a question.

They are ``async`` because they only read: FastAPI runs a plain ``def`` dependency in its
thread pool, a thread hop (and a wake-up of the event loop) per dependency per request, which
was most of the time a request spent between the socket and the search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from kg.config import Settings

from ..core.retrieve import Filters
from ..core.service import SearchService
from .schemas import Mode


async def get_service(request: Request) -> SearchService:
    return request.app.state.service


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ServiceDep = Annotated[SearchService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

ListParam = Annotated[list[str] | None, Query()]
AsOf = Annotated[
    dt.date | None,
    Query(
        description="The date a procurement starts (YYYY-MM-DD; default today): answers say "
        "when a route they cite does not apply on it."
    ),
]


@dataclass(frozen=True)
class Question:
    """What GET /ask and GET /search share: the words, the ranking, the filters, the date."""

    text: str
    mode: Mode
    filters: Filters
    as_of: dt.date


async def question_params(
    q: Annotated[str, Query(min_length=1, description="The question, or the words to search")],
    mode: Mode = "hybrid",
    kind: ListParam = None,
    council: ListParam = None,
    route: ListParam = None,
    regime: ListParam = None,
    as_of: AsOf = None,
) -> Question:
    filters = Filters(kind or [], council or [], route or [], regime or [])
    return Question(q, mode, filters, as_of or dt.date.today())


QuestionDep = Annotated[Question, Depends(question_params)]
