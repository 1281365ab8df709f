"""Hide Aadhaar-, bank- and phone-shaped numbers in free text, and hash identifiers.

Used by the log filter and before storing free text (claim descriptions, feedback), so a number
a worker types by mistake never ends up readable in logs or tables. Works on ASCII, Bengali and
Devanagari digits because workers type all three.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from api.domain.digits import ascii_digits

_D = "[0-9\u09e6-\u09ef\u0966-\u096f]"
# A run of digits, optionally grouped by single spaces/dashes (groups of 3+ after the first),
# not glued to letters/digits before it and not part of a reference like CLM-2026-000123.
_NUMBER_RE = re.compile(rf"(?<![\w])(?<![A-Za-z]-)(\+?{_D}{{2,}}(?:[ \-]{_D}{{3,}})*)(?!\w)")
MIN_DIGITS = 9  # bank accounts are 9-18 digits, phones 10, Aadhaar 12
MASK_CHAR = "X"


def _mask_match(match: re.Match[str]) -> str:
    text = match.group(1)
    digit_positions = [i for i, ch in enumerate(text) if re.match(_D, ch)]
    if len(digit_positions) < MIN_DIGITS:
        return text
    keep = set(digit_positions[-4:])
    return "".join(
        MASK_CHAR if i in digit_positions and i not in keep else ch for i, ch in enumerate(text)
    )


def mask_numbers(text: str) -> str:
    """Replace all but the last 4 digits of long digit runs (Aadhaar, bank, phone) with X."""
    if not text:
        return text
    return _NUMBER_RE.sub(_mask_match, text)


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
