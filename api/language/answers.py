"""Yes and no as workers say them, in three languages and scripts ("haan ji", "হ্যাঁ, PF কাটে",
"no, wrong"): the first word decides, so an answer that goes on to explain still counts."""

from __future__ import annotations

import re

YES = frozenset(
    {
        "yes",
        "yeah",
        "yep",
        "yup",
        "ya",
        "yea",
        "ok",
        "okay",
        "sure",
        "right",
        "correct",
        "ha",
        "haa",
        "haan",
        "han",
        "hn",
        "haanji",
        "hanji",
        "ji",
        "jee",
        "theek",
        "thik",
        "sahi",
        "hya",
        "hyan",
        "hyaa",
        "hum",
        "hmm",
        "ঠিক",
        "হ্যাঁ",
        "হ্যা",
        "হুম",
        "হুঁ",
        "আচ্ছা",
        "হাঁ",
        "হা",
        "हाँ",
        "हां",
        "जी",
        "हाँजी",
        "हांजी",
        "ठीक",
        "सही",
        "हा",
    }
)
NO = frozenset(
    {
        "no",
        "nope",
        "nah",
        "not",
        "na",
        "naa",
        "nahi",
        "nahin",
        "nai",
        "nei",
        "noi",
        "galat",
        "wrong",
        "bhul",
        "vul",
        "না",
        "নাই",
        "নেই",
        "নয়",
        "ভুল",
        "नहीं",
        "नही",
        "ना",
        "नइ",
        "गलत",
        "ग़लत",
    }
)
_WORD = re.compile(r"[\w\u0980-\u09ff\u0900-\u097f]+")


def yes_or_no(text: str) -> bool | None:
    """True for yes, False for no, None when the message does not start with either."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None
    first = words[0]
    if first in YES:
        return True
    if first in NO:
        return False
    return None
