"""A simple web chat page, for trying the assistant in a browser.

The page talks to this route, never to Rasa: the server picks the conversation id (a random
cookie), so a visitor cannot write into someone else's conversation, and Rasa stays on loopback.
"""

from __future__ import annotations

import json
import logging
import secrets
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Cookie, Query, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, StringConstraints

from api.db.session import session_scope
from api.logging_setup import current_request_id
from api.services import handoff
from api.settings import get_settings
from locales import LANGUAGES, normalise_language, translate

log = logging.getLogger(__name__)
router = APIRouter(tags=["web chat"])
COOKIE = "shramik_chat"
PAGE = Path(__file__).resolve().parent.parent / "static" / "chat.html"


class ChatIn(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
    language: str | None = Field(default=None, max_length=5)


class ChatMessage(BaseModel):
    text: str = ""
    buttons: list[dict[str, str]] = Field(default_factory=list)


class ChatOut(BaseModel):
    messages: list[ChatMessage]


class RepliesOut(BaseModel):
    active: bool
    replies: list[str]


def _sender(session: str) -> str:
    """Rasa's sender for a visitor (the backend sees it as `rasa:<sender>`)."""
    return f"web:{session}"


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template(PAGE.read_text(encoding="utf-8"))


@router.get("/chat", response_class=HTMLResponse)
def chat_page(
    response: Response,
    lang: Annotated[str | None, Query(max_length=5)] = None,
    session: Annotated[str | None, Cookie(alias=COOKIE)] = None,
) -> HTMLResponse:
    code = normalise_language(lang) if lang else "bn"
    words = {
        key: escape(translate(f"web.{key}", code))
        for key in ("title", "language_label", "intro", "conversation_label", "placeholder", "send")
    }
    html = _template().substitute(
        lang=code,
        failed_json=json.dumps(translate("web.failed", code)),
        officer_json=json.dumps(translate("web.officer", code)),
        lang_json=json.dumps(code if lang and code in LANGUAGES else None),
        **words,
    )
    page = HTMLResponse(html)
    if not session:
        page.set_cookie(COOKIE, secrets.token_urlsafe(18), httponly=True, samesite="strict")
    return page


@router.post("/chat/message", response_model=ChatOut)
async def chat_message(
    body: ChatIn, session: Annotated[str | None, Cookie(alias=COOKIE)] = None
) -> dict[str, Any]:
    """Relay one message to the assistant; a failure still answers, politely, in words."""
    sender = _sender(session or secrets.token_urlsafe(18))
    # live_replies: this page polls /chat/replies, so the assistant need not repeat an officer's
    # replies (actions/handoff.py LIVE_REPLIES).
    metadata: dict[str, Any] = {
        "channel": "web",
        "request_id": current_request_id(),
        "live_replies": True,
    }
    if body.language:
        metadata["language"] = normalise_language(body.language)
    settings = get_settings()
    try:
        async with httpx.AsyncClient(timeout=settings.rasa_timeout_s) as client:
            answer = await client.post(
                f"{settings.rasa_url.rstrip('/')}/webhooks/rest/webhook",
                json={"sender": sender, "message": body.text, "metadata": metadata},
            )
        answer.raise_for_status()
        messages = answer.json()
    except (httpx.HTTPError, ValueError) as error:
        log.warning("web chat: assistant unreachable: %s", type(error).__name__)
        messages = []
    if not messages:
        # Quiet on purpose while an officer has the conversation; otherwise Rasa failed
        # (it answers [] when its lock store or an action fails).
        with session_scope() as s:
            if handoff.active(s, f"rasa:{sender}")["active"]:
                return {"messages": []}
        lang = metadata.get("language") or _script_language(body.text)
        return {"messages": [{"text": translate("web.failed", lang)}]}
    return {"messages": [_message(m) for m in messages]}


@router.get("/chat/replies", response_model=RepliesOut)
def chat_replies(session: Annotated[str | None, Cookie(alias=COOKIE)] = None) -> dict[str, Any]:
    """An officer's replies on this visitor's open hand-over, polled by the page.

    The conversation comes from the visitor's own cookie, so nobody can read another's replies.
    """
    if not session:
        return {"active": False, "replies": []}
    with session_scope() as s:
        state = handoff.active(s, f"rasa:{_sender(session)}")
    return {"active": state["active"], "replies": [r["text"] for r in state["replies"]]}


def _script_language(text: str) -> str:
    if any("\u0980" <= ch <= "\u09ff" for ch in text):
        return "bn"
    if any("\u0900" <= ch <= "\u097f" for ch in text):
        return "hi"
    return "en"


def _message(raw: dict[str, Any]) -> dict[str, Any]:
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", b.get("title", "")))}
        for b in raw.get("buttons") or []
    ]
    return {"text": str(raw.get("text") or ""), "buttons": buttons}
