"""Lexical evidence: the words that only frame a question ("tell me about X") must not count
against the passage about X; the questions here are written for these tests, none is from
scripts/kb_eval/questions/.
"""

from __future__ import annotations

import numpy as np
import pytest

from api.knowledge.keywords import LEXICAL_FEATURES, KeywordIndex, keyword_index
from api.knowledge.passages import LANGUAGES, parse_file
from api.knowledge.store import KnowledgeBase, current
from api.knowledge.words import stem

RECALL = LEXICAL_FEATURES.index("recall")

# (the subject alone, the subject framed as "tell me about it" / "what do you know about it")
FRAMED = [
    ("ई-श्रम", "ई-श्रम के बारे में बताइए"),
    ("eshram", "eshram ke bare me bataiye"),
    ("ই-শ্রম", "ই-শ্রম সম্পর্কে একটু বলো"),
    ("eshram", "eshram niye bolen"),
    ("maandhan", "maandhan somporke jante chai"),
    ("मानधन", "मानधन के बारे में बताओ"),
]


@pytest.mark.parametrize(("subject", "framed"), FRAMED)
def test_framing_words_do_not_lower_the_recall_share(subject: str, framed: str) -> None:
    index = keyword_index(current())
    alone = index.scores(subject)[:, RECALL]
    asked = index.scores(framed)[:, RECALL]
    assert alone.max() > 0
    np.testing.assert_allclose(asked, alone, atol=1e-6)


# (romanised or mixed, native): one question, two spellings; the word-level evidence is the same
SPELLINGS = [
    ("pension er kagoj", "পেনশনের কাগজ"),
    ("pension ke kagaz", "पेंशन के कागज़"),
    ("driver er accident", "ড্রাইভারের দুর্ঘটনা"),
    ("office er thikana", "দপ্তরের ঠিকানা"),
]


@pytest.mark.parametrize(("latin", "native"), SPELLINGS)
def test_a_romanised_word_meets_its_native_spelling(latin: str, native: str) -> None:
    """Bengali case endings ("-er") and written inherent vowels ("penoshon"), and the loanword
    for a native word ("office", "দপ্তর"), no longer keep the two spellings apart."""
    index = keyword_index(current())
    np.testing.assert_allclose(
        index.scores(latin)[:, RECALL], index.scores(native)[:, RECALL], atol=1e-6
    )


def test_scheme_names_are_evidence_for_every_passage_of_their_file() -> None:
    """A question naming the scheme and a fact finds the fact's passage as fully as the
    overview that repeats the name."""
    raw = {
        "scheme": "pm_sym",
        "names": {"bn": ["মানধন"], "hi": ["मानधन"], "en": ["maandhan"]},
        "passages": [
            _passage("overview", "maandhan yojana"),
            _passage("amount", "pension rakam"),
        ],
    }
    passages = parse_file(raw, "test.yaml")
    assert all(p.scheme_names["hi"] == ("मानधन",) for p in passages)
    kb = KnowledgeBase(passages, "t", "t", {p.id: i for i, p in enumerate(passages)})
    recall = KeywordIndex(kb).scores("मानधन pension rakam")[:, RECALL]
    assert recall[kb.position("amount")] == pytest.approx(1.0)


def _passage(pid: str, keyword: str) -> dict[str, object]:
    per_language = {lang: f"{pid} {keyword}" for lang in LANGUAGES}
    return {
        "id": pid,
        "source": "test",
        "title": per_language,
        "text": per_language,
        "keywords": {lang: [keyword] for lang in LANGUAGES},
    }


def test_endings_come_off_but_short_words_stay_whole() -> None:
    assert stem("prokolpota") == stem("prokolper") == stem("prokolpo")
    assert stem("majaduron") == stem("majadur")
    assert stem("taka") == "taka" and stem("tak") == "tak"  # money is not "till"
