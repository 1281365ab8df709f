"""The importer bench at a small size: every run succeeds, the figures land in the report (the
100 000-row timing itself is `make bench`)."""

from __future__ import annotations

import pytest

from bench.importer import STEPS, rows, run
from bench.report import rows as report_rows


@pytest.fixture(autouse=True)
def _demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "true")


def test_a_small_run_imports_every_kind_and_reports_it() -> None:
    data = run(rows=120, log=lambda _m: None)
    for key, _ in STEPS:
        assert data[key]["exit"] == 0, data[key]
        assert data[key]["peak_mb"] > 0 and data[key]["s"] > 0
    assert (
        data["workers"]["said"] == "workers: imported: 120 insert, 0 update, 0 unchanged, 0 error"
    )
    assert data["workers_dry_run_changed"]["printed_lines"] == 121  # a fate per row + the total
    assert "12 update" in data["workers_reimport_changed"]["said"]
    assert data["claims"]["said"].startswith("claims: imported: 90 insert")
    table = report_rows({"importer": data})
    assert [r.area for r in table] == ["Importer"] * len(STEPS)
    assert "120 rows (sqlite)" in table[0].measure and "peak" in table[0].ours


def test_a_failed_run_shows_in_the_row() -> None:
    (row, *_) = rows({"rows": 10, "database": "sqlite", "workers": {"exit": 1, "rows": 10}})
    assert row[1].endswith("exit 1")
