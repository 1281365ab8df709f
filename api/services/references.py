"""Issue the next reference number (CLM-2026-000123) from a per-prefix, per-year counter."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import ReferenceCounter
from api.domain.references import PREFIXES, format_reference, parse_reference
from api.services.context import local_today


def next_reference(session: Session, kind: str, year: int | None = None) -> str:
    """Atomic increment (row lock on PostgreSQL, write lock on SQLite)."""
    prefix = PREFIXES[kind]
    year = year or local_today().year
    for _ in range(3):
        stmt = (
            update(ReferenceCounter)
            .where(ReferenceCounter.prefix == prefix, ReferenceCounter.year == year)
            .values(value=ReferenceCounter.value + 1)
            .returning(ReferenceCounter.value)
        )
        value = session.execute(stmt).scalar_one_or_none()
        if value is not None:
            return format_reference(kind, year, value)
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(prefix=prefix, year=year, value=1))
            return format_reference(kind, year, 1)
        except IntegrityError:
            continue  # another request created the counter first: increment it
    raise RuntimeError("could not allocate a reference number")


def note_existing(session: Session, reference: str) -> None:
    """Make sure future numbers are above an imported/seeded reference."""
    parsed = parse_reference(reference)
    if not parsed:
        return
    prefix, year, number = parsed
    counter = session.execute(
        select(ReferenceCounter).where(
            ReferenceCounter.prefix == prefix, ReferenceCounter.year == year
        )
    ).scalar_one_or_none()
    if counter is None:
        session.add(ReferenceCounter(prefix=prefix, year=year, value=number))
        session.flush()
    elif counter.value < number:
        counter.value = number
