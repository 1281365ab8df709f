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

from api.logging_setup import current_request_id
from api.settings import get_settings

log = logging.getLogger(__name__)


class AssistantError(Exception):
    """The assistant did not answer (down, slow, error status, empty or malformed reply)."""


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)  # {"title", "payload"}

    @property
    def empty(self) -> bool:
        return not self.texts and not self.buttons


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
    timeout_s: float | None = None,
) -> Reply:
    """One user message -> the assistant's reply; raises AssistantError on any failure."""
    settings = get_settings()
    metadata: dict[str, str] = {"channel": channel, "request_id": current_request_id()}
    if language:
        metadata["language"] = language
    url = f"{settings.rasa_url.rstrip('/')}/webhooks/rest/webhook"
    params = {"token": settings.rasa_token} if settings.rasa_token else None
    try:
        async with httpx.AsyncClient(timeout=timeout_s or settings.rasa_timeout_s) as client:
            answer = await client.post(
                url,
                params=params,
                json={"sender": sender, "message": text, "metadata": metadata},
                headers={"X-Request-ID": current_request_id()},
            )
        answer.raise_for_status()
        reply = parse(answer.json())
    except (httpx.HTTPError, ValueError) as error:
        log.warning("assistant unreachable: %s", type(error).__name__)
        raise AssistantError(type(error).__name__) from error
    return reply
