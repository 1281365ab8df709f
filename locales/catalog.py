"""Load the .po catalogs with Babel and look message ids up per language.

The .po files are read directly (no compiled .mo to keep in sync); all domains of a language are
merged, so a message id must be unique across domains.
"""

from __future__ import annotations

import os
import string
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("bn", "hi", "en")
FALLBACK = "en"
CATALOG_DIR = Path(__file__).resolve().parent


class MissingMessage(KeyError):
    """A message id that no catalog has: a bug, raised in strict mode (tests)."""


def normalise_language(lang: str | None) -> str:
    """Map 'bn-IN', 'hi_IN', 'EN', None ... onto one of LANGUAGES (English when unknown)."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else FALLBACK


@lru_cache(maxsize=len(LANGUAGES))
def _messages(lang: str) -> dict[str, str]:
    folder = CATALOG_DIR / lang / "LC_MESSAGES"
    merged: dict[str, str] = {}
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[str(message.id)] = str(message.string)
    return merged


def has_message(msgid: str, lang: str) -> bool:
    return msgid in _messages(normalise_language(lang))


def _strict() -> bool:
    return os.environ.get("SHRAMIK_STRICT_I18N", "") == "1"


def translate(msgid: str, lang: str | None, **params: object) -> str:
    """The text of `msgid` in `lang` with `{placeholders}` filled; English if untranslated."""
    code = normalise_language(lang)
    text = _messages(code).get(msgid)
    if text is None:
        text = _messages(FALLBACK).get(msgid)
        if text is None or (_strict() and code != FALLBACK):
            raise MissingMessage(f"{msgid!r} is missing in the {code} catalog")
    if not params:
        return text
    return string.Formatter().vformat(text, (), _Defaulting(params))


class _Defaulting(dict):
    """Leave an unknown placeholder visible instead of crashing a live conversation."""

    def __missing__(self, key: str) -> str:
        if _strict():
            raise KeyError(key)
        return "{" + key + "}"
