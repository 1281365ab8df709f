"""A person on the line: in office hours with an officers' line, the expected wait and a key
for a call-back instead, then the dial; with no line or out of hours, a call-back at once (a
call-back case an officer works from the console)."""

from __future__ import annotations

from api.services.calls import CallDesk, CallRecord
from api.settings import get_settings
from locales import format_number, localise_digits
from voice.ivr import menus
from voice.ivr.ending import finish
from voice.ivr.ladder import miss
from voice.ivr.listen import spec_for
from voice.ivr.screen import Outcome, Screen, ending, lang_of, listening
from voice.texts import in_each, text

# While a hand-over waits (told the wait, or offered a call-back) 9 cancels it, as the prompts
# say; everywhere else 9 says the prompt again (docs/contracts.md, "Phone keypad").
CANCEL_MODES = frozenset({"officer_wait", "callback"})
CANCEL_KEY = "9"


def merge(old: list[str], new: list[str]) -> list[str]:
    merged = list(old)
    for ref in new:
        if ref not in merged:
            merged.append(ref)
    return merged


def _say(call: CallRecord, msgid: str, **params: str) -> list[str]:
    """In the caller's language; before one is chosen (silent at the language menu), in each."""
    return in_each(msgid, call.language, **params)


def connect(call: CallRecord, desk: CallDesk, reason: str) -> Screen:
    """Open (or find) the hand-over ticket, then the wait and the dial, or a call-back."""
    lang = lang_of(call)
    settings = get_settings()
    handover = desk.open_handover(lang, reason)
    reference = handover.reference
    if reference:
        call.references = merge(call.references, [reference])
    if handover.officer_available and settings.staff_number:
        minutes = format_number(desk.expected_wait(), lang)
        call.mode, call.mode_data = "officer_wait", {"reference": reference}
        pre = [*_say(call, "voice.officer_queue", reference=reference or "-")]
        prompt = [*_say(call, "casework.wait_estimate", minutes=minutes)]
        return listening(call, spec_for(call), prompt, pre=pre)
    if reference is None:
        finish(call, desk, "handoff_failed")
        return ending(call, [*_say(call, "voice.handoff_failed"), text("voice.goodbye", lang)])
    call.mode, call.mode_data = "callback", {"reference": reference}
    if handover.officer_available:  # in hours, but no line officers answer: no queue to join
        pre = [*_say(call, "casework.no_officer_line", reference=reference)]
        return listening(
            call, spec_for(call), [*_say(call, "casework.callback_offer_now")], pre=pre
        )
    start, _, end = settings.office_hours.partition("-")
    pre = [
        *_say(
            call,
            "voice.officer_closed",
            start=localise_digits(start.strip(), lang),
            end=localise_digits(end.strip(), lang),
            reference=reference,
        )
    ]
    return listening(call, spec_for(call), [*_say(call, "voice.callback_offer")], pre=pre)


def wait_answer(call: CallRecord, desk: CallDesk, key: str) -> Outcome:
    """While told the wait: 1 books a call-back; anything else, or silence, dials the officer."""
    if key == "1":
        return _book_callback(call, desk)
    lang = lang_of(call)
    reference = str(call.mode_data.get("reference") or "-")
    call.mode, call.mode_data = "officer", {"reference": reference}
    said = _say(call, "voice.officer_connecting", reference=reference)
    return Screen(lang, said, call.slow, after="dial", dial_to=get_settings().staff_number)


def _book_callback(call: CallRecord, desk: CallDesk) -> Outcome:
    """A call-back case for this number; the caller gets its reference by SMS."""
    lang = lang_of(call)
    reference = desk.open_callback(lang, reason="caller asked for a call-back")
    if reference:
        call.references = merge(call.references, [reference])
    else:
        reference = str(call.mode_data.get("reference") or "")
    desk.queue_sms(
        text("voice.sms_callback", lang, reference=reference or "-"),
        reason="callback",
        dedupe_key=f"callback:{call.call_sid}",
    )
    finish(call, desk, "callback")
    return ending(call, [*_say(call, "voice.callback_booked"), text("voice.goodbye", lang)])


def callback_answer(call: CallRecord, desk: CallDesk, key: str) -> Outcome:
    """1: an officer calls back (a call-back case; its reference comes by SMS); 2: the menu."""
    if key == "1":
        return _book_callback(call, desk)
    if key == "2":
        call.misses = 0
        return menus.show(call)
    return miss(call, desk)


def cancel(call: CallRecord, desk: CallDesk) -> list[str]:
    """9 while waiting: withdraw the call's hand-over ticket (the chat's withdraw); what the
    caller hears before the menu. A cancelled reference leaves the call's summary SMS."""
    reference = str(call.mode_data.get("reference") or (call.references or ["-"])[-1])
    call.misses = 0
    if not desk.withdraw_handover():
        return _say(call, "voice.handoff_not_cancelled", reference=reference)
    call.references = [r for r in call.references if r != reference]
    return _say(call, "voice.handoff_cancelled", reference=reference)


def dial_finished(call: CallRecord, desk: CallDesk, dial_status: str) -> Screen:
    """<Dial> ended: after a conversation say goodbye; if nobody answered offer a call-back."""
    lang = lang_of(call)
    if dial_status == "completed":
        finish(call, desk, "officer")
        return ending(call, [text("voice.goodbye", lang)])
    reference = call.mode_data.get("reference") or (call.references or ["-"])[-1]
    call.mode, call.mode_data = "callback", {"reference": reference}
    pre = [text("voice.officer_no_answer", lang)]
    return listening(call, spec_for(call), [text("voice.callback_offer", lang)], pre=pre)
