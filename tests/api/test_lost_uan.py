"""A lost UAN goes by SMS to the registered phone, never to the asker's screen; the answer is
the same with or without a match; each phone number has a few tries. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from api.db.models import AuditLog, OutboundMessage
from api.db.session import session_scope
from api.domain.errors import DomainError
from api.messaging import templates
from api.services import lost_uan
from api.services.context import Ctx
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS
from tests.factory import RAMESH, RINA

CTX = Ctx(actor="rasa:sms:+919800000001", channel="sms")


def recovery_sms() -> list[OutboundMessage]:
    with session_scope() as s:
        rows = s.execute(
            select(OutboundMessage).where(OutboundMessage.reason == "uan_recovery")
        ).scalars()
        found = list(rows.all())
        for row in found:
            s.expunge(row)
        return found


def ask(phone: str = RINA.phone, dob: str = RINA.dob, **extra: Any) -> dict[str, Any]:
    with session_scope() as s:
        return lost_uan.recover(s, CTX, phone=phone, date_of_birth=dob, **extra)


def test_a_match_queues_the_uan_to_the_registered_phone_only(db) -> None:
    answer = ask(phone=RINA.phone.replace("+91", "0"), dob="14/03/1988", language="bn")
    assert answer == {"accepted": True}
    (sms,) = recovery_sms()
    assert sms.to_address == RINA.phone and sms.channel == "sms"
    assert RINA.uan not in sms.body, "the stored body never holds the UAN"
    sent = templates.render(sms.template or "", sms.template_params, sms.language or "en")
    assert sent is not None and RINA.uan[:4] in sent and RINA.uan[-4:] in sent
    assert sms.language == "bn"
    with session_scope() as s:
        audited = s.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "uan.recover")
        ).scalar_one()
    assert audited == 1


@pytest.mark.parametrize(
    ("phone", "dob"),
    [(RINA.phone, RAMESH.dob), ("+919811111111", RINA.dob)],
    ids=["wrong-date", "unknown-number"],
)
def test_no_match_answers_the_same_and_sends_nothing(db, phone: str, dob: str) -> None:
    assert ask(phone=phone, dob=dob) == ask() == {"accepted": True}
    assert len(recovery_sms()) == 1  # only the matching request above sent one


def test_a_repeated_request_within_the_hour_sends_one_sms(db) -> None:
    ask()
    ask()
    assert len(recovery_sms()) == 1


def test_the_number_is_locked_after_its_tries_match_or_not(db) -> None:
    tries = get_settings().uan_recovery_max_tries
    for _ in range(tries):
        ask(dob=RAMESH.dob)
    with pytest.raises(DomainError) as locked:
        ask()  # even the right date is refused now
    assert locked.value.code == "locked_out"
    assert recovery_sms() == []
    assert ask(phone=RAMESH.phone, dob=RAMESH.dob) == {"accepted": True}  # another number


@pytest.mark.parametrize(
    ("phone", "dob", "code"), [("12", RINA.dob, "invalid_input"), (RINA.phone, "x", "invalid_date")]
)
def test_bad_input_is_refused_politely(db, phone: str, dob: str, code: str) -> None:
    with pytest.raises(DomainError) as refused:
        ask(phone=phone, dob=dob)
    assert refused.value.code == code


def test_route_answers_alike_and_replays_a_retried_request(client) -> None:
    def post(phone: str, dob: str, key: str) -> Any:
        return client.post(
            "/api/v1/uan/recover",
            json={"phone": phone, "date_of_birth": dob, "language": "hi"},
            headers={**SERVICE_HEADERS, "Idempotency-Key": key},
        )

    match = post(RAMESH.phone, RAMESH.dob, "k1")
    miss = post("+919811111111", RAMESH.dob, "k2")
    assert match.status_code == miss.status_code == 200
    assert match.json() == miss.json() == {"accepted": True, "replayed": False}
    again = post(RAMESH.phone, RAMESH.dob, "k1")
    assert again.json() == {"accepted": True, "replayed": True}
    assert len(recovery_sms()) == 1
    for n in range(get_settings().uan_recovery_max_tries):
        post("+919811111111", RAMESH.dob, f"x{n}")
    locked = post("+919811111111", RAMESH.dob, "x-last")
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "locked_out"
    assert locked.json()["error"]["retry_after_s"] > 0
    bad = post("not a phone", RAMESH.dob, "k3")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "phone"
