"""Periodic jobs in several processes (api/scheduling.py): one run per tick, never overlapped.

Two runners stand for two API processes: each has its own lock client (its own PostgreSQL
connection or Redis connection), and they share the database, as two processes do. The order is
forced with events, not hoped for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from api import scheduling
from api.scheduling import AdvisoryLock, Job, JobLock, LocalLock, RedisLock
from api.settings import get_settings
from tests.services import REDIS_URL, require_service

INTERVAL = 60.0


def _two_locks(kind: str, db: str) -> tuple[JobLock, JobLock]:
    if kind == "redis":
        require_service("redis")
        return RedisLock(REDIS_URL), RedisLock(REDIS_URL)
    if db.startswith("postgresql"):
        return AdvisoryLock(), AdvisoryLock()
    shared = LocalLock()  # SQLite is one process: its two runners share the process's lock
    return shared, shared


@pytest.fixture(params=["database", "redis"])
def locks(request: pytest.FixtureRequest, db: str) -> Iterator[tuple[JobLock, JobLock]]:
    yield _two_locks(request.param, db)


def _job(run: Callable[[], None], name: str = "test-job") -> Job:
    return Job(name, INTERVAL, run)


def test_a_tick_runs_once_and_a_running_job_is_not_overlapped(
    locks: tuple[JobLock, JobLock],
) -> None:
    first, second = locks
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def slow() -> None:
        runs.append("run")
        started.set()
        assert release.wait(30)

    job = _job(slow, "overlap-job")
    outcome: dict[str, bool] = {}
    holder = threading.Thread(target=lambda: outcome.update(a=scheduling.run_tick(job, first, 10)))
    holder.start()
    assert started.wait(30)
    assert scheduling.run_tick(job, second, 10) is False  # the job is running elsewhere
    release.set()
    holder.join(30)
    assert outcome == {"a": True}
    assert scheduling.run_tick(job, second, 20) is False  # same tick, already run
    assert scheduling.run_tick(job, second, INTERVAL + 1) is True  # the next tick
    assert runs == ["run", "run"]


def test_two_runners_at_every_tick_make_one_run_per_tick(locks: tuple[JobLock, JobLock]) -> None:
    runs: list[int] = []
    job = _job(lambda: runs.append(1), "tick-job")
    ticks = 8
    for tick in range(ticks):
        barrier = threading.Barrier(2)
        now = tick * INTERVAL + 5

        def runner(lock: JobLock, now: float = now, barrier: threading.Barrier = barrier) -> None:
            barrier.wait(30)
            scheduling.run_tick(job, lock, now)

        threads = [threading.Thread(target=runner, args=(lock,)) for lock in locks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(runs) == ticks


def test_a_failed_run_is_not_repeated_in_its_tick(db: str) -> None:
    lock = _two_locks("database", db)[0]
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("database hiccup")

    job = _job(failing, "failing-job")
    with pytest.raises(RuntimeError):
        scheduling.run_tick(job, lock, 5)
    assert scheduling.run_tick(job, lock, 6) is False
    with pytest.raises(RuntimeError):
        scheduling.run_tick(job, lock, INTERVAL + 5)
    assert len(calls) == 2


def test_the_lock_follows_the_configuration(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = AdvisoryLock if db.startswith("postgresql") else LocalLock
    assert isinstance(scheduling.job_lock(), expected)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    get_settings.cache_clear()
    try:
        assert isinstance(scheduling.job_lock(), RedisLock)
    finally:
        monkeypatch.delenv("REDIS_URL")
        get_settings.cache_clear()


def test_the_api_runs_every_periodic_job_through_the_runner() -> None:
    from api.jobs import periodic_jobs

    names = {job.name for job in periodic_jobs()}
    assert {"handover-sweep", "retention", "reminders"} <= names


def test_a_redis_lock_left_by_a_killed_process_expires_with_its_lease() -> None:
    require_service("redis")
    dead, alive = RedisLock(REDIS_URL), RedisLock(REDIS_URL)
    held = dead.hold("lease-job", lease_s=0.05)
    assert held.__enter__() is True  # ... and the process dies: no __exit__, no release
    with alive.hold("lease-job") as got:
        assert got is False
    assert alive.client.pttl("shramik:job:lease-job") <= 50
    threading.Event().wait(0.1)  # let the 50 ms lease run out
    with alive.hold("lease-job") as got:
        assert got is True


def test_a_frequent_job_has_a_short_lease() -> None:
    assert Job("outbox", 1.0, lambda: None).lease_s == 10.0
    assert Job("retention", 3600.0, lambda: None).lease_s == 600.0
