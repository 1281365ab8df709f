"""Officer accounts: argon2id password hashes (argon2-cffi; older scrypt hashes still verify and
are re-hashed at the next successful log-in) and server-side sessions (cookie holds a token).

Log-ins lock after a few failures in a row: an officer account reads hand-off transcripts, so
password guessing must be slow. Failures are counted per user name whether it exists or not, and
committed before the refusal, as verification does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.db.models import StaffLoginLockout, StaffSession, StaffUser, utcnow
from api.domain.errors import DomainError
from api.domain.masking import token_hash
from api.services import audit, staff_totp
from api.services.context import Ctx
from api.settings import get_settings

SESSION_HOURS = 8
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
ROLES = ("officer", "supervisor")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash to check unknown names against, so they take as long as known ones."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _check_scrypt(password: str, stored: str) -> bool:
    """Hashes written before argon2 (scrypt$n$r$p$salt$digest)."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        return _check_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """An old scheme or weaker argon2 parameters: hash again while the password is at hand."""
    if stored.startswith("scrypt$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def create_user(
    session: Session,
    username: str,
    password: str,
    name: str = "",
    languages: str = "bn,hi,en",
    *,
    role: str = "officer",
    district: str = "",
    phone: str | None = None,
) -> StaffUser:
    user = StaffUser(
        username=username,
        name=name,
        languages=languages,
        role=role,
        district=district,
        phone=phone,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _lockout(session: Session, username: str) -> StaffLoginLockout:
    key = token_hash(username.strip().lower())
    lock = session.get(StaffLoginLockout, key)
    if lock is None:
        lock = StaffLoginLockout(username_hash=key, failures=0)
        session.add(lock)
        session.flush()
    return lock


def _refuse(
    session: Session, ctx: Ctx, outcome: str, error: DomainError, purpose: str = "officer log-in"
) -> NoReturn:
    """Audit the refused log-in, keep the count (commit), then refuse."""
    audit.record(session, ctx, "staff_login", worker_id=None, purpose=purpose, outcome=outcome)
    session.commit()
    raise error


def _locked(session: Session, ctx: Ctx, lock: StaffLoginLockout, purpose: str) -> None:
    now = utcnow()
    if lock.locked_until and lock.locked_until > now:
        wait_s = int((lock.locked_until - now).total_seconds()) + 1
        _refuse(
            session,
            ctx,
            "locked_out",
            DomainError("locked_out", "Too many failed log-ins; try later.", retry_after_s=wait_s),
            purpose,
        )


def _count_failure(lock: StaffLoginLockout) -> None:
    settings = get_settings()
    lock.failures += 1
    if lock.failures >= settings.staff_login_max_failures:
        lock.failures = 0
        lock.locked_until = utcnow() + timedelta(minutes=settings.staff_login_lockout_minutes)


def reconfirm(
    session: Session,
    ctx: Ctx,
    user: StaffUser,
    *,
    password: str | None = None,
    code: str | None = None,
) -> None:
    """A logged-in officer proves it again (the password, or a current code) before changing
    their own second factor, so a session cookie alone cannot. Wrong answers count toward the
    log-in lock-out; the refusal names the field (`invalid_input`): the session stays valid."""
    lock = _lockout(session, user.username)
    purpose = "officer re-confirms (second factor)"
    _locked(session, ctx, lock, purpose)
    if password is not None:
        ok, field = check_password(password, user.password_hash), "password"
    else:
        ok, field = staff_totp.check(session, user, code), "code"
    if not ok:
        _count_failure(lock)
        _refuse(
            session, ctx, "failed", DomainError("invalid_input", "Not right.", field=field), purpose
        )
    lock.failures = 0


def _second_factor(session: Session, user: StaffUser, code: str | None) -> bool:
    """The TOTP code when the officer has one; without one, allowed unless STAFF_TOTP_REQUIRED."""
    if staff_totp.enabled(user):
        return staff_totp.check(session, user, code)
    return not get_settings().staff_totp_required


def login(
    session: Session, ctx: Ctx, username: str, password: str, code: str | None = None
) -> tuple[str, StaffUser]:
    """A wrong password, a wrong or missing or reused code, and a required but absent second
    factor all fail the same way and count toward the same lock-out: no hint which part was
    wrong."""
    lock = _lockout(session, username)
    _locked(session, ctx, lock, "officer log-in")
    user = session.execute(
        select(StaffUser).where(StaffUser.username == username)
    ).scalar_one_or_none()
    ok = check_password(password, user.password_hash if user else _dummy_hash())
    if user is None or not ok or not user.active or not _second_factor(session, user, code):
        _count_failure(lock)
        _refuse(
            session, ctx, "failed", DomainError("unauthorized", "Wrong username, password or code.")
        )
    lock.failures = 0
    lock.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            staff_user_id=user.id,
            expires_at=utcnow() + timedelta(hours=SESSION_HOURS),
        )
    )
    audit.record(session, ctx, "staff_login", worker_id=None, purpose="officer log-in")
    return token, user


def user_for_token(session: Session, token: str | None) -> StaffUser:
    if not token or len(token) > 200:
        raise DomainError("unauthorized", "Log in first.")
    row = session.execute(
        select(StaffSession).where(StaffSession.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.expires_at <= utcnow():
        raise DomainError("unauthorized", "Session expired; log in again.")
    user = session.get(StaffUser, row.staff_user_id)
    if user is None or not user.active:
        raise DomainError("forbidden", "Account disabled.")
    return user


def logout(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))
