"""A web chat message carrying a `message_id` is answered once (api/services/chat_once.py): a retry,
at the same time or later, gets the stored reply and the assistant sees the message once.

Both stores: Redis (REDIS_URL set, several API processes) and the database (no Redis). The
assistant is a loopback stand-in that counts what it receives; the API and its data are real.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from api.db.session import session_scope
from api.services import chat_once, trackers, webchat_sessions
from api.settings import get_settings
from tests.services import REDIS_URL, require_service
from tests.stand_ins import RasaStandIn

COOKIE = "shramik_chat"


@pytest.fixture(params=["database", "redis"])
def rasa(
    request: pytest.FixtureRequest, db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[RasaStandIn]:
    if request.param == "redis":
        require_service("redis")
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
    else:
        monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'trackers.db'}")
    count = iter(range(1, 1000))
    stand_in = RasaStandIn(reply=lambda p: [{"text": f"reply {next(count)} to {p['message']}"}])
    monkeypatch.setenv("RASA_URL", stand_in.start())
    get_settings.cache_clear()
    yield stand_in
    stand_in.stop()
    trackers.dispose()
    get_settings.cache_clear()


async def _visit(client: httpx.AsyncClient) -> webchat_sessions.Opened:
    await client.get("/chat")
    with session_scope() as s:
        opened = webchat_sessions.find(s, client.cookies[COOKIE])
    assert opened is not None
    return opened


def _run(scenario: Any) -> Any:
    from asgi import create_app

    async def main() -> Any:
        transport = httpx.ASGITransport(app=create_app(configure_logs=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await scenario(client)

    return asyncio.run(main())


def _say(client: httpx.AsyncClient, text: str, message_id: str | None) -> Any:
    body = {"text": text, "language": "en", "message_id": message_id}
    return client.post("/chat/message", json=body)


def test_a_retry_after_the_answer_gets_the_same_reply(rasa: RasaStandIn) -> None:
    async def scenario(client: httpx.AsyncClient) -> list[Any]:
        await _visit(client)
        first = await _say(client, "yes", "msg-0000000001")
        again = await _say(client, "yes", "msg-0000000001")
        other = await _say(client, "yes", "msg-0000000002")
        return [first.json(), again.json(), other.json()]

    first, again, other = _run(scenario)
    assert first == again == {"messages": [{"text": "reply 1 to yes", "buttons": []}]}
    assert other["messages"][0]["text"] == "reply 2 to yes"
    assert [p["message"] for p in rasa.received] == ["yes", "yes"]
    assert rasa.received[0]["metadata"]["message_id"] == "msg-0000000001"


def test_a_retry_while_the_first_is_answered_waits_for_that_answer(rasa: RasaStandIn) -> None:
    rasa.delay_s = 0.5

    async def scenario(client: httpx.AsyncClient) -> list[Any]:
        await _visit(client)
        both = await asyncio.gather(*(_say(client, "2", "msg-0000000003") for _ in range(2)))
        return [answer.json() for answer in both]

    first, second = _run(scenario)
    assert first == second == {"messages": [{"text": "reply 1 to 2", "buttons": []}]}
    assert len(rasa.received) == 1


def test_a_failed_answer_is_not_stored_so_a_retry_asks_again(rasa: RasaStandIn) -> None:
    rasa.status = 500

    async def scenario(client: httpx.AsyncClient) -> list[Any]:
        await _visit(client)
        failed = await _say(client, "status", "msg-0000000004")
        rasa.status = 200
        retried = await _say(client, "status", "msg-0000000004")
        assert (failed.status_code, retried.status_code) == (503, 200)  # 503: the page resends
        return [failed.json(), retried.json()]

    failed, retried = _run(scenario)
    assert failed["messages"][0]["text"] != retried["messages"][0]["text"]
    assert retried["messages"][0]["text"].endswith("to status")
    assert len(rasa.received) == 2


def _abandoned_claim(key: str) -> None:
    """What a process killed mid-turn leaves: a pending claim whose lease has run out."""
    replies = chat_once.store()
    assert replies.claim(key, 0).state == "mine"
    if isinstance(replies, chat_once.RedisReplies):  # Redis expires it by itself; do it now
        replies.client.delete(replies._key(key))


def _tracker_store(sender: str, message_id: str, bot_text: str, *, sealed: bool = False) -> None:
    """Rasa's events table as the dead process's turn left it: the message and its answer."""
    engine = create_engine(get_settings().tracker_database_url)
    user = {"event": "user", "text": "yes", "metadata": {"message_id": message_id}}
    bot: dict[str, Any] = {"event": "bot", "text": bot_text, "data": {"buttons": []}}
    if sealed:  # an identity step's reply (bot/local_tracker_store.py)
        bot[trackers.SEALED_WORDS] = "gAAAA-opened-only-by-rasa"
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
                " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
            )
        )
        for n, event in enumerate((user, bot)):
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data)"
                    " VALUES (:s, :t, :n, :d)"
                ),
                {"s": sender, "t": event["event"], "n": n, "d": json.dumps(event)},
            )
    engine.dispose()


def test_a_message_the_dead_process_relayed_is_answered_from_the_conversation(
    rasa: RasaStandIn,
) -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        opened = await _visit(client)
        _abandoned_claim(f"{opened.conversation_id}:msg-0000000005")
        _tracker_store(opened.sender, "msg-0000000005", "Your claim is filed.")
        return (await _say(client, "yes", "msg-0000000005")).json()

    assert _run(scenario) == {"messages": [{"text": "Your claim is filed.", "buttons": []}]}
    assert rasa.received == []  # not asked a second time


def test_a_sealed_reply_is_not_replayed_as_its_placeholder_but_asked_of_the_assistant(
    rasa: RasaStandIn,
) -> None:
    # Rasa answers a message it already took with that turn's words, unsealed (bot/turns.py)
    async def scenario(client: httpx.AsyncClient) -> Any:
        opened = await _visit(client)
        _abandoned_claim(f"{opened.conversation_id}:msg-0000000007")
        _tracker_store(opened.sender, "msg-0000000007", "[identity check]", sealed=True)
        return (await _say(client, "yes", "msg-0000000007")).json()

    assert _run(scenario)["messages"][0]["text"] == "reply 1 to yes"
    assert len(rasa.received) == 1


def test_the_store_and_the_backend_name_sealed_words_alike() -> None:
    store = (Path(__file__).parents[2] / "bot" / "local_tracker_store.py").read_text()
    assert f'SEALED_WORDS = "{trackers.SEALED_WORDS}"' in store


def test_a_message_the_dead_process_never_relayed_is_asked_on_takeover(
    rasa: RasaStandIn,
) -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        opened = await _visit(client)
        _abandoned_claim(f"{opened.conversation_id}:msg-0000000006")
        return (await _say(client, "yes", "msg-0000000006")).json()

    assert _run(scenario)["messages"][0]["text"] == "reply 1 to yes"
    assert len(rasa.received) == 1


def test_a_malformed_message_id_is_refused(rasa: RasaStandIn) -> None:
    async def scenario(client: httpx.AsyncClient) -> int:
        await _visit(client)
        return (await _say(client, "yes", "bad id with %_ wildcards")).status_code

    assert _run(scenario) == 422
    assert rasa.received == []


def test_a_turn_the_assistant_did_not_finish_in_time_is_not_asked_again_at_once(
    rasa: RasaStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASA_TIMEOUT_S", "0.2")
    get_settings.cache_clear()
    rasa.delay_s = 0.5  # it answers, but after the API stopped waiting

    async def scenario(client: httpx.AsyncClient) -> Any:
        opened = await _visit(client)
        slow = await _say(client, "yes", "msg-0000000007")
        replies = chat_once.store()
        # the retry within the lease is told to wait: the claim is still held
        return slow.status_code, replies.claim(f"{opened.conversation_id}:msg-0000000007", 30)

    status, claim = _run(scenario)
    assert status == 503
    assert claim.state == "busy"
    assert len(rasa.received) == 1


def test_a_claim_its_dead_process_no_longer_renews_is_taken_over_within_a_lease(
    rasa: RasaStandIn,
) -> None:
    """The API process died right after claiming the message: the resend is answered after one
    short lease, not after the longest the assistant may take."""
    import time

    async def scenario(client: httpx.AsyncClient) -> tuple[Any, float]:
        opened = await _visit(client)
        key = f"{opened.conversation_id}:msg-0000000008"
        assert chat_once.store().claim(key, chat_once.lease_s()).state == "mine"  # then died
        started = time.monotonic()
        answer = await _say(client, "yes", "msg-0000000008")
        return answer.json(), time.monotonic() - started

    answer, waited = _run(scenario)
    assert answer["messages"][0]["text"] == "reply 1 to yes"
    assert waited < 10, waited
    assert len(rasa.received) == 1


def test_a_live_process_keeps_its_claim_while_the_assistant_is_slower_than_a_lease(
    rasa: RasaStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_once, "LEASE_S", 1.0)
    monkeypatch.setattr(chat_once, "RENEW_S", 0.3)
    rasa.delay_s = 3.0  # three leases

    async def scenario(client: httpx.AsyncClient) -> list[Any]:
        await _visit(client)

        async def resent() -> Any:
            await asyncio.sleep(1.8)  # the first is still being answered, past its first lease
            return await _say(client, "yes", "msg-0000000009")

        first, again = await asyncio.gather(_say(client, "yes", "msg-0000000009"), resent())
        return [first.json(), again.json()]

    first, again = _run(scenario)
    assert first == again == {"messages": [{"text": "reply 1 to yes", "buttons": []}]}
    assert len(rasa.received) == 1


def test_with_the_reply_store_down_a_message_is_answered_503_to_be_resent(
    rasa: RasaStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis gone (stopped, restarting): the page is told to resend, not shown a server error,
    and the assistant is not asked a message nobody could claim."""
    import os
    import socket

    if not os.environ.get("REDIS_URL"):
        pytest.skip("the database store has no Redis to lose")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed.getsockname()[1]}/0")
    get_settings.cache_clear()

    async def scenario(client: httpx.AsyncClient) -> httpx.Response:
        await _visit(client)
        return await _say(client, "yes", "msg-0000000010")

    try:
        answer = _run(scenario)
    finally:
        closed.close()
    assert answer.status_code == 503
    assert answer.json()["messages"][0]["text"]  # the polite words, in the page's language
    assert rasa.received == []


def test_a_turn_waiting_on_the_database_does_not_hold_up_other_requests(
    rasa: RasaStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session lookup blocks (here 1 s, as on a database restart): it runs in a thread, so
    the event loop answers a health check meanwhile instead of after it."""
    import time

    slow_open = webchat_sessions.open_or_create

    def open_slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.0)
        return slow_open(*args, **kwargs)

    async def scenario(client: httpx.AsyncClient) -> tuple[float, int]:
        await _visit(client)
        monkeypatch.setattr(webchat_sessions, "open_or_create", open_slowly)
        start = time.monotonic()
        turn = asyncio.create_task(_say(client, "status", "msg-0000000009"))
        await asyncio.sleep(0.2)
        health = await client.get("/health")
        waited = time.monotonic() - start
        await turn
        return waited, health.status_code

    waited, status = _run(scenario)
    assert status == 200 and waited < 0.8, waited
