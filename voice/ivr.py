"""The call flow: language choice, keypad menu, number entry with read-back, the no-input ladder,
the officer, the goodbye with an SMS summary. Everything a caller can do without reading.

Each function here is synchronous, opens its own database session and returns TwiML (or a text
to send to the assistant); the async gateway decides when to wait and when to say "one moment".
State lives in `voice_calls`, so any process can answer the next webhook of a call.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from api.db.models import utcnow
from api.db.session import session_scope
from api.messaging import outbound
from api.services import handoff
from api.services.context import Ctx
from api.settings import get_settings
from locales import LANGUAGES, format_date, has_message, localise_digits, spell_digits, translate
from voice.assistant import Reply
from voice.models import VoiceCall, VoiceTurn
from voice.twiml import GatherSpec, gather, public_url, say_all, speak, text

log = logging.getLogger(__name__)

MENU_KEYS = {
    "1": "status",
    "2": "renewal",
    "3": "claim",
    "4": "pension",
    "5": "eligibility",
    "6": "complaint",
}
LANGUAGE_KEYS = {"1": "bn", "2": "hi", "3": "en"}
LANGUAGE_WORDS = {
    "bn": ("bangla", "bengali", "bangali", "বাংলা", "বাঙালি", "বাংলায়"),
    "hi": ("hindi", "हिंदी", "हिन्दी"),
    "en": ("english", "इंग्लिश", "अंग्रेज़ी", "अंग्रेजी", "ইংরেজি", "ইংলিশ"),
}
REFERENCE_RE = re.compile(r"\b(?:CLM|REN|FDB|NOM|PRR|HND)-\d{4}-\d{6}\b")
# Which assistant questions expect a number, by the bot catalog's message ids.
NUMBER_PROMPTS = {
    "uan": ("verify.ask_uan", "verify.uan_not_understood", "verify.unknown_uan"),
    "dob": ("verify.ask_dob", "verify.dob_not_understood", "verify.wrong_dob"),
    "last4": ("claim.ask_last4", "claim.last4_not_understood", "claim.fix_bank_last4"),
    "date": ("claim.ask_date", "claim.date_not_understood", "claim.fix_incident_date"),
    "age": ("eligibility.ask_age", "eligibility.age_not_understood"),
    "income": ("eligibility.ask_income", "eligibility.income_not_understood"),
}
NUMBER_LENGTH = {"uan": 12, "dob": 8, "date": 8, "last4": 4}
KEYPAD_HINT = {
    "uan": "voice.keypad_uan",
    "dob": "voice.keypad_dob",
    "date": "voice.keypad_date",
    "last4": "voice.keypad_last4",
    "age": "voice.keypad_number",
    "income": "voice.keypad_number",
}
LOW_CONFIDENCE = 0.35
TERMINAL_STATUSES = ("completed", "busy", "failed", "no-answer", "canceled")


@dataclass
class Outcome:
    """What a turn needs: TwiML now, or the assistant's answer to `ask` first."""

    twiml: str | None = None
    ask: str | None = None
    language: str = "en"


def conversation_sender(call_sid: str) -> str:
    return f"voice:{call_sid}"


def _phone(value: str) -> str | None:
    value = (value or "").strip()
    return value if re.fullmatch(r"\+\d{8,15}", value) else None


# ---------------------------------------------------------------------------------------------
# Call start


def start_call(form: dict[str, str]) -> str:
    """POST /voice/incoming: greet, in the caller's own language when their number is known."""
    sid = form.get("CallSid", "")
    direction = form.get("Direction", "inbound")
    caller = form.get("To" if direction.startswith("outbound") else "From", "")
    with session_scope() as s:
        call = s.get(VoiceCall, sid)
        if call is None:
            call = VoiceCall(
                call_sid=sid,
                caller=caller[:40],
                direction=direction[:20],
                transcript=[],
                references=[],
                mode_data={},
                last_prompt=[],
            )
            s.add(call)
            call.language = _known_language(sid, caller)
        lang = call.language
        if lang is None:
            return _ask_language(call)
        call.mode, call.mode_data = "menu", {}
        greeting = [text("voice.welcome", lang), text("voice.change_language_hint", lang)]
        menu = [text("voice.menu_options", lang), text("voice.keys_hint", lang)]
        return _gather(call, menu, pre=greeting)


