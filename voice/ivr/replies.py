"""The assistant's answer, spoken: its questions become keypad prompts, its buttons keypad
choices, its menu the phone menu; a slow or failed assistant gets words and an officer.

What comes next on the line is read from each reply's machine-readable part (docs/contracts.md,
"Reply payloads"), never from its words.
"""

from __future__ import annotations

import datetime as dt

from api.domain.references import REFERENCE_IN_TEXT
from api.services.calls import CallDesk, CallRecord
from api.settings import get_settings
from locales import LANGUAGES, localise_digits
from voice.assistant import Reply
from voice.ivr import officer
from voice.ivr.ending import finish
from voice.ivr.listen import NUMBER_LENGTH, SECRET_KINDS, keypad_hint, spec_for
from voice.ivr.screen import Screen, ending, lang_of, listening
from voice.texts import text

MAX_CHOICES = 9
NUMBER_KINDS = frozenset({*NUMBER_LENGTH, "age", "income", "account"})


def _line(sender: str, words: str) -> dict[str, str]:
    return {"sender": sender, "text": words[:1000], "at": dt.datetime.now(dt.UTC).isoformat()}


def note_caller(call: CallRecord, words: str) -> None:
    """What the caller said goes into the call's transcript (for the officer); a one-time code
    typed on the keypad does not (it is a secret, and useless to an officer)."""
    if call.mode == "number" and call.mode_data.get("kind") in SECRET_KINDS:
        words = "······"
    call.transcript = [*call.transcript, _line("user", words)]


def after_reply(call: CallRecord, desk: CallDesk, reply: Reply | None) -> Screen:
    """Speak the assistant's answer and set up the next turn (None: the assistant failed)."""
    lang = lang_of(call)
    references = REFERENCE_IN_TEXT.findall(" ".join(reply.texts)) if reply else []
    if reply is not None and desk.officer_has_call():
        call.references = officer.merge(call.references, references)
        return officer.connect(call, desk, reason="assistant_handover")
    if reply is None or reply.empty:
        call.failures += 1
        pre = [text("voice.assistant_down", lang)]
        return listening(
            call, spec_for(call), [text("voice.offer_officer", lang)], pre=pre, remember=False
        )
    call.failures = 0
    call.transcript = [*call.transcript, *(_line("bot", t) for t in reply.texts)]
    call.references = officer.merge(call.references, references)
    keyed = bool(call.mode_data.get("keyed"))
    spoken = _spoken(reply, lang, keyed)
    if reply.ends:
        finish(call, desk, "assistant_goodbye")
        return ending(call, spoken)
    if reply.buttons:
        return _choices(call, spoken, reply.buttons[:MAX_CHOICES], lang)
    expected = reply.expect
    kind = expected.get("kind")
    if kind == "yes_no":
        keys = expected.get("keys") or {}
        buttons = [{"title": str(keys.get(k, k)), "payload": str(keys.get(k, k))} for k in "12"]
        return _choices(call, spoken, buttons, lang)
    if kind == "number" and expected.get("what") in NUMBER_KINDS:
        what = str(expected["what"])
        call.mode, call.mode_data = "number", {"kind": what, "question": spoken[-1]}
        if not keyed or _has_keyed_text(reply):  # keypad words already, or a caller who speaks:
            return listening(call, spec_for(call), spoken)  # the keys come after a miss
        return listening(call, spec_for(call), [*spoken, text(keypad_hint(what), lang)])
    if kind == "options":
        call.mode, call.mode_data = "options", {"count": int(expected.get("count") or 9)}
        return listening(call, spec_for(call), spoken)
    call.mode, call.mode_data = ("menu" if kind == "menu" else "free"), {}
    return listening(call, spec_for(call), spoken)


def _spoken(reply: Reply, lang: str, keyed: bool = False) -> list[str]:
    """The reply's words, its written menu (numbered for a screen) replaced by the phone menu;
    to a caller on keys, in keypad words and without reading their answer back (`keyed_text`)."""
    out: list[str] = []
    for message in reply.messages:
        if not message.text:
            continue
        if (message.data.get("expect") or {}).get("kind") == "menu":
            if text("voice.menu_options", lang) not in out:
                out.append(text("voice.menu_options", lang))
        elif keyed and message.data.get("keyed_text"):
            out.append(str(message.data["keyed_text"]))
        else:
            out.append(message.text)
    return out or list(reply.texts)


def _has_keyed_text(reply: Reply) -> bool:
    return any(m.data.get("keyed_text") for m in reply.messages)


def _choices(
    call: CallRecord, spoken: list[str], buttons: list[dict[str, str]], lang: str
) -> Screen:
    call.mode = "choice"
    call.mode_data = {"choices": buttons}
    items = [
        text("voice.choice_item", lang, label=b["title"], digit=localise_digits(str(i), lang))
        for i, b in enumerate(buttons, start=1)
    ]
    return listening(call, spec_for(call), [*spoken, *items])


def give_up(call: CallRecord) -> Screen:
    """The assistant is too slow for the phone: say so, offer the officer, keep the call."""
    lang = lang_of(call)
    call.failures += 1
    return listening(
        call,
        spec_for(call),
        [text("voice.offer_officer", lang)],
        pre=[text("voice.service_slow", lang)],
        remember=False,
    )


def hold(call: CallRecord | None, turn: int, hop: int, lang: str | None) -> Screen:
    """'One moment' and come back for the answer (Twilio gives up after 15 seconds). Without
    the call nor a language (the first answer of a call, its record not read yet): in each."""
    slow = call.slow if call is not None else False
    if call is not None:
        lang = lang_of(call)
    said = [text("voice.one_moment", one) for one in ([lang] if lang else LANGUAGES)]
    lang = lang or LANGUAGES[0]
    sid = call.call_sid if call is not None else ""
    return Screen(lang, said, slow, after="wait", wait_turn=turn, wait_hop=hop, call_sid=sid)


def emergency(lang: str) -> Screen:
    """Our own code or database failed: apologise, then a person if one can be dialled."""
    lang = lang if lang in LANGUAGES else "en"
    number = get_settings().staff_number
    said = [text("voice.assistant_down", lang)]
    if number:
        return Screen(lang, said, after="dial", dial_to=number, dial_status=False)
    return Screen(lang, [*said, text("voice.goodbye", lang)], after="hangup")
