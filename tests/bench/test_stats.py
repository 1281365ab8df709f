"""Percentile maths and turn summaries of the bench."""

import math

import pytest

from bench.stats import by_key, percentile, summarise, summarise_turns


def test_percentile_interpolates_between_ranks_like_numpy() -> None:
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert percentile(values, 50) == 25  # halfway between 20 and 30
    assert percentile(values, 95) == pytest.approx(38.5)  # rank 2.85


def test_percentile_ignores_input_order_and_handles_one_value() -> None:
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([7.5], 99) == 7.5
    assert math.isnan(percentile([], 50))


def test_percentile_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summarise_of_1_to_100() -> None:
    s = summarise(range(1, 101))
    assert s["n"] == 100
    assert s["p50"] == 50.5
    assert s["p95"] == pytest.approx(95.05, abs=0.05)
    assert s["p99"] == pytest.approx(99.01, abs=0.05)
    assert s["max"] == 100
    assert summarise([])["p95"] is None


def _turn(ms: float, ok: bool = True, start: float = 0.0, **extra: object) -> dict:
    return {"ms": ms, "ok": ok, "start": start, "error": None if ok else "timeout", **extra}


def test_failed_turns_are_errors_not_latencies() -> None:
    turns = [_turn(100), _turn(200, start=1.0), _turn(10_000, ok=False, start=2.0)]
    s = summarise_turns(turns)
    assert s["n"] == 2
    assert s["max"] == 200
    assert s["errors"] == 1
    assert s["error_kinds"] == {"timeout": 1}
    assert s["turns_per_s"] == pytest.approx(3 / 12.0, abs=0.05)


def test_by_key_groups_turns() -> None:
    turns = [_turn(10, scenario="a"), _turn(30, scenario="b"), _turn(20, scenario="a")]
    groups = by_key(turns, "scenario")
    assert groups["a"]["n"] == 2 and groups["b"]["p50"] == 30