def _known_language(call_sid: str, caller: str) -> str | None:
    """The backend's own lookup (service layer, in-process); unknown or failing -> ask."""
    if not _phone(caller):
        return None
    from api.domain.errors import DomainError
    from api.services import status

    try:
        with session_scope() as s:
            found = status.lookup_language(
                s, Ctx(actor=f"voice:{call_sid}", channel="voice"), caller
            )
    except DomainError:
        return None
    except Exception:
        log.warning("language lookup failed; asking the caller", exc_info=True)
        return None
    lang = found.get("preferred_language")
    return lang if lang in LANGUAGES else None


def _ask_language(call: VoiceCall, pre: list[str] | None = None) -> str:
    call.mode, call.mode_data = "language", {}
    texts = [translate("voice.welcome", "bn")]
    texts += [translate("voice.language_option", lang) for lang in LANGUAGES]
    return _gather(call, texts, pre=pre)


# ---------------------------------------------------------------------------------------------
# Rendering


def _lang(call: VoiceCall) -> str:
    return call.language or "en"


def _spec(call: VoiceCall) -> GatherSpec:
    lang = _lang(call)
    mode = call.mode
    if mode == "language":
        words = ", ".join(w for words in LANGUAGE_WORDS.values() for w in words)
        return GatherSpec(num_digits=1, hints=words)
    if mode in ("confirm", "callback"):
        return GatherSpec(num_digits=1, hints=text("voice.hints_yes_no", lang))
    if mode == "choice":
        titles = [c["title"] for c in call.mode_data.get("choices", [])]
        digits = 1 if len(titles) <= 9 else None
        return GatherSpec(num_digits=digits, hints=", ".join(titles)[:500])
    if mode == "number":
        return GatherSpec(num_digits=None, timeout_s=10)
    if mode == "free":
        return GatherSpec(num_digits=None, timeout_s=7, hints=text("voice.hints_menu", lang))
    return GatherSpec(num_digits=1, hints=text("voice.hints_menu", lang))  # menu


def _gather(
    call: VoiceCall,
    prompt: list[str] | None,
    *,
    pre: list[str] | None = None,
    remember: bool = True,
) -> str:
    """Speak `pre` (once) and `prompt` (what 9 repeats) inside the next turn's <Gather>."""
    if prompt is None:
        prompt = list(call.last_prompt or [])
    elif remember:
        call.last_prompt = list(prompt)
    call.turn = (call.turn or 0) + 1
    lang = _lang(call)
    response = VoiceResponse()
    gather(
        response,
        action=public_url("/voice/gather", turn=call.turn, lang=lang, mode=call.mode),
        lang=lang,
        spec=_spec(call),
        texts=[*(pre or []), *prompt],
        slow=call.slow,
    )
    return str(response)


def _goodbye(session: Session, call: VoiceCall, texts: list[str], reason: str) -> str:
    response = VoiceResponse()
    say_all(response, texts, _lang(call), call.slow)
    response.hangup()
    finish_call(session, call, reason)
    return str(response)


def emergency(lang: str) -> str:
    """When our own code or database fails: apologise, then a human if one can be dialled."""
    lang = lang if lang in LANGUAGES else "en"
    response = VoiceResponse()
    try:
        speak(response, text("voice.assistant_down", lang), lang)
    except Exception:
        response.say(translate("voice.assistant_down", lang))
    number = get_settings().staff_number
    if number:
        response.dial(number, timeout=30)
    else:
        response.say(translate("voice.goodbye", lang))
        response.hangup()
    return str(response)


# ---------------------------------------------------------------------------------------------
# Turns


