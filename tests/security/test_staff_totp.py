"""Officers' optional TOTP second factor: set up by the CLI, required at log-in once set, failing
exactly like a wrong password (same answer, same lock-out), used once, sealed at rest, and
demanded of every officer when STAFF_TOTP_REQUIRED is on."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from api import admin
from api.db.migrate import alembic_config
from api.db.models import AuditLog, StaffLoginLockout, StaffUser
from api.db.session import make_engine, session_scope
from api.domain.errors import DomainError
from api.domain.sealing import SealError, seal, unseal
from api.services import officers, staff_auth, staff_totp
from api.services.context import Ctx
from api.settings import get_settings
from tests.secrets import STAFF_PASSWORD
from tests.security.helpers import database_dump

CTX = Ctx(actor="admin:test", channel="cli")
LOGIN = "/api/v1/staff/login"


def _login(client: Any, code: str | None = None, password: str = STAFF_PASSWORD) -> Any:
    body = {"username": "officer1", "password": password}
    if code is not None:
        body["code"] = code
    return client.post(LOGIN, json=body)


def _enable_by_cli(capsys: pytest.CaptureFixture[str]) -> str:
    """`officers totp-enable officer1`, as a deployment runs it; the secret it printed once."""
    assert admin.main(["officers", "totp-enable", "officer1"]) == 0
    out = capsys.readouterr().out
    uri = re.search(r"otpauth://totp/\S+", out)
    assert uri is not None and "issuer=Shramik" in uri.group(0)
    secret = re.search(r"secret=([A-Z2-7]+)", uri.group(0))
    assert secret is not None and f"secret (manual entry): {secret.group(1)}" in out
    return secret.group(1)


def _wrong_code(secret: str) -> str:
    """A code that is none of those around now (a step either side, and the next one)."""
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // totp.interval
    near = {totp.generate_otp(s) for s in range(step - 2, step + 4)}
    return next(
        c
        for c in ("000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777")
        if c not in near
    )


@pytest.fixture
def required(db: str) -> Iterator[None]:  # the database first
    os.environ["STAFF_TOTP_REQUIRED"] = "true"
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.pop("STAFF_TOTP_REQUIRED", None)
        get_settings.cache_clear()


def test_cli_enables_and_the_code_is_then_needed(client, capsys) -> None:
    assert _login(client).status_code == 200  # no second factor yet: the password is enough
    secret = _enable_by_cli(capsys)
    assert admin.main(["officers", "list"]) == 0
    assert "officer1\tofficer" in capsys.readouterr().out.replace("no-totp", "")
    assert admin.main(["officers", "totp-enable", "officer1"]) == 1  # not replaced by mistake

    missing = _login(client)
    wrong = _login(client, _wrong_code(secret))
    bad_password = _login(client, pyotp.TOTP(secret).now(), password="not the password")
    assert missing.status_code == wrong.status_code == bad_password.status_code == 401
    assert missing.json() == wrong.json() == bad_password.json()  # no hint which part was wrong

    assert _login(client, pyotp.TOTP(secret).now()).status_code == 200
    with session_scope() as s:
        actions = {a.action for a in s.execute(select(AuditLog)).scalars()}
    assert "officer.totp_enable" in actions

    assert admin.main(["officers", "totp-disable", "officer1"]) == 0
    assert _login(client).status_code == 200
    with session_scope() as s:
        actions = {a.action for a in s.execute(select(AuditLog)).scalars()}
    assert "officer.totp_disable" in actions


def test_a_code_works_once(client) -> None:
    with session_scope() as s:
        secret = officers.totp_enable(s, CTX, "officer1").secret
    code = pyotp.TOTP(secret).now()
    assert _login(client, code).status_code == 200
    again = _login(client, code)
    assert again.status_code == 401 and again.json()["error"]["code"] == "unauthorized"


def test_wrong_codes_count_toward_the_lock_out(client) -> None:
    with session_scope() as s:
        secret = officers.totp_enable(s, CTX, "officer1").secret
    for _ in range(get_settings().staff_login_max_failures):
        assert _login(client, _wrong_code(secret)).status_code == 401
    locked = _login(client, pyotp.TOTP(secret).now())
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "locked_out"


def test_required_setting_refuses_officers_without_a_second_factor(client, required) -> None:
    refused = _login(client)
    assert refused.status_code == 401
    assert refused.json() == _login(client, password="not the password").json()
    with session_scope() as s:
        secret = officers.totp_enable(s, CTX, "officer1").secret
    assert _login(client, pyotp.TOTP(secret).now()).status_code == 200


def test_the_secret_is_not_readable_in_a_database_dump(db, capsys) -> None:
    secret = _enable_by_cli(capsys)
    dump = database_dump()
    assert secret not in dump and secret.lower() not in dump and "otpauth" not in dump
    with session_scope() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()
        assert user.totp_sealed and secret not in user.totp_sealed


def test_check_accepts_a_step_either_side_once_each(db) -> None:
    with session_scope() as s:
        user = s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()
        secret = staff_totp.enrol(user).secret
        totp = pyotp.TOTP(secret)
        s.flush()
        now = 1_800_000_015.0  # the middle of a step
        assert staff_totp.check(s, user, totp.at(now - 30), now)  # a clock a step behind
        assert not staff_totp.check(s, user, totp.at(now - 30), now)  # used
        assert staff_totp.check(s, user, totp.at(now), now)
        assert not staff_totp.check(s, user, totp.at(now - 30), now)  # older than the last one
        assert not staff_totp.check(s, user, totp.at(now - 60), now)  # outside the window
        assert not staff_totp.check(s, user, None, now)
        assert not staff_totp.check(s, user, "12345", now)
        assert not staff_totp.check(s, user, "abcdef", now)
    with session_scope() as s:  # what was used is in the row, not only in the session
        stored = s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()
        assert stored.totp_last_step == int(now) // 30
        assert not staff_totp.check(s, stored, totp.at(now), now)


def _waiting_on_locks(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_two_log_ins_racing_with_one_fresh_code_let_one_in(db: str) -> None:
    """Both log-ins have checked the password and the code before either writes: the test holds
    the officer's lock-out row, which every successful log-in updates, until both wait on a
    lock. A check-then-assign lets both in; the conditional UPDATE lets in exactly one."""
    if not db.startswith("postgresql"):
        pytest.skip("one process's SQLite sessions take turns (api/db/session.py): no race")
    with session_scope() as s:
        secret = officers.totp_enable(s, CTX, "officer1").secret
    with pytest.raises(DomainError), session_scope() as s:  # the lock-out row now exists
        staff_auth.login(s, CTX, "officer1", "not the password")
    code = pyotp.TOTP(secret).now()
    outcomes: list[str] = []

    def log_in() -> None:
        try:
            with session_scope() as s:
                staff_auth.login(s, CTX, "officer1", STAFF_PASSWORD, code)
            outcomes.append("in")
        except DomainError as error:
            outcomes.append(error.code)

    holder = make_engine(db)
    try:
        with holder.connect() as conn:
            conn.execute(select(StaffLoginLockout).with_for_update()).all()
            racers = [threading.Thread(target=log_in) for _ in range(2)]
            for racer in racers:
                racer.start()
            deadline = time.monotonic() + 30
            while _waiting_on_locks(db) < 2:
                assert time.monotonic() < deadline, f"the log-ins did not both wait: {outcomes}"
                time.sleep(0.05)
            conn.rollback()  # let them go
        for racer in racers:
            racer.join(30)
    finally:
        holder.dispose()
    assert sorted(outcomes) == ["in", "unauthorized"]


def test_a_sealed_secret_opens_only_with_its_key_and_for_its_row() -> None:
    key, other = b"k" * 32, b"o" * 32
    sealed = seal(key, "JBSWY3DPEHPK3PXP", "staff_users:1")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert unseal(key, sealed, "staff_users:1") == "JBSWY3DPEHPK3PXP"
    assert seal(key, "JBSWY3DPEHPK3PXP", "staff_users:1") != sealed  # a fresh nonce each time
    for bad_key, row in ((other, "staff_users:1"), (key, "staff_users:2")):
        with pytest.raises(SealError):
            unseal(bad_key, sealed, row)
    flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    with pytest.raises(SealError):
        unseal(key, flipped, "staff_users:1")


def test_migration_adds_and_removes_the_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0013_staff_totp")
    engine = create_engine(url)

    def columns() -> set[str]:
        return {c["name"] for c in inspect(engine).get_columns("staff_users")}

    assert {"totp_sealed", "totp_last_step"} <= columns()
    command.downgrade(config, "0012_job_runs")
    assert not {"totp_sealed", "totp_last_step"} & columns()
    command.upgrade(config, "head")
    engine.dispose()
