"""The keypad menus: four entries a level at most, the rest behind "other services"
(docs/contracts.md, "Phone keypad"), so a caller never has to hold seven options in mind."""

from __future__ import annotations

from api.services.calls import CallRecord
from voice.ivr.listen import MENU_PROMPT, MENUS, spec_for
from voice.ivr.screen import Screen, lang_of, listening
from voice.texts import text


def level_of(call: CallRecord) -> str:
    level = str(call.mode_data.get("level") or "main")
    return level if level in MENUS else "main"


def entry(level: str, digits: str) -> str | None:
    """What key `digits` means on `level`: a service, another level, or None."""
    entries = MENUS.get(level, ())
    if len(digits) == 1 and digits.isdigit() and 1 <= int(digits) <= len(entries):
        return entries[int(digits) - 1]
    return None


def show(
    call: CallRecord,
    level: str = "main",
    *,
    pre: list[str] | None = None,
    extra: list[str] | None = None,
) -> Screen:
    """Listen on a menu level; `extra` is said after the options and repeated with them."""
    call.mode, call.mode_data = "menu", {"level": level}
    prompt = [text(MENU_PROMPT[level], lang_of(call)), *(extra or [])]
    return listening(call, spec_for(call), prompt, pre=pre)
