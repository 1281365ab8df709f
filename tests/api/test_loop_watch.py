"""The event-loop watchdog names the code that blocked the loop, once per stall."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from api.web.loop_watch import LoopWatch


def hold_the_loop(seconds: float) -> None:
    time.sleep(seconds)  # a blocking call inside async code: what the watchdog exists for


async def _play(watch: LoopWatch, blocked_s: float) -> None:
    beat = asyncio.create_task(watch.beat())
    watch.loop_thread = threading.get_ident()
    thread = threading.Thread(target=watch.watch, daemon=True)
    thread.start()
    await asyncio.sleep(0.3)
    hold_the_loop(blocked_s)
    await asyncio.sleep(0.6)
    watch.stop.set()
    beat.cancel()
    thread.join(timeout=5)


def test_a_blocked_loop_is_reported_once_with_the_blocking_code(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch = LoopWatch(stall_s=0.4)
    with caplog.at_level(logging.WARNING, logger="api.loop"):
        asyncio.run(_play(watch, blocked_s=1.2))
    blocked = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
    assert watch.stalls == 1
    assert len(blocked) == 1
    assert "hold_the_loop" in blocked[0]
    assert any("turning again" in r.getMessage() for r in caplog.records)


def test_a_loop_that_keeps_turning_is_not_reported(caplog: pytest.LogCaptureFixture) -> None:
    watch = LoopWatch(stall_s=0.4)
    with caplog.at_level(logging.WARNING, logger="api.loop"):
        asyncio.run(_play(watch, blocked_s=0.0))
    assert watch.stalls == 0
    assert not caplog.records


def test_the_api_starts_its_watchdog() -> None:
    from fastapi.testclient import TestClient

    from api.web.app import create_app

    app = create_app(configure_logs=False)
    with TestClient(app):
        assert isinstance(app.state.loop_watch, LoopWatch)
