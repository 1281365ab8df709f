"""A helper acts for a worker who cannot use the phone, through the real processes, in bn (web
chat), hi (SMS) and en (WhatsApp): the helper says so in their own words, gives their name and
relation, then the worker's UAN and date of birth; the consent code goes to the WORKER's phone in
the worker's language naming the helper; typed back, the helper acts for the worker and the audit
trail names the helper. The workers are made here, never the demo dataset's people."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html import unescape

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from api.db.models import Enrollment, Worker
from locales import translate
from tests.e2e.conftest import RunningStack
from tests.e2e.test_conversations import GREETING
from tests.factory import random_uan

pytestmark = pytest.mark.e2e

BORN = dt.date(1961, 4, 17)


def _worker(stack: RunningStack, language: str) -> tuple[str, str]:
    """A living worker with a registered phone; returns the UAN and that phone."""
    uan = random_uan("5")
    phone = "+9198240" + uan[-5:]
    engine = create_engine(stack.env["DATABASE_URL"])
    with Session(engine) as s:
        worker = Worker(
            uan=uan,
            name_en="Haru Mondal",
            name_bn="হারু মণ্ডল",
            name_hi="हारू मंडल",
            date_of_birth=BORN,
            phone=phone,
            preferred_language=language,
            bank_last4="2222",
            district="Nadia",
        )
        s.add(worker)
        s.flush()
        s.add(Enrollment(worker_id=worker.id, scheme_code="bocw_welfare", status="active"))
        s.commit()
    engine.dispose()
    return uan, phone


def _consent(stack: RunningStack, uan: str) -> tuple[str, str, bool, int]:
    """The helper's consent for the worker: name, relation, granted, audit rows naming it."""
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as db:
        row = db.execute(
            text(
                "SELECT h.id, h.helper_name, h.relation, h.granted_at FROM helper_consents h"
                " JOIN workers w ON w.id = h.worker_id WHERE w.uan = :u"
            ),
            {"u": uan},
        ).one()
        named = db.execute(
            text("SELECT count(*) FROM audit_log WHERE helper_consent_id = :c"), {"c": row[0]}
        ).scalar_one()
    engine.dispose()
    return (row[1], row[2], row[3] is not None, int(named))


def _code_from(sms: str) -> str:
    found = re.search(r"\b(\d{6})\b", sms)
    assert found, sms
    return found.group(1)


def test_bn_web_chat_a_son_acts_for_his_father(running_stack: RunningStack) -> None:
    uan, phone = _worker(running_stack, "bn")
    sender = f"e2e-helper-{uuid.uuid4().hex[:8]}"

    def say(words: str) -> str:
        messages = running_stack.chat(sender, words)
        assert messages, f"no reply to {words!r}"
        return "\n".join(m.get("text", "") for m in messages)

    say(GREETING["bn"])
    opened = say("আমি আমার বাবার হয়ে কথা বলছি, উনি ফোন ব্যবহার করতে পারেন না")
    assert "সম্মতি" in opened and "আপনার নাম" in opened, opened
    asked_relation = say("সোহেল মণ্ডল")
    assert "সম্পর্ক" in asked_relation, asked_relation
    say("1")
    say(uan)
    asked_code = say(BORN.strftime("%d/%m/%Y"))
    assert "SMS" in asked_code, asked_code
    sms = running_stack.sent_message(phone, containing="সোহেল মণ্ডল")
    assert "আপনার ছেলে" in sms  # to the worker, in the worker's language
    ready = say(_code_from(sms))
    assert "সম্মতি দিয়েছেন" in ready, ready
    status = say("আমার আবেদনের অবস্থা কী")  # read with the helper's strong session
    assert translate("scheme.bocw_welfare", "bn") in status, status
    name, relation, granted, named = _consent(running_stack, uan)
    assert (name, relation, granted) == ("সোহেল মণ্ডল", "son", True)
    assert named >= 3  # the code sent, the consent, and what the helper read


def test_hi_sms_a_wife_acts_for_her_husband(running_stack: RunningStack) -> None:
    uan, phone = _worker(running_stack, "hi")
    sender = "+919824100" + uan[-3:]
    turns = iter(range(660000 + abs(hash(uan)) % 10000, 770000))

    def say(words: str) -> str:
        return unescape(running_stack.sms(sender, words, next(turns)))

    say(GREETING["hi"])
    opened = say("मैं अपने पति की ओर से बात कर रही हूँ, वे फ़ोन नहीं चला पाते")
    assert "नाम" in opened, opened
    say("सुनीता मंडल")
    say("4")
    say(uan)
    say(BORN.strftime("%d/%m/%Y"))
    sms = running_stack.sent_message(phone, containing="सुनीता मंडल")
    assert "आपकी पत्नी" in sms, sms
    ready = say(_code_from(sms))
    assert "सहमति" in ready, ready
    assert _consent(running_stack, uan)[:3] == ("सुनीता मंडल", "wife", True)


def test_en_whatsapp_a_volunteer_acts_for_a_worker(running_stack: RunningStack) -> None:
    uan, phone = _worker(running_stack, "en")
    sender = "whatsapp:+919824200" + uan[-3:]
    turns = iter(range(550000 + abs(hash(uan)) % 10000, 660000))

    def say(words: str) -> str:
        return unescape(running_stack.sms(sender, words, next(turns)))

    say(GREETING["en"])
    opened = say("I am calling for my neighbour, he cannot use the phone")
    assert "your name" in opened, opened
    say("Asha Roy")
    say("volunteer")
    say(uan)
    asked = say(BORN.strftime("%d/%m/%Y"))
    assert phone[-2:] in asked or "SMS" in asked, asked
    sms = running_stack.sent_message(phone, containing="Asha Roy")
    assert "a volunteer" in sms, sms
    ready = say(_code_from(sms))
    assert "has agreed" in ready, ready
    assert _consent(running_stack, uan)[:3] == ("Asha Roy", "volunteer", True)
