"""The phonetic key (api/language/phonetic.py) that the knowledge base and the NLU share."""

from __future__ import annotations

from api.language.phonetic import phonetic_key


def test_native_and_romanised_spellings_meet() -> None:
    assert phonetic_key("রেশন কার্ড") == phonetic_key("reshon kard") == "reshon kard"
    assert phonetic_key("मेरी पेंशन बंद") == "meri penshan band"
    assert phonetic_key("१२ অঙ্ক") == "12 ongk"  # digits of any script become ASCII
