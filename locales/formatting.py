"""Numbers, rupees and dates as each language writes them, and digits as a voice says them.

Babel gives Indian grouping (12,34,567) and month names per locale; Bengali text is written with
Bengali digits (০-৯, CLDR's default numbering for bn), Hindi and English with ASCII digits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from locales.catalog import normalise_language, translate

_BABEL_LOCALE = {"bn": "bn_IN", "hi": "hi_IN", "en": "en_IN"}
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def localise_digits(text: str, lang: str | None) -> str:
    """ASCII digits in `text` written in the language's own digits (Bengali only)."""
    return text.translate(_BENGALI_DIGITS) if normalise_language(lang) == "bn" else text


def format_number(value: int | float | Decimal, lang: str | None) -> str:
    code = normalise_language(lang)
    return localise_digits(format_decimal(value, locale=_BABEL_LOCALE[code]), code)


def format_money(amount: int | float | Decimal, lang: str | None, *, spoken: bool = False) -> str:
    """₹2,00,000 in writing; '2,00,000 টাকা' style when the text will be spoken."""
    code = normalise_language(lang)
    value = Decimal(str(amount))
    whole = value == value.to_integral_value()
    if spoken:
        number = format_decimal(value, locale=_BABEL_LOCALE[code], format="#,##,##0.##")
        return translate("money.spoken", code, amount=localise_digits(number, code))
    pattern = "¤#,##,##0" if whole else "¤#,##,##0.00"
    text = format_currency(
        value, "INR", locale=_BABEL_LOCALE[code], format=pattern, currency_digits=False
    )
    return localise_digits(text, code)


def format_date(value: dt.date | str, lang: str | None) -> str:
    """14 March 2026 / ১৪ মার্চ, ২০২৬ / 14 मार्च 2026 (accepts ISO strings from the API)."""
    code = normalise_language(lang)
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return localise_digits(_babel_date(day, format="long", locale=_BABEL_LOCALE[code]), code)


def spell_digits(digits: str, lang: str | None) -> str:
    """Read a number back digit by digit in words ('one zero zero ...'), for confirmation."""
    code = normalise_language(lang)
    words = [translate(f"digit.{ch}", code) for ch in _ascii_digits(digits)]
    return " ".join(words)


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str(int(ch)))  # int() reads ০-৯ and ०-९ as well
    return "".join(out)
