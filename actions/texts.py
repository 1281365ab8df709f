"""Render replies in the conversation's language from the `bot` catalogs.

Every reply goes through `say`/`text`, so an action never holds user-facing words itself.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import expect
from locales import locale_for, normalise_locale, translate

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
    """The locale replies are written in: the `language` slot (English until it is known) in
    the `script` a romanised writer chose ("hi-Latn"). Backend calls take `language_of(...)`."""
    if isinstance(tracker, str) or tracker is None:
        return normalise_locale(tracker)
    if isinstance(tracker, Tracker):
        return locale_for(tracker.get_slot("language"), tracker.get_slot("script"))
    slots = tracker or {}
    return locale_for(slots.get("language"), slots.get("script"))


def text(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)


def yes_no_buttons(lang: str) -> list[dict[str, str]]:
    """Buttons whose payload is the plain word, so it goes through NLU like typed text."""
    return [{"title": text(m, lang), "payload": text(m, lang)} for m in YES_NO]


# Replies that end the conversation or lead back to the menu, by message id (actions/expect.py).
ENDING = frozenset({"common.goodbye"})
MENU_PROMPTS = frozenset({"common.anything_else"})


def say(
    dispatcher: CollectingDispatcher,
    lang: str,
    msgid: str,
    *,
    buttons: list[dict[str, str]] | None = None,
    custom: dict[str, Any] | None = None,
    **params: Any,
) -> None:
    """One reply from the catalog; `custom` says what it asks for (actions/expect.py)."""
    if custom is None and msgid in ENDING:
        custom = expect.end()
    elif custom is None and msgid in MENU_PROMPTS:
        custom = expect.menu()
    dispatcher.utter_message(
        text=text(msgid, lang, **params), buttons=buttons or [], json_message=custom
    )


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
    dispatcher.utter_message(text=menu_text(lang), json_message=expect.menu())


def label(kind: str, code: str | None, lang: str) -> str:
    """`scheme.pm_sym`, `claim_type.medical` ...; the raw code if the catalog lacks it."""
    if not code:
        return ""
    from locales import has_message

    msgid = f"{kind}.{code}"
    if has_message(msgid, lang) or has_message(msgid, "en"):
        return text(msgid, lang)
    return str(code)
