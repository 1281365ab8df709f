"""Digits and number words in Bengali, Hindi and English.

Workers type numbers in their own script (০-৯, ०-९) or say them as words on the phone line, and
the speech recogniser writes what it heard. Everything downstream wants ASCII digits, so this
module turns all of those into ints / ASCII strings. It holds no business rule.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DIGIT_CHARS = "0-9\u09e6-\u09ef\u0966-\u096f"
_SCRIPT_DIGITS = str.maketrans(
    {**{chr(0x09E6 + i): str(i) for i in range(10)}, **{chr(0x0966 + i): str(i) for i in range(10)}}
)

# --- number words ---------------------------------------------------------------------------
_EN = {
    "zero": 0, "oh": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

_HI_DEVA = [
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उन्यासी",
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    "नब्बे",
    "इक्यानवे",
    "बानवे",
    "तिरानवे",
    "चौरानवे",
    "पचानवे",
    "छियानवे",
    "सत्तानवे",
    "अट्ठानवे",
    "निन्यानवे",
]
_HI_DEVA_EXTRA = {
    "पांच": 5,
    "छः": 6,
    "छे": 6,
    "छह": 6,
    "पन्द्रह": 15,
    "उन्नीस": 19,
    "सौ": 100,
    "हज़ार": 1000,
    "हजार": 1000,
    "लाख": 100000,
    "करोड़": 10000000,
    "शून्य": 0,
    "अट्ठासी": 88,
    "अठासी": 88,
}
_HI_ROMAN = [
    "shunya",
    "ek",
    "do",
    "teen",
    "char",
    "paanch",
    "chhah",
    "saat",
    "aath",
    "nau",
    "das",
    "gyarah",
    "barah",
    "terah",
    "chaudah",
    "pandrah",
    "solah",
    "satrah",
    "atharah",
    "unnees",
    "bees",
    "ikkees",
    "baees",
    "teis",
    "chaubees",
    "pachchees",
    "chhabbees",
    "sattaees",
    "atthaees",
    "untees",
    "tees",
    "iktees",
    "battees",
    "taintees",
    "chauntees",
    "paintees",
    "chhattees",
    "saintees",
    "adtees",
    "untalees",
    "chalees",
    "iktalees",
    "bayalees",
    "taintalees",
    "chavalees",
    "paintalees",
    "chhiyalees",
    "saintalees",
    "adtalees",
    "unchas",
    "pachas",
    "ikyavan",
    "baavan",
    "tirpan",
    "chauvan",
    "pachpan",
    "chhappan",
    "sattavan",
    "atthavan",
    "unsath",
    "saath",
    "iksath",
    "baasath",
    "tirsath",
    "chaunsath",
    "painsath",
    "chhiyasath",
    "sadsath",
    "adsath",
    "unhattar",
    "sattar",
    "ikhattar",
    "bahattar",
    "tihattar",
    "chauhattar",
    "pachhattar",
    "chhihattar",
    "sathattar",
    "athhattar",
    "unyasi",
    "assi",
    "ikyasi",
    "bayasi",
    "tirasi",
    "chaurasi",
    "pachasi",
    "chhiyasi",
    "sattasi",
    "atthasi",
    "navasi",
    "nabbe",
    "ikyanve",
    "baanve",
    "tiranve",
    "chauranve",
    "pachanve",
    "chhiyanve",
    "sattanve",
    "atthanve",
    "ninyanve",
]
_HI_ROMAN_EXTRA = {
    "sunya": 0,
    "shoonya": 0,
    "chaar": 4,
    "panch": 5,
    "chhe": 6,
    "che": 6,
    "chah": 6,
    "dus": 10,
    "athasi": 88,
    "athaasi": 88,
    "unnis": 19,
    "unis": 19,
    "sau": 100,
    "so": 100,
    "hazaar": 1000,
    "hazar": 1000,
    "hajar": 1000,
    "lakh": 100000,
    "lac": 100000,
    "crore": 10000000,
    "karod": 10000000,
    "bis": 20,
    "pachis": 25,
    "athara": 18,
    "atharah": 18,
    "chaudha": 14,
    "chaudah": 14,
    "chouda": 14,
    "choudah": 14,
    "pandra": 15,
    "sola": 16,
    "satra": 17,
    "gyara": 11,
    "bara": 12,
    "tera": 13,
}
_BN = [
    "শূন্য",
    "এক",
    "দুই",
    "তিন",
    "চার",
    "পাঁচ",
    "ছয়",
    "সাত",
    "আট",
    "নয়",
    "দশ",
    "এগারো",
    "বারো",
    "তেরো",
    "চোদ্দ",
    "পনেরো",
    "ষোলো",
    "সতেরো",
    "আঠারো",
    "উনিশ",
    "কুড়ি",
    "একুশ",
    "বাইশ",
    "তেইশ",
    "চব্বিশ",
    "পঁচিশ",
    "ছাব্বিশ",
    "সাতাশ",
    "আঠাশ",
    "উনত্রিশ",
    "ত্রিশ",
    "একত্রিশ",
    "বত্রিশ",
    "তেত্রিশ",
    "চৌত্রিশ",
    "পঁয়ত্রিশ",
    "ছত্রিশ",
    "সাঁইত্রিশ",
    "আটত্রিশ",
    "উনচল্লিশ",
    "চল্লিশ",
    "একচল্লিশ",
    "বিয়াল্লিশ",
    "তেতাল্লিশ",
    "চুয়াল্লিশ",
    "পঁয়তাল্লিশ",
    "ছেচল্লিশ",
    "সাতচল্লিশ",
    "আটচল্লিশ",
    "উনপঞ্চাশ",
    "পঞ্চাশ",
    "একান্ন",
    "বাহান্ন",
    "তিপ্পান্ন",
    "চুয়ান্ন",
    "পঞ্চান্ন",
    "ছাপ্পান্ন",
    "সাতান্ন",
    "আটান্ন",
    "উনষাট",
    "ষাট",
    "একষট্টি",
    "বাষট্টি",
    "তেষট্টি",
    "চৌষট্টি",
    "পঁয়ষট্টি",
    "ছেষট্টি",
    "সাতষট্টি",
    "আটষট্টি",
    "উনসত্তর",
    "সত্তর",
    "একাত্তর",
    "বাহাত্তর",
    "তিয়াত্তর",
    "চুয়াত্তর",
    "পঁচাত্তর",
    "ছিয়াত্তর",
    "সাতাত্তর",
    "আটাত্তর",
    "উনআশি",
    "আশি",
    "একাশি",
    "বিরাশি",
    "তিরাশি",
    "চুরাশি",
    "পঁচাশি",
    "ছিয়াশি",
    "সাতাশি",
    "অষ্টাশি",
    "উননব্বই",
    "নব্বই",
    "একানব্বই",
    "বিরানব্বই",
    "তিরানব্বই",
    "চুরানব্বই",
    "পঁচানব্বই",
    "ছিয়ানব্বই",
    "সাতানব্বই",
    "আটানব্বই",
    "নিরানব্বই",
]
_BN_EXTRA = {
    "দু": 2,
    "দুয়ে": 2,
    "ছ": 6,
    "ছয়": 6,
    "চৌদ্দ": 14,
    "কুড়ি": 20,
    "বিশ": 20,
    "তিরিশ": 30,
    "শো": 100,
    "শ": 100,
    "শত": 100,
    "একশো": 100,
    "হাজার": 1000,
    "লাখ": 100000,
    "লক্ষ": 100000,
    "কোটি": 10000000,
}
_BN_ROMAN = {
    "shunno": 0,
    "dui": 2,
    "tin": 3,
    "chhoy": 6,
    "choy": 6,
    "noy": 9,
    "dosh": 10,
    "egaro": 11,
    "baro": 12,
    "tero": 13,
    "choddo": 14,
    "ponero": 15,
    "sholo": 16,
    "shotero": 17,
    "atharo": 18,
    "unish": 19,
    "kuri": 20,
    "hajar": 1000,
}
# Short romanised words that are also common words ("do", "at", "tin"): only read as digits
# inside a run of other number words, never alone.
AMBIGUOUS = {"do", "at", "sat", "tin", "char", "nau", "noy", "so", "ek", "bara", "tera", "che"}
MULTIPLIERS = {100, 1000, 100000, 10000000}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def canon_roman(word: str) -> str:
    """Fold common spelling variants of romanised Hindi/Bengali (aa/a, ee/i, doubled letters)."""
    w = word.lower()
    w = w.replace("aa", "a").replace("ee", "i").replace("oo", "u").replace("w", "v")
    w = re.sub(r"(.)\1+", r"\1", w)
    return w


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Word -> value for all three languages (built on first use, not at import)."""
    table: dict[str, int] = {}
    for i, w in enumerate(_HI_DEVA):
        table[_nfc(w)] = i
    for w, v in _HI_DEVA_EXTRA.items():
        table[_nfc(w)] = v
    for i, w in enumerate(_BN):
        table[_nfc(w)] = i
    for w, v in _BN_EXTRA.items():
        table[_nfc(w)] = v
    for i, w in enumerate(_HI_ROMAN):
        table.setdefault(canon_roman(w), i)
    for w, v in {**_HI_ROMAN_EXTRA, **_BN_ROMAN}.items():
        table.setdefault(canon_roman(w), v)
    table["at"] = 8  # Bengali "at" (আট) written in Latin letters
    for w, v in _EN.items():
        table[w] = v
    table["hundred"] = 100
    table["thousand"] = 1000
    table["lakh"] = 100000
    table["lakhs"] = 100000
    table["crore"] = 10000000
    return table


