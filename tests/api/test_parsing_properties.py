"""Properties of the parsing helpers, over everything the lexicons can say (hypothesis).

Numbers, years and dates are rendered from api/data/lexicons (tests/api/lexicon_render.py) in
each language and script and must read back; text without numbers must pass through untouched;
no input may make a helper raise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from api.domain import lexicons as lex
from api.domain.digits import is_ambiguous, normalise_digits, spoken_number, word_value
from api.domain.parsing import parse_age, parse_amount, parse_date, parse_uan, parse_year
from tests.api import lexicon_render as render

TODAY = date(2026, 11, 23)
FAST = settings(max_examples=150, deadline=None)
voices = st.sampled_from(render.VOICES)
variants = st.integers(min_value=0, max_value=20)


@pytest.mark.parametrize(("lang", "script"), render.VOICES)
def test_every_spelling_of_0_to_99_reads_back(lang: str, script: str) -> None:
    for n in range(100):
        spellings = render.number_forms(lang, script, n)
        assert spellings, f"{lang} {script} has no word for {n}"
        for text in spellings:
            assert spoken_number(text) == n, (lang, script, n, text)
            if not any(is_ambiguous(word) for word in text.replace("-", " ").split()):
                assert normalise_digits(text) == str(n), (lang, script, text)


@pytest.mark.parametrize(("lang", "script"), render.VOICES)
def test_every_year_from_1900_to_2030_reads_back(lang: str, script: str) -> None:
    for year in range(1900, 2031):
        for text in render.year_phrases(lang, script, year):
            assert parse_year(text, today=TODAY) == year, (lang, script, text)
            assert spoken_number(text) in (year, None), text  # "nineteen eighty" is two numbers


@FAST
@given(voices, st.integers(min_value=1900, max_value=2030), variants)
def test_years_in_any_spelling_variant(voice: tuple[str, str], year: int, variant: int) -> None:
    for text in render.year_phrases(*voice, year, variant):
        assert parse_year(text, today=TODAY) == year, text


dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@FAST
@given(
    dates,
    st.sampled_from(["/", "-", ".", " ", " / "]),
    st.booleans(),
    st.sampled_from([str, render.bengali_digits, render.devanagari_digits]),
)
def test_numeric_dates_in_any_digit_script(day: date, sep: str, padded: bool, script) -> None:
    text = script(render.numeric_date(day, sep, padded))
    assert parse_date(text, today=TODAY) == day


@FAST
@given(dates, st.sampled_from([str, render.bengali_digits, render.devanagari_digits]))
def test_compact_and_iso_dates(day: date, script) -> None:
    assert parse_date(script(day.strftime("%d%m%Y")), today=TODAY) == day
    assert parse_date(script(day.isoformat()), today=TODAY) == day


@FAST
@given(dates, voices, st.data())
def test_day_month_name_year_in_each_language(
    day: date, voice: tuple[str, str], data: st.DataObject
) -> None:
    lang, script = voice
    day_text = data.draw(st.sampled_from(render.day_forms(lang, script, day.day)), "day")
    month = data.draw(st.sampled_from(render.month_forms(lang, script, day.month)), "month")
    year = data.draw(
        st.sampled_from([str(day.year), *render.year_phrases(lang, script, day.year)]), "year"
    )
    filler = data.draw(st.sampled_from(["", *_fillers(lang, script)]), "filler")
    text = " ".join(part for part in (day_text, filler, month, year) if part)
    assert parse_date(text, today=TODAY) == day, text


def _fillers(lang: str, script: str) -> list[str]:
    return [f for row in lex.rows(lang) if row.kind == "filler" for f in row.forms][:3]


@FAST
@given(dates)
def test_english_month_first(day: date) -> None:
    assert parse_date(day.strftime("%B %d, %Y"), today=TODAY) == day
    assert parse_date(day.strftime("%b %d %Y"), today=TODAY) == day


@FAST
@given(dates, st.sampled_from(["/", "-", "."]))
def test_two_digit_years_are_the_latest_not_in_the_future(day: date, sep: str) -> None:
    text = f"{day.day}{sep}{day.month}{sep}{day.year % 100:02d}"
    expected_year = day.year % 100 + (2000 if day.year % 100 <= TODAY.year % 100 else 1900)
    assert parse_date(text, today=TODAY) == day.replace(year=expected_year)


@FAST
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=6),
    st.data(),
)
def test_weekday_names_are_the_last_such_day_before_today(
    today: date, weekday: int, data: st.DataObject
) -> None:
    spellings = [f for row in lex.all_rows("weekday") if row.value == weekday for f in row.forms]
    text = data.draw(st.sampled_from(spellings), "weekday")
    last = data.draw(st.sampled_from(["", "last", "গত", "pichhle", "पिछले"]), "last")
    found = parse_date(f"{last} {text}".strip(), today=today)
    assert found is not None, text
    assert found.weekday() == weekday
    assert today - timedelta(days=7) <= found < today


@FAST
@given(st.integers(min_value=0, max_value=99), voices, st.data())
def test_n_days_ago(n: int, voice: tuple[str, str], data: st.DataObject) -> None:
    lang, script = voice
    count = data.draw(st.sampled_from([str(n), *render.number_forms(lang, script, n)]), "n")
    unit = render.forms(lang, script, "unit", 1) or render.forms(lang, "roman", "unit", 1)
    ago = [f for row in lex.rows(lang) if row.kind == "ago" for f in row.forms]
    text = f"{count} {data.draw(st.sampled_from(unit))} {data.draw(st.sampled_from(ago))}"
    assert parse_date(text, today=TODAY) == TODAY - timedelta(days=n), text


def _is_number_free(text: str) -> bool:
    tokens = text.replace("-", " ").split()
    return not any(c.isdigit() for c in text) and all(word_value(t) is None for t in tokens)


words = st.text(
    alphabet=st.characters(categories=["L", "M", "Zs", "P"], exclude_characters="\u2028\u2029"),
    max_size=40,
)


@FAST
@given(words)
def test_text_without_numbers_passes_through_unchanged(text: str) -> None:
    assume(_is_number_free(text))
    assert normalise_digits(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "korte chai",  # Bengali "want", not chhai (six)
        "chhodo yaar",  # Hindi "leave it", not choddo (fourteen)
        "is it free",  # not "fri(day)"
        "karor sathe kotha bolbo",  # Bengali "anyone's", not karod (crore)
        "eta nao",  # Bengali "take", not nau (nine)
        "ami noi",  # Bengali "not me": noi is nine only among numbers
        "kal asi",  # "I'll come": asi/ashi is eighty only among numbers
        "ami mon theke bolchi",
        "I do not know",
        "cafe\u0301 বাংলা\u09c7",  # not NFC: returned as given, not normalised
    ],
)
def test_common_words_are_not_numbers(text: str) -> None:
    assert normalise_digits(text) == text


scripts = st.sampled_from([str, render.bengali_digits, render.devanagari_digits])


@FAST
@given(st.text(alphabet="0123456789", min_size=12, max_size=12), scripts, st.data())
def test_parse_uan_reads_12_digits_in_any_script_and_grouping(
    uan: str,
    script,
    data: st.DataObject,
) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(min_value=1, max_value=11), max_size=4), "cuts"))
    groups = [uan[a:b] for a, b in zip([0, *cuts], [*cuts, 12], strict=True)]
    sep = data.draw(st.sampled_from([" ", "-", "  ", " - "]), "sep")
    assert parse_uan(script(sep.join(groups))) == uan


@FAST
@given(st.text(alphabet="0123456789", min_size=12, max_size=12), voices, variants)
def test_parse_uan_reads_12_digits_said_one_by_one(
    uan: str, voice: tuple[str, str], variant: int
) -> None:
    said = " ".join(render.number(*voice, int(digit), variant) for digit in uan)
    assert parse_uan(said) == uan, said


@FAST
@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda s: len(s) != 12),
    scripts,
)
def test_parse_uan_refuses_any_other_count_of_digits(digits: str, script) -> None:
    assert parse_uan(script(digits)) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_no_input_makes_a_helper_raise(text: str) -> None:
    parse_date(text, today=TODAY)
    parse_year(text, today=TODAY)
    parse_uan(text)
    parse_age(text)
    parse_amount(text)
    normalise_digits(text)
    spoken_number(text)
