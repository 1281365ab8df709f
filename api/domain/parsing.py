"""Read UANs, dates, ages and amounts from what a worker typed or said (bn/hi/en).

Pure functions, no business rule: adapters may call them to understand input, the backend calls
them again on every request because it never trusts an adapter's normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from api.domain.digits import ascii_digits, normalise_digits, word_value

__all__ = [
    "normalise_digits",
    "parse_age",
    "parse_amount",
    "parse_date",
    "parse_uan",
]

_MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    1: "january jan janvari janwari janeuari जनवरी জানুয়ারি জানুয়ারী জানুআরি",
    2: "february feb farvari farwari fevruari फ़रवरी फरवरी ফেব্রুয়ারি ফেব্রুয়ারী ফেব্রুআরি",
    3: "march mar marchh मार्च মার্চ",
    4: "april apr aprail अप्रैल अप्रेल এপ্রিল",
    5: "may mai मई মে",
    6: "june jun जून জুন",
    7: "july jul julai जुलाई জুলাই",
    8: "august aug agast agust अगस्त আগস্ট অগাস্ট",
    9: "september sep sept sitambar sitamber सितंबर सितम्बर সেপ্টেম্বর",
    10: "october oct aktubar aktoobar oktobar अक्टूबर अक्तूबर অক্টোবর",
    11: "november nov navambar navamber नवंबर नवम्बर নভেম্বর",
    12: "december dec disambar disamber दिसंबर दिसम्बर ডিসেম্বর",
}
_TODAY_WORDS = {"today", "aaj", "aj", "आज", "আজ", "আজকে"}
_YESTERDAY_WORDS = {"yesterday", "kal", "कल", "गतकल", "গতকাল", "কাল", "kaal"}
_FILLER = {"of", "the", "tarikh", "tareekh", "तारीख", "तारीख़", "তারিখ", "sal", "saal", "san"}
_SEP = re.compile(r"[\s,;:!?()\[\]{}\"'/.\\\-–—]+")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _month(word: str) -> int | None:
    if not _MONTHS:
        for number, names in _MONTH_NAMES.items():
            for name in names.split():
                _MONTHS[_nfc(name)] = number
    return _MONTHS.get(_nfc(word).lower())


def parse_uan(text: str | int | None) -> str | None:
    """12-digit Universal Account Number in any digit script or spoken form, else None."""
    if text is None:
        return None
    digits = re.sub(r"[\s\-–.]", "", normalise_digits(str(text)))
    match = re.fullmatch(r"\D*?(\d{12})\D*", digits)
    if match and len(re.findall(r"\d", digits)) == 12:
        return match.group(1)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: int, today: date) -> int:
    """Two-digit years: the most recent year not in the future (88 -> 1988, 05 -> 2005)."""
    if year >= 100:
        return year
    candidate = 2000 + year
    return candidate if candidate <= today.year else 1900 + year


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """A calendar date from ISO, DD/MM/YYYY, DDMMYYYY, "14 March 1988", "১৪ মার্চ ১৯৮৮",
    "fourteen march nineteen eighty eight", "chaudah march unnees sau athasi", "today"/"kal"...

    Day-first (Indian usage) for numeric forms. Returns None when unsure; never guesses a
    month/day swap.
    """
    if not text or len(text) > 200:
        return None
    today = today or date.today()
    raw = _nfc(ascii_digits(text.strip())).lower()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    if iso:
        return _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    tokens = [t for t in _SEP.split(raw) if t]
    if len(tokens) == 1 and tokens[0] in _TODAY_WORDS:
        return today
    if len(tokens) == 1 and tokens[0] in _YESTERDAY_WORDS:
        return today - timedelta(days=1)
    compact = raw
    if re.fullmatch(r"\d{8}", compact):
        if 1800 < int(compact[:4]) < 2200 and _valid(int(compact[:4]), int(compact[4:6]), 1):
            found = _valid(int(compact[:4]), int(compact[4:6]), int(compact[6:]))
            if found:
                return found
        return _valid(int(compact[4:]), int(compact[2:4]), int(compact[:2]))
    if re.fullmatch(r"\d{6}", compact):
        return _valid(_full_year(int(compact[4:]), today), int(compact[2:4]), int(compact[:2]))
    return _parse_tokens(tokens, today)


def _split_suffix(token: str) -> list[str]:
    """'14th' -> ['14'], '১৪ই' (already ASCII) '14ই' -> ['14'], 'উনিশশো' stays one word."""
    m = re.fullmatch(r"(\d+)(st|nd|rd|th|ই|লা|রা|শে|তারিখ|तारीख)?", token)
    if m:
        return [m.group(1)]
    return [token]


def _parse_tokens(tokens: list[str], today: date) -> date | None:
    items: list[tuple[str, int]] = []  # ("n", value) for numbers, ("m", month) for month names
    words: list[int] = []

    def flush_words() -> None:
        if words:
            from api.domain.digits import compose

            for n in compose(words):
                items.append(("n", n))
            words.clear()

    for token in tokens:
        for part in _split_suffix(token):
            if part in _FILLER:
                flush_words()
                continue
            month = _month(part)
            if month is not None and not part.isdigit():
                flush_words()
                items.append(("m", month))
                continue
            if part.isdigit():
                flush_words()
                items.append(("n", int(part)))
                continue
            value = word_value(part)
            if value is None:
                stripped = re.sub(r"(ই|লা|রা|শে)$", "", part)
                value = word_value(stripped) if stripped != part else None
            if value is None:
                return None  # unknown word: do not guess
            words.append(value)
    flush_words()
    kinds = "".join(k for k, _ in items)
    vals = [v for _, v in items]
    if "m" in kinds:
        if kinds.count("m") != 1:
            return None
        mi = kinds.index("m")
        month = vals[mi]
        before, after = vals[:mi], vals[mi + 1 :]
        if len(before) == 1:
            day, year_parts = before[0], after
        elif not before and after:
            day, year_parts = after[0], after[1:]
        else:
            return None
        year = _join_year(year_parts, today)
        return _valid(year, month, day) if year else None
    if kinds == "nnn":
        day, month, year = vals
        if year < 100 or year > 999:
            return _valid(_full_year(year, today), month, day)
        return None
    if kinds == "nnnn":  # "fourteen three nineteen eighty-eight"
        year = _join_year(vals[2:], today)
        return _valid(year, vals[1], vals[0]) if year else None
    return None


def _join_year(parts: list[int], today: date) -> int | None:
    if len(parts) == 1:
        return _full_year(parts[0], today) if parts[0] < 100 or 1800 < parts[0] < 2200 else None
    if len(parts) == 2 and 10 <= parts[0] <= 20 and 0 <= parts[1] < 100:
        return parts[0] * 100 + parts[1]
    return None


def parse_age(text: str | int | None) -> int | None:
    """Age in whole years from "32", "৩২", "बत्तीस साल", "thirty two years"; None if absurd."""
    if text is None:
        return None
    if isinstance(text, int):
        return text if 0 < text < 120 else None
    numbers = re.findall(r"\d+", normalise_digits(text))
    if len(numbers) != 1:
        return None
    age = int(numbers[0])
    return age if 0 < age < 120 else None


_UNITS = {
    "k": 1000,
    "hazar": 1000,
    "hazaar": 1000,
    "hajar": 1000,
    "thousand": 1000,
    "हजार": 1000,
    "हज़ार": 1000,
    "হাজার": 1000,
    "lakh": 100000,
    "lakhs": 100000,
    "lac": 100000,
    "लाख": 100000,
    "লাখ": 100000,
    "লক্ষ": 100000,
}


def parse_amount(text: str | int | None) -> int | None:
    """Rupees from "15000", "Rs 15,000", "₹১৫,০০০", "1.5 lakh", "pandrah hazaar", "পনেরো হাজার"."""
    if text is None:
        return None
    if isinstance(text, int):
        return text if text >= 0 else None
    raw = _nfc(ascii_digits(text)).lower()
    raw = re.sub(r"(?<=\d),(?=\d)", "", raw)  # Indian grouping 1,50,000
    raw = re.sub(r"(rs\.?|inr|₹|rupees?|rupaye|rupaiya|रुपये|रुपए|रुपया|টাকা|taka)", " ", raw)
    decimal = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([^\d\s]+)?\s*(per month|monthly|महीना)?\s*", raw)
    if decimal:
        number = float(decimal.group(1))
        unit = decimal.group(2)
        if unit and unit not in _UNITS:
            return None
        return round(number * (_UNITS[unit] if unit else 1))
    numbers = re.findall(r"\d+", normalise_digits(raw))
    if len(numbers) != 1:
        return None
    return int(numbers[0])
