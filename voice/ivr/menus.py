"""The keypad menus: four entries a level at most, the rest behind "other services"
(docs/contracts.md, "Phone keypad"), so a caller never has to hold seven options in mind.

A level may be said in a learned order (the calls service counts what callers choose,
api/services/menu_order.py); the order said is kept with the call, so a key means what was said.
"""

from __future__ import annotations

from api.services.calls import CallRecord
from voice.ivr.listen import MENU_PROMPT, MENUS, spec_for
from voice.ivr.screen import Screen, lang_of, listening
from voice.texts import text


def level_of(call: CallRecord) -> str:
    level = str(call.mode_data.get("level") or "main")
    return level if level in MENUS else "main"


def entries_of(call: CallRecord) -> tuple[str, ...]:
    """The level's entries in the order the caller heard them."""
    level = level_of(call)
    said = call.mode_data.get("entries")
    if isinstance(said, list) and sorted(said) == sorted(MENUS[level]):
        return tuple(str(e) for e in said)
    return MENUS[level]


def entry(call: CallRecord, digits: str) -> str | None:
    """What key `digits` means on the call's level: a service, another level, or None."""
    entries = entries_of(call)
    if len(digits) == 1 and digits.isdigit() and 1 <= int(digits) <= len(entries):
        return entries[int(digits) - 1]
    return None


def prompt(level: str, entries: tuple[str, ...], lang: str) -> list[str]:
    """The level's options: its one sentence in the default order, else each option at its key
    (fixed sentences, `voice.menu_item.<service>.<key>`) and the keys that never move."""
    if entries == MENUS[level]:
        return [text(MENU_PROMPT[level], lang)]
    items = [
        text(f"voice.menu_item.{e}.{key}", lang)
        for key, e in enumerate(entries, start=1)
        if e not in MENUS
    ]
    return [*items, text(f"voice.menu_tail.{level}", lang)]


def show(
    call: CallRecord,
    level: str = "main",
    *,
    pre: list[str] | None = None,
    extra: list[str] | None = None,
    order: tuple[str, ...] | None = None,
) -> Screen:
    """Listen on a menu level (its entries in `order`, if learned); `extra` is said after the
    options and repeated with them."""
    entries = order if order and sorted(order) == sorted(MENUS[level]) else MENUS[level]
    call.mode = "menu"
    call.mode_data = {"level": level}
    if entries != MENUS[level]:
        call.mode_data["entries"] = list(entries)
    said = [*prompt(level, entries, lang_of(call)), *(extra or [])]
    return listening(call, spec_for(call), said, pre=pre)


def keys_hint(lang: str) -> list[str]:
    """Star for slower, 9 to repeat: said short with the first menu (in full when the caller is
    silent, voice/ivr/silence.py)."""
    return [text("voice.keys_hint_short", lang)]


def invite(call: CallRecord, pre: list[str]) -> Screen:
    """The open question alone ("tell me what you need, or press a key"), listening as the main
    level: a caller who knows says it (or presses its key) now; the menu follows a short silence
    (`menu_after_invitation`), so one who hears every prompt out is not read four options first."""
    call.mode = "menu"
    call.mode_data = {"level": "main", "invited": True}
    return listening(call, spec_for(call), [text("voice.say_or_press", lang_of(call))], pre=pre)


def menu_after_invitation(call: CallRecord) -> Screen:
    """The invitation met silence: now the main menu and the keys. Not a miss: the caller was
    waiting for the options."""
    return show(call, extra=keys_hint(lang_of(call)))
