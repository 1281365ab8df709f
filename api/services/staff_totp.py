"""Officers' optional TOTP second factor (pyotp): set up, remove, and check a code at log-in.

The secret is stored sealed (api/domain/sealing.py) with a key derived from PII_SALT, which a
deployment never rotates (every identity hash depends on it), so a database dump alone does not
give away the secret. A code is accepted once: the time-step it matched is kept, and a code for
that step or an earlier one is refused, so a code seen over a shoulder cannot be replayed. The
step is recorded by one conditional UPDATE (only if it is newer than the one stored), so when two
log-ins race with the same fresh code the database lets exactly one of them record it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from api.db.models import StaffUser
from api.domain.sealing import SealError, seal, unseal
from api.settings import get_settings

ISSUER = "Shramik Sahayak"
DIGITS = 6
WINDOW = 1  # one 30-second step either side, for clocks a little off


@dataclass(frozen=True)
class Enrolment:
    """What the officer types into (or scans with) an authenticator app; shown once."""

    secret: str
    uri: str


def _key() -> bytes:
    salt = get_settings().pii_salt.encode()
    return hmac.new(salt, b"staff-totp-secret", hashlib.sha256).digest()


def _bound(user: StaffUser) -> str:
    return f"staff_users:{user.id}"


def enabled(user: StaffUser) -> bool:
    return bool(user.totp_sealed)


def enrol(user: StaffUser) -> Enrolment:
    """A new secret for `user` (sealed on the row); the caller audits and shows it once."""
    secret = pyotp.random_base32()
    user.totp_sealed = seal(_key(), secret, _bound(user))
    user.totp_last_step = None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return Enrolment(secret=secret, uri=uri)


def remove(user: StaffUser) -> None:
    user.totp_sealed = None
    user.totp_last_step = None


def _clean(code: str | None) -> str | None:
    digits = "".join((code or "").split())
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def check(session: Session, user: StaffUser, code: str | None, now: float | None = None) -> bool:
    """True once for a right code; the matched step is kept so the same code fails next time."""
    if not user.totp_sealed:
        return False
    digits = _clean(code)
    if digits is None:
        return False
    try:
        secret = unseal(_key(), user.totp_sealed, _bound(user))
    except SealError:
        return False
    newest = _matched_step(secret, digits, time.time() if now is None else now)
    return newest is not None and _use_step(session, user, newest)


def _matched_step(secret: str, digits: str, at: float) -> int | None:
    """The newest time-step within the window whose code is `digits`."""
    totp = pyotp.TOTP(secret)
    if not totp.verify(digits, for_time=datetime.fromtimestamp(at, UTC), valid_window=WINDOW):
        return None
    step = int(at) // totp.interval
    matched = [
        s
        for s in range(step - WINDOW, step + WINDOW + 1)
        if hmac.compare_digest(totp.generate_otp(s), digits)
    ]
    return max(matched, default=None)


def _use_step(session: Session, user: StaffUser, step: int) -> bool:
    """Record `step` as used unless it (or a later one) already is: one conditional UPDATE.

    Why not compare in Python and assign: two log-ins racing with the same fresh code would
    both read the old step and both pass. Here the database decides: PostgreSQL makes the second
    UPDATE wait for the first's row lock and then re-checks its condition against the committed
    row (0 rows); SQLite runs one writer at a time.
    """
    result = session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]  # an UPDATE: a CursorResult
        return False
    set_committed_value(user, "totp_last_step", step)  # what the row holds now; no second write
    return True
