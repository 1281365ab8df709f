"""Fixtures: the real backend app in-process on a temp SQLite database, and rasa_sdk trackers.

The action code calls the backend through `actions.backend_client`; here its transport is an
`httpx.ASGITransport` around `api.web.app.create_app()`, so every test exercises the real routes,
services and database (seeded with the demo dataset) without a network or a mock.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import backend_client
from api.db.migrate import upgrade
from api.db.models import Base
from api.db.session import dispose_engines, session_scope
from api.seed import seed_demo
from api.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def _use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_MODE"] = "true"
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def strict_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing message id or placeholder fails the test instead of degrading politely."""
    monkeypatch.setenv("SHRAMIK_STRICT_I18N", "1")


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "DEMO_MODE")}
    url = f"sqlite:///{tmp_path_factory.mktemp('actions-db') / 'backend.db'}"
    _use(url)
    upgrade(url)
    yield url
    dispose_engines()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    get_settings.cache_clear()


@pytest.fixture
def backend(database: str) -> Iterator[httpx.ASGITransport]:
    """The real API, demo data freshly seeded, wired into every BackendClient."""
    from asgi import create_app

    _use(database)
    with session_scope() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())
        seed_demo(s)
    transport = httpx.ASGITransport(app=create_app(configure_logs=False))
    backend_client.use_transport(transport)
    yield transport
    backend_client.use_transport(None)


@pytest.fixture(scope="session")
def kb_warm() -> None:
    """The knowledge base as a running API has it once started: embedder and passage vectors
    loaded (without this, a search uses the keyword path until the background build ends)."""
    from api.knowledge.search import warm_up

    warm_up()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def backend_down(database: str) -> Iterator[str]:
    """Every BackendClient points at a port nobody listens on."""
    _use(database)
    os.environ["BACKEND_URL"] = f"http://127.0.0.1:{closed_port()}"
    get_settings.cache_clear()
    backend_client.use_transport(None)
    yield os.environ["BACKEND_URL"]
    os.environ.pop("BACKEND_URL", None)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))


def make_tracker(
    text: str = "",
    *,
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    form: str | None = None,
    sender: str = "test-user",
    metadata: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id=sender,
        slots={"language": "en", **(slots or {})},
        latest_message=latest,
        events=events or [{"event": "user", "text": text, "timestamp": 1.0}],
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def run(action: Any, tracker: Tracker, domain: dict[str, Any]) -> tuple[list[dict], list[str]]:
    """Run an action; returns (events, texts said)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return events, [m.get("text") or "" for m in dispatcher.messages]


def slot_values(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def followup(events: list[dict]) -> str | None:
    names = [e["name"] for e in events if e.get("event") == "followup"]
    return names[-1] if names else None
