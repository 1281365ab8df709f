"""Human-friendly reference numbers read out on the phone: CLM-2026-000123.

Prefix says what the reference is for, so an officer knows at a glance what a caller means.
"""

from __future__ import annotations

import re

from api.domain.codes import REFERENCE_PREFIXES

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
