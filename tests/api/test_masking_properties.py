"""Masking, by property: every way a long number can be written or said keeps only its last 4
digits; references, dates and money amounts stay exactly as written (hypothesis)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from api.domain import lexicons
from api.domain.digits import digits_only
from api.domain.masking import mask_numbers
from api.domain.references import PREFIXES, format_reference
from locales import format_money

SCRIPTS = {
    "ascii": "0123456789",
    "bn": "০১২৩৪৫৬৭৮৯",
    "hi": "०१२३४५६७८९",
    "or": "୦୧୨୩୪୫୬୭୮୯",  # Odia
    "pa": "੦੧੨੩੪੫੬੭੮੯",  # Gurmukhi
    "fullwidth": "０１２３４５６７８９",
}
SEPARATORS = [" ", "\u00a0", "\u202f", "\u2009", "-", ".", " - ", "", "/", "_", "\u200b", ") "]
CARRIERS = [
    "my account is {} please check",
    "aadhaar {}",
    "আমার নম্বর {} দেখুন",
    "मेरा नंबर {} है",
    "{}",
    "call me on {} today",
]
GLUED = ["acc", "a", "UAN", "no", "ac"]


def _digit_words() -> dict[int, list[str]]:
    words: dict[int, list[str]] = {d: [] for d in range(10)}
    for row in lexicons.all_rows("number"):
        if row.value is not None and row.value < 10:
            words[row.value].extend(f for f in row.forms if " " not in f)
    return words


WORDS = _digit_words()
long_numbers = st.integers(min_value=9, max_value=18).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str]:
    """(number, how it is written): any script, any grouping, separators, glued to letters."""
    number = draw(long_numbers)
    script = SCRIPTS[draw(st.sampled_from(sorted(SCRIPTS)))]
    shown = "".join(script[int(d)] for d in number)
    groups: list[str] = []
    while shown:
        size = draw(st.integers(min_value=1, max_value=6))
        groups.append(shown[:size])
        shown = shown[size:]
    text = draw(st.sampled_from(SEPARATORS)).join(groups)
    if draw(st.booleans()):
        text = draw(st.sampled_from(GLUED)) + text
    return number, text


@st.composite
def spoken(draw: st.DrawFn) -> tuple[str, str]:
    """(number, said digit by digit in words of any of the three languages)."""
    number = draw(long_numbers)
    separator = draw(st.sampled_from([" ", ", ", " - "]))
    return number, separator.join(draw(st.sampled_from(WORDS[int(d)])) for d in number)


@settings(max_examples=300, deadline=None)
@given(written() | spoken(), st.sampled_from(CARRIERS))
def test_every_form_of_a_long_number_keeps_only_its_last_four(
    case: tuple[str, str], carrier: str
) -> None:
    number, form = case
    masked = mask_numbers(carrier.format(form))
    assert any_digits(masked) == number[-4:], (form, masked)


def any_digits(text: str) -> str:
    """The digits `text` still shows, written in any script or said as words."""
    return digits_only("".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text))


def test_forms_once_missed_are_masked() -> None:
    """Each was let through whole before (found probing, 2026-12-07)."""
    for form in [
        "1234\u200b5678\u200b9012",  # zero-width spaces (a pasted number)
        "1234/5678/9012",
        "1234_5678_9012",
        "(1234) 5678 9012",
        "୧୨୩୪୫୬୭୮୯୦୧୨",  # Odia digits
        "１２３４５６７８９０１２",  # fullwidth digits
    ]:
        assert any_digits(mask_numbers(f"my aadhaar {form} ok")) == "9012", form


dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 12, 31))
DATE_FORMS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %m %Y"]
references = st.builds(
    format_reference,
    st.sampled_from(sorted(PREFIXES)),
    st.integers(min_value=2020, max_value=2035),
    st.integers(min_value=1, max_value=999_999),
)
amounts = st.integers(min_value=0, max_value=10**9)


@st.composite
def readable(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["reference", "date", "money", "rupees", "short"]))
    if kind == "reference":
        return draw(references)
    if kind == "date":
        return draw(dates).strftime(draw(st.sampled_from(DATE_FORMS)))
    if kind == "money":
        return format_money(draw(amounts), draw(st.sampled_from(["bn", "hi", "en"])))
    if kind == "rupees":
        return f"Rs. {draw(amounts)}"
    return str(draw(st.integers(min_value=0, max_value=99_999_999)))


@settings(max_examples=300, deadline=None)
@given(readable(), st.sampled_from(CARRIERS))
def test_references_dates_and_money_stay_readable(value: str, carrier: str) -> None:
    text = carrier.format(value)
    assert mask_numbers(text) == text
