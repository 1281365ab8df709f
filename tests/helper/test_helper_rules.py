"""The words that say someone speaks for a worker, and the helper's relation and name."""

from __future__ import annotations

import pytest

from api.domain.helpers import acts_for_worker, clean_name, relation_of


@pytest.mark.parametrize(
    "text",
    [
        "I am calling for my father, he cannot use the phone",
        "I'm speaking on behalf of my mother",
        "my husband can't use a phone, I will talk",
        "main apne pati ki taraf se baat kar rahi hoon",
        "मैं अपने पिता की ओर से बात कर रहा हूँ",
        "मैं अपनी माँ की तरफ़ से बोल रही हूँ",
        "ami amar babar hoye bolchi",
        "আমি আমার মায়ের হয়ে কথা বলছি",
        "amar swamir pokkho theke bolchi",
    ],
)
def test_speaking_for_someone_is_heard(text: str) -> None:
    assert acts_for_worker(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to file a claim for my father's treatment",
        "my phone number is wrong",
        "mera claim kab aayega",
        "আমার বাবা মারা গেছেন",
        "change my nominee to my son",
    ],
)
def test_a_worker_asking_for_themself_is_not_a_helper(text: str) -> None:
    assert not acts_for_worker(text)


def test_relations_from_codes_entities_and_words() -> None:
    assert relation_of("neighbour") == "neighbour"
    assert relation_of("I am his beta") == "son"
    # the family words are the nominees' (kin.tsv), case endings and all
    assert relation_of("ami or bou") == "wife" and relation_of("मैं उनकी बेटी हूँ") == "daughter"
    assert relation_of("আমি ওনার ছেলে") == "son" and relation_of("main unka ladka hoon") == "son"
    assert relation_of("পড়শি নই, প্রতিবেশী") == "neighbour"
    assert relation_of("", entity="wife") == "wife"
    assert relation_of("", entity="father") is None  # the helper may be a son or a daughter
    assert relation_of("uncle") is None


def test_a_name_is_words_without_digits() -> None:
    assert clean_name("  Sohel   Das. ") == "Sohel Das"
    assert clean_name("1234 5678 9012") is None
    assert clean_name("") is None
    assert clean_name("x" * 81) is None
