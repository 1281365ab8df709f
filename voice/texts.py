"""Phone prompts come from the `voice` catalogs in locales/ (and the assistant's own words)."""

from __future__ import annotations

from typing import Any

from locales import translate


def text(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)
