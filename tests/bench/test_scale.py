"""The scale-out section's figures: CPU per turn summed per tier (two Rasa servers are one tier),
a level's summary as the stepper reads it, and one table row per layout and level."""

from __future__ import annotations

from pathlib import Path

from bench.scale import level, rows, tier_ms, vectors_on_disk
from bench.stepper import step_passes


def test_replicas_of_a_tier_are_summed_and_the_machine_kept() -> None:
    ms = {"rasa-1": 20.0, "rasa-2": 21.5, "actions-1": 3.0, "haproxy": 0.4, "machine": 61.0}
    assert tier_ms(ms) == {"rasa": 41.5, "actions": 3.0, "haproxy": 0.4, "machine": 61.0}
    assert tier_ms({"rasa": 22.3, "api": 4.0}) == {"rasa": 22.3, "api": 4.0}


def _turns(ms: list[float], errors: int = 0) -> list[dict[str, object]]:
    ok = [{"start": 100.0 + i, "ms": m, "ok": True, "error": None} for i, m in enumerate(ms)]
    bad = [{"start": 100.0, "ms": 10.0, "ok": False, "error": "timeout"}] * errors
    return ok + bad


def test_a_level_past_one_second_or_with_errors_does_not_pass() -> None:
    used = {"ms_per_turn": {"rasa-1": 30.0, "machine": 50.0}, "machine_busy_pct": 40.0}
    fine = level(_turns([100.0] * 40), used)
    assert fine["cpu_ms_per_turn"] == {"rasa": 30.0, "machine": 50.0}
    assert fine["machine_busy_pct"] == 40.0
    assert step_passes(fine, 1000.0) == (True, "ok")
    assert not step_passes(level(_turns([1500.0] * 40), used), 1000.0)[0]
    assert not step_passes(level(_turns([100.0] * 40, errors=1), used), 1000.0)[0]


def test_rows_name_the_layout_the_level_and_a_layout_that_failed() -> None:
    step = {"concurrency": 25, "turns_per_s": 17.46, "p50": 40.0, "p95": 120.0, "errors": 0}
    step["cpu_ms_per_turn"] = {"rasa": 41.5, "machine": 61.0}
    scale = {
        "layouts": {
            "sqlite-1": {"sustained": 25, "stopped_because": "", "steps": [step]},
            "postgres-redis-2": {"error": "RuntimeError: haproxy is missing"},
        }
    }
    table = {r.measure: r.ours for r in rows(scale)}
    assert table["one of each, SQLite (make run): conversations sustained at p95 < 1 s"] == (
        "25 (every level held)"
    )
    level_row = table["one of each, SQLite (make run): 25 conversations"]
    assert level_row.startswith("17.5 turns/s, p50/p95 40/120 ms, 0 errors")
    assert "rasa 41.5" in level_row and "machine 61.0" in level_row
    failed = "two of each, PostgreSQL + Redis, HAProxy (make run-cluster): not measured"
    assert table[failed] == "RuntimeError: haproxy is missing"


def test_the_wait_for_the_vectors_ends_when_a_file_is_on_disk(tmp_path: Path) -> None:
    assert vectors_on_disk(tmp_path, timeout=0.1) is False
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "vectors-0123456789abcdef.npy").write_bytes(b"")
    assert vectors_on_disk(tmp_path, timeout=0.1) is True
