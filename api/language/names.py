"""Language names as workers say or type them, in every script, and what each one selects."""

from __future__ import annotations

import re

from api.domain.codes import LANGUAGES

NAMES: dict[str, tuple[str, ...]] = {
    "bn": (
        "bangla", "bengali", "bangali", "bangla te", "বাংলা", "বাংলায়", "বাঙালি", "बांग्ला",
        "बंगाली", "bangla mein",
    ),
    "hi": ("hindi", "हिंदी", "हिन्दी", "हिंदी में", "হিন্দি", "hindi mein", "hindi me"),
    "en": (
        "english", "angrezi", "angreji", "इंग्लिश", "अंग्रेजी", "अंग्रेज़ी", "ইংরেজি", "ইংলিশ",
        "english mein",
    ),
}  # fmt: skip
_WORD = re.compile(r"[\w\u0980-\u09ff\u0900-\u097f]+")


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def named_language(text: str) -> str | None:
    """The language a message consisting only of a language's name selects ('বাংলা', 'Hindi')."""
    folded = _fold(text)
    for lang, names in NAMES.items():
        if folded in (_fold(n) for n in names):
            return lang
    return None


def mentioned_language(text: str) -> str | None:
    """The one language named anywhere in `text` ('hindi mein boliye'), None if none or several."""
    words = set(_fold(text).split())
    found = {
        lang
        for lang, names in NAMES.items()
        if any(set(_fold(n).split()) <= words and _fold(n) for n in names)
    }
    return found.pop() if len(found) == 1 else None


def all_names() -> list[str]:
    """Every name, for speech-recognition hints."""
    return [name for lang in LANGUAGES for name in NAMES[lang]]