def ascii_digits(text: str) -> str:
    """Bengali and Devanagari digits -> ASCII; everything else unchanged."""
    return text.translate(_SCRIPT_DIGITS)


def word_value(token: str) -> int | None:
    """Value of one number word in any of the three languages, or None."""
    if not token:
        return None
    tok = _nfc(token)
    table = number_words()
    low = tok.lower()
    if low in table:
        return table[low]
    if low.isascii():
        canon = canon_roman(low)
        if canon in table:
            return table[canon]
        for suffix in ("th", "st", "nd", "rd"):
            if low.endswith(suffix) and low[: -len(suffix)].isdigit():
                return int(low[: -len(suffix)])
        return None
    # Bengali "উনিশশো" (nineteen hundred) is one written word.
    for suffix in ("শো", "শ"):
        head = tok[: -len(suffix)]
        if tok.endswith(suffix) and head in table and table[head] < 100:
            return table[head] * 100
    # Bengali ordinal/date suffixes ("চোদ্দই", "১৪ই") and Hindi "तारीख" are handled by callers.
    for suffix in ("ই", "তারিখ", "তম"):
        if tok.endswith(suffix) and tok[: -len(suffix)] in table:
            return table[tok[: -len(suffix)]]
    return None


def _joins(cur: int, v: int, last_mult: bool) -> bool:
    """Does `v` continue the number `cur` ("two hundred" + "five", "twenty" + "one")?"""
    after_hundreds = (last_mult or cur >= 100) and cur % 100 == 0 and v < 100
    tens_then_unit = 20 <= cur < 100 and cur % 10 == 0 and v < 10 and not last_mult
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
    return int(token) if token.isdigit() else word_value(token)


def normalise_digits(text: str) -> str:
    """ASCII digits for ০-৯, ०-९ and number words ("ek do teen" -> "123").

    Digits said one by one are joined ("one zero zero" -> "100"); bigger numbers stay apart
    ("fourteen" -> "14", "nineteen eighty eight" -> "19 88"). Typed digits are kept as typed.
    Ambiguous short words ("do", "at") count only next to other number words.
    """
    pieces = _SEP_RE.split(ascii_digits(_nfc(text)))  # word, sep, word, sep, ...
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
    words = [w for w in run if not w.isdigit()]
    if not words:
        return original
    strong = [w for w in words if canon_roman(w) not in AMBIGUOUS and w.lower() not in AMBIGUOUS]
    if not strong and (len(run) < 3 or len(words) < len(run)):
        return original
    values = [_token_value(w) or 0 for w in run]
    if (
        len(run) > 1
        and all(v < 10 for v in values)
        and all(len(w) == 1 or not w.isdigit() for w in run)
    ):
        return "".join(str(v) for v in values)
    result: list[str] = []
    pending: list[int] = []
    for w, v in zip(run, values, strict=True):
        if w.isdigit() and len(w) > 3:
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
