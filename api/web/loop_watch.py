"""A watchdog for the API's event loop: when it stops turning for STALL_S, one log line says for
how long and what the loop's thread was running (its stack).

Why: every request of the process waits while one handler blocks the loop, and a phone caller
must hear words within 5 s. A stall is invisible in the access log (each request only looks
slow); this names the code that held the loop, in production and in the fault tests' logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import time
import traceback
from collections.abc import AsyncIterator
from types import FrameType

from fastapi import APIRouter, FastAPI

log = logging.getLogger("api.loop")
BEAT_S = 0.2  # how often the loop says it is alive
STALL_S = 1.0  # a loop silent this long is reported (once per stall)


class LoopWatch:
    """The loop's heartbeat (a task) and a thread that reads it."""

    def __init__(self, stall_s: float = STALL_S) -> None:
        self.stall_s = stall_s
        self.last = time.monotonic()
        self.stop = threading.Event()
        self.loop_thread = threading.get_ident()
        self.stalls = 0

    async def beat(self) -> None:
        while True:
            self.last = time.monotonic()
            await asyncio.sleep(BEAT_S)

    def watch(self) -> None:
        blocked_since: float | None = None
        while not self.stop.wait(BEAT_S):
            last = self.last
            silent = time.monotonic() - last
            if silent < self.stall_s:
                if blocked_since is not None:
                    log.warning("event loop turning again after %.1f s", last - blocked_since)
                blocked_since = None
                continue
            if blocked_since is None:
                blocked_since = last
                self.stalls += 1
                log.warning(
                    "event loop blocked for %.1f s; its thread is in:\n%s", silent, self.stack()
                )

    def stack(self) -> str:
        """The loop thread's innermost frames, then where each other thread is: a loop thread
        shown in the event loop itself was waiting for the CPU or for another thread's GIL."""
        frames = sys._current_frames()
        frame = frames.pop(self.loop_thread, None)
        own = "".join(traceback.format_stack(frame, limit=12)) if frame else "(no frame)\n"
        names = {t.ident: t.name for t in threading.enumerate()}
        others = [
            f"  {names.get(ident, ident)}: {_where(other)}"
            for ident, other in frames.items()
            if ident != threading.get_ident()
        ]
        return own + "other threads:\n" + "\n".join(others)


def _where(frame: FrameType) -> str:
    code = frame.f_code
    return f"{code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno} {code.co_name}"


@contextlib.asynccontextmanager
async def watch_loop(app: FastAPI) -> AsyncIterator[None]:
    watch = LoopWatch()
    app.state.loop_watch = watch
    beat = asyncio.create_task(watch.beat())
    thread = threading.Thread(target=watch.watch, name="loop-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        watch.stop.set()
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat


router = APIRouter(lifespan=watch_loop)
