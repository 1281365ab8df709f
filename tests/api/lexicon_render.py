"""Write numbers, years and dates the way the lexicons say people write them (for the tests).

Everything is rendered from api/data/lexicons, so a word added there is tested at once: the
parser must read back every number, year and date these functions produce.
"""

from __future__ import annotations

from datetime import date

from api.domain import lexicons as lex

# (language, script) pairs that have their own words for 0-99.
VOICES = [("bn", "native"), ("bn", "roman"), ("hi", "native"), ("hi", "roman"), ("en", "native")]
_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


def forms(lang: str, script: str, kind: str, value: int) -> list[str]:
    """Every spelling of (kind, value) in one language and script, the usual one first."""
    found = [
        form
        for row in lex.rows(lang)
        if (row.kind, row.value, row.script) == (kind, value, script)
        for form in row.forms
    ]
    return found


def number_forms(lang: str, script: str, n: int) -> list[str]:
    """Ways to say 0-99: one word in Bengali and Hindi; English composes tens and units."""
    own = forms(lang, script, "number", n)
    if own or lang != "en" or n < 21 or n % 10 == 0:
        return own
    tens, units = forms(lang, script, "number", n - n % 10), forms(lang, script, "number", n % 10)
    return [f"{t}{joint}{u}" for t in tens for u in units for joint in (" ", "-")]


def number(lang: str, script: str, n: int, variant: int = 0) -> str:
    spellings = number_forms(lang, script, n)
    return spellings[variant % len(spellings)]


def _word(lang: str, script: str, kind: str, value: int, variant: int = 0) -> str:
    spellings = forms(lang, script, kind, value)
    return spellings[variant % len(spellings)]


def year_phrases(lang: str, script: str, year: int, variant: int = 0) -> list[str]:
    """How a year from 1900 to 2099 is said: "unish sho athashi", "উনিশশো অষ্টাশি",
    "दो हज़ार पाँच", "nineteen eighty-eight", "twenty ten", "19 sau 88"."""
    century, rest = divmod(year, 100)
    say = lambda n: number(lang, script, n, variant)  # noqa: E731
    hundred = _word(lang, script, "multiplier", 100, variant)
    thousand = _word(lang, script, "multiplier", 1000, variant)
    tail = [say(rest)] if rest else []
    phrases: list[str] = []
    if century == 19:
        phrases.append(" ".join([say(19), hundred, *tail]))
        phrases.append(" ".join(["19", hundred, *([str(rest)] if rest else [])]))
        if script == "native" and lang == "bn":
            phrases.append(" ".join([say(19) + hundred, *tail]))  # "উনিশশো" is one word
    else:
        phrases.append(" ".join([say(2), thousand, *tail]))
        phrases.append(" ".join(["2", thousand, *([str(rest)] if rest else [])]))
    if lang == "en":
        if rest >= 10:
            phrases.append(f"{say(century)} {say(rest)}")
        elif rest and century == 19:
            phrases.append(f"{say(century)} oh {say(rest)}")
        if rest:
            big = f"{say(century)} {hundred}" if century == 19 else f"{say(2)} {thousand}"
            phrases.append(f"{big} and {say(rest)}")
    return phrases


def day_forms(lang: str, script: str, day: int) -> list[str]:
    """The day of a date: "14", "14th", "১৪ই", "৪ঠা", "chouddo", "পয়লা"..."""
    found = [str(day), *number_forms(lang, script, day)]
    if lang == "en":
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")
        found.append(f"{day}{suffix}")
        found += forms(lang, script, "ordinal", day)
    if lang == "bn" and script == "native":
        suffix = {1: "লা", 2: "রা", 3: "রা", 4: "ঠা"}.get(day, "ই" if day < 19 else "শে")
        found.append(bengali_digits(f"{day}") + suffix)
    if lang in ("bn", "hi"):
        found += forms(lang, script, "ordinal", day)
    return found


def month_forms(lang: str, script: str, month: int) -> list[str]:
    return forms(lang, script, "month", month) or forms("en", "native", "month", month)


def bengali_digits(text: str) -> str:
    return text.translate(_BENGALI_DIGITS)


def devanagari_digits(text: str) -> str:
    return text.translate(_DEVANAGARI_DIGITS)


def numeric_date(day: date, sep: str, padded: bool) -> str:
    """14/03/1988, 14-3-1988, 14.03.1988, 14 03 1988."""
    fmt = "{d:02d}{s}{m:02d}{s}{y}" if padded else "{d}{s}{m}{s}{y}"
    return fmt.format(d=day.day, m=day.month, y=day.year, s=sep)
