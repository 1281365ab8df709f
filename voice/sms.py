"""SMS and WhatsApp: one assistant conversation per sender, replies as TwiML <Message>s.

Buttons cannot be tapped on SMS, so they become a numbered list answered with a digit; the last
list is remembered per sender. Media (photos, stickers, voice notes) gets a polite answer in
words. Long replies are split to each channel's limit on sentence or word boundaries.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy.exc import IntegrityError
from twilio.twiml.messaging_response import MessagingResponse

from api.db.session import session_scope
from api.domain.parsing import normalise_digits
from api.messaging import outbound
from api.messaging.models import MessagingContact
from api.services import handoff
from locales import localise_digits, translate
from voice import assistant
from voice.models import WebhookReceipt

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


def script_language(text: str) -> str | None:
    if any("\u0980" <= ch <= "\u09ff" for ch in text):
        return "bn"
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        return "hi"
    return None


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


def _claim(key: str) -> WebhookReceipt | None:
    try:
        with session_scope() as s:
            s.add(WebhookReceipt(key=key))
    except IntegrityError:
        with session_scope() as s:
            row = s.query(WebhookReceipt).filter_by(key=key).one_or_none()
            if row is not None:
                s.expunge(row)
            return row or WebhookReceipt(key=key)
    return None


def _remember(key: str, response: str) -> None:
    with session_scope() as s:
        row = s.query(WebhookReceipt).filter_by(key=key).one_or_none()
        if row is not None:
            row.response = response


def _twiml(bodies: list[str], channel: str) -> str:
    response = MessagingResponse()
    for body in bodies:
        for piece in split_message(body, limit_for(channel, body)):
            response.message(piece)
    return str(response)


async def handle_incoming(form: dict[str, str]) -> str:
    """POST /sms/incoming (SMS and WhatsApp): answer once per MessageSid."""
    import asyncio

    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender_address = form.get("From", "")
    channel = "whatsapp" if sender_address.startswith("whatsapp:") else "sms"
    number = outbound.plain_number(sender_address)
    key = f"sms:{sid}"
    previous = await asyncio.to_thread(_claim, key) if sid else None
    if previous is not None:
        return previous.response or str(MessagingResponse())
    body = (form.get("Body") or "").strip()
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    answer = await _answer(number, channel, body, media)
    if sid:
        await asyncio.to_thread(_remember, key, answer)
    return answer


async def _answer(number: str, channel: str, body: str, media: int) -> str:
    import asyncio

    def prepare() -> tuple[str, list[Any]]:
        with session_scope() as s:
            contact = outbound.note_inbound(s, number, channel)
            seen = script_language(body)
            if seen:
                contact.language = seen
            return contact.language or "en", list(contact.choices or [])

    try:
        lang, choices = await asyncio.to_thread(prepare)
    except Exception:
        log.exception("could not record the inbound message")
        lang, choices = script_language(body) or "en", []
    if not body:
        return _twiml(
            [translate("voice.sms_media" if media else "voice.sms_choose", lang)], channel
        )
    message = choice_from(body, choices) or body
    sender = f"{channel}:{number}"
    try:
        reply: assistant.Reply | None = await assistant.ask(sender, message[:1000], channel=channel)
    except assistant.AssistantError:
        reply = None
    if reply is None or reply.empty:
        if await asyncio.to_thread(_officer_has_it, sender):
            return str(MessagingResponse())  # the officer's replies come by outbound messages
        return _twiml([translate("voice.sms_failed", lang)], channel)
    lang = script_language(" ".join(reply.texts)) or lang
    text, payloads = render(reply, lang)

    def keep(payloads: list[str]) -> None:
        with session_scope() as s:
            contact = s.get(MessagingContact, number)
            if contact is not None:
                contact.choices = payloads
                contact.language = lang

    try:
        await asyncio.to_thread(keep, payloads)
    except Exception:
        log.exception("could not remember the choices")
    return _twiml([text], channel)


def _officer_has_it(sender: str) -> bool:
    try:
        with session_scope() as s:
            return bool(handoff.active(s, f"rasa:{sender}")["active"])
    except Exception:
        return False
