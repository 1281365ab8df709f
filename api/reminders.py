"""`python -m api.reminders --once`: one reminder pass now; and the pass the API runs every
REMINDER_INTERVAL_MINUTES (a router whose lifespan runs the loop, like retention).

Why both: a deployment may run passes from cron or rely on the API processes; passes may
overlap across processes (each reminder has a unique key), so no leader election is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime

from fastapi import APIRouter, FastAPI

from api.logging_setup import configure_logging
from api.services import reminders
from api.settings import get_settings

log = logging.getLogger(__name__)

FIRST_PASS_AFTER_S = 90.0  # not while the process starts (nor in a short-lived test app)


async def run_forever(stop: asyncio.Event, interval_s: float) -> None:
    wait = min(interval_s, FIRST_PASS_AFTER_S)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            return
        try:
            await asyncio.to_thread(reminders.run_once)
        except Exception:  # the loop must outlive a database hiccup
            log.exception("reminder pass failed")
        wait = interval_s


@contextlib.asynccontextmanager
async def reminders_lifespan(app: FastAPI) -> AsyncIterator[None]:
    minutes = get_settings().reminder_interval_minutes
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


router = APIRouter(lifespan=reminders_lifespan)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.reminders", description=__doc__)
    parser.add_argument("--once", action="store_true", help="one pass, then exit (the default)")
    parser.add_argument("--now", help="pretend it is this ISO time (with offset), for trials")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    now = datetime.fromisoformat(args.now) if args.now else None
    print(json.dumps(reminders.run_once(now).as_dict(), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
