"""The backend's phonetic key gives the NLU's keys (two copies until the model is retrained)."""

from __future__ import annotations

from api.knowledge.store import current
from api.language.phonetic import phonetic_key
from bot.components.phonetic_key import phonetic_key as nlu_phonetic_key
from scripts.kb_eval.questions import load_questions


def test_native_and_romanised_spellings_meet() -> None:
    assert phonetic_key("রেশন কার্ড") == phonetic_key("reshon kard") == "reshon kard"
    assert phonetic_key("मेरी पेंशन बंद") == "meri penshan band"
    assert phonetic_key("१२ অঙ্ক") == "12 ongk"  # digits of any script become ASCII


def test_the_backend_copy_agrees_with_the_nlu_copy() -> None:
    texts = [q.text for q in load_questions()]
    for p in current().passages:
        texts += [*p.title.values(), *p.text.values()]
        texts += [k for words in p.keywords.values() for k in words]
    assert [phonetic_key(t) for t in texts] == [nlu_phonetic_key(t) for t in texts]
