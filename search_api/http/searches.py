"""The threads searches run in: a pool of their own, handed each call by the event loop itself.

A search computes for milliseconds (the encoder, faiss, reading the passages for an answer), so
it runs in a thread and the event loop stays free for other requests. FastAPI's
``run_in_threadpool`` (anyio's ``to_thread``) also yields a turn of the event loop and takes a
token of its capacity limiter on the way in, and yields again on the way out; the standard
library's pool, handed the call by ``loop.run_in_executor``, does neither, and the search
reaches its thread about 0.1 ms sooner (bench/RESULTS.md, the HTTP path). The pool has the
standard library's default bound (the cores + 4, at most 32): more searches than that wait
their turn, as they would for anyio's limiter. The caller's context variables go with the call,
as anyio's do.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Threads start on demand and are reused; idle, the pool holds none.
POOL = ThreadPoolExecutor(thread_name_prefix="search")


async def in_search_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in a search thread, awaited on the event loop."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(POOL, call)
