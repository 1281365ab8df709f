"""SMS and WhatsApp: one assistant conversation per sender, replies as TwiML <Message>s.

Buttons cannot be tapped on SMS, so they become a numbered list answered with a digit; the last
list is remembered per sender. Media (photos, stickers, voice notes) gets a polite answer in
words. Long replies are split to each channel's limit on sentence or word boundaries.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from api.domain.parsing import normalise_digits
from api.domain.phones import normalise_phone
from api.integrations.twilio import twiml
from api.language.script import script_language
from api.services import contacts, pace, receipts, reminders
from api.services import language as language_service
from locales import localise_digits, translate
from voice import assistant, voice_note

log = logging.getLogger(__name__)

# Twilio concatenates up to 10 segments: 153 GSM-7 characters each, 67 for UCS-2 (Bengali, Hindi).
SMS_LIMIT_GSM = 1530
SMS_LIMIT_UNICODE = 670
WHATSAPP_LIMIT = 1600
GSM_CHARS = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def limit_for(channel: str, body: str) -> int:
    if channel == "whatsapp":
        return WHATSAPP_LIMIT
    return SMS_LIMIT_GSM if set(body) <= GSM_CHARS else SMS_LIMIT_UNICODE


def split_message(body: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line, sentence or word."""
    body = body.strip()
    pieces: list[str] = []
    while len(body) > limit:
        window = body[:limit]
        cut = -1
        for pattern in (r"\n\n", r"\n", r"[.!?।](?=\s)", r"\s"):
            found = [m.end() for m in re.finditer(pattern, window)]
            if found and found[-1] > limit // 3:
                cut = found[-1]
                break
        if cut <= 0:
            cut = limit
        pieces.append(body[:cut].strip())
        body = body[cut:].strip()
    if body:
        pieces.append(body)
    return pieces


def render(reply: assistant.Reply, lang: str) -> tuple[str, list[str]]:
    """The reply as one text, with buttons turned into numbered choices (and their payloads)."""
    parts = list(reply.texts)
    payloads: list[str] = []
    if reply.buttons:
        lines = []
        for number, button in enumerate(reply.buttons, start=1):
            digit = localise_digits(str(number), lang)
            lines.append(
                translate("voice.sms_choice_item", lang, digit=digit, label=button["title"])
            )
            payloads.append(button["payload"])
        lines.append(translate("voice.sms_choose", lang))
        parts.append("\n".join(lines))
    return "\n\n".join(parts), payloads


def choice_from(body: str, choices: list[Any]) -> str | None:
    digits = normalise_digits(body).strip().rstrip(".")
    if digits.isdigit() and 1 <= int(digits) <= len(choices):
        return str(choices[int(digits) - 1])
    return None


def _twiml(bodies: list[str], channel: str) -> str:
    pieces = [p for body in bodies for p in split_message(body, limit_for(channel, body))]
    return twiml.messages(pieces)


async def handle_incoming(form: dict[str, str]) -> str:
    """POST /sms/incoming (SMS and WhatsApp): answer once per MessageSid."""
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender_address = form.get("From", "")
    channel = "whatsapp" if sender_address.startswith("whatsapp:") else "sms"
    number = normalise_phone(sender_address)
    if number is None:  # Twilio always sends a number; anything else is not a worker
        return twiml.messages([])
    key = f"sms:{sid}"
    previous = await asyncio.to_thread(receipts.claim, key) if sid else None
    if previous is not None:
        return previous.response or twiml.messages([])
    body = (form.get("Body") or "").strip()
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    note = voice_note.from_form(form, channel) if not body else None
    answer = await _answer(number, channel, body, media, note)
    if sid:
        await asyncio.to_thread(receipts.remember, key, answer)
    return answer


async def _answer(
    number: str, channel: str, body: str, media: int, note: voice_note.VoiceNote | None = None
) -> str:
    try:
        contact = await asyncio.to_thread(contacts.note_inbound, number, channel)
    except Exception:
        log.exception("could not record the inbound message")
        contact = None
    # the conversation is named by a pseudonym of the number; the number goes as metadata
    sender = contact.sender if contact else contacts.sender_for(channel, number)
    remembered = contact.language if contact else None
    script = contact.script if contact else None
    choices = contact.choices if contact else []
    lang = language_service.decide(remembered=remembered, text=body).language
    slow = False
    if note is not None:  # a voice note: its words are the message, the reply is spoken too
        heard, slow = await asyncio.to_thread(_hear, note, remembered, number)
        if heard.text is None:
            assert heard.problem is not None
            problem = voice_note.answer_problem
            sid = note.message_sid
            return await asyncio.to_thread(problem, heard.problem, lang, script, sid, slow)
        body = heard.text
        lang = language_service.decide(
            remembered=remembered, current=heard.language, text=body
        ).language
    if not body:
        return _twiml(
            [translate("voice.sms_media" if media else "voice.sms_choose", lang)], channel
        )
    stopped = await asyncio.to_thread(reminders.keyword, number, body, lang)
    if stopped is not None:  # STOP/START: reminders off/on; the assistant never sees it
        return _twiml([stopped], channel)
    message = choice_from(body, choices) or body
    try:
        reply: assistant.Reply | None = await assistant.ask(
            sender,
            message[:1000],
            channel=channel,
            remembered_language=remembered,
            remembered_script=script,
            caller_phone=number,
        )
    except assistant.AssistantError:
        reply = None
    if reply is None or reply.empty:
        if await asyncio.to_thread(contacts.officer_has_conversation, f"rasa:{sender}"):
            return twiml.messages([])  # the officer's replies come by outbound messages
        await asyncio.to_thread(language_service.remember_for, number, lang, chosen=False)
        return _twiml([translate("voice.sms_failed", lang)], channel)
    chosen = reply.chosen_language
    lang = chosen or script_language(" ".join(reply.texts)) or lang
    text, payloads = render(reply, lang)
    try:
        await asyncio.to_thread(
            contacts.after_reply,
            number,
            payloads,
            lang,
            chosen=bool(chosen),
            script=reply.chosen_script,
        )
    except Exception:
        log.exception("could not remember the choices")
    if note is not None:
        spoken = text  # the choices too: "one" said back is the first (choice_from)
        return await asyncio.to_thread(voice_note.reply, text, spoken, lang, note.message_sid, slow)
    return _twiml([text], channel)


def _hear(
    note: voice_note.VoiceNote, remembered: str | None, number: str
) -> tuple[voice_note.Heard, bool]:
    """The note's words, and whether the number chose slow speech on the phone line."""
    return voice_note.hear(note, remembered), pace.remembered_slow_for(number)