def claim_turn(call_sid: str, turn: int) -> VoiceTurn | None:
    """Insert the turn row; None if it is new, else the row a previous delivery created."""
    from sqlalchemy.exc import IntegrityError

    try:
        with session_scope() as s:
            s.add(VoiceTurn(call_sid=call_sid, turn=turn, status="pending"))
    except IntegrityError:
        with session_scope() as s:
            row = s.query(VoiceTurn).filter_by(call_sid=call_sid, turn=turn).one_or_none()
            if row is not None:
                s.expunge(row)
            return row
    return None


def get_turn(call_sid: str, turn: int) -> VoiceTurn | None:
    with session_scope() as s:
        row = s.query(VoiceTurn).filter_by(call_sid=call_sid, turn=turn).one_or_none()
        if row is not None:
            s.expunge(row)
        return row


def _store(session: Session, call_sid: str, turn: int, twiml: str, status: str = "done") -> str:
    """Record the answer of a turn unless another path already did (then return that one)."""
    row = session.query(VoiceTurn).filter_by(call_sid=call_sid, turn=turn).one_or_none()
    if row is None:
        row = VoiceTurn(call_sid=call_sid, turn=turn)
        session.add(row)
    elif row.status != "pending" and row.twiml:
        return row.twiml
    row.status, row.twiml, row.finished_at = status, twiml, utcnow()
    return twiml


def handle_input(call_sid: str, turn: int, form: dict[str, str]) -> Outcome:
    """A <Gather> answered (or timed out): TwiML to return, or a text for the assistant."""
    with session_scope() as s:
        call = s.get(VoiceCall, call_sid)
        if call is None:  # a webhook for a call we never saw start: start it now
            return Outcome(twiml=_store(s, call_sid, turn, start_call(form)))
        outcome = _decide(s, call, form)
        outcome.language = _lang(call)
        if outcome.twiml is not None:
            outcome.twiml = _store(s, call_sid, turn, outcome.twiml)
        else:
            call.transcript = [*call.transcript, _line("user", outcome.ask or "")]
        return outcome


def _line(sender: str, words: str) -> dict[str, str]:
    return {"sender": sender, "text": words[:1000], "at": utcnow().isoformat()}


def _decide(s: Session, call: VoiceCall, form: dict[str, str]) -> Outcome:
    digits = (form.get("Digits") or "").strip().rstrip("#")
    speech = (form.get("SpeechResult") or "").strip()
    if digits:
        return _keys(s, call, digits)
    if speech:
        try:
            confidence = float(form.get("Confidence") or 1.0)
        except ValueError:
            confidence = 1.0
        if confidence < LOW_CONFIDENCE:
            return Outcome(twiml=_miss(s, call, "low_confidence"))
        return _speech(s, call, speech)
    return Outcome(twiml=_miss(s, call, "no_input"))


def _keys(s: Session, call: VoiceCall, digits: str) -> Outcome:
    lang = _lang(call)
    if digits == "*":
        call.slow = True
        return Outcome(twiml=_gather(call, None, pre=[text("voice.slower_on", lang)]))
    if digits == "9":
        call.misses = 0
        return Outcome(twiml=_gather(call, None))
    if digits == "0":
        call.misses = 0
        return Outcome(twiml=officer(s, call, reason="pressed_zero"))
    mode = call.mode
    if mode == "language":
        chosen = LANGUAGE_KEYS.get(digits)
        return _set_language(s, call, chosen) if chosen else Outcome(twiml=_miss(s, call))
    if mode == "menu":
        if digits == "8":
            call.misses = 0
            return Outcome(twiml=_ask_language(call))
        flow = MENU_KEYS.get(digits)
        if flow is None:
            return Outcome(twiml=_miss(s, call))
        call.misses = 0
        return Outcome(ask=text(f"voice.intent.{flow}", lang))
    if mode == "choice":
        choices = call.mode_data.get("choices", [])
        if digits.isdigit() and 1 <= int(digits) <= len(choices):
            call.misses = 0
            return Outcome(ask=choices[int(digits) - 1]["payload"])
        return Outcome(twiml=_miss(s, call))
    if mode == "number":
        return _number(s, call, digits)
    if mode == "confirm":
        return _confirm(s, call, digits)
    if mode == "callback":
        return _callback(s, call, digits)
    call.misses = 0  # free: the assistant reads the digits
    return Outcome(ask=digits)


