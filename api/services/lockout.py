"""Lock-out counters, bumped atomically BEFORE a try is judged.

Why before: "read the count, judge, then add one" lets 20 parallel tries all read "0 failures"
and all be judged. Here one INSERT ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, SQLite)
takes a try; only tries numbered up to the limit are judged, the rest are refused unseen. A
success gives the try back (`release`), a failure keeps it and, at the limit, locks the key.
Keys are salted hashes ("uan:<hash>"), so unknown UANs are counted exactly like known ones.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from api.db.models import VerificationCounter, utcnow
from api.settings import get_settings


def counter_key(kind: str, value: str) -> str:
    """'uan:<hmac>' for a UAN, caller number, web session or network (nothing readable)."""
    salt = get_settings().pii_salt.encode()
    digest = hmac.new(salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest}"


@dataclass(frozen=True)
class Take:
    """One try taken on one key: its number, and the lock (if any) it found."""

    key: str
    number: int
    limit: int
    locked_until: datetime | None

    def refused(self, now: datetime) -> bool:
        locked = self.locked_until is not None and self.locked_until > now
        return locked or self.number > self.limit

    def left_after_failure(self) -> int:
        return max(0, self.limit - self.number)


def take(session: Session, key: str, limit: int, window: timedelta) -> Take:
    """Count a try on `key` (a stale count or an expired lock starts again from 1)."""
    now = utcnow()
    row = VerificationCounter
    stale = or_(
        and_(row.locked_until.isnot(None), row.locked_until <= now),
        and_(row.locked_until.is_(None), row.last_at <= now - window),
    )
    values = {"key": key, "failures": 1, "last_at": now, "locked_until": None}
    on_conflict = {
        "failures": case((stale, 1), else_=row.failures + 1),
        "locked_until": case((stale, None), else_=row.locked_until),
        "last_at": now,
    }
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(row).values(values)
        stmt = pg.on_conflict_do_update(index_elements=[row.key], set_=on_conflict)
    else:
        lite = sqlite.insert(row).values(values)
        stmt = lite.on_conflict_do_update(index_elements=[row.key], set_=on_conflict)
    number, locked_until = session.execute(stmt.returning(row.failures, row.locked_until)).one()
    return Take(key, int(number), limit, locked_until)


def lock(session: Session, key: str, minutes: int) -> datetime:
    until = utcnow() + timedelta(minutes=minutes)
    session.execute(
        update(VerificationCounter).where(VerificationCounter.key == key).values(locked_until=until)
    )
    return until


def release(session: Session, key: str, *, reset: bool) -> None:
    """A success: give the try back (`reset`: forget every failure, as for the worker's UAN)."""
    failures = (
        0
        if reset
        else case((VerificationCounter.failures > 0, VerificationCounter.failures - 1), else_=0)
    )
    session.execute(
        update(VerificationCounter)
        .where(VerificationCounter.key == key)
        .values(failures=failures, locked_until=None if reset else VerificationCounter.locked_until)
    )


def retry_after_s(takes: list[Take], now: datetime, lockout_minutes: int) -> int:
    """Seconds until the longest lock among refused takes ends (a fresh lock: the full time)."""
    ends = [t.locked_until for t in takes if t.locked_until is not None and t.locked_until > now]
    if not ends:
        return lockout_minutes * 60
    return int((max(ends) - now).total_seconds()) + 1
