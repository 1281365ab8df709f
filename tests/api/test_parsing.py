"""Digits, UANs, dates, ages and amounts as workers type or say them (bn/hi/en)."""

from __future__ import annotations

from datetime import date

import pytest

from api.domain.digits import compose, normalise_digits, number_words, word_value
from api.domain.parsing import parse_age, parse_amount, parse_date, parse_uan

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("১২৩", "123"),
        ("१२३", "123"),
        ("ek do teen char", "1234"),
        ("এক দুই তিন", "123"),
        ("एक दो तीन", "123"),
        ("one zero zero", "100"),
        ("twenty one", "21"),
        ("pandrah hazaar", "15000"),
        ("I do not know", "I do not know"),
        ("meet at 5 pm", "meet at 5 pm"),
        ("98000 00001", "98000 00001"),
    ],
)
def test_normalise_digits(text: str, expected: str) -> None:
    assert normalise_digits(text) == expected


def test_compose_years_and_hundreds() -> None:
    assert compose([19, 100, 88]) == [1988]
    assert compose([19, 80, 8]) == [19, 88]
    assert compose([2, 1000, 5]) == [2005]
    assert compose([1, 4]) == [1, 4]


def test_compose_reads_units_after_hundreds_and_tens() -> None:
    assert compose([2, 100, 20, 1]) == [221]
    assert compose([19, 100, 20, 1]) == [1921]
    assert compose([12, 1000, 5, 100, 20, 5]) == [12525]
    assert compose([20, 20, 1]) == [20, 21]  # "twenty twenty-one": a year's two halves


def test_number_words_cover_1_to_99_in_devanagari_and_bengali() -> None:
    table = number_words()
    values = set(table.values())
    assert set(range(100)) <= values
    assert word_value("अट्ठासी") == 88
    assert word_value("অষ্টাশি") == 88
    assert word_value("উনিশশো") == 1900
    assert word_value("14th") == 14


@pytest.mark.parametrize(
    "text",
    [
        "100000000001",
        "১০০০০০০০০০০১",
        "१००००००००००१",
        "1000 0000 0001",
        "1000-0000-0001",
        "one zero zero zero zero zero zero zero zero zero zero one",
        "ek shunya shunya shunya shunya shunya shunya shunya shunya shunya shunya ek",
        "my uan is 100000000001",
    ],
)
def test_parse_uan_accepts_scripts_and_speech(text: str) -> None:
    assert parse_uan(text) == "100000000001"


@pytest.mark.parametrize("text", ["12345", "1000000000012", "", "abc", "1000 0000 0001 9"])
def test_parse_uan_rejects(text: str) -> None:
    assert parse_uan(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "1988-03-14",
        "14/03/1988",
        "14-3-1988",
        "14.03.88",
        "14031988",
        "14 March 1988",
        "March 14, 1988",
        "14th of March 1988",
        "১৪ মার্চ ১৯৮৮",
        "১৪ই মার্চ ১৯৮৮",
        "14 मार्च 1988",
        "१४ मार्च १९८८",
        "fourteen march nineteen eighty eight",
        "chaudah march unnees sau athasi",
        "चौदह मार्च उन्नीस सौ अट्ठासी",
        "চোদ্দ মার্চ উনিশশো অষ্টাশি",
        "1988/03/14",
        "Monday, 14 March 1988",
        "সোমবার ১৪ মার্চ ১৯৮৮",
        "14march1988",
        "১৪মার্চ১৯৮৮",
    ],
)
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text, today=TODAY) == date(1988, 3, 14)


def test_parse_date_relative_and_invalid() -> None:
    assert parse_date("today", today=TODAY) == TODAY
    assert parse_date("গতকাল", today=TODAY) == date(2026, 11, 22)
    assert parse_date("कल", today=TODAY) == date(2026, 11, 22)
    for bad in (
        "31/02/1988",
        "hello",
        "",
        "14 March",
        "1988",
        "x" * 500,
        "14 blah 1988",
        "Tuesday, 14 March 1988",  # 14 March 1988 was a Monday: unsure, so no date
        "1988/14/03",
    ):
        assert parse_date(bad, today=TODAY) is None, bad


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32", 32),
        ("৩২", 32),
        ("बत्तीस साल", 32),
        ("thirty two years", 32),
        ("বত্রিশ বছর", 32),
        (40, 40),
    ],
)
def test_parse_age(text: str | int, expected: int) -> None:
    assert parse_age(text) == expected


def test_parse_age_rejects() -> None:
    assert parse_age("abc") is None
    assert parse_age("200") is None
    assert parse_age("12 and 13") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15000", 15000),
        ("Rs 15,000", 15000),
        ("₹১৫,০০০", 15000),
        ("1,50,000", 150000),
        ("1.5 lakh", 150000),
        ("12k", 12000),
        ("pandrah hazaar", 15000),
        ("পনেরো হাজার", 15000),
        ("बारह हजार", 12000),
        ("twelve thousand five hundred", 12500),
    ],
)
def test_parse_amount(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "²",  # str.isdigit() says yes, int() says no
        "one ²",
        "চার নয়, ১০০০০০০০০০০১",  # "not four, 100000000001": a year past date's range
        "1/1/99999999999999999999",
        "9" * 190,
        "99999999999999 din pehle",
    ],
)
def test_odd_input_is_refused_not_raised(text: str) -> None:
    assert parse_date(text, today=TODAY) is None
    parse_age(text)
    parse_uan(text)
    parse_amount(text)
    normalise_digits(text)


def test_parse_amount_rejects() -> None:
    assert parse_amount("lots") is None
    assert parse_amount("5 bananas") is None
