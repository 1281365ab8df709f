"""`python -m api.retention`: one retention pass now; and the pass the API runs every
RETENTION_INTERVAL_MINUTES (a router whose lifespan runs the loop, like the outbound sender).

Why both: a deployment may schedule passes itself (cron, a one-off container) or rely on the
API process; passes are safe to overlap (api/services/retention.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI

from api.logging_setup import configure_logging
from api.services import retention
from api.settings import get_settings

log = logging.getLogger(__name__)


FIRST_PASS_AFTER_S = 60.0  # not while the process starts (nor in a short-lived test app)


async def run_forever(stop: asyncio.Event, interval_s: float) -> None:
    wait = min(interval_s, FIRST_PASS_AFTER_S)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            return
        try:
            await asyncio.to_thread(retention.run_pass)
        except Exception:  # the loop must outlive a database hiccup
            log.exception("retention pass failed")
        wait = interval_s


@contextlib.asynccontextmanager
async def retention_lifespan(app: FastAPI) -> AsyncIterator[None]:
    minutes = get_settings().retention_interval_minutes
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(stop, minutes * 60)) if minutes > 0 else None
    try:
        yield
    finally:
        stop.set()
        if task is not None:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()


router = APIRouter(lifespan=retention_lifespan)


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    print(json.dumps(retention.run_pass(), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
