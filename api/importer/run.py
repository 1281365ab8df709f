"""One import run: stream the file in batches, give every row its fate, write all or nothing.

Why batches: 100 000 rows are read, compared with the database (one query per batch and table)
and written without the file ever being in memory. Fates never depend on earlier batches having
been written (a key repeated in the file is judged against its first line), so a dry run prints
exactly what the real run does. The first bad row stops the writing; the reading goes on so
every problem is listed; the one transaction is then rolled back.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from api.db.session import session_scope
from api.importer.claims import ClaimsKind
from api.importer.fields import Fate, Planned, RowError
from api.importer.nominees import NomineesKind
from api.importer.pensions import PensionsKind
from api.importer.workers import WorkersKind
from api.services.context import Ctx

BATCH = 1000
KINDS: dict[str, Callable[[Ctx], Kind]] = {
    "workers": WorkersKind,
    "nominees": NomineesKind,
    "claims": ClaimsKind,
    "pensions": PensionsKind,
}
# the column that tells a file's kind when --kind is not given (first match wins)
MARKERS = (("reference", "claims"), ("monthly_amount", "pensions"),
           ("nominee_name", "nominees"), ("date_of_birth", "workers"))  # fmt: skip


class Kind(Protocol):
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]

    def read(self, row: dict[str, str], planned: Planned) -> dict[str, Any]: ...
    def plan(self, session: Session, batch: list[Planned]) -> None: ...
    def apply(self, session: Session, batch: list[Planned]) -> None: ...


@dataclass
class ImportResult:
    kind: str = ""
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"insert": 0, "update": 0, "unchanged": 0, "error": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class _Rollback(Exception):
    """Leave the transaction without writing (a dry run, or a file with problems)."""


def detect(header: list[str]) -> str | None:
    return next((kind for column, kind in MARKERS if column in header), None)


def _batches(reader: csv.DictReader[str], kind: Kind) -> Iterator[list[Planned]]:
    batch: list[Planned] = []
    for row in reader:
        planned = Planned(reader.line_num, None)
        if None in row:
            planned.fail("row", "more fields than the header")
        else:
            planned.record = kind.read(row, planned)
        batch.append(planned)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _run(
    session: Session,
    reader: csv.DictReader[str],
    kind: Kind,
    result: ImportResult,
    on_fate: Callable[[Fate], None] | None,
) -> None:
    try:
        for batch in _batches(reader, kind):
            kind.plan(session, batch)
            for planned in batch:
                fate = planned.fate()
                result.counts[fate.action] += 1
                result.errors.extend(fate.errors)
                if on_fate is not None:
                    on_fate(fate)
            if result.ok and not result.dry_run:
                kind.apply(session, [p for p in batch if p.action in ("insert", "update")])
    except (csv.Error, UnicodeDecodeError) as exc:
        result.errors.append(RowError(reader.line_num, "file", f"unreadable: {type(exc).__name__}"))


def import_file(
    path: Path,
    *,
    kind: str | None = None,
    dry_run: bool = False,
    on_fate: Callable[[Fate], None] | None = None,
) -> ImportResult:
    """Import one legacy CSV (or, `dry_run`, only say what would happen); see docs/contracts.md."""
    result = ImportResult(kind=kind or "", dry_run=dry_run)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        result.errors.append(RowError(0, "file", f"cannot open: {exc.strerror}"))
        return result
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = list(reader.fieldnames or [])
        except (csv.Error, UnicodeDecodeError):
            header = []
        result.kind = kind or detect(header) or ""
        if result.kind not in KINDS:
            result.errors.append(
                RowError(1, "header", f"unknown kind; use --kind {'|'.join(KINDS)}")
            )
            return result
        chosen: Kind = KINDS[result.kind](Ctx(actor=f"import:{path.name}"[:120], channel="office"))
        missing = [c for c in chosen.required if c not in header]
        if missing:
            result.errors.append(RowError(1, ",".join(missing), "missing column"))
            return result
        try:
            with session_scope() as session:
                _run(session, reader, chosen, result, on_fate)
                if not result.written:
                    raise _Rollback
        except _Rollback:
            pass
    result.errors.sort(key=lambda e: e.line)
    return result
