"""Human-friendly reference numbers read out on the phone: CLM-2026-000123.

Prefix says what the reference is for, so an officer knows at a glance what a caller means.
"""

from __future__ import annotations

import re

PREFIXES = {
    "claim": "CLM",
    "renewal": "REN",
    "feedback": "FDB",
    "nominee": "NOM",
    "pension_restart": "PRR",
    "handoff": "HND",
}
_REF_RE = re.compile(r"^(CLM|REN|FDB|NOM|PRR|HND)-(\d{4})-(\d{6})$")


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
