"""`python -m api.importer FILE.csv` — import workers and enrollments from the legacy system.

Every row is checked first; if any row is bad nothing is written and each problem is reported
with its line number, so an operator can fix the file and run it again without half an import.
Full Aadhaar/bank numbers in the file are reduced to last 4 + salted hash on the way in.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Enrollment, Worker
from api.db.session import session_scope
from api.domain.codes import SCHEMES
from api.domain.digits import ascii_digits
from api.domain.masking import pii_hash
from api.domain.parsing import parse_date, parse_uan
from api.domain.phones import is_mobile_in, normalise_phone
from api.seed import ensure_schemes
from api.settings import get_settings

COLUMNS = (
    "uan", "name_en", "name_bn", "name_hi", "date_of_birth", "gender", "phone", "state",
    "district", "occupation", "preferred_language", "aadhaar_number", "bank_account_number",
    "scheme", "member_id", "enrollment_status", "valid_until",
)  # fmt: skip
REQUIRED = ("uan", "name_en", "date_of_birth", "preferred_language")
STATUSES = ("active", "lapsed", "closed")
MAX_FIELD = 200


@dataclass
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    workers: int = 0
    enrollments: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _digits(value: str) -> str:
    return re.sub(r"[\s\-]", "", ascii_digits(value))


def _check_row(line: int, row: dict[str, str], errors: list[RowError]) -> dict[str, Any] | None:
    start = len(errors)
    for col in COLUMNS:
        if len(row.get(col) or "") > MAX_FIELD:
            errors.append(RowError(line, col, f"longer than {MAX_FIELD} characters"))
    for col in REQUIRED:
        if not (row.get(col) or "").strip():
            errors.append(RowError(line, col, "required"))
    out: dict[str, Any] = {k: (row.get(k) or "").strip() for k in COLUMNS}
    if out["uan"]:
        uan = parse_uan(out["uan"])
        if uan is None:
            errors.append(RowError(line, "uan", "must have exactly 12 digits"))
        out["uan"] = uan
    if out["date_of_birth"]:
        dob = parse_date(out["date_of_birth"])
        if dob is None or dob >= date.today() or dob.year < 1900:
            errors.append(RowError(line, "date_of_birth", "not a valid past date"))
        out["date_of_birth"] = dob
    if out["preferred_language"] and out["preferred_language"] not in ("bn", "hi", "en"):
        errors.append(RowError(line, "preferred_language", "must be bn, hi or en"))
    if out["phone"]:
        phone = normalise_phone(out["phone"])
        if phone is None or not is_mobile_in(phone):
            errors.append(RowError(line, "phone", "not an Indian mobile number"))
        out["phone"] = phone
    if out["aadhaar_number"] and not re.fullmatch(r"\d{12}", _digits(out["aadhaar_number"])):
        errors.append(RowError(line, "aadhaar_number", "must have exactly 12 digits"))
    if out["bank_account_number"] and not re.fullmatch(
        r"\d{9,18}", _digits(out["bank_account_number"])
    ):
        errors.append(RowError(line, "bank_account_number", "must have 9-18 digits"))
    if out["scheme"]:
        if out["scheme"] not in SCHEMES:
            errors.append(RowError(line, "scheme", f"unknown scheme (use {', '.join(SCHEMES)})"))
        if out["enrollment_status"] not in STATUSES:
            errors.append(RowError(line, "enrollment_status", f"must be {', '.join(STATUSES)}"))
        if out["valid_until"]:
            valid = parse_date(out["valid_until"])
            if valid is None:
                errors.append(RowError(line, "valid_until", "not a valid date"))
            out["valid_until"] = valid
        else:
            out["valid_until"] = None
    return out if len(errors) == start else None


def validate(
    path: Path, session: Session
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [], [RowError(0, "file", f"cannot open: {exc.strerror}")]
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in (*REQUIRED, "scheme") if c not in (reader.fieldnames or [])]
        if missing:
            return [], [RowError(1, ",".join(missing), "missing column")]
        try:
            for row in reader:
                line = reader.line_num
                if None in row:
                    errors.append(RowError(line, "row", "more fields than the header"))
                    continue
                checked = _check_row(line, row, errors)
                if checked:
                    rows.append((line, checked))
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append(RowError(reader.line_num, "file", f"unreadable: {exc}"))
    seen_workers: dict[str, tuple[int, dict[str, Any]]] = {}
    seen_enrollments: set[tuple[str, str]] = set()
    for line, row in rows:
        uan = row["uan"]
        first = seen_workers.get(uan)
        if first is None:
            seen_workers[uan] = (line, row)
        else:
            for col in ("name_en", "date_of_birth", "phone"):
                if row[col] != first[1][col]:
                    errors.append(
                        RowError(line, col, f"differs from line {first[0]} for the same UAN")
                    )
        if row["scheme"]:
            if (uan, row["scheme"]) in seen_enrollments:
                errors.append(RowError(line, "scheme", "same UAN and scheme appear twice"))
            seen_enrollments.add((uan, row["scheme"]))
    if seen_workers:
        existing = set(
            session.execute(select(Worker.uan).where(Worker.uan.in_(list(seen_workers)))).scalars()
        )
        for uan in sorted(existing):
            errors.append(RowError(seen_workers[uan][0], "uan", "worker already exists"))
    errors.sort(key=lambda e: e.line)
    return rows, errors


def import_file(path: Path) -> ImportResult:
    result = ImportResult()
    salt = get_settings().pii_salt
    with session_scope() as session:
        rows, errors = validate(path, session)
        if errors:
            result.errors = errors
            return result
        ensure_schemes(session)
        workers: dict[str, Worker] = {}
        for _, row in rows:
            worker = workers.get(row["uan"])
            if worker is None:
                worker = Worker(
                    uan=row["uan"], name_en=row["name_en"], name_bn=row["name_bn"],
                    name_hi=row["name_hi"], date_of_birth=row["date_of_birth"],
                    gender=row["gender"], phone=row["phone"] or None, state=row["state"],
                    district=row["district"], occupation=row["occupation"],
                    preferred_language=row["preferred_language"],
                )  # fmt: skip
                if row["aadhaar_number"]:
                    number = _digits(row["aadhaar_number"])
                    worker.aadhaar_last4, worker.aadhaar_hash = number[-4:], pii_hash(number, salt)
                if row["bank_account_number"]:
                    number = _digits(row["bank_account_number"])
                    worker.bank_last4, worker.bank_hash = number[-4:], pii_hash(number, salt)
                session.add(worker)
                session.flush()
                workers[row["uan"]] = worker
                result.workers += 1
            if row["scheme"]:
                session.add(
                    Enrollment(
                        worker_id=worker.id,
                        scheme_code=row["scheme"],
                        member_id=row["member_id"] or None,
                        status=row["enrollment_status"],
                        valid_until=row["valid_until"],
                        renewable=row["enrollment_status"] == "lapsed",
                    )
                )
                result.enrollments += 1
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m api.importer FILE.csv", file=sys.stderr)
        return 2
    result = import_file(Path(args[0]))
    if not result.ok:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"{len(result.errors)} problem(s); nothing imported", file=sys.stderr)
        return 1
    print(f"imported {result.workers} worker(s), {result.enrollments} enrollment(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
