"""The call flow: language choice, keypad menu, number entry with read-back, the miss ladder.

Steps take the call's state (changed in place, saved by the calls service) and a `CallDesk`
for what the backend must do, and return what the caller hears next or a text for the
assistant. No step touches the database or Twilio itself.
"""

from __future__ import annotations

import datetime as dt

from api.language.names import mentioned_language
from api.language.waiting import cancels_the_wait
from api.services.calls import CallDesk, CallRecord
from locales import LANGUAGES, format_date, spell_digits, translate
from voice.ivr import menus, officer
from voice.ivr.ladder import max_misses, miss
from voice.ivr.listen import (
    LANGUAGE_KEYS,
    LOW_CONFIDENCE,
    MENUS,
    NUMBER_LENGTH,
    SECRET_KINDS,
    SERVICES,
    keypad_hint,
    spec_for,
)
from voice.ivr.screen import Ask, Input, Outcome, Screen, lang_of, listening
from voice.ivr.silence import silent
from voice.texts import in_each, text


def ask_language(call: CallRecord, pre: list[str] | None = None) -> Screen:
    """The first prompt of a new caller: each language's option in its own words. Star for
    slower and 9 to repeat work here too, but are said once, in the chosen language, with the
    first menu (`set_language`): in all three here they cost ~9 s before a word is said. The
    welcome is said once, on the first turn: back at this menu later, the options alone."""
    call.mode, call.mode_data = "language", {}
    texts = [translate("voice.welcome", "bn")] if call.turn == 0 else []
    texts += [translate("voice.language_option", lang) for lang in LANGUAGES]
    return listening(call, spec_for(call), texts, pre=pre)


def start(call: CallRecord, desk: CallDesk) -> Screen:
    """The first turn: greet in the caller's own language, at their own speed, when their
    number chose them before."""
    if call.turn == 0:
        if call.language is None:
            call.language = desk.remembered_language(call.caller)
        call.slow = call.slow or desk.remembered_slow(call.caller)
    lang = call.language
    if lang is None:
        return ask_language(call)
    # a caller whose language is known has called before: the short welcome, then the open
    # question; the menu follows its silence (docs/contracts.md, "Phone keypad")
    greeting = [text("voice.welcome_back", lang), text("voice.change_language_hint", lang)]
    return menus.invite(call, pre=greeting)


def on_input(call: CallRecord, desk: CallDesk, heard: Input) -> Outcome:
    """A <Gather> answered (or timed out): the next screen, or a text for the assistant."""
    digits = heard.digits.strip().rstrip("#")
    speech = heard.speech.strip()
    if call.mode in officer.CANCEL_MODES and (
        digits == officer.CANCEL_KEY or (speech and not digits and cancels_the_wait(speech))
    ):
        said = officer.cancel(call, desk)  # no officer after all: back to the menu
        return ask_language(call, pre=said) if call.language is None else menus.show(call, pre=said)
    if call.mode == "officer_wait" and digits != "*":
        return officer.wait_answer(call, desk, digits)  # 1 a call-back; else, or silence, dial
    if digits:
        return _keys(call, desk, digits)
    if speech:
        if heard.confidence < LOW_CONFIDENCE:
            return miss(call, desk, "low_confidence")
        return _speech(call, desk, speech)
    return silent(call, desk)


def _ask(call: CallRecord, words: str, choice: str = "", *, keyed: bool = True) -> Ask:
    """To the assistant; `keyed`: the answer came from keys, so the reply's keypad wording
    (`keyed_text`) fits, with no read-back of it."""
    call.misses = 0
    data = {k: v for k, v in call.mode_data.items() if k != "keyed"}
    call.mode_data = {**data, "keyed": True} if keyed else data
    return Ask(words, lang_of(call), choice, call.phone or "")


def _keys(call: CallRecord, desk: CallDesk, digits: str) -> Outcome:
    if digits == "*":  # slower; again: normal speed. Remembered for the number's next call
        call.slow = not call.slow
        desk.remember_slow(call.caller, call.slow)
        said = in_each("voice.slower_on" if call.slow else "voice.slower_off", call.language)
        return listening(call, spec_for(call), None, pre=said)
    if digits == "9" and not nine_is_an_answer(call):
        call.misses = 0
        return listening(call, spec_for(call), None)
    if digits == "0":
        call.misses = 0
        return officer.connect(call, desk, reason="pressed_zero")
    mode = call.mode
    if mode == "language":
        chosen = LANGUAGE_KEYS.get(digits)
        return set_language(call, desk, chosen) if chosen else miss(call, desk)
    if mode == "menu":
        return _menu_key(call, desk, digits)
    if mode == "options":
        count = int(call.mode_data.get("count") or 9)
        if digits.isdigit() and 1 <= int(digits) <= count:
            return _ask(call, digits)
        return miss(call, desk)
    if mode == "choice":
        choices = call.mode_data.get("choices", [])
        if digits.isdigit() and 1 <= int(digits) <= len(choices):
            return _ask(call, str(choices[int(digits) - 1]["payload"]))
        return miss(call, desk)
    if mode == "number":
        return _number(call, desk, digits)
    if mode == "confirm":
        return _confirm(call, desk, digits)
    if mode == "callback":
        return officer.callback_answer(call, desk, digits)
    return _ask(call, digits)  # free: the assistant reads the digits


