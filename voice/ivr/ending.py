"""The end of a call: marked over, and the caller texted what they got (references) once."""

from __future__ import annotations

from api.services.calls import CallDesk, CallRecord
from voice.ivr.screen import lang_of
from voice.texts import text


def finish(call: CallRecord, desk: CallDesk, reason: str) -> None:
    """Mark the call over and queue the SMS summary (once per call, whatever ends it)."""
    call.status = "ended"
    lang = lang_of(call)
    if call.references:
        body = text("voice.sms_summary", lang, references=", ".join(call.references))
    elif reason == "no_input":
        body = text("voice.sms_no_input", lang)
    else:
        body = text("voice.sms_summary_none", lang)
    desk.queue_sms(body, reason="call_summary", dedupe_key=f"call-summary:{call.call_sid}")
