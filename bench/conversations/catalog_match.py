"""Recognise the assistant's catalog messages in what a worker read or heard.

Why templates and not hard-coded sentences: the words change with the catalogs (bn, hi, en);
the message ids do not. A template's fixed parts must appear in order, its `{placeholders}`
match anything. The list of the "I did not understand" family is written down here, once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from locales import LANGUAGES, has_message, translate

# Replies that mean "I did not understand, say it again" (a miss), on every channel.
# bot.po: the fallbacks, every *_not_understood, the form's "please answer the question", the
# yes/no re-ask, "tell me a little more", and the hand-over said *because* of failures;
# voice.po: the phone's miss ladder, the keypad's wrong length and impossible date.
MISS_MSGIDS: tuple[str, ...] = (
    "fallback.rephrase",
    "fallback.out_of_scope",
    "fallback.no_question",
    "form.help",
    "confirm.say_yes_no",
    "verify.uan_not_understood",
    "verify.dob_not_understood",
    "renewal.scheme_not_understood",
    "claim.type_not_understood",
    "claim.date_not_understood",
    "claim.last4_not_understood",
    "claim.describe_more",
    "eligibility.age_not_understood",
    "eligibility.income_not_understood",
    "nominee.name_not_understood",
    "nominee.relation_not_understood",
    "feedback.category_not_understood",
    "feedback.say_more",
    "handoff.after_failures",
    "voice.no_match_1",
    "voice.no_match_2",
    "voice.no_input_1",
    "voice.no_input_2",
    "voice.low_confidence",
    "voice.wrong_length",
    "voice.bad_date",
)
# Replies that say the assistant itself failed (not a misunderstanding): reported apart.
FAILURE_MSGIDS: tuple[str, ...] = (
    "web.failed",
    "voice.sms_failed",
    "voice.assistant_down",
    "voice.service_slow",
    "error.backend_down",
    "error.backend_down_retry",
    "error.write_failed_retry",
    "handoff.failed",
)
# The honest "I do not know; an officer can tell you".
NO_ANSWER_MSGID = "kb.no_answer"
ELIGIBLE_MSGID = "eligibility.eligible"
NOT_ELIGIBLE_MSGIDS: tuple[str, ...] = (
    "eligibility.not_eligible",
    "reason.age_above_maximum",
    "reason.age_below_minimum",
    "reason.income_above_limit",
    "reason.epf_member",
    "reason.nps_member",
    "reason.esic_member",
    "reason.income_tax_payer",
)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@lru_cache(maxsize=2048)
def template(msgid: str, lang: str) -> re.Pattern[str] | None:
    """The message's fixed parts in order (whitespace-tolerant); None if the catalog lacks it."""
    if not has_message(msgid, lang):
        return None
    words_of = translate(msgid, lang).strip()
    pieces = []
    for part in _PLACEHOLDER.split(words_of):
        words = part.split()
        if words:
            pieces.append(r"\s+".join(re.escape(w) for w in words))
    if not pieces:
        return None
    head = ".*?" if words_of.startswith("{") else ""
    tail = ".*?" if words_of.endswith("}") else ""
    return re.compile(head + r".*?".join(pieces) + tail, re.S | re.I)


def matches(text: str, msgid: str, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Does `text` contain the message `msgid`, in any of `languages`?"""
    for lang in languages:
        pattern = template(msgid, lang)
        if pattern is not None and pattern.search(text):
            return True
    return False


def is_message(text: str, msgid: str) -> bool:
    """Is `text` (one message) exactly the message `msgid`, in any language?

    Whole messages, because a short template can hide inside a longer one: Bengali "say yes or
    no" ends the pension restart question too.
    """
    said = text.strip()
    for lang in LANGUAGES:
        pattern = template(msgid, lang)
        if pattern is not None and pattern.fullmatch(said):
            return True
    return False


def first_message(text: str, msgids: tuple[str, ...]) -> str | None:
    return next((m for m in msgids if is_message(text, m)), None)


def miss_in(messages: list[str]) -> str | None:
    """The first miss message among a turn's replies, if any."""
    return next((m for m in (first_message(t, MISS_MSGIDS) for t in messages) if m), None)


def failure_in(messages: list[str]) -> str | None:
    return next((m for m in (first_message(t, FAILURE_MSGIDS) for t in messages) if m), None)
