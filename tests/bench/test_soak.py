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
    cluster = {**soak, "processes": growth({"rasa-2": 900.0}, {"rasa-2": 905.0})}
    both = {"layouts": {"sqlite": soak, "cluster": cluster}}
    table = {r.measure: r for r in rows(both)}
    assert table["one of each, SQLite: RSS of api, after the first minute -> end"].met is False
    assert table["one of each, SQLite: RSS of rasa, after the first minute -> end"].met is True
    turns = "one of each, SQLite, 30 min at 10 conversations: turns"
    assert "9002 turns" in table[turns].ours
    rasa_2 = "two of each, PostgreSQL + Redis: RSS of rasa-2, after the first minute -> end"
    assert table[rasa_2].met is True and "(+0.6%)" in table[rasa_2].ours


def test_a_layout_that_could_not_start_is_a_row_saying_why() -> None:
    failed = {"layouts": {"cluster": {"error": "RuntimeError: haproxy is missing"}}}
    (row,) = rows(failed)
    assert row.measure == "two of each, PostgreSQL + Redis: not measured"
    assert row.ours == "RuntimeError: haproxy is missing"
