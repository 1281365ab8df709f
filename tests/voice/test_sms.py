"""SMS and WhatsApp through the real gateway with a loopback Rasa stand-in."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.services import senders
from locales import translate
from tests.voice.conftest import post_signed
from voice.sms import SMS_LIMIT_GSM, SMS_LIMIT_UNICODE, WHATSAPP_LIMIT, limit_for, split_message

WORKER = "+919800000021"


def messages(twiml: str) -> list[str]:
    return [m.text or "" for m in ET.fromstring(twiml).findall("Message")]  # noqa: S314


def sms(client, body: str, sid: str, sender: str = WORKER, **extra: str):
    params = {"MessageSid": sid, "From": sender, "To": "+15005550006", "Body": body, **extra}
    response = post_signed(client, "/sms/incoming", params)
    assert response.status_code == 200, response.text
    return messages(response.text)


def test_split_respects_each_channel_limit_and_cuts_at_sentences() -> None:
    english = "This is one sentence about your claim. " * 60
    bengali = "আপনার ক্লেম জমা হয়েছে। " * 100
    assert limit_for("sms", english) == SMS_LIMIT_GSM
    assert limit_for("sms", bengali) == SMS_LIMIT_UNICODE
    assert limit_for("whatsapp", bengali) == WHATSAPP_LIMIT
    for text, limit in ((english, SMS_LIMIT_GSM), (bengali, SMS_LIMIT_UNICODE), (bengali, 1600)):
        pieces = split_message(text, limit)
        assert len(pieces) > 1 and all(len(p) <= limit for p in pieces)
        assert all(p.endswith((".", "।")) for p in pieces)
        assert " ".join(pieces).split() == text.split()  # nothing lost
    assert split_message("short", 10) == ["short"]
    assert all(len(p) <= 10 for p in split_message("x" * 35, 10))


def test_buttons_become_numbered_choices_answered_by_a_digit(app_client, rasa) -> None:
    rasa.reply = lambda p: [
        {
            "text": "আপনি কি নিশ্চিত?",
            "buttons": [{"title": "হ্যাঁ", "payload": "হ্যাঁ"}, {"title": "না", "payload": "না"}],
        }
    ]
    [text] = sms(app_client, "আমার কার্ড রিনিউ করতে চাই", "SM01")
    assert "১. হ্যাঁ" in text and "২. না" in text
    assert translate("voice.sms_choose", "bn") in text
    sent = rasa.received[-1]
    assert sent["sender"] == senders.sender_for("sms", WORKER)  # a pseudonym, not the number
    assert sent["metadata"]["channel"] == "sms" and sent["metadata"]["caller_phone"] == WORKER
    rasa.reply = lambda p: [{"text": "ঠিক আছে"}]
    sms(app_client, "২", "SM02")
    assert rasa.received[-1]["message"] == "না"  # the payload of choice 2
    sms(app_client, "2", "SM03")  # choices are used once: now it is just "2"
    assert rasa.received[-1]["message"] == "2"


def test_whatsapp_is_its_own_conversation_and_opens_the_window(app_client, rasa) -> None:
    sms(app_client, "hello", "SM04", sender=f"whatsapp:{WORKER}")
    sent = rasa.received[-1]
    assert sent["sender"] == senders.sender_for("whatsapp", WORKER)
    assert sent["metadata"]["channel"] == "whatsapp"
    with session_scope() as s:
        assert s.get(MessagingContact, WORKER).last_whatsapp_in_at is not None


def test_media_and_stickers_get_a_polite_answer(app_client, rasa) -> None:
    answer = sms(
        app_client,
        "",
        "SM05",
        sender=f"whatsapp:{WORKER}",
        NumMedia="1",
        MediaContentType0="image/webp",
    )
    assert answer == [translate("voice.sms_media", "en")]
    assert rasa.received == []


def test_duplicate_message_sid_is_answered_once(app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "Reference CLM-2026-000001"}]
    first = sms(app_client, "status", "SM06")
    second = sms(app_client, "status", "SM06")
    assert first == second == ["Reference CLM-2026-000001"]
    assert len(rasa.received) == 1


def test_long_reply_is_split_into_several_messages(app_client, rasa) -> None:
    long = "আপনার ক্লেমের অবস্থা এই রকম। " * 60
    rasa.reply = lambda p: [{"text": long}]
    parts = sms(app_client, "status", "SM07")
    assert len(parts) > 1 and all(len(p) <= SMS_LIMIT_UNICODE for p in parts)


def test_assistant_down_or_empty_gets_an_apology_in_the_workers_language(app_client, rasa) -> None:
    rasa.status = 500
    assert sms(app_client, "मेरा स्टेटस", "SM08") == [translate("voice.sms_failed", "hi")]
    rasa.status, rasa.reply = 200, lambda p: []
    assert sms(app_client, "status", "SM09") == [translate("voice.sms_failed", "hi")]


def test_quiet_while_an_officer_has_the_conversation(app_client, rasa) -> None:
    from api.services import handoff
    from api.services.context import Ctx

    with session_scope() as s:
        handoff.create(
            s,
            Ctx(),
            conversation_id=f"rasa:{senders.sender_for('sms', WORKER)}",
            channel="sms",
            language="en",
            reason="asked",
            transcript=[],
            worker=None,
        )
    rasa.reply = lambda p: []
    assert sms(app_client, "are you there?", "SM10") == []


def test_a_script_the_worker_chose_is_remembered_for_the_number(app_client, rasa) -> None:
    rasa.reply = lambda p: [{"text": "Theek hai."}, {"custom": {"script_chosen": "latin"}}]
    sms(app_client, "Roman (English letters)", "SM41")
    with session_scope() as s:
        assert s.get(MessagingContact, WORKER).script == "latin"
    rasa.reply = lambda p: [{"text": "Aapka status ..."}]
    sms(app_client, "mera status", "SM42")
    assert rasa.received[-1]["metadata"]["remembered_script"] == "latin"
