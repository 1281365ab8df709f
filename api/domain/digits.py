"""Digits and number words in Bengali, Hindi and English.

Workers type numbers in their own script (০-৯, ०-९) or say them as words on the phone line, and
the speech recogniser writes what it heard. Everything downstream wants ASCII digits, so this
module turns all of those into ints / ASCII strings. It holds no business rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

from api.domain import lexicons as lex
from api.domain.lexicons import canon_roman, nfc

__all__ = [
    "DIGIT_CHARS",
    "MULTIPLIERS",
    "ascii_digits",
    "canon_roman",
    "compose",
    "digits_only",
    "is_ambiguous",
    "is_ascii_number",
    "normalise_digits",
    "number_words",
    "spoken_number",
    "word_value",
]

DIGIT_CHARS = "0-9\u09e6-\u09ef\u0966-\u096f"
_SCRIPT_DIGITS = str.maketrans(
    {**{chr(0x09E6 + i): str(i) for i in range(10)}, **{chr(0x0966 + i): str(i) for i in range(10)}}
)

MULTIPLIERS = {100, 1000, 100000, 10000000}
_NUMBER_KINDS = ("number", "ordinal", "multiplier")


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Word -> value for all three languages, from api/data/lexicons (built on first use)."""
    return lex.values(*_NUMBER_KINDS)


def is_ambiguous(word: str) -> bool:
    """Is this number word also a common word ("do", "at", "tin")? See the lexicons."""
    ambiguous = lex.words("ambiguous")
    return nfc(word).lower() in ambiguous or lex.fold(word) in ambiguous


def ascii_digits(text: str) -> str:
    """Bengali and Devanagari digits -> ASCII; everything else unchanged."""
    return text.translate(_SCRIPT_DIGITS)


def is_ascii_number(token: str) -> bool:
    """True for "14"; False for "১৪" (convert it first) and "²" (which str.isdigit() accepts)."""
    return token.isascii() and token.isdigit()


def word_value(token: str) -> int | None:
    """Value of one number word in any of the three languages, or None.

    Latin spellings are folded first ("Unnees", "shō", "pachchees"), "14th" is 14, and a
    Bengali or Hindi number word may carry a multiplier or suffix joined to it ("উনিশশো" =
    1900, "দুহাজার" = 2000, "চোদ্দই" = 14, "पाँचवीं" = 5).
    """
    if not token:
        return None
    tok = nfc(token)
    table = number_words()
    low = tok.lower()
    if low in table:
        return table[low]
    if lex.latin(low) is not None:
        key = lex.fold(low)
        if key in table:
            return table[key]
        number = re.fullmatch(r"([0-9]+)([a-z]+)", low)
        if number and number.group(2) in lex.words("day_suffix"):
            return int(number.group(1))
        return None
    for suffix, mult in lex.native_forms("multiplier"):
        head = tok[: -len(suffix)]
        if mult and tok.endswith(suffix) and table.get(head, 100) < 100:
            return table[head] * mult
    for suffix, _ in lex.native_forms("suffix"):
        if tok.endswith(suffix) and tok[: -len(suffix)] in table:
            return table[tok[: -len(suffix)]]
    return None


def spoken_number(text: str) -> int | None:
    """The one number a text says, in words, digits or both ("unish sho athashi" = 1988,
    "19 sau 88" = 1988, "twenty one" = 21, "ek" = 1); None if it says none or several.

    Unlike normalise_digits it reads ambiguous words ("do", "ek") too: the caller asked for
    a number.
    """
    found: list[int] = []
    for token in _SEP_RE.split(ascii_digits(text))[::2]:
        if not token:
            continue
        value = int(token) if is_ascii_number(token) else word_value(token)
        if value is None and lex.fold(token) not in lex.words("joiner"):
            return None
        if value is not None:
            found.append(value)
    numbers = compose(found)
    return numbers[0] if len(numbers) == 1 else None


