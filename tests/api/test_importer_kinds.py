"""The legacy importer on generated registers of every kind (SQLite and PostgreSQL): bad rows
mixed in are all listed by line and nothing is written; a dry run prints every row's fate and
writes nothing; a re-import updates what changed; claims become cases officers decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.db.models import (
    AuditLog,
    Case,
    CaseEvent,
    Claim,
    Enrollment,
    Nominee,
    NomineeChange,
    PensionAccount,
    Worker,
)
from api.db.session import session_scope
from api.domain import casework
from api.importer import Fate, import_file, main, run
from api.services import decisions
from api.services.context import Ctx
from api.services.references import next_reference
from bench.importer_data import KINDS, uan_of, write
from tests.api.conftest import count_rows

N = 40  # rows of the workers file: 30 workers, 10 second enrollments


def _files(folder: Path, *, changed: bool = False, bad_every: int = 0) -> dict[str, Path]:
    paths = {kind: folder / f"{kind}.csv" for kind in KINDS}
    for kind, path in paths.items():
        write(path, kind, N, changed=changed, bad_every=bad_every)
    return paths


def _import_all(paths: dict[str, Path]) -> dict[str, dict[str, int]]:
    counts = {}
    for kind in KINDS:
        result = import_file(paths[kind])
        assert result.ok, [str(e) for e in result.errors]
        assert result.kind == kind  # told by the header
        counts[kind] = result.counts
    return counts


@pytest.mark.parametrize("kind", KINDS)
def test_bad_rows_are_all_listed_by_line_and_nothing_is_written(
    db: str, tmp_path: Path, kind: str
) -> None:
    if kind != "workers":
        _import_all(_files(tmp_path))
    path = tmp_path / "bad.csv"
    bad_lines = write(path, kind, N, bad_every=6, changed=True)
    before = count_rows()
    result = import_file(path, kind=kind)
    assert not result.ok and result.counts["error"] == len(bad_lines) >= 4
    assert sorted({e.line for e in result.errors}) == bad_lines
    assert count_rows() == before


def test_dry_run_prints_every_fate_and_writes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _files(tmp_path)
    before = count_rows()
    assert main(["--dry-run", str(paths["workers"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:N] == [f"line {n}: would insert" for n in range(2, N + 2)]
    assert out[-1] == f"workers: would import: {N} insert, 0 update, 0 unchanged, 0 error"
    assert count_rows() == before
    # the same file imported, then changed and dry-run again: updates named by column
    assert main([str(paths["workers"])]) == 0
    assert (
        capsys.readouterr().out
        == f"workers: imported: {N} insert, 0 update, 0 unchanged, 0 error\n"
    )
    bad = write(tmp_path / "w2.csv", "workers", N, changed=True, bad_every=9)
    after = count_rows()
    assert main(["--dry-run", str(tmp_path / "w2.csv")]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "line 2: would update (district)"  # worker 0 moved district
    assert lines[1] == "line 3: unchanged"
    assert [ln for ln in lines if ln.startswith(f"line {bad[0]}: ")] == [
        f"line {bad[0]}: uan: must have exactly 12 digits"
    ]
    assert "nothing imported" in captured.err
    assert count_rows() == after


def test_reimport_updates_what_changed_all_or_nothing(db: str, tmp_path: Path) -> None:
    first = _import_all(_files(tmp_path))
    assert first["workers"]["insert"] == N and first["claims"]["insert"] == 30
    rows = count_rows()
    second = _import_all(_files(tmp_path, changed=True))
    assert second["workers"] == {"insert": 0, "update": 4, "unchanged": N - 4, "error": 0}
    assert second["nominees"]["update"] == 4 and second["pensions"]["update"] == 2
    assert second["claims"]["update"] == 2  # approved -> paid in the register
    with session_scope() as s:
        w0 = s.execute(select(Worker).where(Worker.uan == uan_of(0))).scalar_one()
        assert w0.district == "Changed" and w0.aadhaar_last4 == "0000"
        assert (
            s.execute(select(func.count()).select_from(Enrollment)).scalar_one()
            == (rows["enrollments"])
        )
        changes = s.execute(select(NomineeChange)).scalars().all()
        assert len(changes) == 4 and all(c.actor == "import:nominees.csv" for c in changes)
        assert (
            s.execute(select(func.count()).where(AuditLog.action == "nominee.update")).scalar_one()
            == 4
        )
        pension = s.execute(
            select(PensionAccount).join(Worker).where(Worker.uan == uan_of(0))
        ).scalar_one()
        assert pension.status == "active" and pension.stop_reason is None
        moved = (
            s.execute(
                select(CaseEvent).where(
                    CaseEvent.from_status == "approved", CaseEvent.to_status == "paid"
                )
            )
            .scalars()
            .all()
        )
        assert len(moved) == 2 and all(e.amount == 90000 and e.paid_on for e in moved)
    third = _import_all(_files(tmp_path, changed=True))
    assert all(c["insert"] == c["update"] == c["error"] == 0 for c in third.values())
    # one bad row in a changed file: the good updates in it are not written either
    write(tmp_path / "w3.csv", "workers", N, bad_every=N)  # back to the old districts + 1 bad
    snapshot = count_rows()
    assert not import_file(tmp_path / "w3.csv").ok
    with session_scope() as s:
        assert s.execute(select(Worker.district).where(Worker.uan == uan_of(0))).scalar_one() == (
            "Changed"
        )
    assert count_rows() == snapshot


def test_imported_claims_are_cases_officers_decide(db: str, tmp_path: Path) -> None:
    _import_all(_files(tmp_path))
    with session_scope() as s:
        claim, case = s.execute(
            select(Claim, Case)
            .join(Case, Case.id == Claim.case_id)
            .where(Claim.reference == "CLM-2025-000001")
        ).one()
        assert (case.kind, case.status, case.is_open) == ("claim", "submitted", True)
        assert case.created_at.date() == claim.submitted_on and case.due_at > case.created_at
        paid = s.execute(
            select(Claim, Case)
            .join(Case, Case.id == Claim.case_id)
            .where(Case.status == "paid", Claim.reference == "CLM-2025-000005")
        ).first()
        assert paid is not None and paid[0].amount_paid == 90000 and not paid[1].is_open
        # an officer decides the imported claim like any other
        decisions.apply(
            s,
            Ctx(actor="staff:officer1"),
            case,
            casework.Decision(status="under_review", version=case.version),
            casework.Role.OFFICER,
        )
        assert next_reference(s, "claim", 2025) > "CLM-2025-000030"
    # the register still says "submitted": the officer's decision stands; "rejected": an error
    again = import_file(tmp_path / "claims.csv")
    assert again.ok and again.counts["unchanged"] == 30
    write(tmp_path / "claims.csv", "claims", N)
    text = (tmp_path / "claims.csv").read_text(encoding="utf-8")
    first = text.splitlines()[1]
    moved = first.replace(",submitted,", ",rejected,").replace(",,,,,", ",,,,details_do_not_match,")
    (tmp_path / "claims.csv").write_text(text.replace(first, moved), encoding="utf-8")
    result = import_file(tmp_path / "claims.csv")
    assert [str(e) for e in result.errors] == [
        "line 2: status: decided here since the import (now under_review); kept"
    ]


def test_output_never_holds_personal_data(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _files(tmp_path, bad_every=5)
    for kind in KINDS:
        main(["--dry-run", str(paths[kind])])
        main([str(paths[kind])])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "line 6:" in text and "would insert" in text
    for secret in (uan_of(1), "500000000001", "70000000001", "+919000000001", "Baaa Kaaa"):
        assert secret not in text
    with session_scope() as s:  # nothing imported: every file had bad rows
        assert s.execute(select(func.count()).select_from(Nominee)).scalar_one() == 7  # demo


def test_kind_is_told_by_the_header_or_given(db: str, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("uan,colour\n300000000000,blue\n", encoding="utf-8")
    assert [str(e) for e in import_file(odd).errors] == [
        "line 1: header: unknown kind; use --kind workers|nominees|claims|pensions"
    ]
    assert [str(e) for e in import_file(odd, kind="nominees").errors] == [
        "line 1: nominee_name,relation: missing column"
    ]
    assert main(["--kind", "planets", str(odd)]) == 2


def test_fates_do_not_depend_on_batches_or_on_writing(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A UAN repeated in the next batch, a dry run and the real run: the same fates."""
    monkeypatch.setattr(run, "BATCH", 3)  # rows 3 and 4 of a worker fall in two batches
    paths = _files(tmp_path)
    for kind in KINDS:
        dry: list[Fate] = []
        real: list[Fate] = []
        assert import_file(paths[kind], dry_run=True, on_fate=dry.append).ok
        assert import_file(paths[kind], on_fate=real.append).ok
        assert dry == real and {f.action for f in real} == {"insert"}
    with session_scope() as s:
        w2 = s.execute(select(Worker).where(Worker.uan == uan_of(2))).scalar_one()
        schemes = s.execute(select(Enrollment.scheme_code).where(Enrollment.worker_id == w2.id))
        assert sorted(schemes.scalars()) == ["bocw_welfare", "eshram"]