def _speech(s: Session, call: VoiceCall, speech: str) -> Outcome:
    mode = call.mode
    folded = speech.casefold()
    if mode == "language":
        for lang, words in LANGUAGE_WORDS.items():
            if any(w.casefold() in folded for w in words):
                return _set_language(s, call, lang)
        return Outcome(twiml=_miss(s, call))
    if mode in ("confirm", "callback"):
        answer = _yes_no(folded)
        if answer is None:
            return Outcome(twiml=_miss(s, call))
        key = "1" if answer else "2"
        return _confirm(s, call, key) if mode == "confirm" else _callback(s, call, key)
    call.misses = 0
    return Outcome(ask=speech)


def _yes_no(folded: str) -> bool | None:
    for lang in LANGUAGES:
        words = [w.strip().casefold() for w in text("voice.hints_yes_no", lang).split(",")]
        if words and words[0] and words[0] in folded.split():
            return True
        if len(words) > 1 and words[1] in folded.split():
            return False
    return None


def _set_language(s: Session, call: VoiceCall, lang: str) -> Outcome:
    call.language = lang
    call.misses = 0
    call.mode, call.mode_data = "menu", {}
    texts = [text("voice.menu_options", lang), text("voice.keys_hint", lang)]
    return Outcome(twiml=_gather(call, texts, pre=[text("voice.language_set", lang)]))


def _number(s: Session, call: VoiceCall, digits: str) -> Outcome:
    lang = _lang(call)
    kind = call.mode_data.get("kind", "")
    clean = "".join(ch for ch in digits if ch.isdigit())
    expected = NUMBER_LENGTH.get(kind)
    if not clean:
        return Outcome(twiml=_miss(s, call))
    if expected is None:  # age, income: no read-back needed, the assistant repeats them
        call.misses = 0
        return Outcome(ask=clean)
    if len(clean) != expected:
        call.misses += 1
        if call.misses >= 3:
            return Outcome(twiml=_miss(s, call, already_counted=True))
        pre = [text("voice.wrong_length", lang, count=len(clean), expected=expected)]
        return Outcome(twiml=_gather(call, [text(KEYPAD_HINT[kind], lang)], pre=pre))
    texts = [text("voice.readback", lang, digits=spell_digits(clean, lang))]
    if kind in ("dob", "date"):
        day = _date(clean)
        if day is None:
            call.misses += 1
            if call.misses >= 3:
                return Outcome(twiml=_miss(s, call, already_counted=True))
            return Outcome(twiml=_gather(call, None, pre=[text("voice.bad_date", lang)]))
        texts.append(text("voice.readback_date", lang, date=format_date(day, lang)))
    call.misses = 0
    call.mode = "confirm"
    call.mode_data = {**call.mode_data, "value": clean}
    return Outcome(twiml=_gather(call, [*texts, text("voice.confirm_keys", lang)]))


def _date(ddmmyyyy: str) -> dt.date | None:
    try:
        return dt.date(int(ddmmyyyy[4:]), int(ddmmyyyy[2:4]), int(ddmmyyyy[:2]))
    except ValueError:
        return None


def _confirm(s: Session, call: VoiceCall, key: str) -> Outcome:
    lang = _lang(call)
    data = dict(call.mode_data)
    if key == "1":
        value = str(data.get("value", ""))
        call.misses = 0
        if data.get("kind") in ("dob", "date"):
            value = f"{value[:2]}-{value[2:4]}-{value[4:]}"
        call.mode, call.mode_data = "number", {k: v for k, v in data.items() if k != "value"}
        return Outcome(ask=value)
    if key == "2":
        call.misses = 0
        call.mode, call.mode_data = "number", {k: v for k, v in data.items() if k != "value"}
        kind = str(data.get("kind", ""))
        question = [str(data.get("question", ""))] if data.get("question") else []
        return Outcome(
            twiml=_gather(
                call, [*question, text(KEYPAD_HINT.get(kind, "voice.keypad_number"), lang)]
            )
        )
    return Outcome(twiml=_miss(s, call))


