"""Does a request to join name a pension? One rule for every channel's words.

Why: e-Shram registration has no pension; a worker who says "I want to join the pension" without
naming PM-SYM means the one voluntary pension scheme the helpline enrols for, and is asked its
questions (age, income), not sent to e-Shram registration. A message that names e-Shram stays
with e-Shram. Stems, so inflected and romanised forms count (পেনশনের, पेंशन, penshan).
"""

from __future__ import annotations

import re

PENSION_STEMS = ("pension", "penshan", "pensan", "পেনশন", "পেনসন", "पेंशन", "पेन्शन", "maandhan")
SCHEME_STEMS = ("mandhan", "মানধন", "मानधन", "pm-sym", "pmsym", "পিএম-এসওয়াইএম", "पीएम-एसवाईएम")
ESHRAM_STEMS = ("eshram", "e-shram", "ই-শ্রম", "ইশ্রম", "ई-श्रम", "ईश्रम")
_WORD = re.compile(r"[\w\u0900-\u097f\u0980-\u09ff-]+")


def _has(text: str, stems: tuple[str, ...]) -> bool:
    words = _WORD.findall(text.casefold())
    return any(word.startswith(stem) for word in words for stem in stems)


def names_a_pension(text: str) -> bool:
    """The words name a pension or PM-SYM ("pension yojana", "মানধন", "maandhan")."""
    return _has(text, PENSION_STEMS + SCHEME_STEMS)


def joins_a_pension(text: str) -> bool:
    """A wish to join that names a pension and not e-Shram ("enrol me in the pension")."""
    return _has(text, PENSION_STEMS) and not _has(text, ESHRAM_STEMS)
