"""Numbers, money and dates for a romanised locale are written as its readers write them."""

from __future__ import annotations

import datetime as dt

import pytest

from locales import format_date, format_money, format_number, localise_digits, spell_digits

LATIN = ["hi-Latn", "bn-Latn", "hi_latn", "BN-Latn"]


@pytest.mark.parametrize("locale", LATIN)
def test_romanised_numbers_use_ascii_digits_and_indian_grouping(locale: str) -> None:
    assert format_number(1234567, locale) == "12,34,567"
    assert localise_digits("UAN 1004", locale) == "UAN 1004"


@pytest.mark.parametrize("locale", LATIN)
def test_romanised_money_is_rs_in_plain_ascii(locale: str) -> None:
    assert format_money(200000, locale) == "Rs 2,00,000"
    assert format_money(1500.5, locale) == "Rs 1,500.50"
    assert format_money(3000, locale).isascii()


@pytest.mark.parametrize("locale", LATIN)
def test_romanised_dates_use_english_month_names(locale: str) -> None:
    assert format_date(dt.date(1988, 3, 14), locale) == "14 March 1988"
    assert format_date("2026-03-05T10:00:00", locale) == "5 March 2026"


def test_native_scripts_are_unchanged() -> None:
    assert format_money(200000, "bn") == "₹২,০০,০০০"
    assert format_date(dt.date(2026, 3, 14), "hi") == "14 मार्च 2026"
    assert format_number(12, "bn-IN") == "১২"


@pytest.mark.parametrize("locale", ["bn-Latn", "hi-Latn"])
def test_romanised_digits_are_read_back_without_native_letters(locale: str) -> None:
    spelt = spell_digits("१०০4", locale)
    assert len(spelt.split()) == 4
    assert spelt.isascii()