def _callback(s: Session, call: VoiceCall, key: str) -> Outcome:
    lang = _lang(call)
    if key == "1":
        reference = str(call.mode_data.get("reference") or "")
        caller = _phone(call.caller)
        if caller:
            outbound.enqueue(
                s,
                to=caller,
                body=text("voice.sms_callback", lang, reference=reference or "-"),
                channel="sms",
                reason="callback",
                dedupe_key=f"callback:{call.call_sid}",
            )
        texts = [text("voice.callback_booked", lang), text("voice.goodbye", lang)]
        return Outcome(twiml=_goodbye(s, call, texts, "callback"))
    if key == "2":
        call.misses = 0
        call.mode, call.mode_data = "menu", {}
        return Outcome(twiml=_gather(call, [text("voice.menu_options", lang)]))
    return Outcome(twiml=_miss(s, call))


def _miss(
    s: Session, call: VoiceCall, kind: str = "no_match", already_counted: bool = False
) -> str:
    """The ladder: reprompt, reprompt differently with the keypad, offer the officer, goodbye."""
    lang = _lang(call)
    if not already_counted:
        call.misses = (call.misses or 0) + 1
    step = call.misses
    word = "no_input" if kind == "no_input" else "no_match"
    if step <= 1:
        first = "voice.low_confidence" if kind == "low_confidence" else f"voice.{word}_1"
        return _gather(call, None, pre=[text(first, lang)])
    if step == 2:
        pre = [text(f"voice.{word}_2", lang)]
        if call.mode == "number":
            pre.append(
                text(KEYPAD_HINT.get(call.mode_data.get("kind", ""), "voice.keypad_number"), lang)
            )
        return _gather(call, None, pre=pre)
    if step == 3:
        return _gather(call, [text("voice.offer_officer", lang)], remember=False)
    return _goodbye(s, call, [text("voice.goodbye_no_input", lang)], "no_input")


# ---------------------------------------------------------------------------------------------
# After the assistant answered


def after_reply(call_sid: str, turn: int, reply: Reply | None) -> str:
    """Speak the assistant's answer and set up the next turn (reply None = it failed)."""
    with session_scope() as s:
        row = s.query(VoiceTurn).filter_by(call_sid=call_sid, turn=turn).one_or_none()
        if row is not None and row.status != "pending" and row.twiml:
            return row.twiml  # gave up waiting already; the caller has moved on
        call = s.get(VoiceCall, call_sid)
        if call is None:
            return emergency("en")
        twiml = _render_reply(s, call, reply)
        return _store(s, call_sid, turn, twiml)


def _handoff_active(s: Session, call: VoiceCall) -> bool:
    try:
        return bool(handoff.active(s, f"rasa:{conversation_sender(call.call_sid)}")["active"])
    except Exception:
        return False


def _render_reply(s: Session, call: VoiceCall, reply: Reply | None) -> str:
    lang = _lang(call)
    if reply is not None and _handoff_active(s, call):
        call.references = _merge(call.references, REFERENCE_RE.findall(" ".join(reply.texts)))
        return officer(s, call, reason="assistant_handover")
    if reply is None or reply.empty:
        call.failures = (call.failures or 0) + 1
        pre = [text("voice.assistant_down", lang)]
        return _gather(call, [text("voice.offer_officer", lang)], pre=pre, remember=False)
    call.failures = 0
    call.transcript = [*call.transcript, *(_line("bot", t) for t in reply.texts)]
    call.references = _merge(call.references, REFERENCE_RE.findall(" ".join(reply.texts)))
    texts = list(reply.texts)
    if texts and _matches(texts[-1], "common.goodbye", lang):
        return _goodbye(s, call, [*texts], "assistant_goodbye")
    if reply.buttons:
        call.mode = "choice"
        call.mode_data = {"choices": reply.buttons[:9]}
        items = [
            text("voice.choice_item", lang, label=b["title"], digit=localise_digits(str(i), lang))
            for i, b in enumerate(reply.buttons[:9], start=1)
        ]
        return _gather(call, [*texts, *items])
    kind = _number_kind(texts[-1], lang)
    if kind:
        call.mode, call.mode_data = "number", {"kind": kind, "question": texts[-1]}
        return _gather(call, [*texts, text(KEYPAD_HINT[kind], lang)])
    spoken, is_menu = _voice_menu(texts, lang)
    call.mode, call.mode_data = ("menu" if is_menu else "free"), {}
    return _gather(call, spoken)


