"""A caller who says nothing and presses nothing: the prompt again with the keys, then the keypad
menu, then a person (the officer's wait and dial, or a call-back offer), and only then a goodbye
in words with an SMS. Silence often means a caller who cannot speak or does not know the keys,
so each step gives them an easier way in rather than the same question louder."""

from __future__ import annotations

from api.services.calls import CallDesk, CallRecord
from voice.ivr import menus, officer
from voice.ivr.ending import finish
from voice.ivr.ladder import max_misses
from voice.ivr.listen import keypad_hint, spec_for
from voice.ivr.screen import Screen, ending, lang_of, listening
from voice.texts import in_each, text


def silent(call: CallRecord, desk: CallDesk) -> Screen:
    """One more prompt went unanswered; docs/contracts.md, "Phone keypad", has the ladder."""
    if call.mode == "menu" and call.mode_data.get("invited"):
        return menus.menu_after_invitation(call)
    lang = lang_of(call)
    call.misses += 1
    limit = max_misses()
    if call.mode == "callback" and call.misses >= limit:  # offered a person already
        finish(call, desk, "no_input")
        return ending(call, in_each("voice.goodbye_no_input", call.language))
    if call.misses < limit or call.mode == "callback":
        if call.mode == "language":  # its prompt says the keys in each language already
            return listening(
                call, spec_for(call), None, pre=in_each("voice.no_input_1", call.language)
            )
        # where 9 cancels the hand-over (its prompt says so) the hint offers star alone
        hint = "voice.keys_hint_star" if call.mode in officer.CANCEL_MODES else "voice.keys_hint"
        pre = [*in_each("voice.no_input_1", call.language), *in_each(hint, call.language)]
        if call.mode == "number":
            pre.append(text(keypad_hint(str(call.mode_data.get("kind", ""))), lang))
        return listening(call, spec_for(call), None, pre=pre)
    if call.misses == limit:
        if call.mode == "language":  # the language menu is the keypad menu until one is chosen
            return listening(
                call, spec_for(call), None, pre=in_each("voice.no_input_2", call.language)
            )
        return menus.show(call, pre=[text("voice.no_input_2", lang)])
    call.misses = 0  # the officer's offer gets its own patience
    return officer.connect(call, desk, reason="repeated_failure")
