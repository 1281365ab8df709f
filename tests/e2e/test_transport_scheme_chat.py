"""A transport worker of the demo data (Manoj: the state scheme and the West Bengal transport
workers' scheme, both due for renewal) renews his transport membership and files a claim under
it in one web chat conversation, in Bengali, Hindi and English, through the real Rasa server,
action server and backend: he is asked which membership each time (a button each), picks the
transport scheme, and the claim's answer names it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import create_engine, text

from locales import translate
from tests.e2e.conftest import RunningStack
from tests.e2e.test_conversations import GREETING, LANGS, YES, Conversation
from tests.factory import MANOJ

pytestmark = pytest.mark.e2e

BOTH = ["state_social_security", "wbtwsss"]
WHAT_HAPPENED = {
    "bn": "লরি গাছে ধাক্কা মেরেছে, আমার হাত ভেঙেছে",
    "hi": "ट्रक पेड़ से टकरा गया, मेरा हाथ टूट गया",
    "en": "the lorry hit a tree and I broke my arm",
}


def _scheme_of(stack: RunningStack, table: str, reference: str) -> str:
    engine = create_engine(stack.env["DATABASE_URL"])
    with engine.connect() as db:
        found = db.execute(
            text(f"SELECT scheme_code FROM {table} WHERE reference = :r"),  # noqa: S608
            {"r": reference},
        ).scalar_one()
    engine.dispose()
    return str(found)


def _buttons(stack: RunningStack, chat: Conversation, words: str) -> list[dict]:
    messages = stack.chat(chat.sender, words)
    assert messages, f"no reply to {words!r}"
    chat.replies.append("\n".join(m.get("text", "") for m in messages))
    return [b for m in messages for b in m.get("buttons") or []]


@pytest.mark.parametrize("lang", LANGS)
def test_a_transport_worker_renews_and_claims_under_the_transport_scheme(
    running_stack: RunningStack, lang: str
) -> None:
    chat = Conversation(running_stack, lang)
    chat.say(GREETING[lang])
    chat.say("2")  # renewal
    chat.say(MANOJ.uan)
    asked = _buttons(running_stack, chat, MANOJ.dob_typed)
    assert [b["title"] for b in asked] == [translate(f"scheme.{c}", lang) for c in BOTH], (
        chat.replies
    )
    chat.say(asked[1]["payload"])  # the transport scheme
    renewed = chat.say(YES[lang])
    renewal = re.search(r"REN-\d{4}-\d+", renewed)
    assert renewal, "\n---\n".join(chat.replies)
    assert translate("scheme.wbtwsss", lang) in renewed
    chat.assert_in_language(renewed)
    assert _scheme_of(running_stack, "renewal_requests", renewal.group()) == "wbtwsss"

    incident = dt.date.today() - dt.timedelta(days=10 + LANGS.index(lang))  # one event each
    chat.say("3")  # a claim, in the same conversation
    chat.say(running_stack.texted_code())
    chat.say("4")  # medical
    chat.say(incident.strftime("%d/%m/%Y"))
    chat.say(WHAT_HAPPENED[lang])
    chat.say(MANOJ.bank_last4)
    asked = _buttons(running_stack, chat, YES[lang])
    assert [b["title"] for b in asked] == [translate(f"scheme.{c}", lang) for c in BOTH], (
        chat.replies
    )
    assert not re.search(r"CLM-\d{4}-\d+", chat.replies[-1]), "nothing filed before the choice"
    filed = chat.say(asked[1]["payload"])
    claim = re.search(r"CLM-\d{4}-\d+", filed)
    assert claim, "\n---\n".join(chat.replies)
    assert translate("scheme.wbtwsss", lang) in filed, filed
    chat.assert_in_language(filed)
    assert _scheme_of(running_stack, "claims", claim.group()) == "wbtwsss"