def _merge(old: list[str], new: list[str]) -> list[str]:
    merged = list(old or [])
    for ref in new:
        if ref not in merged:
            merged.append(ref)
    return merged


def _pattern(msgid: str, lang: str) -> re.Pattern[str] | None:
    if not has_message(msgid, lang):
        return None
    template = translate(msgid, lang)
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".*?".join(re.escape(p.strip()) for p in parts), re.S)


def _matches(said: str, msgid: str, lang: str) -> bool:
    pattern = _pattern(msgid, lang)
    return bool(pattern and pattern.search(said))


def _number_kind(question: str, lang: str) -> str | None:
    for kind, msgids in NUMBER_PROMPTS.items():
        if any(_matches(question, m, lang) for m in msgids):
            return kind
    return None


def _voice_menu(texts: list[str], lang: str) -> tuple[list[str], bool]:
    """The assistant's numbered (written) menu becomes the spoken keypad menu."""
    intro = translate("menu.intro", lang) if has_message("menu.intro", lang) else None
    out: list[str] = []
    is_menu = False
    for said in texts:
        if (intro and said.startswith(intro)) or _matches(said, "common.anything_else", lang):
            if not is_menu:
                out.append(text("voice.menu_options", lang))
            is_menu = True
        else:
            out.append(said)
    return out, is_menu


def give_up(call_sid: str, turn: int) -> str:
    """The assistant is too slow for the phone: say so, offer the officer, keep the call."""
    with session_scope() as s:
        call = s.get(VoiceCall, call_sid)
        if call is None:
            return emergency("en")
        row = s.query(VoiceTurn).filter_by(call_sid=call_sid, turn=turn).one_or_none()
        if row is not None and row.status == "done" and row.twiml:
            return row.twiml
        lang = _lang(call)
        call.failures = (call.failures or 0) + 1
        twiml = _gather(
            call,
            [text("voice.offer_officer", lang)],
            pre=[text("voice.service_slow", lang)],
            remember=False,
        )
        return _store(s, call_sid, turn, twiml, status="failed")


def hold(call_sid: str, turn: int, hop: int, lang: str) -> str:
    """'One moment' and come back for the answer (Twilio gives up after 15 seconds)."""
    slow = False
    with session_scope() as s:
        call = s.get(VoiceCall, call_sid)
        if call is not None:
            lang, slow = _lang(call), call.slow
    response = VoiceResponse()
    speak(response, text("voice.one_moment", lang), lang, slow)
    response.redirect(public_url("/voice/wait", turn=turn, hop=hop, lang=lang), method="POST")
    return str(response)


# ---------------------------------------------------------------------------------------------
# Officer, dial results, end of call


def officer(s: Session, call: VoiceCall, reason: str) -> str:
    """Open (or find) the hand-off ticket, then dial/queue, or offer a call-back after hours."""
    lang = _lang(call)
    settings = get_settings()
    reference, available = None, False
    try:
        with s.begin_nested():  # same session: no second writer on SQLite
            ticket = handoff.create(
                s,
                Ctx(actor=f"voice:{call.call_sid}", channel="voice"),
                conversation_id=f"rasa:{conversation_sender(call.call_sid)}",
                channel="voice",
                language=lang,
                reason=reason,
                transcript=[{"sender": x["sender"], "text": x["text"]} for x in call.transcript][
                    -60:
                ],
                worker=None,
            )
        reference, available = ticket["reference"], bool(ticket["officer_available"])
    except Exception:
        log.exception("hand-off ticket could not be opened")
        try:
            available = handoff.officer_available()
        except Exception:
            available = False
    if reference:
        call.references = _merge(call.references, [reference])
    response = VoiceResponse()
    if available:
        ref_text = reference or "-"
        if settings.staff_number:
            speak(
                response,
                text("voice.officer_connecting", lang, reference=ref_text),
                lang,
                call.slow,
            )
            response.dial(
                settings.staff_number,
                action=public_url("/voice/dial-status", lang=lang),
                method="POST",
                timeout=30,
            )
        else:
            speak(response, text("voice.officer_queue", lang, reference=ref_text), lang, call.slow)
            response.enqueue("officers")
        call.mode, call.mode_data = "officer", {"reference": reference}
        return str(response)
    if reference is None:
        texts = [text("voice.handoff_failed", lang), text("voice.goodbye", lang)]
        return _goodbye(s, call, texts, "handoff_failed")
    start, _, end = settings.office_hours.partition("-")
    pre = [
        text(
            "voice.officer_closed",
            lang,
            start=localise_digits(start.strip(), lang),
            end=localise_digits(end.strip(), lang),
            reference=reference,
        )
    ]
    call.mode, call.mode_data = "callback", {"reference": reference}
    return _gather(call, [text("voice.callback_offer", lang)], pre=pre)


