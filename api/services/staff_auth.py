"""Officer accounts: scrypt password hashes and server-side sessions (cookie holds a token)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.db.models import StaffSession, StaffUser, utcnow
from api.domain.errors import DomainError
from api.domain.masking import token_hash

SESSION_HOURS = 8
_N, _R, _P = 2**14, 8, 1
_DUMMY_HASH = "scrypt$16384$8$1$00$00"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def create_user(
    session: Session, username: str, password: str, name: str = "", languages: str = "bn,hi,en"
) -> StaffUser:
    user = StaffUser(
        username=username, name=name, languages=languages, password_hash=hash_password(password)
    )
    session.add(user)
    session.flush()
    return user


def login(session: Session, username: str, password: str) -> tuple[str, StaffUser]:
    user = session.execute(
        select(StaffUser).where(StaffUser.username == username)
    ).scalar_one_or_none()
    ok = check_password(password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not ok or not user.active:
        raise DomainError("unauthorized", "Wrong username or password.")
    session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            staff_user_id=user.id,
            expires_at=utcnow() + timedelta(hours=SESSION_HOURS),
        )
    )
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
