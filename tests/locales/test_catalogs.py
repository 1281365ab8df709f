"""The catalogs are complete: every message in every language, with the same placeholders."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import (
    LANGUAGES,
    format_date,
    format_money,
    format_number,
    normalise_language,
    spell_digits,
    translate,
)

CATALOGS = Path(__file__).resolve().parents[2] / "locales"


def _messages(lang: str) -> dict[str, dict[str, str]]:
    by_domain: dict[str, dict[str, str]] = {}
    for po_file in sorted((CATALOGS / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        by_domain[po_file.stem] = {str(m.id): str(m.string) for m in catalog if m.id}
    return by_domain


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_message_with_the_same_placeholders() -> None:
    english = _messages("en")
    assert english, "no English catalogs"
    for lang in LANGUAGES:
        catalogs = _messages(lang)
        assert set(catalogs) == set(english), f"{lang} lacks domains"
        for domain, messages in english.items():
            for msgid, text in messages.items():
                other = catalogs[domain].get(msgid, "")
                assert other.strip(), f"{lang}/{domain}: {msgid} is untranslated"
                assert _fields(other) == _fields(text), f"{lang}/{domain}: {msgid} placeholders"


def test_message_ids_are_unique_across_domains() -> None:
    seen: dict[str, str] = {}
    for domain, messages in _messages("en").items():
        for msgid in messages:
            assert msgid not in seen, f"{msgid} is in both {seen[msgid]} and {domain}"
            seen[msgid] = domain


@pytest.mark.parametrize(
    ("lang", "money", "spoken", "date"),
    [
        ("bn", "₹২,০০,০০০", "৩,০০০ টাকা", "১৪ মার্চ, ২০২৬"),
        ("hi", "₹2,00,000", "3,000 रुपये", "14 मार्च 2026"),
        ("en", "₹2,00,000", "3,000 rupees", "14 March 2026"),
    ],
)
def test_money_and_dates_per_language(lang: str, money: str, spoken: str, date: str) -> None:
    assert format_money(200000, lang) == money
    assert format_money(3000, lang, spoken=True) == spoken
    assert format_date(dt.date(2026, 3, 14), lang) == date
    assert format_date("2026-03-14", lang) == date


def test_numbers_use_indian_grouping_and_paise_only_when_present() -> None:
    assert format_number(1234567, "en") == "12,34,567"
    assert format_number(1234567, "bn") == "১২,৩৪,৫৬৭"
    assert format_money(1500.5, "en") == "₹1,500.50"


def test_digits_are_read_back_in_words_from_any_script() -> None:
    assert spell_digits("1004", "en") == "one zero zero four"
    assert spell_digits("১০০৪", "hi") == "एक शून्य शून्य चार"
    assert spell_digits("१ ० ० ४", "bn") == "এক শূন্য শূন্য চার"


def test_language_codes_are_normalised_and_unknown_falls_back_to_english() -> None:
    assert normalise_language("bn-IN") == "bn"
    assert normalise_language("HI_in") == "hi"
    assert normalise_language("ta") == "en"
    assert normalise_language(None) == "en"
    assert translate("digit.7", "ta") == "seven"


def test_every_shared_code_has_a_label_in_every_language() -> None:
    """The code lists of api/domain/codes.py and the catalogs agree (a new code needs words)."""
    from api.domain.codes import CATALOG_KINDS, LANGUAGES
    from locales import LANGUAGES as CATALOG_LANGUAGES
    from locales import has_message

    assert tuple(CATALOG_LANGUAGES) == tuple(LANGUAGES)
    missing = [
        f"{lang}: {kind}.{code}"
        for kind, codes in CATALOG_KINDS.items()
        for code in codes
        for lang in LANGUAGES
        if not has_message(f"{kind}.{code}", lang)
    ]
    assert missing == []
