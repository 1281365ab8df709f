"""The REST channel without slash commands.

Why: stock RestInput treats `/intent{"slot": ...}` as a command (intent forced, slots set) and
`/restart` wipes the conversation; anyone who can type could fill `uan` or skip verification.

Rasa 3.6 reads a message as a command when its text, after `str.strip()` (every Unicode space,
but not the zero-width characters), starts with "/" (`YAMLStoryReader.unpack_regex_message`, run
by the graph's `RegexMessageHandler`). Stripping one slash is not enough: `/ /restart` left
`/restart`. So the whole leading run of spaces, invisible characters and slashes goes, and the
message starts with the first thing a person can read; the rest goes through NLU like any other
text. The Rasa code this relies on is fingerprinted in rasa_patches.py.
"""

from __future__ import annotations

import unicodedata
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
    """The text from its first visible character that is not a slash: never a Rasa command."""
    if text is None:
        return None
    start = 0
    while start < len(text) and _leads_to_a_command(text[start]):
        start += 1
    return text[start:]


def _leads_to_a_command(char: str) -> bool:
    """A slash, or a character that can stand unseen before one.

    Spaces of every kind (what Rasa strips), control and format characters (zero-width space and
    joiners, byte-order mark, direction marks: Rasa keeps them, but a later clean-up might not),
    and anything that NFKC normalisation turns into a slash (fullwidth solidus).
    """
    return (
        char == "/"
        or char.isspace()
        or unicodedata.category(char)[0] in "CZ"
        or unicodedata.normalize("NFKC", char) == "/"
    )
