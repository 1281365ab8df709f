"""The casework bench's data plan and its rows in the report (the timing itself is `make bench`)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from api.domain import casework as rules
from bench.casework import rows
from bench.casework_data import plan
from bench.report import rows as report_rows


def test_the_plan_is_the_same_every_run_and_obeys_the_rules() -> None:
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    first, again = plan(2000, 400, now), plan(2000, 400, now)
    assert first == again
    kinds = Counter(c["kind"] for c in first)
    # Corrections (added 2026-12-06) are not yet in the load mix: their rows need a
    # correction_requests row each; every other kind is.
    assert set(kinds) == set(rules.KINDS) - {"correction"} and kinds["claim"] > kinds["callback"]
    for case in first:
        assert case["status"] in rules.STATUSES[case["kind"]]
        assert case["is_open"] == rules.is_open(case["kind"], case["status"])
    assert len({c["reference"] for c in first}) == len(first)


def test_rows_judge_each_p95_against_its_target() -> None:
    data = {
        "requests": 100000,
        "queue_page": {"n": 300, "p50": 20.0, "p95": 301.0},
        "dashboard": {"n": 40, "p50": 30.0, "p95": 40.0},
        "decision": {"n": 300, "p50": 10.0, "p95": 20.0},
    }
    assert [met for *_, met in rows(data)] == [False, True, True]
    table = report_rows({"casework": data})
    assert [r.area for r in table] == ["Casework"] * 3
    assert "100,000 requests" in table[0].measure
    failed = report_rows({"casework": {"error": "no postgres"}})
    assert failed[0].measure == "casework: not measured"


def test_reminder_rows_report_the_pass_and_judge_the_second() -> None:
    data = {
        "requests": 100000,
        "reminders": {
            "first": {"queued": 20000},
            "again": {"queued": 0},
            "pass_s": 40.0,
            "again_s": 3.0,
            "ms_per_reminder": 2.0,
            "sms_segments": 60000,
            "cost": None,
        },
    }
    (row,) = [r for r in rows(data) if r[0].startswith("reminders")]
    assert "20000 queued" in row[1] and "60000 SMS segments" in row[1] and row[3] is True


def test_a_reminder_pass_over_bench_data_queues_each_once() -> None:
    """A small bench database on PostgreSQL: every member's renewal once, then nothing."""
    from api.db.migrate import upgrade
    from api.db.session import get_engine, session_scope
    from api.seed import ensure_schemes
    from bench.casework import fresh_database, reminder_pass, settings_for
    from bench.casework_data import load
    from tests.services import require_service

    require_service("postgres")
    with fresh_database() as url, settings_for(url):
        upgrade(url)
        with session_scope() as s:
            ensure_schemes(s)
        counts = load(get_engine(), 500)
        result = reminder_pass()
    assert result["first"]["queued"] == counts["enrollments"] and result["again"]["queued"] == 0
    assert result["sms_segments"] >= counts["enrollments"]
