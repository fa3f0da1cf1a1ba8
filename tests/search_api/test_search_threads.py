"""Searches run in their own threads, off the event loop, with the caller's context."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest

from search_api.http.searches import in_search_thread

ASKED_BY = contextvars.ContextVar("asked_by", default="nobody")


def test_a_search_runs_off_the_event_loop_with_the_callers_context():
    def where(label: str, *, suffix: str) -> tuple[str, str, str]:
        return threading.current_thread().name, ASKED_BY.get(), label + suffix

    async def ask() -> tuple[str, tuple[str, str, str]]:
        ASKED_BY.set("a commissioner")
        return threading.current_thread().name, await in_search_thread(where, "q", suffix="!")

    loop_thread, (search_thread, asked_by, result) = asyncio.run(ask())
    assert search_thread != loop_thread and search_thread.startswith("search")
    assert asked_by == "a commissioner" and result == "q!"


def test_what_a_search_raises_reaches_the_route():
    def fails() -> None:
        raise LookupError("no build published")

    with pytest.raises(LookupError, match="no build published"):
        asyncio.run(in_search_thread(fails))


def test_searches_asked_together_all_finish():
    barrier = threading.Barrier(3, timeout=10)

    def meet(n: int) -> int:
        barrier.wait()  # only returns once three searches run at the same time
        return n

    async def ask_three() -> list[int]:
        return list(await asyncio.gather(*(in_search_thread(meet, n) for n in range(3))))

    assert asyncio.run(ask_three()) == [0, 1, 2]
