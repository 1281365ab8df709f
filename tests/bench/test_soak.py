"""The soak's verdict: growth per process from its start, and more than 10% is not met."""

from __future__ import annotations

from bench.soak import growth, rows


def test_growth_is_a_share_of_the_start_and_a_gone_process_has_none() -> None:
    start = {"api": 200.0, "rasa": 1000.0, "actions": 150.0}
    end = {"api": 230.0, "rasa": 1050.0, "actions": None}
    g = growth(start, end)
    assert g["api"] == {"start_mb": 200.0, "end_mb": 230.0, "growth": 0.15}
    assert g["rasa"]["growth"] == 0.05
    assert g["actions"]["growth"] is None


def test_a_process_that_grew_more_than_ten_percent_fails_its_row() -> None:
    soak = {
        "seconds": 1800.0,
        "concurrency": 10,
        "turns": {"n": 9000, "errors": 2, "p50": 120.0, "p95": 480.0},
        "processes": growth({"api": 200.0, "rasa": 1000.0}, {"api": 230.0, "rasa": 1050.0}),
    }
    table = {r.measure: r for r in rows(soak)}
    assert table["RSS of api, after the first minute -> end"].met is False
    assert table["RSS of rasa, after the first minute -> end"].met is True
    assert "9002 turns" in table["30 min at 10 conversations: turns"].ours
