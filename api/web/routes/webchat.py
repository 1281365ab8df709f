"""A simple web chat page, for trying the assistant in a browser.

The page talks to this route, never to Rasa, and Rasa stays on loopback. The visitor's cookie is
a random session secret, not the conversation: the server maps it (api/services/
webchat_sessions.py) to a conversation id nobody is shown, replaces it after a verification and
forgets it after an idle time, so seeing a cookie or a ticket never hands over a conversation.
Each client may send WEBCHAT_RATE_LIMIT messages; beyond that it is told politely to wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Cookie, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field, StringConstraints

from api.db.session import session_scope
from api.integrations import assistant_http
from api.logging_setup import current_request_id
from api.ratelimit import RateLimiter, Verdict
from api.services import chat_once, handoff, notices, webchat_sessions
from api.settings import get_settings
from locales import LANGUAGES, normalise_language, translate

log = logging.getLogger(__name__)
router = APIRouter(tags=["web chat"])
COOKIE = "shramik_chat"
PAGE = Path(__file__).resolve().parent.parent / "static" / "chat.html"


class ChatIn(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]
    language: str | None = Field(default=None, max_length=5)
    # the page's own id for this message, resent unchanged on a retry: answered once
    message_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{8,64}$")


class ChatMessage(BaseModel):
    text: str = ""
    buttons: list[dict[str, str]] = Field(default_factory=list)


class ChatOut(BaseModel):
    messages: list[ChatMessage]


class RepliesOut(BaseModel):
    active: bool
    replies: list[str]


def _set_cookie(response: Response, secret: str) -> None:
    """HttpOnly (no script reads it), SameSite=Strict, Secure outside demo mode."""
    response.set_cookie(
        COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=not get_settings().demo_mode,
        path="/chat",
    )


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


def _open(secret: str | None, request: Request) -> webchat_sessions.Opened:
    with session_scope() as s:
        return webchat_sessions.open_or_create(s, secret, _client(request))


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template(PAGE.read_text(encoding="utf-8"))


@router.get("/chat", response_class=HTMLResponse)
def chat_page(
    request: Request,
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
    settings = get_settings()
    address_limit = settings.webchat_address_rate_limit
    if not _limiter(request).check(address_limit, "page", _client(request)).allowed:
        return page  # a flood of page loads makes no sessions (its messages are refused too)
    opened = _open(session, request)
    if opened.cookie:
        _set_cookie(page, opened.cookie)
    return page


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.limiter
    return limiter


def _too_many(verdict: Verdict, body: ChatIn) -> JSONResponse:
    lang = normalise_language(body.language) if body.language else _script_language(body.text)
    return JSONResponse(
        {"messages": [{"text": translate("web.too_many", lang), "buttons": []}]},
        status_code=429,
        headers={"Retry-After": str(verdict.retry_after_s)},
    )


@router.post("/chat/message", response_model=ChatOut)
async def chat_message(
    body: ChatIn,
    request: Request,
    response: Response,
    session: Annotated[str | None, Cookie(alias=COOKIE)] = None,
) -> Any:
    """Relay one message to the assistant; a failure still answers, politely, in words."""
    # Each conversation has its own budget under a wider cap per network address: carriers put
    # many workers behind one address, and one of them must not use up the others' messages.
    # The limiter's store and the database are blocking calls: in a thread, so one request
    # waiting on them (a database restart, DB_CONNECT_WAIT_S) does not stall every other turn.
    settings, limiter = get_settings(), _limiter(request)
    wide = await asyncio.to_thread(
        limiter.check, settings.webchat_address_rate_limit, "webchat-address", _client(request)
    )
    if not wide.allowed:
        return _too_many(wide, body)
    opened = await asyncio.to_thread(_open, session, request)
    own = await asyncio.to_thread(
        limiter.check, settings.webchat_rate_limit, "webchat", str(opened.conversation_id)
    )
    if not own.allowed:
        return _too_many(own, body)
    if opened.cookie:
        _set_cookie(response, opened.cookie)
    sender = opened.sender

    async def ask() -> chat_once.Answer:
        return await _relay(body, sender, opened.conversation_id, response)

    if body.message_id is None:
        return (await ask())[0]
    key = f"{opened.conversation_id}:{body.message_id}"
    reply = await chat_once.answer_once(key, sender, body.message_id, ask, _shown)
    if reply is None:  # another request still has this message: say so, the page may retry
        response.status_code = 503
        return _failed(body)
    return reply


def _failed(body: ChatIn) -> dict[str, Any]:
    lang = normalise_language(body.language) if body.language else _script_language(body.text)
    return {"messages": [{"text": translate("web.failed", lang), "buttons": []}]}


async def _relay(
    body: ChatIn, sender: str, conversation_id: str, response: Response
) -> chat_once.Answer:
    """Ask the assistant: the page's reply, and whether the assistant gave it (True), failed
    (False) or may still be answering (None: it did not answer in time)."""
    settings = get_settings()
    # live_replies: this page polls /chat/replies, so the assistant need not repeat an officer's
    # replies (actions/handoff.py LIVE_REPLIES).
    metadata: dict[str, Any] = {
        "channel": "web",
        "request_id": current_request_id(),
        "live_replies": True,
    }
    if body.message_id:  # found in the conversation store if this process dies mid-turn
        metadata["message_id"] = body.message_id
    if body.language:
        metadata["language"] = normalise_language(body.language)
    try:
        answer = await assistant_http.client().post(
            f"{settings.rasa_url.rstrip('/')}/webhooks/rest/webhook",
            json={"sender": sender, "message": body.text, "metadata": metadata},
            timeout=settings.rasa_timeout_s,
        )
        answer.raise_for_status()
        messages = answer.json()
    except httpx.TimeoutException:
        # The assistant may still take it: not released, so a retry waits out the claim's
        # lease and then finds the answer in the conversation store (api/services/chat_once.py).
        log.warning("web chat: assistant too slow")
        response.status_code = 503
        return _failed(body), None
    except (httpx.HTTPError, ValueError) as error:
        log.warning("web chat: assistant unreachable: %s", type(error).__name__)
        messages = []
    rotated, officer = await asyncio.to_thread(_after_turn, conversation_id, sender, not messages)
    if rotated:  # verified during this turn: the old cookie (seen or not) stops working
        _set_cookie(response, rotated)
    if not messages:
        # Quiet on purpose while an officer has the conversation; otherwise Rasa failed
        # (it answers [] when its lock store or an action fails).
        if officer:
            return {"messages": []}, True
        # 503: the page sends the same message id again (it is not stored as answered)
        response.status_code = 503
        return _failed(body), False
    return _shown(messages), True


def _after_turn(conversation_id: str, sender: str, silent: bool) -> tuple[str | None, bool]:
    """A new cookie if the turn verified the worker; and, for a turn with no words, whether an
    officer has the conversation (then the quiet is on purpose)."""
    with session_scope() as s:
        rotated = webchat_sessions.due_rotation(s, conversation_id)
        officer = silent and bool(handoff.active(s, f"rasa:{sender}")["active"])
    return rotated, officer


def _shown(messages: list[dict[str, Any]]) -> dict[str, Any]:
    shown = [_message(m) for m in messages]
    # machine-readable parts (docs/contracts.md "Reply payloads") are for channels, not people
    return {"messages": [m for m in shown if m["text"] or m["buttons"]]}


@router.get("/chat/replies", response_model=RepliesOut)
def chat_replies(session: Annotated[str | None, Cookie(alias=COOKIE)] = None) -> dict[str, Any]:
    """An officer's replies on this visitor's open hand-over, polled by the page.

    The conversation comes from the visitor's own cookie, so nobody can read another's replies.
    """
    with session_scope() as s:
        opened = webchat_sessions.find(s, session)
        if opened is None:
            return {"active": False, "replies": []}
        state = handoff.active(s, f"rasa:{opened.sender}")
    return {"active": state["active"], "replies": [r["text"] for r in state["replies"]]}


class ChatNotice(BaseModel):
    reference: str
    status: str
    text: str


@router.post("/chat/notices", response_model=list[ChatNotice])
def chat_notices(session: Annotated[str | None, Cookie(alias=COOKIE)] = None) -> list[Any]:
    """Decisions on cases this visitor's conversation filed, each handed over once (then marked
    read): how a worker who only uses the web chat hears back."""
    with session_scope() as s:
        opened = webchat_sessions.find(s, session)
        if opened is None:
            return []
        return notices.take_for_conversation(s, f"rasa:{opened.sender}")


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
