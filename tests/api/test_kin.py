"""The kin words (api/data/lexicons/kin.tsv) and what api/domain/kin reads from a message: a
relation and a name only when plainly said, never a relation word, a verb or a number as a name."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import pytest

from api.domain import kin
from api.domain.codes import RELATIONS
from api.domain.lexicons import fold


def test_every_row_parses_and_every_relation_code_has_words_in_each_language() -> None:
    rows = kin.rows()
    for row in rows:
        for form in row.forms:
            assert form == unicodedata.normalize("NFC", form) and " " not in form, form
    named = {(row.value, row.lang) for row in rows if row.kind == "relation"}
    for code in set(RELATIONS) - {"other"}:
        assert {(code, lang) for lang in ("bn", "hi", "en")} <= named, code


def test_no_word_means_two_things() -> None:
    """A folded spelling is one relation, or one kind of word: else the file order decides."""
    meanings: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for row in kin.rows():
        if row.kind in kin.WORD_KINDS:
            for form in row.forms:
                meanings[fold(form)].add((row.kind, row.value))
    assert {word: m for word, m in meanings.items() if len(m) > 1} == {}


@pytest.mark.parametrize(
    ("text", "relation", "name"),
    [
        ("I want to make my wife Sunita Devi my nominee", "wife", "Sunita Devi"),
        ("nominee badalna hai, meri patni Sunita ko", "wife", "Sunita"),
        ("আমার নমিনি বদলাতে চাই, আমার স্ত্রী রিনা", "wife", "রিনা"),
        ("amar nominee bodlate chai, amar bou Rina", "wife", "Rina"),
        ("मेरी पत्नी सुनीता देवी को नॉमिनी बनाना है", "wife", "सुनीता देवी"),
        ("meri patni ka naam Sunita hai", "wife", "Sunita"),  # after "naam", the copula ends it
        ("my wife's name is Sunita", "wife", "Sunita"),
        ("আমার বউকে নমিনি করতে চাই", "wife", None),  # a case ending on the relation word
        ("nominee name Raju Prasad", None, "Raju Prasad"),
        ("put my husband as nominee", "husband", None),
        ("make my son Ravi 5 nominee", "son", "Ravi"),  # a number ends a name
    ],
)
def test_what_a_request_states(text: str, relation: str | None, name: str | None) -> None:
    assert kin.told(text) == kin.Told(relation, name)


@pytest.mark.parametrize(
    "text",
    [
        "my nominee was my mother, she died, change it",  # the nominee being replaced
        "maa ka naam hatao, patni ko nominee banao",
        "change nominee from father to wife",
        "মায়ের নাম সরিয়ে স্ত্রীর নাম দিন",
        "my wife or my son, which is better",  # two relations: unsure
        "nominee ka naam badlo",  # a verb after "naam" is no name
        "nominee name spelling wrong",
        "Ramesh Bhai Patel ko nominee banana hai",  # "bhai" inside how someone is called
    ],
)
def test_nothing_is_taken_when_unsure(text: str) -> None:
    assert kin.told(text) == kin.Told(None, None)


def test_a_name_too_long_to_be_sure_of_is_left_to_be_asked() -> None:
    assert kin.told("my wife Sunita Devi Kumari Rani Singh") == kin.Told("wife", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunita Devi, my wife", kin.Told("wife", "Sunita Devi")),
        ("Sunita Devi meri patni", kin.Told("wife", "Sunita Devi")),
        ("সুনীতা দেবী, আমার স্ত্রী", kin.Told("wife", "সুনীতা দেবী")),
        ("Rahul amar chele", kin.Told("son", "Rahul")),
        ("make it my wife", kin.Told("wife", None)),  # "make", "it": not a name
        ("teen, my son", kin.Told("son", None)),  # a number word does not begin a name
    ],
)
def test_an_answer_may_give_the_name_before_the_relation(text: str, expected: kin.Told) -> None:
    assert kin.told(text, owned=True) == expected


def test_owned_only_takes_a_relation_after_my() -> None:
    assert kin.told("meri patni Sunita Devi", owned=True) == kin.Told("wife", "Sunita Devi")
    assert kin.told("Sunita patni", owned=True).relation is None
    assert kin.told("bou Rina", owned=True).relation is None
    assert kin.told("amar bou Rina", relations=("son",), owned=True).relation == "wife"


def test_the_entity_is_the_name_only_when_it_holds_name_words() -> None:
    text = "okay my husband Ramesh Kumar make him nominee"
    assert kin.told(text, person_name="Ramesh Kumar").name == "Ramesh Kumar"
    assert kin.told(text, person_name="husband Ramesh").name == "Ramesh Kumar"  # the rule
    # the NLU tagging the first word alone: the whole name the words after the relation give
    said = "I want to make my husband Tapan Das my nominee"
    assert kin.told(said, person_name="Tapan") == kin.Told("husband", "Tapan Das")
    assert kin.told("meri patni Sunita ko", person_name="Sunita").name == "Sunita"
    assert kin.is_plain_name("Tapan Das") and not kin.is_plain_name("das")  # ten, as a name
    assert not kin.is_plain_name("pati 55") and not kin.is_plain_name("Sunita 5")
    assert not kin.is_plain_name("teen") and not kin.is_plain_name("তিন")  # number words
    assert kin.is_plain_name("Rokeya Bibi") and kin.is_plain_name("সাকিনা বিবি")


@pytest.mark.parametrize(
    ("text", "entity", "expected"),
    [
        ("my name is Ramesh, make my wife nominee", None, kin.Told("wife", None)),
        (
            "I am Ramesh Kumar, I want to make my wife my nominee",
            "Ramesh Kumar",
            kin.Told("wife", None),
        ),
        ("mera naam Ramesh hai, meri patni ko nominee banana hai", None, kin.Told("wife", None)),
        ("ami Rafiq, amar bou Rina ke nominee korte chai", "Rafiq", kin.Told("wife", "Rina")),
        ("আমার স্ত্রীর নাম রিনা", None, kin.Told("wife", "রিনা")),
    ],
)
def test_the_workers_own_name_is_never_the_nominees(
    text: str, entity: str | None, expected: kin.Told
) -> None:
    """ "I am Ramesh", "mera naam Ramesh", "ami Rafiq": the worker's name, not the nominee's."""
    assert kin.told(text, person_name=entity) == expected
