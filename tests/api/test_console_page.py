"""The officers' console page and the session check it starts with (`GET /api/v1/staff/me`)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from api.web import console_words
from api.web.routes import console
from locales import LANGUAGES, translate
from tests.api.conftest import SERVICE_HEADERS
from tests.secrets import STAFF_PASSWORD

CATALOG = Path(__file__).resolve().parents[2] / "locales" / "en" / "LC_MESSAGES" / "console.po"
REASONS_IN_CODE = ("asked", "repeated_failure", "pressed_zero", "assistant_handover")


def _words(html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="words">(.*?)</script>', html)
    assert found, "the page carries its words"
    return json.loads(found.group(1))


def test_every_console_message_is_on_the_page_and_nothing_else() -> None:
    with CATALOG.open("rb") as handle:
        ids = {str(m.id) for m in read_po(handle) if m.id}
    assert {f"console.{key}" for key in (*console_words.FIXED, *console_words.WORDS)} == ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_is_written_in_the_chosen_language(client, lang: str) -> None:
    page = client.get("/console", params={"lang": lang})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert f"<title>{escape(translate('console.title', lang))}</title>" in html
    assert escape(translate("console.login_heading", lang)) in html
    words = _words(html)
    assert words["signed_in"] == translate("console.signed_in", lang)
    assert all(f"reason.{code}" in words for code in REASONS_IN_CODE)
    assert "$" not in html.split('<script type="application/json"')[0], "every placeholder filled"


def test_unknown_language_falls_back_to_english(client) -> None:
    html = client.get("/console", params={"lang": "xx"}).text
    assert '<html lang="en">' in html


def test_words_cannot_close_the_script_element() -> None:
    assert console._script_json({"x": "</script><script>alert(1)"}) == (
        '{"x": "<\\/script><script>alert(1)"}'
    )


def test_me_answers_only_with_a_session(client) -> None:
    assert client.get("/api/v1/staff/me").status_code == 401
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    me = client.get("/api/v1/staff/me")
    assert me.status_code == 200 and me.json()["username"] == "officer1"
    assert client.post("/api/v1/staff/logout").status_code == 204
    assert client.get("/api/v1/staff/me").status_code == 401


def _hand_over(client, conversation: str, language: str) -> int:
    body = {
        "conversation_id": conversation,
        "channel": "sms",
        "language": language,
        "reason": "asked",
    }
    answer = client.post("/api/v1/handoffs", json=body, headers=SERVICE_HEADERS)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["ticket_id"])


def test_queue_by_language_oldest_waiting_first_newest_closed_first(client) -> None:
    first_bn = _hand_over(client, "+919800000101", "bn")
    hindi = _hand_over(client, "+919800000102", "hi")
    second_bn = _hand_over(client, "+919800000103", "bn")
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    queue = "/api/v1/staff/handoffs"
    waiting = client.get(queue, params={"status": "open", "language": "bn"}).json()
    assert [t["id"] for t in waiting] == [first_bn, second_bn]
    assert [t["id"] for t in client.get(queue, params={"language": "hi"}).json()] == [hindi]
    for ticket in (first_bn, second_bn):
        assert client.post(f"{queue}/{ticket}/close").status_code == 200
    closed = client.get(queue, params={"status": "closed", "language": "bn"}).json()
    assert [t["id"] for t in closed] == [second_bn, first_bn]
    one = client.get(queue, params={"status": "closed", "limit": 1}).json()
    assert [t["id"] for t in one] == [second_bn]
    assert client.get(queue, params={"language": "fr"}).status_code == 422
    assert client.get(queue, params={"limit": 100000}).status_code == 422
