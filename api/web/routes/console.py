"""The officers' console: hand-overs, the casework queues and case pages, the supervisors'
dashboard and officer accounts, in one page of small static files.

The page is a thin client of the staff API (`/api/v1/staff/...`): it holds no rule of its own;
what an officer may see and do (the moves of a case, what each needs, masking, auditing) is
decided by the API. The HTML shell carries the chosen language's words (`console.*` and the
shared code labels, api/web/console_words.py) as a JSON data block; the scripts and the style
sheet are files under static/console/, served here with the page's security headers: nothing
cached, never framed, no referrer, and a content policy that allows only this origin (no inline
script or style).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.settings import get_settings
from api.web.console_words import FIXED, SHARED, WORDS
from locales import normalise_language, translate

router = APIRouter(tags=["officers' console"])
STATIC = Path(__file__).resolve().parent.parent / "static" / "console"
PAGE = STATIC / "console.html"
ASSET = re.compile(r"^[a-z][a-z0-9-]{0,40}\.(js|css)$")
MEDIA = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",  # an officer's clicks must not be framed
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
}


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template(PAGE.read_text(encoding="utf-8"))


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no "</script>" can close it early)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def words(lang: str) -> dict[str, str]:
    """The page's words: console messages without their prefix, shared labels by their id."""
    table = {key: translate(f"console.{key}", lang) for key in (*FIXED, *WORDS)}
    table.update({key: translate(key, lang) for key in SHARED})
    return table


def page_html(lang: str) -> str:
    table = words(lang)
    fixed = {key.replace(".", "_"): escape(table[key]) for key in FIXED}
    return _template().substitute(
        lang=lang,
        timezone=escape(get_settings().timezone),
        words_json=_script_json(table),
        **fixed,
    )


@router.get("/console", response_class=HTMLResponse)
def console_page(lang: Annotated[str | None, Query(max_length=5)] = None) -> HTMLResponse:
    return HTMLResponse(page_html(normalise_language(lang)), headers=SECURITY_HEADERS)


@router.get("/static/console/{name}", response_model=None)
def console_asset(name: str) -> Response:
    """The console's scripts (one module per view) and style sheet."""
    found = ASSET.match(name)
    path = STATIC / name
    if not found or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return FileResponse(path, media_type=MEDIA[found.group(1)], headers=SECURITY_HEADERS)
