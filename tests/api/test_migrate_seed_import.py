"""Migrations from empty, idempotent seeding and the all-or-nothing legacy importer (both DBs)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from api.db.models import Base, Enrollment, StaffUser, Worker
from api.db.session import get_engine, session_scope
from api.importer import import_file, main
from api.seed import seed_demo
from tests.api.conftest import DATA, count_rows
from tests.factory import RINA
from tests.secrets import STAFF_PASSWORD


def test_migrations_create_every_table(db: str) -> None:
    tables = set(inspect(get_engine()).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_seed_is_idempotent_and_keeps_no_full_numbers(db: str) -> None:
    before = count_rows()
    with session_scope() as s:
        assert seed_demo(s) is False
    assert count_rows() == before
    with session_scope() as s:
        rina = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        assert rina.bank_last4 == "3307" and len(rina.bank_hash or "") == 64
        assert rina.aadhaar_last4 == "4821"
        officer = s.execute(select(StaffUser)).scalar_one()
        assert officer.username == "officer1" and officer.password_hash.startswith("$argon2id$")
        assert STAFF_PASSWORD not in officer.password_hash
    assert before["workers"] == 7 and before["claims"] == 2 and before["pension_accounts"] == 2


def test_importer_imports_good_file(db: str) -> None:
    result = import_file(DATA / "legacy_workers.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert result.kind == "workers" and result.counts["insert"] == 3
    with session_scope() as s:
        suresh = s.execute(select(Worker).where(Worker.uan == "200000000002")).scalar_one()
        assert suresh.date_of_birth.isoformat() == "1992-08-15"
        assert suresh.phone == "+919811100002" and suresh.bank_last4 == "8899"
        mala = s.execute(select(Worker).where(Worker.uan == "200000000001")).scalar_one()
        assert (
            mala.aadhaar_last4 == "0123"
            and mala.aadhaar_hash
            and "234567890123" not in mala.aadhaar_hash
        )
        n = s.execute(select(Enrollment).where(Enrollment.worker_id == mala.id)).scalars().all()
        assert len(n) == 2
    before = count_rows()
    again = import_file(DATA / "legacy_workers.csv")  # second run: nothing changed, no refusal
    assert again.ok and again.counts == {"insert": 0, "update": 0, "unchanged": 3, "error": 0}
    assert count_rows() == before


def test_importer_bad_file_imports_nothing(db: str, capsys) -> None:
    before = count_rows()
    assert main([str(DATA / "legacy_workers_bad.csv")]) == 1
    assert count_rows() == before
    err = capsys.readouterr().err
    assert "line 3: uan: must have exactly 12 digits" in err
    assert "line 4: date_of_birth: not a valid past date" in err
    assert "line 4: preferred_language" in err
    assert "line 5: scheme: unknown scheme" in err
    assert "line 5: phone" in err and "line 5: aadhaar_number" in err
    assert "line 6" not in err  # an existing worker is updated, not refused
    assert "line 2" not in err
    assert "nothing imported" in err


def test_importer_missing_file(db: str) -> None:
    assert main([str(DATA / "nope.csv")]) == 1
    assert main([]) == 2
