"""Is a request about the worker's own money? One rule for every channel's words.

Why: "has my money been paid", "paisa nahi aaya", "টাকা আসেনি" are read by the NLU as a status
check, which would read out the whole record; a worker asking about money wants where the money
is (the `payment` of their status). Stems, so inflected forms count (টাকাটা, पैसे, paise).
"""

from __future__ import annotations

import re

# Word beginnings that name money or its payment, in each language and romanised.
MONEY_STEMS = (
    "money",
    "payment",
    "paid",
    "credited",
    "rupee",
    "पैस",
    "भुगतान",
    "रुपय",
    "रुपए",
    "पेमेंट",
    "paisa",
    "paise",
    "bhugtan",
    "rupay",
    "rupaye",
    "টাকা",
    "পেমেন্ট",
    "taka",
)
_WORD = re.compile(r"[\w\u0900-\u097f\u0980-\u09ff]+")


def asks_about_money(text: str) -> bool:
    """A word of the message starts with a money stem ("takes" is no "taka": whole stems)."""
    words = _WORD.findall(text.casefold())
    return any(word.startswith(stem) for word in words for stem in MONEY_STEMS)
