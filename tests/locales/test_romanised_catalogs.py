"""The romanised catalogs (bn-Latn, hi-Latn) hold every written message, in Latin letters only.

A new `bot` or `common` message id needs words in all five catalogs: bn, hi, en, bn-Latn, hi-Latn.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import LATIN_LOCALES, format_money, has_message, spell_digits, translate

CATALOGS = Path(__file__).resolve().parents[2] / "locales"
WRITTEN_DOMAINS = ("bot", "common")
# Words that romanised Hindi and Bengali write exactly as English does (a name, a loanword).
SAME_AS_ENGLISH = {"scheme.eshram", "claim_type.pension"}
INDIC_LETTERS = re.compile(r"[\u0900-\u09ff]")  # Devanagari and Bengali blocks


def _messages(locale: str, domain: str) -> dict[str, str]:
    path = CATALOGS / locale / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _code_like(text: str) -> bool:
    """No letters outside the placeholders: '{number}. {label}', ', ' ..."""
    return not re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", text))


@pytest.mark.parametrize("locale", LATIN_LOCALES)
def test_only_the_written_domains_are_romanised(locale: str) -> None:
    files = sorted(p.stem for p in (CATALOGS / locale / "LC_MESSAGES").glob("*.po"))
    assert files == sorted(WRITTEN_DOMAINS)


@pytest.mark.parametrize("locale", LATIN_LOCALES)
@pytest.mark.parametrize("domain", WRITTEN_DOMAINS)
def test_every_written_message_is_romanised_with_the_same_placeholders(
    locale: str, domain: str
) -> None:
    english = _messages("en", domain)
    romanised = _messages(locale, domain)
    assert set(romanised) == set(english), f"{locale}/{domain}: ids differ from en"
    for msgid, text in english.items():
        other = romanised[msgid]
        assert other.strip(), f"{locale}/{domain}: {msgid} is untranslated"
        assert _fields(other) == _fields(text), f"{locale}/{domain}: {msgid} placeholders"
        assert other.count("\n") == text.count("\n"), f"{locale}/{domain}: {msgid} lines"


@pytest.mark.parametrize("locale", LATIN_LOCALES)
@pytest.mark.parametrize("domain", WRITTEN_DOMAINS)
def test_romanised_messages_are_not_copies_of_english(locale: str, domain: str) -> None:
    english = _messages("en", domain)
    copies = {
        msgid
        for msgid, text in _messages(locale, domain).items()
        if text == english[msgid] and not _code_like(text)
    }
    assert copies == SAME_AS_ENGLISH & set(english), f"{locale}: copied from English"


@pytest.mark.parametrize("locale", LATIN_LOCALES)
@pytest.mark.parametrize("domain", WRITTEN_DOMAINS)
def test_romanised_catalogs_are_plain_latin_letters(locale: str, domain: str) -> None:
    """No Devanagari or Bengali letter, no diacritic: plain ASCII, which also keeps SMS 7-bit."""
    for msgid, text in _messages(locale, domain).items():
        assert not INDIC_LETTERS.search(text), f"{locale}: {msgid} has native letters"
        assert text.isascii(), f"{locale}: {msgid} is not plain ASCII"


@pytest.mark.parametrize("locale", LATIN_LOCALES)
def test_every_written_message_translates_in_strict_mode(
    locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHRAMIK_STRICT_I18N", "1")
    for domain in WRITTEN_DOMAINS:
        for msgid in _messages("en", domain):
            assert has_message(msgid, locale)
            assert translate(msgid, locale.lower().replace("-", "_"))


def test_a_romanised_locale_reads_its_own_catalog() -> None:
    assert translate("common.yes", "hi_latn") == "Haan"
    assert translate("common.yes", "BN-Latn") == "Ha"
    assert translate("common.yes", "hi") == "हाँ"
    assert translate("claim.filed", "hi-Latn", type="pension", reference="CLM-7") == (
        "Aapka pension ka claim bhej diya gaya hai. Reference number: CLM-7. "
        "Yeh number sambhaal kar rakhiye."
    )


@pytest.mark.parametrize(
    ("locale", "spelt", "spoken"),
    [
        ("hi-Latn", "ek do teen shunya", "3,000 rupaye"),
        ("bn-Latn", "ek dui tin shunno", "3,000 taka"),
    ],
)
def test_romanised_digits_and_spoken_money(locale: str, spelt: str, spoken: str) -> None:
    assert spell_digits("১২3०", locale) == spelt
    assert format_money(3000, locale, spoken=True) == spoken
