"""A family member files for a worker who died, through the real processes, in bn (web chat),
hi (SMS) and en (WhatsApp): the death is said in the family's own words, the family check asks
the worker's UAN and date of birth and the nominee's name, the code goes to the family member's
phone (typed in web chat; the sender's own number elsewhere), and the claim is filed to the
nominee's account. The workers who died are made here, never the demo dataset's people."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html import unescape

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from api.db.models import Enrollment, Nominee, PensionAccount, Worker
from locales import spell_digits
from tests.e2e.conftest import RunningStack
from tests.e2e.test_conversations import GREETING, YES
from tests.factory import random_uan

pytestmark = pytest.mark.e2e

BORN = dt.date(1957, 8, 9)
DIED = dt.date.today() - dt.timedelta(days=12)


def _deceased(stack: RunningStack, nominee: str) -> str:
    """A pensioner in the construction board and PM-SYM who died; returns the UAN."""
    uan = random_uan("4")
    engine = create_engine(stack.env["DATABASE_URL"])
    with Session(engine) as s:
        worker = Worker(
            uan=uan,
            name_en="Abdul Karim",
            date_of_birth=BORN,
            phone="+919823999999",
            preferred_language="bn",
            bank_last4="1111",
            district="Howrah",
        )
        s.add(worker)
        s.flush()
        s.add(Enrollment(worker_id=worker.id, scheme_code="bocw_welfare", status="active"))
        s.add(Nominee(worker_id=worker.id, name=nominee, relation="wife"))
        s.add(
            PensionAccount(
                worker_id=worker.id, scheme_code="pm_sym", monthly_amount=3000, status="active"
            )
        )
        s.commit()
    engine.dispose()
    return uan


def _claim(stack: RunningStack, reference: str) -> tuple[str, str, str | None, str, int | None]:
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as db:
        row = db.execute(
            text(
                "SELECT claim_type, filed_by, claimant_phone, bank_last4, amount_claimed "
                "FROM claims WHERE reference = :r"
            ),
            {"r": reference},
        ).one()
    engine.dispose()
    return (row[0], row[1], row[2], row[3], row[4])


def _code_sent_to(stack: RunningStack, code: str) -> str:
    for request in stack.twilio.requests:
        form = request["form"]
        if request["path"].endswith("/Messages.json") and code in form.get("Body", ""):
            return str(form.get("To"))
    raise AssertionError("the code was sent nowhere")


def test_bn_web_chat_family_member_files_a_funeral_claim(running_stack: RunningStack) -> None:
    uan = _deceased(running_stack, "Rokeya Bibi")
    sender = f"e2e-family-{uuid.uuid4().hex[:8]}"

    def say(words: str) -> str:
        messages = running_stack.chat(sender, words)
        assert messages, f"no reply to {words!r}"
        return "\n".join(m.get("text", "") for m in messages)

    say(GREETING["bn"])
    opened = say("আমার স্বামী মারা গেছেন, সৎকারের টাকার জন্য দাবি করতে চাই")
    assert "UAN" in opened and "মারা গেছেন" in opened, opened
    say(uan)
    asked_phone = say(BORN.strftime("%d/%m/%Y"))
    assert "মোবাইল নম্বর" in asked_phone, asked_phone
    say("98230 01101")
    asked_code = say("রোকেয়া বিবি")  # the nominee, registered in Latin letters
    assert spell_digits("01", "bn") in asked_code, asked_code  # the caller's phone, not his
    code = running_stack.texted_code()
    assert _code_sent_to(running_stack, code) == "+919823001101"  # never the worker's phone
    asked_date = say(code)
    assert "তারিখ" in asked_date, asked_date  # the funeral claim was said: no type question
    say(DIED.strftime("%d/%m/%Y"))
    say("4321")
    filed = say(YES["bn"])
    reference = re.search(r"CLM-\d{4}-\d{6}", filed)
    assert reference, filed
    assert _claim(running_stack, reference.group()) == (
        "death_funeral",
        "family",
        "+919823001101",
        "4321",
        None,
    )


def test_hi_sms_spouse_files_the_family_pension(running_stack: RunningStack) -> None:
    uan = _deceased(running_stack, "Savitri Devi")
    sender = "+919823001202"
    turns = iter(range(880000 + abs(hash(uan)) % 10000, 990000))

    def say(words: str) -> str:
        return unescape(running_stack.sms(sender, words, next(turns)))

    say(GREETING["hi"])
    opened = say("मेरे पति की मृत्यु हो गई, पारिवारिक पेंशन के लिए आवेदन करना है")
    assert "UAN" in opened, opened
    say(uan)
    asked_name = say(BORN.strftime("%d/%m/%Y"))
    assert "नॉमिनी" in asked_name, asked_name  # on SMS the sender's number takes the code
    wrong = say("सुनीता देवी")
    assert "मेल नहीं" in wrong, wrong  # the same answer whatever part is wrong; asked again
    say(uan)
    say(BORN.strftime("%d/%m/%Y"))
    say("सावित्री देवी")
    code = running_stack.texted_code()
    assert _code_sent_to(running_stack, code) == sender
    say(code)
    say(DIED.strftime("%d/%m/%Y"))
    say("5678")
    filed = say(YES["hi"])
    reference = re.search(r"CLM-\d{4}-\d{6}", filed)
    assert reference, filed
    assert "1,500" in filed, filed  # half the last pension of Rs 3,000 (PM-SYM)
    assert _claim(running_stack, reference.group()) == (
        "family_pension",
        "family",
        sender,
        "5678",
        1500,
    )


def test_en_whatsapp_family_member_files_an_accident_death_claim(
    running_stack: RunningStack,
) -> None:
    uan = _deceased(running_stack, "Sunita Das")
    sender = "whatsapp:+919823001303"
    turns = iter(range(770000 + abs(hash(uan)) % 10000, 880000))

    def say(words: str) -> str:
        return unescape(running_stack.sms(sender, words, next(turns)))

    say(GREETING["en"])
    opened = say("my husband died in an accident at the building site, I want to claim")
    assert "UAN" in opened, opened
    say(uan)
    say(BORN.strftime("%d/%m/%Y"))
    say("sunita das")
    code = running_stack.texted_code()
    assert _code_sent_to(running_stack, code).endswith("+919823001303")
    say(code)
    say(DIED.strftime("%d/%m/%Y"))
    say("2468")
    filed = say(YES["en"])
    reference = re.search(r"CLM-\d{4}-\d{6}", filed)
    assert reference, filed
    claim = _claim(running_stack, reference.group())
    assert claim[:2] == ("accident_death", "family") and claim[2] == "+919823001303"
    tracked = say(f"what happened to {reference.group()}")
    assert reference.group() in tracked and "UAN" not in tracked, tracked  # no worker check
