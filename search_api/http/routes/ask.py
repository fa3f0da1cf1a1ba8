"""GET/POST /ask: a cited answer; GET /search: ranked passages.

The routes are ``async`` and hand the search, which computes, to a search thread themselves
(``searches``): one thread hop a request, and the response is checked against its model on the
event loop (a plain ``def`` route costs a second hop for that).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query

from ...core.retrieve import Filters
from ...core.service import Query as ServiceQuery
from ..deps import QuestionDep, ServiceDep, SettingsDep, question_text
from ..openapi import errors
from ..schemas import AskRequest, AskResponse, SearchResponse
from ..searches import in_search_thread

router = APIRouter(tags=["answers"])
# Both GET routes take a question in ``q``: a bad one is the one error they document.
get_question = partial(router.get, responses=errors(422))


@get_question("/ask", response_model=AskResponse, summary="Answer a question from cited passages")
async def ask_get(
    service: ServiceDep, question: QuestionDep, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> dict:
    return await in_search_thread(service.ask, question.query(k))


@router.post(
    "/ask",
    response_model=AskResponse,
    summary="Answer a question (JSON body)",
    responses=errors(400, 413, 422),
)
async def ask_post(body: AskRequest, service: ServiceDep, settings: SettingsDep) -> dict:
    filters = Filters(body.kind, body.council, body.route, body.regime)
    query = ServiceQuery(
        question_text(body.question, settings, "question"),
        body.k,
        body.mode,
        0,
        filters,
        body.as_of or dt.date.today(),
    )
    return await in_search_thread(service.ask, query)


@get_question("/search", response_model=SearchResponse, summary="Rank passages for a query")
async def search(
    service: ServiceDep,
    question: QuestionDep,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> dict:
    return await in_search_thread(service.search, question.query(k, offset))
