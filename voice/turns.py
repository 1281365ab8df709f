"""A phone webhook's step runs as a task keyed by CallSid + turn, on the phone line's own
threads, and the webhook waits for it only until the caller's words are due
(voice/render.py's ANSWER_WITHIN_S); past that it answers "one moment" with a <Redirect>, and
/voice/wait picks the step's answer up: from this process's task, or from the turn's row when
another process took the step.

Why: under load a step waits on things no timeout of ours bounds (a pooled database
connection, a database lock, a free thread, Rasa), and a caller must hear words within 5 s.
Why its own threads: the default pool (cores + 4 threads) is shared with the web chat's
blocking calls and the periodic jobs (the outbox sender holds one per unanswered Twilio
request), so a phone step could queue behind them before it even started.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from api.services import calls

T = TypeVar("T")
PHONE_THREADS = 8
KEEP_DONE_S = 60.0  # a finished step's answer stays here for its redirect (and a redelivery)
STORED_WAIT_S = 60.0  # longest wait for another delivery's answer to reach the turn's row
POLL_S = 0.2
_POOL = ThreadPoolExecutor(max_workers=PHONE_THREADS, thread_name_prefix="phone")


@dataclass
class Step:
    """A call step under way in this process."""

    task: asyncio.Task[str]
    asking: asyncio.Event = field(default_factory=asyncio.Event)  # waiting for the assistant
    asked_at: float = 0.0  # since when (the event loop's clock)


_steps: dict[tuple[str, int], Step] = {}


async def blocking(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` on the phone line's threads, in the caller's context (its answer deadline)."""
    loop = asyncio.get_running_loop()
    run = functools.partial(contextvars.copy_context().run, fn, *args)
    return await loop.run_in_executor(_POOL, run)


def start(sid: str, turn: int, work: Callable[[], Coroutine[Any, Any, str]]) -> None:
    """The turn's step: the one this process runs already (the webhook delivered again), or
    `work()` started now."""
    key = (sid, turn)
    step = _steps.get(key)
    if step is None or step.task.cancelled():
        task = asyncio.create_task(work())
        _steps[key] = step = Step(task)
        task.add_done_callback(lambda done: _keep_a_while(key, done))


def _keep_a_while(key: tuple[str, int], task: asyncio.Task[str]) -> None:
    if task.cancelled():
        _forget(key, task)
        return
    asyncio.get_running_loop().call_later(KEEP_DONE_S, _forget, key, task)


def _forget(key: tuple[str, int], task: asyncio.Task[str]) -> None:
    step = _steps.get(key)
    if step is not None and step.task is task:
        del _steps[key]


def asking(sid: str, turn: int) -> None:
    """The step now waits for the assistant (its own wait, VOICE_TURN_WAIT_S, starts)."""
    step = _steps.get((sid, turn))
    if step is not None and not step.asking.is_set():
        step.asked_at = asyncio.get_running_loop().time()
        step.asking.set()


def cancel(sid: str, turn: int) -> None:
    """Stop waiting for the step (the caller is told it is too slow)."""
    step = _steps.get((sid, turn))
    if step is not None and not step.task.done():
        step.task.cancel()


async def result(
    sid: str, turn: int, budget: float, assistant_s: float | None = None
) -> str | None:
    """The turn's TwiML if it is ready within `budget` seconds, else None; `assistant_s`: once
    the step waits for the assistant, no longer than that after it began to."""
    step = _steps.get((sid, turn))
    if step is not None:
        return await _finished(step, budget, assistant_s)
    try:  # another process (or a step finished long ago) owns the turn: read its row
        return await asyncio.wait_for(stored(sid, turn), timeout=max(0.0, budget))
    except TimeoutError:
        return None


async def _finished(step: Step, budget: float, assistant_s: float | None) -> str | None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    deadline = began + max(0.0, budget)
    while True:
        if assistant_s is not None and step.asking.is_set():
            deadline = min(deadline, max(step.asked_at, began) + assistant_s)
        waiters: set[asyncio.Future[Any]] = {step.task}
        asked = None
        if assistant_s is not None and not step.asking.is_set():
            asked = asyncio.ensure_future(step.asking.wait())
            waiters.add(asked)
        timeout = max(0.0, deadline - loop.time())
        done, _ = await asyncio.wait(waiters, timeout=timeout, return_when="FIRST_COMPLETED")
        if asked is not None and not asked.done():
            asked.cancel()
        if step.task in done:
            return None if step.task.cancelled() else step.task.result()
        if asked is None or asked not in done:
            return None  # the deadline passed


async def stored(sid: str, turn: int) -> str:
    """The turn's answer once its row holds one (another delivery is working on it)."""
    async with asyncio.timeout(STORED_WAIT_S):
        while True:
            row = await blocking(calls.get_turn, sid, turn)
            if row is not None and row.status != "pending" and row.twiml:
                return row.twiml
            await asyncio.sleep(POLL_S)


async def within(work: Coroutine[Any, Any, T], budget: float) -> T | None:
    """`work`'s result if it comes within `budget` seconds, else None (it is abandoned)."""
    try:
        return await asyncio.wait_for(work, timeout=max(0.0, budget))
    except TimeoutError:
        return None
