"""A worker answers a form's free-text question in another language than the conversation's
(a Bengali claim, the accident told in English, as people who mix languages do): the answer is
taken, the form goes on to its next question and the claim is filed. Seen once through the real
stack: no reply at all, then the question again, then an officer: the English account was the
conversation's first Latin-script message, and the action server built its romanised-language
detector then, past Rasa's wait (fixed in 30bf2fe, which loads it at start)."""

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


def test_after_a_renewal_a_claim_told_in_english_in_a_bengali_chat_is_filed(
    running_stack: RunningStack,
) -> None:
    """The conversation where it was seen: Manoj (two memberships) renews, then claims."""
    from tests.factory import MANOJ

    chat = Conversation(running_stack, "bn")
    chat.say(GREETING["bn"])
    chat.say("2")  # renewal
    chat.say(MANOJ.uan)
    chat.say(MANOJ.dob_typed)
    chat.say("1")  # the first membership offered
    chat.say(YES["bn"])
    chat.say("3")  # a claim
    chat.say(running_stack.texted_code())
    chat.say("4")  # medical
    chat.say((dt.date.today() - dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    chat.say(TOLD["bn"])
    chat.say(MANOJ.bank_last4)
    chat.say(YES["bn"])
    filed = chat.say("1")  # the first scheme offered
    assert re.search(r"CLM-\d{4}-\d+", filed), "\n---\n".join(chat.replies)
