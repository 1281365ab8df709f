"""What people also ask (issue 21), through the real Rasa server, action server and backend:
papers for a claim type, a district office's address and hours, and "my money has not come"
answered from the verified worker's own claim, in Bengali, Hindi and English."""

from __future__ import annotations

import html
import itertools

import pytest

from api.knowledge.offices import load_offices
from locales import format_date, spell_digits, translate
from tests.e2e.test_conversations import Conversation
from tests.factory import SUNITA

pytestmark = pytest.mark.e2e

SUNITA_CLAIM = "CLM-2026-000104"  # demo: maternity, ₹5,000 paid on 5 October 2026
SUNITA_ACCOUNT = "2275"


@pytest.fixture
def talk(running_stack):
    return lambda lang: Conversation(running_stack, lang)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("bn", "দুর্ঘটনায় দাবির জন্য কী কী কাগজ লাগবে?"),
        ("hi", "दुर्घटना के दावे के लिए कौन कौन से कागज़ चाहिए?"),
        ("en", "which papers do I need for an accident claim?"),
    ],
)
def test_papers_for_a_claim_type_come_from_the_knowledge_base(talk, lang, question) -> None:
    chat = talk(lang)
    reply = chat.say(question)
    assert translate("doc.fir_copy", lang) in reply, reply  # the type's own papers
    assert translate("verify.intro", lang) not in reply, "a question, not a claim started"
    chat.assert_in_language(reply)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("bn", "হাওড়ার শ্রম দপ্তর কখন খোলা থাকে আর ঠিকানা কী?"),
        ("hi", "हावड़ा का श्रम कार्यालय कब खुलता है और उसका पता क्या है?"),
        ("en", "What are the Howrah labour office hours and address?"),
    ],
)
def test_a_district_office_with_its_address_and_hours(talk, lang, question) -> None:
    chat = talk(lang)
    reply = chat.say(question)
    office = load_offices()["howrah"]
    assert office.address[lang] in reply, reply
    opens = office.hours.split("-")[0]
    assert opens in reply or opens.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")) in reply
    chat.assert_in_language(reply)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("bn", "আমার টাকা এখনও অ্যাকাউন্টে আসেনি"),
        ("hi", "मेरा पैसा अभी तक खाते में नहीं आया"),
        ("en", "my money has not come into my bank account"),
    ],
)
def test_money_not_arrived_answered_from_the_own_claim(talk, lang, question) -> None:
    chat = talk(lang)
    chat.say(question)
    chat.say(SUNITA.uan)
    reply = chat.say(SUNITA.dob_typed)
    assert SUNITA_CLAIM in reply, "\n---\n".join(chat.replies)
    assert format_date("2026-10-05", lang) in reply
    assert spell_digits(SUNITA_ACCOUNT, lang) in reply  # the account by its last 4 digits only
    assert translate("payment.ask_bank", lang) in reply
    chat.assert_in_language(reply)
    handed = chat.say({"bn": "হ্যাঁ", "hi": "हाँ", "en": "yes"}[lang])  # the offer is taken
    assert translate("fallback.no_question", lang) not in handed, handed


def test_money_not_arrived_by_sms(running_stack) -> None:
    sender, turns = "+919811100021", itertools.count(1)
    running_stack.sms(sender, "mera paisa nahi aaya", next(turns))
    running_stack.sms(sender, SUNITA.uan, next(turns))
    reply = html.unescape(running_stack.sms(sender, SUNITA.dob_typed, next(turns)))
    assert SUNITA_CLAIM in reply and "5,000" in reply, reply
    spelled = {spell_digits(SUNITA_ACCOUNT, locale) for locale in ("hi", "hi-Latn")}
    assert any(account in reply for account in spelled), reply  # the last 4 digits only


SUNITA_UAN_WORDS = {
    "bn": "এক শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য শূন্য চার",
    "hi": "एक शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य शून्य चार",
    "en": "one zero zero zero zero zero zero zero zero zero zero four",
}
SUNITA_DOB_WORDS = {"bn": "২০ নভেম্বর ১৯৯৫", "hi": "20 नवंबर 1995", "en": "twenty november 1995"}
MONEY_WORDS = {
    "bn": "আমার টাকা এখনও আসেনি",
    "hi": "मेरा पैसा अभी तक नहीं आया",
    "en": "my money has not come",
}


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_money_not_arrived_on_a_phone_call_by_speech(running_stack, lang: str) -> None:
    from tests.e2e.test_phone_calls import LANG_WORD, _call, _heard, _unknown_caller

    sim = _call(running_stack, _unknown_caller(900 + ord(lang[0])))
    sim.start()
    sim.say(LANG_WORD[lang])
    sim.say(MONEY_WORDS[lang])
    sim.say(SUNITA_UAN_WORDS[lang])
    sim.say(SUNITA_DOB_WORDS[lang])
    heard = _heard(sim)
    assert spell_digits(SUNITA_ACCOUNT, lang) in heard, heard  # the account by its last 4 only
    assert translate("payment.ask_bank", lang) in heard, heard
    sim.hang_up()
