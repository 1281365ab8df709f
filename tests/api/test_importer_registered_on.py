"""The workers file's optional `registered_on` (the day of registration, which counts the
transport scheme's pension years): validated like the other dates, a blank keeps what is
stored, a change is an update named by column."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from api.db.models import Enrollment, Worker
from api.db.session import session_scope
from api.importer import import_file
from api.importer.workers import COLUMNS

HEADER = ",".join(COLUMNS)


def _row(uan: str, registered_on: str, born: str = "1980-01-02") -> str:
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(
        uan=uan,
        name_en="Tapan Das",
        date_of_birth=born,
        preferred_language="bn",
        scheme="wbtwsss",
        enrollment_status="active",
        registered_on=registered_on,
    )
    return ",".join(cells[c] for c in COLUMNS)


def _write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _registered(uan: str) -> date | None:
    with session_scope() as s:
        return s.execute(
            select(Enrollment.registered_on)
            .join(Worker, Worker.id == Enrollment.worker_id)
            .where(Worker.uan == uan)
        ).scalar_one()


def test_registered_on_is_imported_validated_and_updated(db: str, tmp_path: Path) -> None:
    assert "registered_on" in COLUMNS
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    bad = _write(
        tmp_path / "bad.csv",
        _row("300000000001", "2014-06-01"),
        _row("300000000002", "31-02-2014"),  # no such day
        _row("300000000003", tomorrow),  # not yet
        _row("300000000004", "1979-05-01"),  # before the worker was born
    )
    result = import_file(bad)
    assert not result.ok
    assert sorted((e.line, e.column) for e in result.errors) == [
        (3, "registered_on"),
        (4, "registered_on"),
        (5, "registered_on"),
    ]
    good = _write(tmp_path / "good.csv", _row("300000000001", "01-06-2014"))
    assert import_file(good).ok
    assert _registered("300000000001") == date(2014, 6, 1)
    blank = _write(tmp_path / "blank.csv", _row("300000000001", ""))
    kept = import_file(blank)
    assert kept.ok and kept.counts["unchanged"] == 1
    assert _registered("300000000001") == date(2014, 6, 1)  # a blank never erases
    moved = import_file(_write(tmp_path / "moved.csv", _row("300000000001", "2013-02-11")))
    assert moved.ok and moved.counts["update"] == 1
    assert _registered("300000000001") == date(2013, 2, 11)
