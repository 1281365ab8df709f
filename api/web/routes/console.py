"""The officers' console: one page where hand-overs are picked up, read, answered and closed.

The page is a thin client of the staff API (`/api/v1/staff/...`): log-in, the ticket queue, a
ticket's masked transcript, reply, close. It holds no rule of its own; what an officer may see
and do is decided, masked and audited by `api.services.handoff` and `api.services.staff_auth`.
Every word on it comes from the `console.*` messages of the chosen language.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.settings import get_settings
from locales import normalise_language, translate

router = APIRouter(tags=["officers' console"])
PAGE = Path(__file__).resolve().parent.parent / "static" / "console.html"

# Words written into the HTML itself; the script gets these and WORDS below as one JSON table.
FIXED = (
    "title",
    "language_label",
    "login_heading",
    "username",
    "password",
    "login",
    "logout",
    "queue_heading",
    "filter_label",
    "language_filter",
    "all_languages",
    "refresh",
    "status.open",
    "status.assigned",
    "status.closed",
    "col.reference",
    "col.status",
    "col.channel",
    "col.language",
    "col.reason",
    "col.worker",
    "col.since",
    "col.officer",
    "back",
    "transcript",
    "reply_label",
    "send_reply",
    "close",
)
# Words only the script uses (labels of codes, notices, errors).
WORDS = (
    "signed_in",
    "login_failed",
    "locked_out",
    "session_expired",
    "failed",
    "count",
    "no_tickets",
    "open_ticket",
    "verified",
    "not_verified",
    "channel.voice",
    "channel.whatsapp",
    "channel.sms",
    "channel.web",
    "language.bn",
    "language.hi",
    "language.en",
    "reason.asked",
    "reason.repeated_failure",
    "reason.pressed_zero",
    "reason.assistant_handover",
    "ticket_heading",
    "handled_by",
    "sender.user",
    "sender.bot",
    "sender.staff",
    "delivery.sms",
    "delivery.whatsapp",
    "delivery.web",
    "delivery.voice",
    "reply_sent",
    "empty_reply",
    "close_confirm",
    "closed_note",
    "closed_by_other",
    "not_found",
)


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template(PAGE.read_text(encoding="utf-8"))


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no "</script>" can close it early)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def page_html(lang: str) -> str:
    words = {key: translate(f"console.{key}", lang) for key in (*FIXED, *WORDS)}
    fixed = {key.replace(".", "_"): escape(words[key]) for key in FIXED}
    return _template().substitute(
        lang=lang,
        words_json=_script_json(words),
        timezone_json=_script_json(get_settings().timezone),
        **fixed,
    )


@router.get("/console", response_class=HTMLResponse)
def console_page(lang: Annotated[str | None, Query(max_length=5)] = None) -> HTMLResponse:
    page = HTMLResponse(page_html(normalise_language(lang)))
    page.headers["Cache-Control"] = "no-store"
    page.headers["X-Frame-Options"] = "DENY"  # an officer's clicks must not be framed
    page.headers["Referrer-Policy"] = "no-referrer"
    return page