def _joins(cur: int, v: int, last_mult: bool) -> bool:
    """Does `v` continue the number `cur` ("two hundred" + "five", "twenty" + "one",
    "nineteen hundred twenty" + "one")?"""
    after_hundreds = (last_mult or cur >= 100) and cur % 100 == 0 and v < 100
    tens_then_unit = cur % 100 >= 20 and cur % 10 == 0 and v < 10 and not last_mult
    return after_hundreds or tens_then_unit


def compose(values: list[int]) -> list[int]:
    """Turn a run of number-word values into numbers.

    "twenty one" -> [21]; "unnees sau athasi" -> [1988]; "nineteen eighty eight" -> [19, 88]
    (callers join year halves); "one four zero three" -> [1, 4, 0, 3] (digit-by-digit speech).
    """
    groups: list[int] = []
    total = 0  # completed thousands/lakhs part of the current number
    cur: int | None = None
    last_mult = False
    for v in values:
        if v in MULTIPLIERS:
            if v == 100:
                cur = (cur if cur else 1) * 100
            else:
                total += (cur if cur else 1) * v
                cur = None
            last_mult = True
            continue
        if cur is None:
            cur = v
        elif _joins(cur, v, last_mult):
            cur += v
        else:
            groups.append(total + cur)
            total, cur = 0, v
        last_mult = False
    if cur is not None or total:
        groups.append(total + (cur or 0))
    return groups


_SEP_RE = re.compile(r"([\s,;:!?()\[\]{}\"'/.\-–—]+)")
_JOINING_SEP = re.compile(r"^[\s\-–—,]+$")


def _token_value(token: str) -> int | None:
    return int(token) if is_ascii_number(token) else word_value(token)


def normalise_digits(text: str) -> str:
    """ASCII digits for ০-৯, ०-९ and number words ("ek do teen" -> "123").

    Digits said one by one are joined ("one zero zero" -> "100"); bigger numbers stay apart
    ("fourteen" -> "14", "nineteen eighty eight" -> "19 88"). Typed digits are kept as typed.
    Ambiguous short words ("do", "at") count only next to other number words.
    """
    pieces = _SEP_RE.split(ascii_digits(text))  # word, sep, word, sep, ... (not NFC'd: kept)
    out: list[str] = []
    i = 0
    while i < len(pieces):
        word = pieces[i]
        if i % 2 == 1 or _token_value(word) is None:
            out.append(word)
            i += 1
            continue
        run = [word]
        j = i
        while (
            j + 2 < len(pieces)
            and _JOINING_SEP.match(pieces[j + 1])
            and _token_value(pieces[j + 2]) is not None
        ):
            run.append(pieces[j + 2])
            j += 2
        original = "".join(pieces[i : j + 1])
        out.append(_render_run(run, original))
        i = j + 1
    return "".join(out)


def _render_run(run: list[str], original: str) -> str:
    words = [w for w in run if not is_ascii_number(w)]
    if not words:
        return original
    strong = [w for w in words if not is_ambiguous(w)]
    if not strong and (len(run) < 3 or len(words) < len(run)):
        return original
    values = [_token_value(w) or 0 for w in run]
    if (
        len(run) > 1
        and all(v < 10 for v in values)
        and all(len(w) == 1 or not is_ascii_number(w) for w in run)
    ):
        return "".join(str(v) for v in values)
    result: list[str] = []
    pending: list[int] = []
    for w, v in zip(run, values, strict=True):
        if is_ascii_number(w) and len(w) > 3:
            result.extend(str(n) for n in compose(pending))
            pending = []
            result.append(w)
        else:
            pending.append(v)
    result.extend(str(n) for n in compose(pending))
    return " ".join(result)


def digits_only(text: str) -> str:
    """All ASCII digits in `text` (after script/word normalisation), in order."""
    return re.sub(r"\D", "", normalise_digits(text))
