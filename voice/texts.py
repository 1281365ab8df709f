"""Phone prompts come from the `voice` catalogs in locales/ (and the assistant's own words)."""

from __future__ import annotations

from typing import Any

from locales import LANGUAGES, translate


def text(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)


def in_each(msgid: str, lang: str | None, **params: Any) -> list[str]:
    """The sentence in the call's language, or in all three before one is chosen (the
    language menu): a caller who has not chosen yet may understand only one of them."""
    if lang in LANGUAGES:
        return [text(msgid, lang, **params)]
    return [text(msgid, each, **params) for each in LANGUAGES]