def nine_is_an_answer(call: CallRecord) -> bool:
    """In a list of nine (the nominee's relation) 9 is the ninth item, not "say it again"."""
    if call.mode == "options":
        return int(call.mode_data.get("count") or 9) >= 9
    if call.mode == "choice":
        return len(call.mode_data.get("choices", [])) >= 9
    return False


def _menu_key(call: CallRecord, desk: CallDesk, digits: str) -> Outcome:
    """A service key asks the assistant for that service; a level key opens the level."""
    level = menus.level_of(call)
    if digits == "8":  # the language on the first level, back to the first level elsewhere
        call.misses = 0
        return ask_language(call) if level == "main" else menus.show(call)
    chosen = menus.entry(call, digits)
    if chosen is None:
        return miss(call, desk)
    desk.record_choice(level, chosen, lang_of(call))  # counted: the menu's order is learned
    if chosen in MENUS:
        call.misses = 0
        order = desk.menu_order(chosen, MENUS[chosen], frozenset(MENUS))
        return menus.show(call, chosen, order=order)
    return _ask(call, text(f"voice.intent.{chosen}", lang_of(call)), SERVICES[chosen])


def _speech(call: CallRecord, desk: CallDesk, speech: str) -> Outcome:
    mode = call.mode
    if mode == "language":
        chosen = mentioned_language(speech)
        return set_language(call, desk, chosen) if chosen else miss(call, desk)
    if mode in ("confirm", "callback"):
        answer = yes_no(speech)
        if answer is None:
            return miss(call, desk)
        key = "1" if answer else "2"
        if mode == "confirm":
            return _confirm(call, desk, key)
        return officer.callback_answer(call, desk, key)
    return _ask(call, speech, keyed=False)


def yes_no(speech: str) -> bool | None:
    """Yes or no said in any of the three languages (the first two speech hints of each)."""
    said = speech.casefold().split()
    for lang in LANGUAGES:
        words = [w.strip().casefold() for w in text("voice.hints_yes_no", lang).split(",")]
        if words and words[0] and words[0] in said:
            return True
        if len(words) > 1 and words[1] in said:
            return False
    return None


def set_language(call: CallRecord, desk: CallDesk, lang: str) -> Screen:
    call.language = lang
    call.misses = 0
    desk.remember_language(call.caller, lang)
    return menus.invite(call, pre=[text("voice.language_set", lang)])


def _number(call: CallRecord, desk: CallDesk, digits: str) -> Outcome:
    lang = lang_of(call)
    kind = str(call.mode_data.get("kind", ""))
    clean = "".join(ch for ch in digits if ch.isdigit())
    expected = NUMBER_LENGTH.get(kind)
    if not clean:
        return miss(call, desk)
    if expected is None:  # age, income: no read-back needed, the assistant repeats them
        return _ask(call, clean)
    if len(clean) != expected:
        call.misses += 1
        call.mode_data = {**call.mode_data, "retry": True}
        if call.misses >= max_misses():
            return miss(call, desk, already_counted=True)
        pre = [text("voice.wrong_length", lang, count=len(clean), expected=expected)]
        return listening(call, spec_for(call), [text(keypad_hint(kind), lang)], pre=pre)
    if kind in SECRET_KINDS:
        return _ask(call, clean)
    day = _date(clean) if kind in ("dob", "date") else None
    if kind in ("dob", "date") and day is None:
        call.misses += 1
        call.mode_data = {**call.mode_data, "retry": True}
        if call.misses >= max_misses():
            return miss(call, desk, already_counted=True)
        return listening(call, spec_for(call), None, pre=[text("voice.bad_date", lang)])
    if not call.mode_data.get("retry"):  # keys are not misheard: no read-back, no extra turn
        return _ask(call, _as_sent(kind, clean))
    texts = [text("voice.readback", lang, digits=spell_digits(clean, lang, group=4))]
    if day is not None:
        texts = [text("voice.readback_date", lang, date=format_date(day, lang))]
    call.misses = 0
    call.mode = "confirm"
    call.mode_data = {**call.mode_data, "value": clean}
    return listening(call, spec_for(call), [*texts, text("voice.confirm_keys", lang)])


def _as_sent(kind: str, digits: str) -> str:
    """Dates go to the assistant as DD-MM-YYYY (eight bare digits could be anything)."""
    return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}" if kind in ("dob", "date") else digits


def _date(ddmmyyyy: str) -> dt.date | None:
    try:
        return dt.date(int(ddmmyyyy[4:]), int(ddmmyyyy[2:4]), int(ddmmyyyy[:2]))
    except ValueError:
        return None


def _confirm(call: CallRecord, desk: CallDesk, key: str) -> Outcome:
    lang = lang_of(call)
    data = dict(call.mode_data)
    asked = {k: v for k, v in data.items() if k != "value"}
    if key == "1":
        call.mode, call.mode_data = "number", asked
        return _ask(call, _as_sent(str(data.get("kind", "")), str(data.get("value", ""))))
    if key == "2":
        call.misses = 0
        call.mode, call.mode_data = "number", asked
        kind = str(data.get("kind", ""))
        question = [str(data["question"])] if data.get("question") else []
        return listening(call, spec_for(call), [*question, text(keypad_hint(kind), lang)])
    return miss(call, desk)
