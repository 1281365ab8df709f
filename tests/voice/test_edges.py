"""The line's public edges: a flood from one number is refused politely, once, in its language;
a signed missed call or a message from a premium or foreign number never makes the line call or
text abroad."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.db.models import OutboundCall
from api.db.session import session_scope
from api.messaging import outbound
from api.settings import get_settings
from locales import translate
from tests.voice.conftest import KNOWN_BN, post_signed


@pytest.fixture
def two_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_RATE_LIMIT", "2/minute")
    get_settings.cache_clear()


def _sms(client, n: int, sender: str = KNOWN_BN):
    params = {"From": sender, "To": "+913340000000", "Body": "hello", "MessageSid": f"SM{n:032d}"}
    return post_signed(client, "/sms/incoming", params)


def test_a_flood_of_messages_is_told_once_in_its_language_then_ignored(
    two_a_minute, app_client, rasa
) -> None:
    answers = [_sms(app_client, n) for n in range(4)]
    assert all(a.status_code == 200 for a in answers)
    assert len(rasa.received) == 2, "only the allowed messages reach the assistant"
    assert translate("voice.sms_too_many", "bn") in answers[2].text
    assert "<Message>" not in answers[3].text, "told once, then silence"
    other = _sms(app_client, 9, sender="+919822222222")
    assert len(rasa.received) == 3 and other.status_code == 200, "other numbers are served"


def test_a_flood_of_calls_hears_why_then_is_rejected(two_a_minute, app_client, rasa) -> None:
    answers = [
        post_signed(app_client, "/voice/incoming", {"CallSid": f"CA{n:032d}", "From": KNOWN_BN})
        for n in range(4)
    ]
    assert "<Gather" in answers[0].text and "<Gather" in answers[1].text
    assert translate("voice.too_many_calls", "bn") in answers[2].text
    assert "<Hangup" in answers[2].text and "<Reject" in answers[3].text


def _calls_queued() -> list[str]:
    with session_scope() as s:
        return list(s.execute(select(OutboundCall.to_address)).scalars())


@pytest.mark.parametrize(
    "caller",
    [
        "+19005550123",  # US premium rate
        "+449098790000",  # UK premium rate
        "+447911123456",  # a foreign mobile
        "+911400000000",  # an Indian number that is no line or mobile
    ],
)
def test_a_signed_missed_call_from_a_number_not_served_is_never_called_back(
    app_client, caller: str
) -> None:
    answer = post_signed(
        app_client, "/voice/missed-call", {"CallSid": "CA" + "7" * 32, "From": caller}
    )
    assert answer.status_code == 200 and "<Reject" in answer.text
    assert _calls_queued() == []


def test_a_served_missed_call_is_called_back(app_client) -> None:
    post_signed(app_client, "/voice/missed-call", {"CallSid": "CA" + "8" * 32, "From": KNOWN_BN})
    assert _calls_queued() == [KNOWN_BN]


def test_the_outbox_itself_refuses_numbers_not_served(env) -> None:
    with session_scope() as s:
        for number in ("+19005550123", "whatsapp:+447911123456"):
            with pytest.raises(outbound.NotServed):
                outbound.enqueue(s, to=number, body="hi", reason="test")
            with pytest.raises(outbound.NotServed):
                outbound.enqueue_call(s, to=number, reason="test", dedupe_key=f"t:{number}")
        assert outbound.enqueue(s, to=KNOWN_BN, body="hi", reason="test").to_address == KNOWN_BN
