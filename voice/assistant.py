"""Talk to the assistant over Rasa's REST channel on loopback (Rasa is never exposed).

An empty answer is a failure, not silence: Rasa answers `[]` when its lock store or an action
fails. The one exception, an officer having taken the conversation over, is decided by the
caller (it knows the channel).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from api.integrations import assistant_http
from api.logging_setup import current_request_id
from api.settings import get_settings

log = logging.getLogger(__name__)


class AssistantError(Exception):
    """The assistant did not answer (down, slow, error status, empty or malformed reply)."""


@dataclass
class Message:
    """One message of a reply: its words and the machine-readable part that came with them."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)  # {"title", "payload"}
    data: dict[str, Any] = field(default_factory=dict)  # the replies' `custom` parts, merged
    messages: list[Message] = field(default_factory=list)

    @property
    def expect(self) -> dict[str, Any]:
        """What the last message asks for (docs/contracts.md, "Reply payloads")."""
        for message in reversed(self.messages):
            if isinstance(message.data.get("expect"), dict):
                return dict(message.data["expect"])
        return {}

    @property
    def ends(self) -> bool:
        return any(m.data.get("end") for m in self.messages)

    @property
    def empty(self) -> bool:
        return not self.texts and not self.buttons

    @property
    def chosen_script(self) -> str | None:
        """A script (native or latin) a romanised writer chose in this turn."""
        value = self.data.get("script_chosen")
        return str(value) if value in ("native", "latin") else None

    @property
    def chosen_language(self) -> str | None:
        """A language the worker chose in this turn (the assistant says so in `custom`)."""
        value = self.data.get("language_chosen")
        return str(value) if value in ("bn", "hi", "en") else None


def parse(messages: Any) -> Reply:
    if not isinstance(messages, list):
        raise AssistantError("reply is not a list")
    reply = Reply()
    for message in messages:
        if not isinstance(message, dict):
            continue
        text = str(message.get("text") or "").strip()
        if text:
            reply.texts.append(text)
            reply.messages.append(Message(text))
        custom = message.get("custom")
        if isinstance(custom, dict):  # Rasa sends a message's custom part right after its text
            reply.data.update(custom)
            if reply.messages:
                reply.messages[-1].data.update(custom)
            else:
                reply.messages.append(Message("", dict(custom)))
        for button in message.get("buttons") or []:
            if isinstance(button, dict) and button.get("title"):
                title = str(button["title"])
                reply.buttons.append(
                    {"title": title, "payload": str(button.get("payload") or title)}
                )
    return reply


async def ask(
    sender: str,
    text: str,
    *,
    channel: str,
    language: str | None = None,
    remembered_language: str | None = None,
    remembered_script: str | None = None,
    menu_choice: str | None = None,
    caller_phone: str | None = None,
    timeout_s: float | None = None,
) -> Reply:
    """One user message -> the assistant's reply; raises AssistantError on any failure.

    `language`: chosen on this channel (the phone menu); `remembered_language`: what the
    language service remembers for the sender (docs/contracts.md, "Language"); `menu_choice`:
    the service a keypad key chose (docs/contracts.md, "Phone keypad"); `caller_phone`: the
    number a call or text comes from (Twilio's `From`; a text's `sender` holds only a pseudonym
    of it, docs/contracts.md "Conversation ids"), which proves nothing: the lost-UAN flow only
    offers it as the registered phone to check, and texts the UAN to the registered phone.
    """
    settings = get_settings()
    metadata: dict[str, str] = {"channel": channel, "request_id": current_request_id()}
    if language:
        metadata["language"] = language
    if remembered_language:
        metadata["remembered_language"] = remembered_language
    if remembered_script:
        metadata["remembered_script"] = remembered_script
    if menu_choice:
        metadata["menu_choice"] = menu_choice
    if caller_phone:
        metadata["caller_phone"] = caller_phone
    url = f"{settings.rasa_url.rstrip('/')}/webhooks/rest/webhook"
    try:
        answer = await assistant_http.client().post(
            url,
            json={"sender": sender, "message": text, "metadata": metadata},
            headers={"X-Request-ID": current_request_id()},
            timeout=timeout_s or settings.rasa_timeout_s,
        )
        answer.raise_for_status()
        reply = parse(answer.json())
    except (httpx.HTTPError, ValueError) as error:
        log.warning("assistant unreachable: %s", type(error).__name__)
        raise AssistantError(type(error).__name__) from error
    return reply
