"""The REST channel without slash commands.

Why: stock RestInput treats `/intent{"slot": ...}` as a command (intent forced, slots set) and
`/restart` wipes the conversation; anyone who can type could fill `uan` or skip verification.
Leading slashes are stripped so the text goes through NLU like any other message.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput


class SafeRestInput(RestInput):
    """`rest` channel (same URL /webhooks/rest/webhook) whose text is never a command."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Any) -> str | None:
        return strip_command(req.json.get("message", None))


def strip_command(text: str | None) -> str | None:
    """Remove leading whitespace and '/' so `/restart` or `/inform{..}` is plain text."""
    if text is None:
        return None
    return text.lstrip().lstrip("/").lstrip()
