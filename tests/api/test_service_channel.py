"""A service call without X-Channel takes the channel from its conversation id, so a request
the assistant files from WhatsApp is answered on WhatsApp (api/web/deps.py)."""

from __future__ import annotations

import pytest

from api.web.deps import channel_of_conversation, service_ctx


@pytest.mark.parametrize(
    ("conversation", "channel"),
    [
        ("rasa:whatsapp:+919800000001", "whatsapp"),
        ("rasa:sms:+919800000001", "sms"),
        ("rasa:web:Zq3x", "web"),
        ("rasa:voice:CA0123", "voice"),
        ("rasa:telegram:123", ""),
        ("whatsapp:+919800000001", ""),
        ("service", ""),
        ("rasa:whatsapp", ""),
    ],
)
def test_channel_of_a_conversation(conversation: str, channel: str) -> None:
    assert channel_of_conversation(conversation) == channel


def test_an_explicit_channel_header_wins() -> None:
    assert service_ctx("rasa:whatsapp:+919800000001", "sms", None).channel == "sms"
    assert service_ctx("rasa:whatsapp:+919800000001", None, None).channel == "whatsapp"
    assert service_ctx(None, None, None).channel == ""
