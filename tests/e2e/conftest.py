"""One real stack (API, action server, Rasa) for every end-to-end test of the run.

The model comes from scripts/train_model.py, trained once and cached by a hash of its inputs; the
stack runs on ports of its own (so a `make run` on the same machine does not interfere), with a
fresh SQLite database seeded with the demo dataset. Tests that must hold on both databases ask
for `database_stack` instead: the same stack, then a second one (ports E2E_PORTS + 1) on a fresh
PostgreSQL database, started once for the whole run.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from scripts.stack import APP_PYTHON, Stack
from scripts.train_model import train
from tests.secrets import TWILIO_AUTH_TOKEN
from tests.services import POSTGRES_ADMIN_URL, require_service
from tests.stand_ins import TwilioStandIn

ROOT = Path(__file__).resolve().parents[2]
# E2E_PORTS="api,actions,rasa" moves them, so developers sharing a machine do not collide.
_PORTS = os.environ.get("E2E_PORTS", "18000,15055,15005").split(",")
PORTS = {name: int(port) for name, port in zip(("api", "actions", "rasa"), _PORTS, strict=True)}
# the PostgreSQL stack runs beside the SQLite one (both live for the whole run): the next ports
POSTGRES_PORTS = {name: port + 1 for name, port in PORTS.items()}
CHROMIUM = "/usr/bin/chromium"  # Debian's; `make test` installs it (playwright cannot download)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TWILIO_TOKEN = TWILIO_AUTH_TOKEN  # the demo auth token the stack checks signatures with


@dataclass
class RunningStack:
    stack: Stack
    env: dict[str, str]
    api_url: str
    rasa_url: str
    twilio: TwilioStandIn
    codes_used: set[str] = field(default_factory=set)
    turn_mark: int = 0  # Twilio requests seen before the latest turn: a code sent since is its

    def mark(self) -> int:
        """Where Twilio's requests stand now: the start of a turn that may text a code."""
        self.turn_mark = len(self.twilio.requests)
        return self.turn_mark

    def chat(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        """Send one message over Rasa's REST channel, as the gateway does."""
        self.mark()
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        answer = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def sms(self, sender: str, body: str, n: int) -> str:
        """One incoming SMS/WhatsApp message (MessageSid number `n`), signed as Twilio signs it."""
        self.mark()
        url = f"{self.api_url}/sms/incoming"
        params = {"From": sender, "To": "+15005550006", "Body": body, "MessageSid": f"SM{n:032d}"}
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
        answer = httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.text

    def sent_message(self, to: str, containing: str = "", timeout: float = 30) -> str:
        """The body of a message the product sent to `to` through Twilio's REST API."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for request in self.twilio.requests:
                form = request["form"]
                body = form.get("Body", "")
                to_us = request["path"].endswith("/Messages.json") and form.get("To") == to
                if to_us and containing in body:
                    return body
            time.sleep(0.5)
        raise AssertionError(f"no message to {to}; twilio saw {self.twilio.requests}")

    def texted_code(self, timeout: float = 30, since: int | None = None) -> str:
        """The one-time code in the newest code SMS the product sent, read as off the phone.

        Only messages sent since the latest turn (or `since`, a mark()) count: the outbox sends
        after the reply, so an older code that nobody typed must not be taken for the new one.
        """
        start = self.turn_mark if since is None else since
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for request in reversed(list(self.twilio.requests)[start:]):
                body = request["form"].get("Body", "")
                found = re.search(r"\b(\d{6})\b", body)
                if request["path"].endswith("/Messages.json") and found and _is_code_message(body):
                    if found.group(1) not in self.codes_used:
                        self.codes_used.add(found.group(1))
                        return found.group(1)
                    break
            time.sleep(0.3)
        raise AssertionError(f"no new code was texted; twilio saw {self.twilio.requests}")


def _is_code_message(body: str) -> bool:
    from locales import LANGUAGES, translate

    for lang in LANGUAGES:
        before, _, after = translate("api.otp_sms", lang).partition("{code}")
        if before.strip() and before.strip() in body and after.strip() in body:
            return True
    return False


def asks_for_code(reply: str, lang: str) -> bool:
    """Does this reply ask for the one-time code just texted (verify.otp_sent's fixed words)?"""
    from locales import translate

    parts = re.split(r"\{[a-z_0-9]+\}", translate("verify.otp_sent", lang))
    return max((p.strip() for p in parts), key=len) in reply


def _stack_env(
    var_dir: Path,
    twilio_api: str = "",
    database_url: str = "",
    ports: dict[str, int] | None = None,
) -> dict[str, str]:
    """The stack's settings; its database a fresh SQLite file in `var_dir` unless given."""
    ports = ports or PORTS
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "RASA_"))}
    env.update(
        {
            "DEMO_MODE": "true",
            "VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url or f"sqlite:///{var_dir / 'e2e.db'}",
            "API_PORT": str(ports["api"]),
            "BACKEND_URL": f"http://127.0.0.1:{ports['api']}",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['api']}",
            "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['actions']}",
            "TTS_ENGINE_ORDER": "gtts,espeak,say",
            "LOG_JSON": "true",
            # officers always on duty, so hand-overs dial; the other case has unit tests
            "OFFICE_HOURS": "00:00-24:00",
            "OFFICE_DAYS": "0,1,2,3,4,5,6",
            "STAFF_NUMBER": "+919800099999",
            # one demo worker (Rina) is sent a code in a dozen conversations within the hour here;
            # the product's per-worker cap (twice this per hour) has its own unit tests
            "OTP_MAX_SENDS": "10",
            # Twilio's REST API is a loopback stand-in that records what the client sends
            "TWILIO_API_BASE": twilio_api,
            "OUTBOUND_SENDER_ENABLED": "true" if twilio_api else "false",
        }
    )
    return env


