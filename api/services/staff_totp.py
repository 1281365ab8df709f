"""Officers' optional TOTP second factor (pyotp): set up, remove, and check a code at log-in.

The secret is stored sealed (api/domain/sealing.py) with a key derived from PII_SALT, which a
deployment never rotates (every identity hash depends on it), so a database dump alone does not
give away the secret. A code is accepted once: the time-step it matched is kept, and a code for
that step or an earlier one is refused, so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

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


def check(user: StaffUser, code: str | None, now: float | None = None) -> bool:
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
    at = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    if not totp.verify(digits, for_time=datetime.fromtimestamp(at, UTC), valid_window=WINDOW):
        return False
    step = int(at) // totp.interval
    matched = [
        s
        for s in range(step - WINDOW, step + WINDOW + 1)
        if hmac.compare_digest(totp.generate_otp(s), digits)
    ]
    newest = max(matched, default=None)
    if newest is None or (user.totp_last_step is not None and newest <= user.totp_last_step):
        return False
    user.totp_last_step = newest
    return True
