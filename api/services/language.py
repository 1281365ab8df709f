"""The one place that decides which language (bn, hi, en) a worker is answered in, on every
channel (web chat, WhatsApp, SMS, phone), and remembers it.

First that applies:
1. a choice made now: a language named or picked (a menu key, a button, "Hindi please"); it is
   remembered for the phone number and, once the worker is verified, as their preference;
2. the language the worker writes in now, when the message says it surely: Bengali or
   Devanagari letters, or a Latin sentence of a few words (the romanised-text classifier,
   api/language/detector.py; "English" with romanised Hindi/Bengali words in it is not sure).
   The reply follows the worker: a Bengali speaker who writes a sentence in English is
   answered in English, whatever was remembered;
3. what the conversation already uses ("yes" in an English conversation stays English);
4. what is remembered: the worker's preferred language (found by phone number), else the
   number's last choice (a conversation's first message);
5. detection on a short message ("ok", "yes"); no letters at all (a date, a UAN): English.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import MessagingContact, Worker
from api.db.session import session_scope
from api.domain.codes import LANGUAGES
from api.domain.phones import normalise_phone
from api.language.script import has_latin, script_language
from api.logging_setup import current_request_id
from api.services import audit
from api.services.context import Ctx

log = logging.getLogger(__name__)
Source = Literal["chosen", "written", "remembered", "conversation", "detected", "default"]
DEFAULT = "en"
# Latin words a message needs before its detected language outweighs what is remembered: "ok",
# "yes", "haan ji" say little (romanised Hindi "no" is English "no"), a sentence says enough.
SURE_LATIN_WORDS = 3


@dataclass(frozen=True)
class Decision:
    language: str
    source: Source


def _valid(lang: str | None) -> str | None:
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else None


def detect(text: str) -> str | None:
    """The language of `text` by its script, else the romanised-text classifier, else None."""
    found = script_language(text)
    if found or not has_latin(text):
        return found
    try:
        from api.language.detector import detect_language

        return detect_language(text)
    except Exception:  # a detector failure must never stop a conversation
        log.exception("language detector failed; keeping the current language")
        return None


def written_language(text: str) -> str | None:
    """The language `text` surely is: its native script, or a Latin sentence's detected one."""
    found = script_language(text)
    if found:
        return found
    if len(re.findall(r"[A-Za-z]{2,}", text)) < SURE_LATIN_WORDS:
        return None
    found = detect(text)
    if found == "en" and _has_hindi_bengali_words(text):
        return None  # "babu ne form jama karne ke": Hinglish is no sure sign of English
    return found


def _has_hindi_bengali_words(text: str) -> bool:
    from api.language.detector import is_mixed_english

    return is_mixed_english(text)


def decide(
    *,
    chosen: str | None = None,
    remembered: str | None = None,
    current: str | None = None,
    text: str = "",
) -> Decision:
    """The reply language by the order in this module's docstring."""
    if lang := _valid(chosen):
        return Decision(lang, "chosen")
    if lang := _valid(written_language(text) if text else None):
        return Decision(lang, "written")
    if lang := _valid(current):
        return Decision(lang, "conversation")
    if lang := _valid(remembered):
        return Decision(lang, "remembered")
    if lang := _valid(detect(text) if text else None):
        return Decision(lang, "detected")
    return Decision(DEFAULT, "default")


def _worker_by_phone(session: Session, number: str) -> Worker | None:
    return session.execute(select(Worker).where(Worker.phone == number)).scalars().first()


def remembered(session: Session, address: str | None, ctx: Ctx | None = None) -> str | None:
    """The worker's preferred language for this number, else the number's last choice.

    Finding a worker by number reads their record: audited when `ctx` says who asked.
    """
    number = normalise_phone(address)
    if number is None:
        return None
    worker = _worker_by_phone(session, number)
    if worker is not None and _valid(worker.preferred_language):
        if ctx is not None:
            audit.record(
                session,
                ctx,
                "language.lookup",
                worker_id=worker.id,
                purpose="greet in own language",
            )
        return worker.preferred_language
    contact = session.get(MessagingContact, number)
    return _valid(contact.language) if contact is not None else None


SCRIPTS = ("native", "latin")


def remembered_script(session: Session, address: str | None) -> str | None:
    """The script a romanised writer chose for this number (the worker's choice first)."""
    number = normalise_phone(address)
    if number is None:
        return None
    worker = _worker_by_phone(session, number)
    if worker is not None and worker.preferred_script in SCRIPTS:
        return worker.preferred_script
    contact = session.get(MessagingContact, number)
    return contact.script if contact is not None and contact.script in SCRIPTS else None


def remember(
    session: Session,
    *,
    language: str,
    address: str | None = None,
    worker: Worker | None = None,
    chosen: bool = True,
    script: str | None = None,
) -> None:
    """Keep the language a number was last answered in; one the worker `chosen` also becomes
    the preference of the worker (given, or registered with that number)."""
    lang = _valid(language)
    if lang is None:
        return
    number = normalise_phone(address)
    if number is not None:
        contact = session.get(MessagingContact, number)
        if contact is None:
            contact = MessagingContact(address=number, choices=[])
            session.add(contact)
        contact.language = lang
        if script in SCRIPTS:
            contact.script = script
        if chosen and worker is None:
            worker = _worker_by_phone(session, number)
    if chosen and worker is not None:
        worker.preferred_language = lang
        if script in SCRIPTS:
            worker.preferred_script = script
    session.flush()


def remembered_for(address: str | None, actor: str) -> str | None:
    """`remembered` in its own transaction (for adapters, which hold no session)."""
    if normalise_phone(address) is None:
        return None
    try:
        with session_scope() as s:
            return remembered(s, address, Ctx(actor=actor, request_id=current_request_id()))
    except Exception:  # the database down must not cost the caller their greeting
        log.warning("remembered language unavailable", exc_info=True)
        return None


def remember_for(address: str | None, language: str, *, chosen: bool = True) -> None:
    """`remember` for a number in its own transaction (for adapters)."""
    if normalise_phone(address) is None or _valid(language) is None:
        return
    with session_scope() as s:
        remember(s, language=language, address=address, chosen=chosen)
