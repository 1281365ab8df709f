"""The one runner of the API's periodic jobs (retention, reminders, hand-over sweep, outbox).

Why: every API process runs the same loops, and a cluster runs several processes. Time is cut into
ticks of each job's interval (tick = seconds since the epoch // interval); a process that wakes
for a tick takes the job's cross-process lock without waiting (a PostgreSQL advisory lock, or a
Redis lock when REDIS_URL is set, or an in-process lock on SQLite, which is one process), then
runs the job only if the `job_runs` row says no one ran this tick yet. So two processes do one
run per tick, and a run longer than its interval is never overlapped by another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.db.models import JobRun, utcnow
from api.db.session import get_engine, session_scope
from api.settings import get_settings

log = logging.getLogger(__name__)
STOP_WAIT_S = 5.0


@dataclass(frozen=True)
class Job:
    """A periodic job: `run` once per `interval_s` tick; the first tick no sooner than
    `first_after_s` after start (not while the process starts, nor in a short-lived test app)."""

    name: str
    interval_s: float
    run: Callable[[], Any]
    first_after_s: float = 0.0

    @property
    def lease_s(self) -> float:
        """How long a Redis lock outlives a process killed mid-run: short for a frequent job
        (the outbox must not stop for long), at most 10 minutes for a long pass."""
        return min(max(self.interval_s, 10.0), 600.0)


class JobLock(Protocol):
    def hold(self, name: str, lease_s: float = 600.0) -> contextlib.AbstractContextManager[bool]:
        """Try to take the job's lock without waiting; yields whether this process has it."""


class LocalLock:
    """One process (SQLite): a thread lock per job."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, name: str, lease_s: float = 600.0) -> Iterator[bool]:
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        got = lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()


class AdvisoryLock:
    """PostgreSQL: a session advisory lock on a connection held for the run."""

    @contextlib.contextmanager
    def hold(self, name: str, lease_s: float = 600.0) -> Iterator[bool]:
        """Held while the connection lives: a killed process's lock goes with its connection."""
        key = zlib.crc32(f"job:{name}".encode())
        with get_engine().connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()


_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


class RedisLock:
    """Redis: SET NX with an expiry (a crashed holder frees it), released only by its holder."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    @contextlib.contextmanager
    def hold(self, name: str, lease_s: float = 600.0) -> Iterator[bool]:
        key, token = f"shramik:job:{name}", uuid.uuid4().hex
        got = bool(self.client.set(key, token, nx=True, px=int(lease_s * 1000)))
        try:
            yield got
        finally:
            if got:
                self.client.eval(_RELEASE, 1, key, token)


def job_lock() -> JobLock:
    """Redis when configured, else PostgreSQL's advisory locks, else (SQLite) a process lock."""
    settings = get_settings()
    if settings.redis_url:
        return RedisLock(settings.redis_url)
    if get_engine().dialect.name == "postgresql":
        return AdvisoryLock()
    return LocalLock()


def tick_of(job: Job, now: float) -> int:
    return int(now // job.interval_s)


def _claim_tick(s: Session, name: str, tick: int) -> bool:
    row = s.get(JobRun, name)
    if row is None:
        s.add(JobRun(name=name, last_tick=tick, ran_at=utcnow()))
        s.flush()
        return True
    if row.last_tick >= tick:
        return False
    row.last_tick, row.ran_at = tick, utcnow()
    return True


def run_tick(job: Job, lock: JobLock, now: float | None = None) -> bool:
    """Run `job` for the tick holding `now` unless another process has it or ran it; True: ran.

    The tick is marked before the run: a run that fails is not repeated in the same tick (the
    next tick tries again), so a failing job cannot spin.
    """
    tick = tick_of(job, time.time() if now is None else now)
    with lock.hold(job.name, job.lease_s) as got:
        if not got:
            return False
        with session_scope() as s:
            if not _claim_tick(s, job.name, tick):
                return False
        job.run()
        return True


def _until_next_tick(job: Job, now: float) -> float:
    return job.interval_s - (now % job.interval_s)


async def run_forever(job: Job, stop: asyncio.Event, lock: JobLock | None = None) -> None:
    """Wake at each tick boundary (the first after `first_after_s`) and run it if it is ours."""
    lock = lock or job_lock()
    wait = max(job.first_after_s, 0.0) or _until_next_tick(job, time.time())
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            return
        try:
            await asyncio.to_thread(run_tick, job, lock)
        except Exception:  # the loop must outlive a database or Redis hiccup
            log.exception("scheduled job %s failed", job.name)
        wait = _until_next_tick(job, time.time())


def router(jobs: Callable[[], list[Job]]) -> APIRouter:
    """A router whose lifespan runs `jobs()` (asked at start-up) while the app runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        planned = jobs()
        tasks = [asyncio.create_task(run_forever(job, stop)) for job in planned]
        for job in planned:
            log.info("scheduled job %s every %.0f s", job.name, job.interval_s)
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                try:
                    await asyncio.wait_for(task, timeout=STOP_WAIT_S)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()

    return APIRouter(lifespan=lifespan)