@contextmanager
def _started(
    var_dir: Path, database_url: str = "", ports: dict[str, int] | None = None
) -> Iterator[RunningStack]:
    """A stack migrated and seeded with the demo dataset, up until the block ends."""
    model = train(quiet=True)
    twilio = TwilioStandIn()
    env = _stack_env(var_dir, twilio.start(), database_url, ports)
    try:
        for module in ("api.db.migrate", "api.seed"):
            subprocess.run([str(APP_PYTHON), "-m", module], cwd=ROOT, env=env, check=True)
        stack = Stack(model=model, env=env, log_dir=var_dir / "log")
        try:
            stack.start(timeout=300, progress=lambda line: print(line, file=sys.stderr))
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"the stack did not start: {error}")
        try:
            yield RunningStack(stack, env, env["BACKEND_URL"], env["RASA_URL"], twilio)
        finally:
            stack.stop()
    finally:
        twilio.stop()


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with _started(tmp_path_factory.mktemp("e2e-var")) as stack:
        yield stack


@pytest.fixture(scope="session")
def postgres_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """The same stack on a fresh PostgreSQL database (dropped afterwards), on POSTGRES_PORTS.

    A missing PostgreSQL skips here and fails under CI=true (tests/services.py)."""
    require_service("postgres")
    name = f"shramik_e2e_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        with _started(tmp_path_factory.mktemp("e2e-pg-var"), url, POSTGRES_PORTS) as stack:
            yield stack
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database_stack(request: pytest.FixtureRequest) -> RunningStack:
    """Each database in turn, for the tests that must hold on both: the module runs once on the
    session's SQLite stack and once on the PostgreSQL one (each started once per run)."""
    name = "running_stack" if request.param == "sqlite" else "postgres_stack"
    stack: RunningStack = request.getfixturevalue(name)
    return stack


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Real Chromium, driven by Playwright, for one test module.

    Per module, not per session: Playwright's sync API keeps an event loop running while it is
    open, and later tests that call asyncio.run would fail.
    """
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
