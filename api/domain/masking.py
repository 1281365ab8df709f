"""Hide Aadhaar-, bank- and phone-shaped numbers in free text, and hash identifiers.

Used by the log filter, before storing free text (claim descriptions, feedback, hand-over
transcripts) and by the conversation store, so a number a worker types or says by mistake never
ends up readable in logs or tables. A number is a run of digit groups in any script (ASCII,
Bengali, Devanagari, and any other Unicode digits: Odia, Gurmukhi, fullwidth ...) or number
words in any of the three languages ("nine eight seven ...", "नौ आठ सात", "নয় আট সাত",
"nau aath saat"), joined by spaces of any kind (also non-breaking and zero-width), dashes,
dots, slashes, underscores or brackets, possibly glued to letters ("acc12345678901"). Commas
do not join digit groups: they group money ("12,34,567"), which stays readable. A run of 9 or
more digits (bank accounts 9-18, phones 10, Aadhaar 12) keeps only its last 4. What stays
readable: references (CLM-2026-000123), dates (at most 8 digits), money (after ₹/Rs/INR, or
grouped by commas), and every shorter number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from api.domain.digits import ascii_digits, word_value
from api.domain.references import REFERENCE_IN_TEXT

# any Unicode decimal digit: a worker's keyboard may be Odia or Gurmukhi as well as Bengali
_DIGIT_RE = re.compile(r"\d")
# Invisible characters that never belong inside a word (zero-width space, word joiner, BOM);
# the zero-width (non-)joiners do (Bengali, Devanagari), so they are not among them.
_INVISIBLE = "\u200b\u2060\ufeff"
# word, separator, word, ... ; a word is anything between separators (letters keep their marks)
_SPLIT_RE = re.compile(rf"([\s,;:!?()\[\]{{}}\"'/.\-–—·_{_INVISIBLE}]+)")
_GLUED_RE = re.compile(r"(\d+)")
# what may sit between the groups of one number
_JOIN_DIGITS = re.compile(
    rf"^[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000.\-–—/_(){_INVISIBLE}]{{1,3}}$"
)
_JOIN_WORDS = re.compile(r"^[\s,.\-–—]{1,3}$")
_CURRENCY_BEFORE = re.compile(r"(?:₹|\bRs\.?|\bINR|\brupees?|টাকা|रुपये|रुपए)\s*$", re.I)
MIN_DIGITS = 9  # bank accounts are 9-18 digits, phones 10, Aadhaar 12
KEEP = 4
MASK_CHAR = "X"


@dataclass
class _Token:
    start: int
    end: int
    kind: str  # "digits" | "word" | "sep" | "other"
    digits: int = 0  # how many digits it stands for

    def joins(self, text: str, words: bool) -> bool:
        pattern = _JOIN_WORDS if words else _JOIN_DIGITS
        return self.kind == "sep" and bool(pattern.match(text[self.start : self.end]))


def _number_word(word: str) -> int | None:
    """Digits a number word stands for: 'nine' 1, 'ninety' 2 (said in pairs), else None."""
    if not word or _DIGIT_RE.search(word):
        return None
    value = word_value(word)
    if value is None or value >= 100:
        return None
    return 1 if value < 10 else 2


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    for index, piece in enumerate(_SPLIT_RE.split(text)):
        end = at + len(piece)
        if index % 2 == 1:
            tokens.append(_Token(at, end, "sep"))
        elif piece:
            count = _number_word(piece)
            if count is not None:
                tokens.append(_Token(at, end, "word", count))
            else:
                inner = at
                for part in _GLUED_RE.split(piece):
                    if part:
                        kind = "digits" if _DIGIT_RE.match(part) else "other"
                        digits = len(part) if kind == "digits" else 0
                        tokens.append(_Token(inner, inner + len(part), kind, digits))
                    inner += len(part)
        at = end
    return tokens


def _runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Groups of number tokens joined only by joining separators."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    pending_sep: _Token | None = None
    for token in tokens:
        if token.kind in ("digits", "word"):
            words = token.kind == "word" or (bool(current) and current[-1].kind == "word")
            if current and pending_sep is not None and pending_sep.joins(text, words):
                current.append(token)
            else:
                if current:
                    runs.append(current)
                current = [token]
            pending_sep = None
        elif token.kind == "sep" and current and pending_sep is None:
            pending_sep = token
        else:
            if current:
                runs.append(current)
            current, pending_sep = [], None
    if current:
        runs.append(current)
    return runs


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in REFERENCE_IN_TEXT.finditer(ascii_digits(text))]


def _keep_readable(text: str, run: list[_Token], protected: list[tuple[int, int]]) -> bool:
    start, end = run[0].start, run[-1].end
    if any(a <= start and end <= b for a, b in protected):
        return True
    return bool(_CURRENCY_BEFORE.search(text[:start]))


def _mask_run(text: str, run: list[_Token], out: list[str]) -> None:
    """Replace in `out` (the text as a list of characters) all but the last KEEP digits."""
    keep = KEEP
    for token in reversed(run):
        if token.kind == "word":
            if keep > 0:
                keep -= token.digits
                continue
            out[token.start] = MASK_CHAR
            for i in range(token.start + 1, token.end):
                out[i] = ""
            continue
        for i in range(token.end - 1, token.start - 1, -1):
            if keep > 0:
                keep -= 1
            else:
                out[i] = MASK_CHAR


def mask_numbers(text: str) -> str:
    """Replace all but the last 4 digits of long numbers (Aadhaar, bank, phone) with X."""
    if not text:
        return text
    tokens = _tokens(text)
    protected = _protected(text)
    out = list(text)
    changed = False
    for run in _runs(text, tokens):
        if sum(t.digits for t in run) < MIN_DIGITS or _keep_readable(text, run, protected):
            continue
        _mask_run(text, run, out)
        changed = True
    return "".join(out) if changed else text


def last4(number: str) -> str:
    """Last four ASCII digits of an identifier typed in any script."""
    digits = re.sub(r"\D", "", ascii_digits(number))
    return digits[-4:]


def pii_hash(value: str, salt: str) -> str:
    """Salted HMAC-SHA256 of the digits of an identifier; the only form a full number is kept in."""
    digits = re.sub(r"\D", "", ascii_digits(value))
    return hmac.new(salt.encode(), digits.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Hash of a bearer token (verification/staff sessions) so a DB dump cannot replay them."""
    return hashlib.sha256(token.encode()).hexdigest()
