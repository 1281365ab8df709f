"""A worker answers a form's free-text question in another language than the conversation's
(a Bengali claim, the accident told in English, as people who mix languages do): the answer is
taken, the form goes on to its next question and the claim is filed. Seen once through the real
stack: no reply at all, then the question again, then an officer: the English account was the
conversation's first Latin-script message, and the action server built its romanised-language
detector then, past Rasa's wait (fixed in 30bf2fe, which loads it at start). Manoj's own
conversation is tests/e2e/test_transport_scheme_chat.py (it renews his membership, so it is not
played twice on the shared demo data)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_conversations import GREETING, YES, Conversation
from tests.factory import RINA

pytestmark = pytest.mark.e2e

TOLD = {
    "bn": "the lorry hit a tree and I broke my arm",
    "hi": "the lorry hit a tree and I broke my arm",
    "en": "লরি গাছে ধাক্কা মেরেছে, আমার হাত ভেঙেছে",
}


@pytest.mark.parametrize("lang", ["bn", "hi", "en"])
def test_a_claim_answered_in_another_language_is_filed(
    running_stack: RunningStack, lang: str
) -> None:
    chat = Conversation(running_stack, lang)
    chat.say(GREETING[lang])
    chat.say("3")  # a claim
    chat.say(RINA.uan)
    chat.say(RINA.dob_typed)
    chat.say(running_stack.texted_code())
    chat.say("4")  # medical
    incident = dt.date.today() - dt.timedelta(days=20 + ["bn", "hi", "en"].index(lang))
    chat.say(incident.strftime("%d/%m/%Y"))
    chat.say(TOLD[lang])  # every say() asserts a reply: the assistant is never silent
    chat.say(RINA.bank_last4)
    filed = chat.say(YES[lang])
    assert re.search(r"CLM-\d{4}-\d+", filed), "\n---\n".join(chat.replies)
