"""GET/POST /ask: a cited answer; GET /search: ranked passages.

The routes are ``async`` and hand the search, which computes, to the thread pool themselves:
one thread hop a request, and the response is checked against its model on the event loop
(a plain ``def`` route costs a second hop for that).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool

from ...core.retrieve import Filters
from ...core.service import Query as ServiceQuery
from ..deps import QuestionDep, ServiceDep, SettingsDep
from ..schemas import AskRequest, AskResponse, SearchResponse

router = APIRouter(tags=["answers"])


def _check(text: str, settings) -> str:
    text = text.strip()
    if not text:
        raise HTTPException(422, "the question is empty")
    if len(text) > settings.max_question_chars:
        raise HTTPException(
            413,
            f"the question is {len(text)} characters; the limit is {settings.max_question_chars}",
        )
    return text


@router.get("/ask", response_model=AskResponse, summary="Answer a question from cited passages")
async def ask_get(
    service: ServiceDep,
    settings: SettingsDep,
    question: QuestionDep,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict:
    text = _check(question.text, settings)
    query = ServiceQuery(text, k, question.mode, 0, question.filters, question.as_of)
    return await run_in_threadpool(service.ask, query)


@router.post("/ask", response_model=AskResponse, summary="Answer a question (JSON body)")
async def ask_post(body: AskRequest, service: ServiceDep, settings: SettingsDep) -> dict:
    filters = Filters(body.kind, body.council, body.route, body.regime)
    query = ServiceQuery(
        _check(body.question, settings),
        body.k,
        body.mode,
        0,
        filters,
        body.as_of or dt.date.today(),
    )
    return await run_in_threadpool(service.ask, query)


@router.get("/search", response_model=SearchResponse, summary="Rank passages for a query")
async def search(
    service: ServiceDep,
    settings: SettingsDep,
    question: QuestionDep,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> dict:
    text = _check(question.text, settings)
    query = ServiceQuery(text, k, question.mode, offset, question.filters, question.as_of)
    return await run_in_threadpool(service.search, query)
