"""Human-friendly reference numbers read out on the phone: CLM-2026-000123.

Prefix says what the reference is for, so an officer knows at a glance what a caller means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.domain.codes import REFERENCE_PREFIXES
from api.domain.digits import normalise_digits

PREFIXES: dict[str, str] = {str(kind): prefix for kind, prefix in REFERENCE_PREFIXES.items()}
_ALTERNATIVES = "|".join(PREFIXES.values())
_REF_RE = re.compile(rf"^({_ALTERNATIVES})-(\d{{4}})-(\d{{6}})$")
# A reference inside a sentence ("... your reference is CLM-2026-000123.").
REFERENCE_IN_TEXT = re.compile(rf"\b(?:{_ALTERNATIVES})-\d{{4}}-\d{{6}}\b")


def format_reference(kind: str, year: int, number: int) -> str:
    """`format_reference("claim", 2026, 123)` -> "CLM-2026-000123"."""
    if number < 1 or number > 999_999:
        raise ValueError("reference number out of range")
    return f"{PREFIXES[kind]}-{year:04d}-{number:06d}"


def parse_reference(text: str) -> tuple[str, int, int] | None:
    """("CLM", 2026, 123) for a well-formed reference (case/space tolerant), else None."""
    cleaned = re.sub(r"\s+", "", text or "").upper()
    m = _REF_RE.match(cleaned)
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


# What a worker types or says for a reference: "clm 2026 123", "CLM2026000123", "000123",
# "২০২৬-০০০১২৩", "zero zero zero one two three". The prefix and the year may be left out; the
# number is 1-6 digits standing alone (never part of a longer run, so a UAN is not read as one).
_LOOSE_RE = re.compile(
    rf"(?<![A-Z0-9])(?:({_ALTERNATIVES})[\s./_:#-]*)?"
    r"(?:(20\d{2})[\s./_:#-]*)?(\d{1,6})(?![0-9])"
)


@dataclass(frozen=True)
class ReferenceQuery:
    """A reference as given: the number always, the prefix and year when the worker said them."""

    number: int
    prefix: str | None = None
    year: int | None = None

    @property
    def complete(self) -> bool:
        return self.prefix is not None and self.year is not None

    def canonical(self) -> str | None:
        """ "CLM-2026-000123" when prefix and year are known, else None."""
        if not self.complete:
            return None
        return f"{self.prefix}-{self.year:04d}-{self.number:06d}"

    def matches(self, reference: str) -> bool:
        """Does a stored reference fit everything the worker gave?"""
        parsed = parse_reference(reference)
        if parsed is None:
            return False
        prefix, year, number = parsed
        return (
            number == self.number
            and (self.prefix is None or self.prefix == prefix)
            and (self.year is None or self.year == year)
        )


def normalise_reference(text: str | None) -> ReferenceQuery | None:
    """The reference in a loosely typed text, or None (pure; never raises on odd input).

    Any digit script and spoken digits are read (`normalise_digits`); letters are case-blind.
    Of several candidates the one with a prefix wins, then one with a year, then the last number.
    """
    if not text or len(text) > 300:
        return None
    cleaned = normalise_digits(text).upper()
    found = [
        ReferenceQuery(
            number=int(m.group(3)),
            prefix=m.group(1) or None,
            year=int(m.group(2)) if m.group(2) else None,
        )
        for m in _LOOSE_RE.finditer(cleaned)
    ]
    found = [q for q in found if q.number > 0]
    if not found:
        return None
    with_prefix = [q for q in found if q.prefix is not None]
    with_year = [q for q in found if q.year is not None]
    return (with_prefix or with_year or [found[-1]])[0]


_SIX_DIGITS = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def names_reference(text: str | None, *, prefixed: bool = False) -> bool:
    """Does the text name a request's reference, not just any number? A prefix (CLM-...), a
    year with the number, or the six digits as printed; `prefixed`: only a prefix counts."""
    query = normalise_reference(text)
    if query is None:
        return False
    if query.prefix is not None:
        return True
    if prefixed:
        return False
    return query.year is not None or bool(_SIX_DIGITS.search(normalise_digits(text or "")))
