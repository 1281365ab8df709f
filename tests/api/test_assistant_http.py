"""Messages to the assistant share one HTTP client per event loop (api/integrations/
assistant_http.py): building one per message built TLS contexts on the event loop, which under
load blocked every request of the API process for over a second (the fault test's logs)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.settings import get_settings
from tests.stand_ins import RasaStandIn
from voice import assistant


@pytest.fixture
def rasa(monkeypatch: pytest.MonkeyPatch) -> Iterator[RasaStandIn]:
    stand_in = RasaStandIn(reply=lambda p: [{"text": f"you said {p['message']}"}])
    monkeypatch.setenv("RASA_URL", stand_in.start())
    get_settings.cache_clear()
    yield stand_in
    stand_in.stop()
    get_settings.cache_clear()


@pytest.fixture
def clients_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many httpx.AsyncClient objects are built from here on."""
    made: list[int] = []
    real = httpx.AsyncClient.__init__

    def counting(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "__init__", counting)
    return made


def test_the_phone_and_sms_messages_share_one_client(
    rasa: RasaStandIn, clients_made: list[int]
) -> None:
    async def three_messages() -> list[str]:
        said = []
        for text in ("one", "two", "three"):
            reply = await assistant.ask("sms:abc", text, channel="sms", language="en")
            said.append(reply.texts[0])
        return said

    assert asyncio.run(three_messages()) == ["you said one", "you said two", "you said three"]
    assert len(clients_made) == 1
    assert len(rasa.received) == 3


def test_the_web_chat_shares_one_client(
    rasa: RasaStandIn, clients_made: list[int], db: str
) -> None:
    from asgi import create_app

    async def three_messages() -> list[Any]:
        transport = httpx.ASGITransport(app=create_app(configure_logs=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await client.get("/chat")
            return [
                (await client.post("/chat/message", json={"text": t, "language": "en"})).json()
                for t in ("one", "two", "three")
            ]

    answers = asyncio.run(three_messages())
    assert [a["messages"][0]["text"] for a in answers] == [
        "you said one",
        "you said two",
        "you said three",
    ]
    assert len(clients_made) == 2  # the test's own client, and the API's one to the assistant