def dial_finished(form: dict[str, str]) -> str:
    """<Dial> ended: after a conversation say goodbye; if nobody answered offer a call-back."""
    sid = form.get("CallSid", "")
    with session_scope() as s:
        call = s.get(VoiceCall, sid)
        if call is None:
            return emergency("en")
        lang = _lang(call)
        if form.get("DialCallStatus") == "completed":
            return _goodbye(s, call, [text("voice.goodbye", lang)], "officer")
        reference = call.mode_data.get("reference") or (call.references or ["-"])[-1]
        call.mode, call.mode_data = "callback", {"reference": reference}
        pre = [text("voice.officer_no_answer", lang)]
        return _gather(call, [text("voice.callback_offer", lang)], pre=pre)


def finish_call(session: Session, call: VoiceCall, reason: str) -> None:
    """Mark the call over and queue the SMS summary (once per call, whatever ends it)."""
    if call.ended_at is None:
        call.ended_at = utcnow()
    call.status = "ended"
    caller = _phone(call.caller)
    if not caller:
        return
    lang = _lang(call)
    if call.references:
        body = text("voice.sms_summary", lang, references=", ".join(call.references))
    elif reason == "no_input":
        body = text("voice.sms_no_input", lang)
    else:
        body = text("voice.sms_summary_none", lang)
    outbound.enqueue(
        session,
        to=caller,
        body=body,
        channel="sms",
        reason="call_summary",
        dedupe_key=f"call-summary:{call.call_sid}",
    )


def record_status(form: dict[str, str]) -> None:
    """Call status callback: keep the event; a finished call gets its summary."""
    from api.messaging.models import OutboundCall
    from voice.models import CallStatusEvent

    sid = form.get("CallSid", "")
    status = (form.get("CallStatus") or "")[:20]
    duration = form.get("CallDuration") or ""
    with session_scope() as s:
        s.add(
            CallStatusEvent(
                call_sid=sid,
                status=status,
                direction=(form.get("Direction") or "")[:20],
                duration_s=int(duration) if duration.isdigit() else None,
            )
        )
        placed = s.query(OutboundCall).filter_by(provider_sid=sid).one_or_none()
        if placed is not None and status:
            placed.status = status
        if status in TERMINAL_STATUSES:
            call = s.get(VoiceCall, sid)
            if call is not None:
                finish_call(s, call, "hangup")


def call_language(call_sid: str, default: str = "en") -> str:
    with session_scope() as s:
        call = s.get(VoiceCall, call_sid)
        return _lang(call) if call is not None else default


def snapshot(call_sid: str) -> dict[str, Any] | None:
    """The call's state (tests, simulator diagnostics)."""
    with session_scope() as s:
        call = s.get(VoiceCall, call_sid)
        if call is None:
            return None
        return {
            "language": call.language,
            "mode": call.mode,
            "mode_data": dict(call.mode_data or {}),
            "misses": call.misses,
            "turn": call.turn,
            "references": list(call.references or []),
            "status": call.status,
            "slow": call.slow,
        }
