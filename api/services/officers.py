"""Officer accounts outside demo mode: add, disable, reset a password, a TOTP second factor,
list. Used by the CLI (`python -m api.admin officers ...`) and the supervisors' endpoints alike,
so both obey the same checks (role, languages, a dialable phone, a long enough password)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.db.models import StaffSession, StaffUser
from api.domain.codes import LANGUAGES
from api.domain.errors import DomainError
from api.domain.phones import normalise_phone
from api.services import audit, staff_auth, staff_totp
from api.services.context import Ctx

MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


def view(user: StaffUser) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.name,
        "role": user.role,
        "languages": [x for x in user.languages.split(",") if x],
        "district": user.district,
        "phone": user.phone,
        "active": user.active,
        "totp": staff_totp.enabled(user),
        "created_at": user.created_at,
    }


def _password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise DomainError(
            "invalid_input",
            f"A password needs at least {MIN_PASSWORD} characters.",
            field="password",
        )
    return password


def _languages(languages: list[str]) -> str:
    bad = [x for x in languages if x not in LANGUAGES]
    if bad or not languages:
        raise DomainError("invalid_input", "Languages are bn, hi and en.", field="languages")
    return ",".join(dict.fromkeys(languages))


def _get(session: Session, username: str) -> StaffUser:
    user = session.execute(
        select(StaffUser).where(StaffUser.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise DomainError("not_found", "No officer with this user name.", field="username")
    return user


def add(
    session: Session,
    ctx: Ctx,
    *,
    username: str,
    password: str,
    name: str = "",
    role: str = "officer",
    languages: list[str] | None = None,
    district: str = "",
    phone: str | None = None,
) -> dict[str, Any]:
    name_key = username.strip().lower()
    if not USERNAME.match(name_key):
        raise DomainError(
            "invalid_input",
            "User names are 3-60 lower-case letters, digits, dots, dashes.",
            field="username",
        )
    if role not in staff_auth.ROLES:
        raise DomainError("invalid_input", "Role is officer or supervisor.", field="role")
    number = None
    if phone:
        number = normalise_phone(phone)
        if number is None:
            raise DomainError("invalid_input", "Not a phone number.", field="phone")
    exists = session.execute(
        select(StaffUser.id).where(StaffUser.username == name_key)
    ).scalar_one_or_none()
    if exists is not None:
        raise DomainError("invalid_input", "This user name is taken.", field="username")
    user = staff_auth.create_user(
        session,
        name_key,
        _password(password),
        name=name.strip()[:120],
        languages=_languages(languages or ["bn", "hi", "en"]),
        role=role,
        district=district.strip()[:60],
        phone=number,
    )
    audit.record(session, ctx, "officer.add", worker_id=None, purpose=f"add {role} {name_key}")
    return view(user)


def disable(session: Session, ctx: Ctx, username: str) -> dict[str, Any]:
    """No more log-ins, and the sessions already open end now."""
    user = _get(session, username)
    user.active = False
    session.execute(delete(StaffSession).where(StaffSession.staff_user_id == user.id))
    audit.record(session, ctx, "officer.disable", worker_id=None, purpose=f"disable {username}")
    return view(user)


def reset_password(session: Session, ctx: Ctx, username: str, password: str) -> dict[str, Any]:
    user = _get(session, username)
    user.password_hash = staff_auth.hash_password(_password(password))
    session.execute(delete(StaffSession).where(StaffSession.staff_user_id == user.id))
    audit.record(session, ctx, "officer.reset", worker_id=None, purpose=f"reset {username}")
    return view(user)


def totp_enable(session: Session, ctx: Ctx, username: str) -> staff_totp.Enrolment:
    """A new TOTP secret, shown once; refused while one is set (disable first, on purpose)."""
    user = _get(session, username)
    if staff_totp.enabled(user):
        raise DomainError(
            "invalid_input",
            "A second factor is already set up; disable it first.",
            field="username",
        )
    enrolment = staff_totp.enrol(user)
    audit.record(session, ctx, "officer.totp_enable", worker_id=None, purpose=f"totp {username}")
    return enrolment


def totp_disable(session: Session, ctx: Ctx, username: str) -> dict[str, Any]:
    user = _get(session, username)
    staff_totp.remove(user)
    audit.record(session, ctx, "officer.totp_disable", worker_id=None, purpose=f"totp {username}")
    return view(user)


def _already_on(user: StaffUser) -> None:
    if staff_totp.enabled(user):
        raise DomainError(
            "invalid_input", "A second factor is already set up; turn it off first.", field="totp"
        )


def totp_start(session: Session, ctx: Ctx, user: StaffUser, password: str) -> staff_totp.Pending:
    """An officer sets up their own second factor: the password again, then a secret to scan
    (nothing in effect until `totp_confirm` gets the app's first code)."""
    _already_on(user)
    staff_auth.reconfirm(session, ctx, user, password=password)
    pending = staff_totp.begin(user)
    audit.record(session, ctx, "officer.totp_start", worker_id=None, purpose="totp self")
    return pending


def totp_confirm(
    session: Session, ctx: Ctx, user: StaffUser, ticket: str, code: str
) -> dict[str, Any]:
    _already_on(user)
    staff_totp.finish(user, ticket, code)
    audit.record(session, ctx, "officer.totp_enable", worker_id=None, purpose="totp self")
    return view(user)


def totp_turn_off(session: Session, ctx: Ctx, user: StaffUser, code: str) -> dict[str, Any]:
    """An officer removes their own second factor, with a current code from it."""
    if not staff_totp.enabled(user):
        raise DomainError("invalid_input", "No second factor is set up.", field="totp")
    staff_auth.reconfirm(session, ctx, user, code=code)
    staff_totp.remove(user)
    audit.record(session, ctx, "officer.totp_disable", worker_id=None, purpose="totp self")
    return view(user)


def totp_reset(session: Session, ctx: Ctx, username: str) -> dict[str, Any]:
    """A supervisor removes an officer's second factor (a lost phone); the officer's sessions
    end, and they set up a new one at their next log-in."""
    user = _get(session, username)
    staff_totp.remove(user)
    session.execute(delete(StaffSession).where(StaffSession.staff_user_id == user.id))
    audit.record(session, ctx, "officer.totp_reset", worker_id=None, purpose=f"totp {username}")
    return view(user)


def list_all(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(StaffUser).order_by(StaffUser.username)).scalars()
    return [view(u) for u in rows]


def require_supervisor(user: StaffUser) -> None:
    if user.role != "supervisor":
        raise DomainError("forbidden", "Only a supervisor may do this.")
