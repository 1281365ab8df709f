"""Cells of a legacy CSV row read once: trimmed, bounded and parsed, a problem recorded with its
line and column instead of raised. Problems name the column and the reason, never the value:
the importer prints no personal data."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from api.domain.digits import ascii_digits
from api.domain.parsing import parse_amount, parse_date, parse_uan, today_in_india

MAX_FIELD = 200
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


@dataclass(frozen=True)
class Fate:
    """What happens (or would happen) to one row; `changed` names columns, never values."""

    line: int
    action: str  # insert | update | unchanged | error
    changed: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()

    def __str__(self) -> str:
        if self.action == "error":
            return "; ".join(str(e) for e in self.errors)
        detail = f" ({', '.join(self.changed)})" if self.changed else ""
        return f"line {self.line}: {self.action}{detail}"


@dataclass
class Planned:
    """A row read and compared with the database: its fate and what applying it needs."""

    line: int
    record: dict[str, Any] | None
    errors: list[RowError] = field(default_factory=list)
    action: str = "unchanged"
    changed: list[str] = field(default_factory=list)
    op: Any = None

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))

    def fate(self) -> Fate:
        if self.errors:
            return Fate(self.line, "error", errors=tuple(self.errors))
        return Fate(self.line, self.action, tuple(self.changed))


NO_WORKER = "no worker with this UAN (import the workers file first)"


def worker_row(p: Planned, stored: dict[str, Any], first: dict[str, int]) -> Any:
    """A nominee or pension row: one per UAN in the file, for a worker already imported; the
    stored (worker, record) pair, or None with the row failed."""
    assert p.record is not None
    uan = p.record["uan"]
    if uan in first:
        p.fail("uan", f"same UAN as line {first[uan]}")
    first.setdefault(uan, p.line)
    if uan not in stored:
        p.fail("uan", NO_WORKER)
        return None
    return stored[uan]


def digits_only(value: str) -> str:
    return re.sub(r"[\s\-]", "", ascii_digits(value))


def digest(*values: object) -> bytes:
    """4 bytes per value: enough to tell a repeated key's values apart, small for 100 000 keys."""
    return b"".join(hashlib.blake2b(repr(v).encode(), digest_size=4).digest() for v in values)


def differing(first: bytes, again: bytes, columns: tuple[str, ...]) -> list[str]:
    return [
        c for i, c in enumerate(columns) if first[4 * i : 4 * i + 4] != again[4 * i : 4 * i + 4]
    ]


def quick_date(text: str) -> date | None:
    """dd/mm/yyyy and ISO without the spoken-date machinery (100 000 rows), else parse_date."""
    m = _DAY_FIRST.fullmatch(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return parse_date(text)


class Cells:
    """Typed getters over one CSV row; each bad cell becomes a problem on `planned`."""

    def __init__(self, row: dict[str, str], planned: Planned, columns: tuple[str, ...]) -> None:
        self.planned = planned
        self.values: dict[str, str] = {}
        for column in columns:
            value = (row.get(column) or "").strip()
            if len(value) > MAX_FIELD:
                planned.fail(column, f"longer than {MAX_FIELD} characters")
                value = ""
            self.values[column] = value
        self.today = today_in_india()

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.planned.fail(column, "required")
        return value

    def uan(self, column: str = "uan") -> str | None:
        value = self.text(column, required=True)
        if not value:
            return None
        uan = parse_uan(value)
        if uan is None:
            self.planned.fail(column, "must have exactly 12 digits")
        return uan

    def day(self, column: str, *, required: bool = False, past: bool = False) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        day = quick_date(ascii_digits(value))
        if day is None or day.year < 1900 or (past and day >= self.today):
            self.planned.fail(column, "not a valid past date" if past else "not a valid date")
            return None
        return day

    def amount(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if not value:
            return None
        amount = int(value) if value.isdigit() else parse_amount(value)
        if amount is None or amount <= 0:
            self.planned.fail(column, "not an amount in rupees above zero")
            return None
        return amount

    def choice(self, column: str, allowed: tuple[str, ...], *, required: bool = False) -> str:
        value = self.text(column, required=required)
        if value and value not in allowed:
            self.planned.fail(column, f"must be one of {', '.join(allowed)}")
        return value
