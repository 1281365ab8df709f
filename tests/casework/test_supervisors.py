"""Supervisors: the dashboard (JSON for staff, CSV for supervisors), officer accounts through the
API and the command line, argon2 hashes (old scrypt hashes still log in and are upgraded)."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from api import admin
from api.db.models import Case, HandoffTicket, MessagingContact, StaffUser, VoiceCall, utcnow
from api.db.session import session_scope
from tests.casework.conftest import OFFICER, SERVICE_HEADERS, SUPERVISOR, file_claim, login


def _csv(text: str) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "value"]
    return {(r[0], r[1]): r[2] for r in rows[1:]}


def _conversations() -> None:
    now = utcnow()
    with session_scope() as s:
        for n, lang in enumerate(["bn", "bn", "hi", "en"]):
            s.add(VoiceCall(call_sid=f"CA{n:032d}", caller="+919800000009", language=lang))
        s.add(MessagingContact(address="+919811100001", language="hi", last_sms_in_at=now))
        s.add(MessagingContact(address="+919811100002", language="hi", last_whatsapp_in_at=now))
        s.add(
            HandoffTicket(
                reference="HND-2026-000900",
                conversation_id=f"rasa:voice:CA{0:032d}",
                channel="voice",
                language="bn",
                status="open",
            )
        )


def test_dashboard_counts_open_cases_and_conversations(officer) -> None:
    file_claim(officer)
    with session_scope() as s:  # one case already late
        s.execute(
            update(Case)
            .where(Case.reference == "CLM-2026-000101")
            .values(due_at=utcnow() - timedelta(days=2))
        )
    body = {"category": "complaint", "text": "no answer", "channel": "sms", "language": "hi"}
    officer.post("/api/v1/feedback", json=body, headers=SERVICE_HEADERS)
    _conversations()
    board = officer.get("/api/v1/staff/dashboard").json()
    cases = board["open_cases"]
    assert cases["total"] == 3 and cases["past_due"] == 1 and cases["callbacks_waiting"] == 0
    assert cases["by"]["kind"] == {"claim": 2, "complaint": 1}
    assert cases["by"]["status"] == {
        "claim:submitted": 1,
        "claim:under_review": 1,
        "complaint:received": 1,
    }
    assert cases["by"]["district"] == {"-": 1, "Kolkata": 2}
    assert cases["by"]["language"] == {"bn": 2, "hi": 1}
    assert cases["oldest_age_days"] >= 80  # the demo claim of 2026-09-10
    rows = {(r["channel"], r["language"]): r for r in board["conversations"]}
    assert rows[("voice", "bn")]["conversations"] == 2 and rows[("voice", "bn")]["handed_over"] == 1
    assert rows[("voice", "bn")]["without_person_share"] == 0.5
    assert rows[("sms", "hi")]["conversations"] == 1
    assert rows[("whatsapp", "hi")]["conversations"] == 1
    assert board["without_person_share"] == round(5 / 6, 3)  # 6 conversations, 1 handed over


def test_csv_is_for_supervisors_and_matches_the_dashboard(officer, supervisor) -> None:
    file_claim(officer)
    refused = officer.get("/api/v1/staff/dashboard.csv")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    r = supervisor.get("/api/v1/staff/dashboard.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = _csv(r.text)
    board = supervisor.get("/api/v1/staff/dashboard").json()
    assert table[("open_cases", "total")] == str(board["open_cases"]["total"]) == "2"
    assert table[("open_by_kind", "claim")] == "2"


def test_csv_cells_cannot_become_formulas(officer, supervisor) -> None:
    file_claim(officer)
    with session_scope() as s:
        s.execute(update(Case).values(district="=HYPERLINK(1)"))
    table = _csv(supervisor.get("/api/v1/staff/dashboard.csv").text)
    assert ("open_by_district", "'=HYPERLINK(1)") in table


def test_supervisors_manage_officers_and_officers_cannot(officer, supervisor) -> None:
    new = {
        "username": "mita",
        "password": "a long enough secret",
        "name": "Mita Roy",
        "languages": ["bn", "en"],
        "district": "Howrah",
        "phone": "98300 11111",
    }
    assert officer.post("/api/v1/staff/officers", json=new).status_code == 403
    assert officer.get("/api/v1/staff/officers").status_code == 403
    r = supervisor.post("/api/v1/staff/officers", json=new)
    assert r.status_code == 201, r.text
    assert r.json()["phone"] == "+919830011111" and r.json()["role"] == "officer"
    assert "password" not in r.text
    again = supervisor.post("/api/v1/staff/officers", json=new)
    assert again.status_code == 422 and again.json()["error"]["field"] == "username"
    short = supervisor.post(
        "/api/v1/staff/officers", json={**new, "username": "x1y", "password": "short"}
    )
    assert short.status_code == 422 and short.json()["error"]["field"] == "password"
    names = [o["username"] for o in supervisor.get("/api/v1/staff/officers").json()]
    assert names == ["mita", "officer1", "super1"]
    mita = officer  # reuse a client: log in as the new officer
    assert (
        login(mita, ("mita", "a long enough secret")).get("/api/v1/staff/me").json()["role"]
        == "officer"
    )
    supervisor.post(
        "/api/v1/staff/officers/mita/reset-password", json={"password": "another secret!"}
    )
    assert mita.get("/api/v1/staff/me").status_code == 401  # her sessions ended
    login(mita, ("mita", "another secret!"))
    assert supervisor.post("/api/v1/staff/officers/mita/disable").json()["active"] is False
    assert mita.get("/api/v1/staff/me").status_code == 401
    refused = mita.post(
        "/api/v1/staff/login", json={"username": "mita", "password": "another secret!"}
    )
    assert refused.status_code == 401
    missing = supervisor.post("/api/v1/staff/officers/nobody/disable")
    assert missing.status_code == 404


def test_the_command_line_adds_lists_resets_and_disables(db, client, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    code = admin.main(
        [
            "officers",
            "add",
            "rdas",
            "--role",
            "supervisor",
            "--phone",
            "+919830022222",
            "--languages",
            "bn,hi",
            "--district",
            "Kolkata",
            "--password-stdin",
        ]
    )
    assert (
        code == 0
        and "added rdas\tsupervisor\tbn,hi\tKolkata\t+919830022222" in capsys.readouterr().out
    )
    assert (
        login(client, ("rdas", "a long enough secret")).get("/api/v1/staff/me").json()["role"]
        == "supervisor"
    )
    assert admin.main(["officers", "list"]) == 0
    listed = capsys.readouterr().out
    assert "officer1\tofficer" in listed and "rdas\tsupervisor" in listed
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert admin.main(["officers", "reset-password", "rdas", "--password-stdin"]) == 1
    assert "refused (password)" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a second long secret\n"))
    assert admin.main(["officers", "reset-password", "rdas", "--password-stdin"]) == 0
    assert admin.main(["officers", "disable", "rdas"]) == 0
    assert admin.main(["officers", "disable", "ghost"]) == 1
    with session_scope() as s:
        rdas = s.execute(select(StaffUser).where(StaffUser.username == "rdas")).scalar_one()
        assert rdas.active is False and rdas.password_hash.startswith("$argon2id$")


def _scrypt(password: str) -> str:
    """A hash as the project wrote them before argon2."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def test_an_old_scrypt_hash_logs_in_and_is_upgraded_to_argon2(client) -> None:
    with session_scope() as s:
        s.execute(
            update(StaffUser)
            .where(StaffUser.username == OFFICER[0])
            .values(password_hash=_scrypt(OFFICER[1]))
        )
    assert (
        client.post(
            "/api/v1/staff/login", json={"username": OFFICER[0], "password": "wrong"}
        ).status_code
        == 401
    )
    with session_scope() as s:
        stored = s.execute(select(StaffUser.password_hash)).scalar_one()
        assert stored.startswith("scrypt$")  # a failed log-in changes nothing
    login(client, OFFICER)
    with session_scope() as s:
        stored = s.execute(select(StaffUser.password_hash)).scalar_one()
        assert stored.startswith("$argon2id$")
    client.post("/api/v1/staff/logout")
    login(client, OFFICER)  # and the new hash logs in


def test_supervisor_fixture_is_a_supervisor(supervisor) -> None:
    me = supervisor.get("/api/v1/staff/me").json()
    assert (me["username"], me["role"], me["district"]) == (SUPERVISOR[0], "supervisor", "Kolkata")
