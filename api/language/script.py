"""Which script a text is written in: the cheapest and surest signal of its language."""

from __future__ import annotations

import re

_BENGALI = re.compile(r"[\u0980-\u09FF]")
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN = re.compile(r"[A-Za-z]")


def script_language(text: str) -> str | None:
    """bn for Bengali letters, hi for Devanagari (the more frequent wins), None for neither."""
    bengali, devanagari = len(_BENGALI.findall(text)), len(_DEVANAGARI.findall(text))
    if not bengali and not devanagari:
        return None
    return "bn" if bengali >= devanagari else "hi"


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))
