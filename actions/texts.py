"""Render replies in the conversation's language from the `bot` catalogs.

Every reply goes through `say`/`text`, so an action never holds user-facing words itself.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from locales import normalise_language, translate

YES_NO = ("common.yes", "common.no")
MENU_FLOWS = (
    "status",
    "renewal",
    "claim",
    "eligibility",
    "nominee",
    "pension",
    "register",
    "feedback",
    "human",
)


def lang_of(tracker: Tracker | dict[str, Any] | str | None) -> str:
    """The conversation's language: the `language` slot, English until it is known."""
    if isinstance(tracker, str) or tracker is None:
        return normalise_language(tracker)
    if isinstance(tracker, Tracker):
        return normalise_language(tracker.get_slot("language"))
    return normalise_language((tracker or {}).get("language"))


def text(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)


def yes_no_buttons(lang: str) -> list[dict[str, str]]:
    """Buttons whose payload is the plain word, so it goes through NLU like typed text."""
    return [{"title": text(m, lang), "payload": text(m, lang)} for m in YES_NO]


def say(
    dispatcher: CollectingDispatcher,
    lang: str,
    msgid: str,
    *,
    buttons: list[dict[str, str]] | None = None,
    **params: Any,
) -> None:
    dispatcher.utter_message(text=text(msgid, lang, **params), buttons=buttons or [])


def menu_text(lang: str) -> str:
    """The numbered list of what the assistant can do (numbers work on SMS and voice)."""
    lines = [text("menu.intro", lang)]
    for number, flow in enumerate(MENU_FLOWS, start=1):
        lines.append(numbered(number, text(f"menu.{flow}", lang), lang))
    return "\n".join(lines)


def numbered(number: int, item: str, lang: str) -> str:
    """'1. ...' with the number in the language's digits (Bengali digits for bn)."""
    from locales import format_number

    return text("menu.item", lang, number=format_number(number, lang), label=item)


def say_menu(dispatcher: CollectingDispatcher, lang: str) -> None:
    dispatcher.utter_message(text=menu_text(lang))


def label(kind: str, code: str | None, lang: str) -> str:
    """`scheme.pm_sym`, `claim_type.medical` ...; the raw code if the catalog lacks it."""
    if not code:
        return ""
    from locales import has_message

    msgid = f"{kind}.{code}"
    if has_message(msgid, lang) or has_message(msgid, "en"):
        return text(msgid, lang)
    return str(code)
