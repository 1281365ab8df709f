"""An officer sets up their own TOTP second factor from the console's API: the password again,
then the app's first code before anything takes effect; turning it off needs a current code;
a supervisor can reset another officer's; every step is audited. (CLI set-up, the used-once
rule and the race: test_staff_totp.py.)"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import AuditLog
from api.db.session import session_scope
from api.services import officers
from api.services.context import Ctx
from api.settings import get_settings
from tests.secrets import STAFF_PASSWORD

ME = "/api/v1/staff/me/totp"
LOGIN = "/api/v1/staff/login"
SUPERVISOR = ("super1", "supervisor-pass-1")


def _login(client: TestClient, code: str | None = None, who: str = "officer1") -> Any:
    password = STAFF_PASSWORD if who == "officer1" else SUPERVISOR[1]
    body = {"username": who, "password": password, **({"code": code} if code else {})}
    return client.post(LOGIN, json=body)


def _code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _wrong(secret: str) -> str:
    near = {_code(secret, n) for n in range(-2, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in near)


def _audited() -> list[tuple[str, str, str]]:
    with session_scope() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.id)).scalars()
        return [(a.actor, a.action, a.outcome or "") for a in rows]


def _start(client: TestClient) -> dict[str, Any]:
    started = client.post(f"{ME}/start", json={"password": STAFF_PASSWORD})
    assert started.status_code == 200, started.text
    body: dict[str, Any] = started.json()
    return body


def test_an_officer_turns_it_on_with_a_first_code_and_off_with_a_current_one(client) -> None:
    assert _login(client).status_code == 200
    assert client.get(ME).json() == {"enabled": False}

    wrong_password = client.post(f"{ME}/start", json={"password": "not the password"})
    assert wrong_password.status_code == 422
    assert wrong_password.json()["error"]["field"] == "password"

    setup = _start(client)
    secret = setup["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert setup["secret_groups"].replace(" ", "") == secret
    assert all(len(group) == 4 for group in setup["secret_groups"].split())
    uri = urlparse(setup["uri"])
    assert uri.scheme == "otpauth" and parse_qs(uri.query)["secret"] == [secret]
    assert parse_qs(uri.query)["issuer"] == ["Shramik Sahayak"]
    assert setup["expires_in_s"] == 15 * 60

    # nothing in effect before the first code: the password alone still logs in
    assert client.get(ME).json() == {"enabled": False}
    assert _login(client).status_code == 200
    wrong = client.post(f"{ME}/confirm", json={"ticket": setup["ticket"], "code": _wrong(secret)})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "code"
    forged = setup["ticket"][:-6] + ("A" if setup["ticket"][-6] != "A" else "B") + "AAAAA"
    tampered = client.post(f"{ME}/confirm", json={"ticket": forged, "code": _code(secret)})
    assert tampered.status_code == 422 and tampered.json()["error"]["field"] == "ticket"
    assert client.get(ME).json() == {"enabled": False}

    first = _code(secret, -1)  # a clock a step behind: still within the window
    done = client.post(f"{ME}/confirm", json={"ticket": setup["ticket"], "code": first})
    assert done.status_code == 200 and done.json() == {"enabled": True}
    again = client.post(f"{ME}/confirm", json={"ticket": setup["ticket"], "code": _code(secret)})
    assert again.status_code == 422  # already on: not replaced by a replayed ticket

    assert _login(client).status_code == 401  # now the code is needed
    assert _login(client, first).status_code == 401  # the confirming code was used
    assert _login(client, _code(secret)).status_code == 200

    off = client.post(f"{ME}/disable", json={"code": _wrong(secret)})
    assert off.status_code == 422 and off.json()["error"]["field"] == "code"
    assert client.get(ME).json() == {"enabled": True}
    off = client.post(f"{ME}/disable", json={"code": _code(secret, 1)})
    assert off.status_code == 200 and off.json() == {"enabled": False}
    assert _login(client).status_code == 200

    actions = [(actor, action) for actor, action, _ in _audited()]
    for action in ("officer.totp_start", "officer.totp_enable", "officer.totp_disable"):
        assert ("staff:officer1", action) in actions
    failed = [a for a in _audited() if a[1] == "staff_login" and a[2] == "failed"]
    assert len(failed) >= 3  # the wrong password and code were audited like log-ins


def test_wrong_codes_to_turn_it_off_count_toward_the_lock_out(client) -> None:
    assert _login(client).status_code == 200
    setup = _start(client)
    secret = setup["secret"]
    body = {"ticket": setup["ticket"], "code": _code(secret)}
    assert client.post(f"{ME}/confirm", json=body).status_code == 200
    for _ in range(get_settings().staff_login_max_failures):
        assert client.post(f"{ME}/disable", json={"code": _wrong(secret)}).status_code == 422
    locked = client.post(f"{ME}/disable", json={"code": _code(secret, 1)})
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "locked_out"
    assert client.get(ME).json() == {"enabled": True}


def test_a_stale_set_up_is_refused(client, monkeypatch) -> None:
    assert _login(client).status_code == 200
    setup = _start(client)
    later = time.time() + 16 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    code = pyotp.TOTP(setup["secret"]).at(later)
    stale = client.post(f"{ME}/confirm", json={"ticket": setup["ticket"], "code": code})
    assert stale.status_code == 422 and stale.json()["error"]["field"] == "ticket"


def test_a_supervisor_resets_an_officers_second_factor(client, db) -> None:
    from asgi import create_app

    with session_scope() as s:
        ctx = Ctx(actor="admin:test", channel="cli")
        officers.add(s, ctx, username=SUPERVISOR[0], password=SUPERVISOR[1], role="supervisor")
        secret = officers.totp_enable(s, ctx, "officer1").secret
    assert _login(client, _code(secret)).status_code == 200
    assert client.post("/api/v1/staff/officers/officer1/reset-totp").status_code == 403

    with TestClient(create_app(configure_logs=False)) as boss:
        assert _login(boss, who="super1").status_code == 200
        listed = {o["username"]: o for o in boss.get("/api/v1/staff/officers").json()}
        assert listed["officer1"]["totp"] is True
        reset = boss.post("/api/v1/staff/officers/officer1/reset-totp")
        assert reset.status_code == 200 and reset.json()["totp"] is False

    assert client.get(ME).status_code == 401  # the officer's sessions ended
    assert _login(client).status_code == 200  # the password alone again; set up anew
    assert ("staff:super1", "officer.totp_reset", "ok") in _audited()
