"""CPU per turn: real process readings, and the per-turn arithmetic the bench table shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bench import cpu
from bench.report import rows


def test_a_busy_child_is_counted_in_its_tree() -> None:
    # the parent only waits; its child burns CPU: the tree's reading must include the child
    code = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'import time\\nt=time.process_time()\\nwhile time.process_time()-t<5: pass'])"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        reading = 0.0
        while reading < 0.2 and time.monotonic() < deadline:
            time.sleep(0.1)
            reading = cpu.snapshot({"svc": parent.pid}).get("svc", 0.0)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
    assert reading >= 0.2  # the parent alone uses next to nothing
    assert cpu.tree_cpu_s(parent.pid) is None  # gone: no reading, not zero
    assert cpu.machine_busy_s() > 0


def test_per_turn_and_machine_share() -> None:
    before = {"rasa": 10.0, "api": 5.0, cpu.MACHINE: 100.0}
    after = {"rasa": 12.0, "api": 5.5, cpu.MACHINE: 106.0, "late": 1.0}
    result = cpu.per_turn(before, after, turns=100, seconds=5.0, cores=2)
    assert result["ms_per_turn"] == {"rasa": 20.0, "api": 5.0, "machine": 60.0}
    assert result["machine_busy_pct"] == 60.0
    assert cpu.per_turn(before, after, turns=0, seconds=5.0, cores=2) == {}


def test_cpu_rows_in_the_table() -> None:
    share = {"ms_per_turn": {"rasa": 20.0, "api": 5.0, "machine": 60.0}, "machine_busy_pct": 60}
    results = {
        "latency": {
            "concurrency": 25,
            "concurrent": {"n": 9, "p50": 50, "p95": 100, "p99": 120, "cpu": share},
        },
        "load": {
            "step_seconds": 60,
            "sustained": 25,
            "steps": [
                {"concurrency": 25, "passed": True, "p95": 100, "cpu": {}},
                {"concurrency": 50, "passed": False, "p95": 1500, "why": "p95", "cpu": share},
            ],
        },
    }
    table = {r.measure: r.ours for r in rows(results)}
    expected = "api 5.0 ms, rasa 20.0 ms; machine 60.0 ms (60% busy)"
    assert table["CPU per turn, 25 conversations"] == expected
    assert table["CPU per turn, 50 conversations"] == expected


def test_snapshot_skips_a_missing_process() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    taken = cpu.snapshot({"here": os.getpid(), "gone": gone.pid})
    assert "here" in taken and "gone" not in taken
