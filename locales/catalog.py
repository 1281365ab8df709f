"""Load the .po catalogs with Babel and look message ids up per locale.

A locale is a language in a script: bn, hi, en, and the romanised bn-Latn and hi-Latn that many
workers write on WhatsApp. The .po files are read directly (no compiled .mo to keep in sync); all
domains of a locale are merged, so a message id must be unique across domains.
"""

from __future__ import annotations

import os
import string
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES: tuple[str, ...] = ("bn", "hi", "en")
# Romanised catalogs hold only the written domains (bot, common): speech and pages stay native.
LATIN_LOCALES: tuple[str, ...] = ("bn-Latn", "hi-Latn")
LOCALES: tuple[str, ...] = (*LANGUAGES, *LATIN_LOCALES)
FALLBACK = "en"
CATALOG_DIR = Path(__file__).resolve().parent

_LATIN_SCRIPTS = {"latn", "latin", "roman", "romanised", "romanized"}


class MissingMessage(KeyError):
    """A message id that no catalog has: a bug, raised in strict mode (tests)."""


def normalise_language(lang: str | None) -> str:
    """Map 'bn-IN', 'hi_IN', 'hi-Latn', 'EN', None ... onto one of LANGUAGES (English if unknown).

    Only the language: callers that compare with "bn"/"hi"/"en" keep working with any locale.
    """
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else FALLBACK


def normalise_locale(code: str | None) -> str:
    """Map 'hi_latn', 'HI-Latn-IN', 'bn-IN', None ... onto one of LOCALES (English if unknown).

    A Latin script subtag makes bn and hi romanised; English is Latin already, so it stays 'en'.
    """
    language = normalise_language(code)
    subtags = (code or "").strip().lower().replace("_", "-").split("-")[1:]
    if language != FALLBACK and _LATIN_SCRIPTS.intersection(subtags):
        return f"{language}-Latn"
    return language


def language_of(locale: str | None) -> str:
    """'hi-Latn' -> 'hi': the language a locale is written in (same as normalise_language)."""
    return normalise_language(locale)


def script_of(locale: str | None) -> str:
    """'latin' for a romanised locale, else 'native' (English counts as native: it is Latin)."""
    return "latin" if normalise_locale(locale) in LATIN_LOCALES else "native"


def locale_for(language: str | None, script: str | None = None) -> str:
    """The locale for a language slot and a script slot: ('hi', 'latin') -> 'hi-Latn'.

    'native' picks the language's own script; None (not asked yet) keeps what `language` says.
    """
    choice = (script or "").strip().lower()
    if choice in _LATIN_SCRIPTS:
        return normalise_locale(f"{normalise_language(language)}-Latn")
    if choice == "native":
        return normalise_language(language)
    return normalise_locale(language)


@lru_cache(maxsize=len(LOCALES))
def _messages(locale: str) -> dict[str, str]:
    folder = CATALOG_DIR / locale / "LC_MESSAGES"
    merged: dict[str, str] = {}
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=language_of(locale))
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[str(message.id)] = str(message.string)
    return merged


def has_message(msgid: str, locale: str | None) -> bool:
    return msgid in _messages(normalise_locale(locale))


@lru_cache(maxsize=len(LANGUAGES))
def fixed_texts(lang: str) -> frozenset[str]:
    """Every message of a language that has no placeholder: words that say nothing personal
    (the phone line may cache them and send them to a cloud voice; anything else it may not)."""
    return frozenset(
        text.strip() for text in _messages(normalise_language(lang)).values() if "{" not in text
    )


def _strict() -> bool:
    return os.environ.get("SHRAMIK_STRICT_I18N", "") == "1"


def translate(msgid: str, locale: str | None, **params: object) -> str:
    """The text of `msgid` in `locale` with `{placeholders}` filled; English if untranslated.

    Never the native script for a romanised locale: its reader chose not to read that script.
    """
    code = normalise_locale(locale)
    text = _messages(code).get(msgid)
    if text is None:
        text = _messages(FALLBACK).get(msgid)
        if text is None or (_strict() and code != FALLBACK):
            raise MissingMessage(f"{msgid!r} is missing in the {code} catalog")
    if not params:
        return text
    return string.Formatter().vformat(text, (), _Defaulting(params))


class _Defaulting(dict[str, object]):
    """Leave an unknown placeholder visible instead of crashing a live conversation."""

    def __missing__(self, key: str) -> str:
        if _strict():
            raise KeyError(key)
        return "{" + key + "}"
