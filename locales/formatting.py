"""Numbers, rupees and dates as each locale writes them, and digits as a voice says them.

Babel gives Indian grouping (12,34,567) and month names per locale; Bengali text is written with
Bengali digits (০-৯, CLDR's default numbering for bn), Hindi and English with ASCII digits.
Romanised Bengali and Hindi (bn-Latn, hi-Latn) are written like English: ASCII digits, English
month names ("14 March 1988") and "Rs 2,00,000", so a romanised SMS stays plain 7-bit text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from locales.catalog import LATIN_LOCALES, normalise_locale, translate

_BABEL_LOCALE = {"bn": "bn_IN", "hi": "hi_IN", "en": "en_IN"} | dict.fromkeys(
    LATIN_LOCALES, "en_IN"
)
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
# "Rs" rather than "₹": how romanised writers write it, readable on every basic phone, and the
# one non-GSM character that would make a Latin SMS UCS-2 (70 instead of 160 letters a part).
_LATIN_RUPEE = "Rs "


def localise_digits(text: str, locale: str | None) -> str:
    """ASCII digits in `text` written in the locale's own digits (Bengali script only)."""
    return text.translate(_BENGALI_DIGITS) if normalise_locale(locale) == "bn" else text


def format_number(value: int | float | Decimal, locale: str | None) -> str:
    code = normalise_locale(locale)
    return localise_digits(format_decimal(value, locale=_BABEL_LOCALE[code]), code)


def format_money(amount: int | float | Decimal, locale: str | None, *, spoken: bool = False) -> str:
    """₹2,00,000 (Rs 2,00,000 romanised) in writing; '2,00,000 টাকা' style when spoken."""
    code = normalise_locale(locale)
    value = Decimal(str(amount))
    whole = value == value.to_integral_value()
    if spoken:
        number = format_decimal(value, locale=_BABEL_LOCALE[code], format="#,##,##0.##")
        return translate("money.spoken", code, amount=localise_digits(number, code))
    if code in LATIN_LOCALES:
        pattern = "#,##,##0" if whole else "#,##,##0.00"
        return _LATIN_RUPEE + format_decimal(value, locale=_BABEL_LOCALE[code], format=pattern)
    pattern = "¤#,##,##0" if whole else "¤#,##,##0.00"
    text = format_currency(
        value, "INR", locale=_BABEL_LOCALE[code], format=pattern, currency_digits=False
    )
    return localise_digits(text, code)


def format_date(value: dt.date | str, locale: str | None) -> str:
    """14 March 2026 / ১৪ মার্চ, ২০২৬ / 14 मार्च 2026 (accepts ISO strings from the API)."""
    code = normalise_locale(locale)
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return localise_digits(_babel_date(day, format="long", locale=_BABEL_LOCALE[code]), code)


def spell_digits(digits: str, locale: str | None, group: int = 0) -> str:
    """Read a number back digit by digit in words ('one zero zero ...', 'ek shunya ...');
    `group`: a comma (a pause when spoken) after every so many digits, as on the card."""
    code = normalise_locale(locale)
    words = [translate(f"digit.{ch}", code) for ch in _ascii_digits(digits)]
    if group <= 0:
        return " ".join(words)
    chunks = [" ".join(words[i : i + group]) for i in range(0, len(words), group)]
    return ", ".join(chunks)


def _ascii_digits(text: str) -> str:
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str(int(ch)))  # int() reads ০-৯ and ०-९ as well
    return "".join(out)
