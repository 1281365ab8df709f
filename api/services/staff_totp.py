"""Officers' optional TOTP second factor (pyotp): set up, remove, and check a code at log-in.

An officer can set it up themselves (`begin`, then `finish` with the app's first code): until
that first code is right nothing changes, and the new secret waits in a sealed ticket the console
holds (bound to the officer, good for PENDING_MINUTES), not in the database.

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
from api.domain.errors import DomainError
from api.domain.sealing import SealError, seal, unseal
from api.settings import get_settings

ISSUER = "Shramik Sahayak"
DIGITS = 6
WINDOW = 1  # one 30-second step either side, for clocks a little off
PENDING_MINUTES = 15  # time to scan the secret and type the app's first code


@dataclass(frozen=True)
class Enrolment:
    """What the officer types into (or scans with) an authenticator app; shown once."""

    secret: str
    uri: str


@dataclass(frozen=True)
class Pending:
    """A secret offered to an officer, not yet in effect; `ticket` comes back with the code."""

    secret: str
    uri: str
    ticket: str

    @property
    def grouped(self) -> str:
        """The secret in groups of four, easier to type into an app by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _key(purpose: bytes = b"staff-totp-secret") -> bytes:
    salt = get_settings().pii_salt.encode()
    return hmac.new(salt, purpose, hashlib.sha256).digest()


def _bound(user: StaffUser) -> str:
    return f"staff_users:{user.id}"


def enabled(user: StaffUser) -> bool:
    return bool(user.totp_sealed)


def enrol(user: StaffUser) -> Enrolment:
    """A new secret for `user` (sealed on the row); the caller audits and shows it once."""
    secret = pyotp.random_base32()
    user.totp_sealed = seal(_key(), secret, _bound(user))
    user.totp_last_step = None
    return Enrolment(secret=secret, uri=_uri(user, secret))


def _uri(user: StaffUser, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def _pending_bound(user: StaffUser) -> str:
    return f"staff_users:{user.id}:pending"


def begin(user: StaffUser, now: float | None = None) -> Pending:
    """A new secret for the officer to add to their app; nothing changes until `finish`."""
    secret = pyotp.random_base32()
    made = int(time.time() if now is None else now)
    ticket = seal(_key(b"staff-totp-pending"), f"{made}:{secret}", _pending_bound(user))
    return Pending(secret=secret, uri=_uri(user, secret), ticket=ticket)


def finish(user: StaffUser, ticket: str, code: str | None, now: float | None = None) -> None:
    """Put the ticket's secret in effect if `code` is its code now; the code counts as used."""
    at = time.time() if now is None else now
    try:
        made, _, secret = unseal(
            _key(b"staff-totp-pending"), ticket, _pending_bound(user)
        ).partition(":")
    except SealError:
        made, secret = "", ""
    if not made.isdigit() or not 0 <= at - int(made) <= PENDING_MINUTES * 60:
        raise DomainError("invalid_input", "This set-up has expired; start again.", field="ticket")
    digits = _clean(code)
    step = None if digits is None else _matched_step(secret, digits, at)
    if step is None:
        raise DomainError("invalid_input", "That is not the app's current code.", field="code")
    user.totp_sealed = seal(_key(), secret, _bound(user))
    user.totp_last_step = step


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
