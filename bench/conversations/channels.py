"""Play a worker's turns over the channel the worker uses, through the API's public routes.

Web: the web chat's page (its cookie) and `POST /chat/message`, as a browser does. WhatsApp and
SMS: `POST /sms/incoming` signed as Twilio signs it. Phone: `voice.simulate.CallSimulator`
(keypad presses or speech results). Each returns the assistant's messages of a turn as a list
of texts, one per message, so catalog messages can be recognised whole.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from api.domain.pseudonyms import text_sender
from api.integrations.twilio.signature import sign
from bench.conversations.schema import Turn

LINE_NUMBER = "+15005550006"


class CallEnded(Exception):
    """The call is over (hung up, or put through to an officer): no turn can be played."""


@dataclass(frozen=True)
class Target:
    """Where the stack under test answers, and the secrets a client of it needs."""

    api_url: str
    database_url: str
    public_base_url: str
    twilio_token: str
    session_secret: str = ""  # the stack's; the runner reads a texted code as the phone would
    sender_key: str = ""  # the stack's SENDER_KEY: an SMS/WhatsApp conversation's id is keyed

    @property
    def public(self) -> str:
        return (self.public_base_url or self.api_url).rstrip("/")


class Channel(Protocol):
    conversation_id: str

    def open(self) -> list[str]: ...

    def send(self, turn: Turn) -> list[str]: ...

    @property
    def ended(self) -> bool: ...

    def close(self) -> None: ...


def _buttons(raw: list[dict[str, str]]) -> str:
    return " | ".join(str(b.get("title", "")) for b in raw if b.get("title"))


class WebChat:
    """A visitor of /chat with a client of its own: the page sets the cookie that names the
    conversation, and the browser sends it back with every message."""

    def __init__(
        self,
        target: Target,
        timeout_s: float,
        page_lang: str | None = None,
        newest_session: Callable[[], str | None] | None = None,
    ) -> None:
        self.client = httpx.Client(timeout=timeout_s)
        # The cookie is a secret the backend keeps hashed, not the conversation id; the runner
        # plays one conversation at a time, so the newest web chat session is this visitor's.
        self.newest_session = newest_session
        self.page_lang = page_lang  # /chat?lang=..: the page then sends it with every message
        self.target = target
        self.conversation_id = ""
        self.buttons: list[str] = []  # the last reply's buttons (shown apart in transcripts)

    @property
    def ended(self) -> bool:
        return False

    def open(self) -> list[str]:
        params = {"lang": self.page_lang} if self.page_lang else None
        page = self.client.get(f"{self.target.api_url}/chat", params=params)
        page.raise_for_status()
        self._resolve()
        return []

    def _resolve(self) -> None:
        if self.conversation_id or self.newest_session is None:
            return
        found = self.newest_session()
        if found:
            self.conversation_id = f"rasa:web:{found}"

    def send(self, turn: Turn) -> list[str]:
        body = {"text": turn.value, "language": self.page_lang}
        answer = self.client.post(f"{self.target.api_url}/chat/message", json=body)
        answer.raise_for_status()
        self._resolve()  # the page was refused a session: the first message made it
        messages = answer.json().get("messages") or []
        self.buttons = [_buttons(m.get("buttons") or []) for m in messages if m.get("buttons")]
        return [str(m.get("text") or "") for m in messages if m.get("text")]

    def close(self) -> None:
        self.client.close()


class Messaging:
    """A phone number writing on WhatsApp or SMS; every message signed like Twilio's."""

    def __init__(self, target: Target, client: httpx.Client, channel: str, number: str) -> None:
        self.client = client
        self.target = target
        self.address = f"whatsapp:{number}" if channel == "whatsapp" else number
        # the gateway's sender, a keyed pseudonym of the number (docs/contracts.md, Conversation
        # ids): the runner finds the conversation's tickets and audit rows by the stack's name
        self.conversation_id = f"rasa:{text_sender(channel, number, target.sender_key)}"
        self.n = 0

    @property
    def ended(self) -> bool:
        return False

    def open(self) -> list[str]:
        return []

    def send(self, turn: Turn) -> list[str]:
        self.n += 1
        sid = "SM" + secrets.token_hex(16)
        params = {"From": self.address, "To": LINE_NUMBER, "Body": turn.value, "MessageSid": sid}
        url = f"{self.target.public}/sms/incoming"
        signature = sign(url, params, self.target.twilio_token)
        answer = self.client.post(
            f"{self.target.api_url}/sms/incoming",
            data=params,
            headers={"X-Twilio-Signature": signature},
        )
        answer.raise_for_status()
        return split_messages(answer.text)

    def close(self) -> None:
        return None


def split_messages(twiml: str) -> list[str]:
    """The <Message> bodies of a TwiML answer, cut back into the assistant's messages.

    The gateway joins a reply's messages with blank lines (and long ones are split in pieces),
    so the bodies are joined again and cut at blank lines.
    """
    root = ET.fromstring(twiml)  # noqa: S314 (TwiML from the stack under test)
    bodies = ["".join(m.itertext()) for m in root.iter("Message")]
    joined = "\n\n".join(b.strip() for b in bodies if b.strip())
    return [part.strip() for part in re.split(r"\n\s*\n", joined) if part.strip()]


class PhoneCall:
    """A caller on the phone line, keypad or speech (voice.simulate.CallSimulator)."""

    def __init__(self, target: Target, client: httpx.Client, caller: str) -> None:
        from voice.simulate import CallSimulator

        self.sim = CallSimulator(
            base_url=target.api_url,
            public_base_url=target.public,
            auth_token=target.twilio_token,
            caller=caller,
            client=client,
        )
        self.conversation_id = f"rasa:voice:{self.sim.call_sid}"

    @property
    def ended(self) -> bool:
        return self.sim.ended or self.sim.gather is None

    @property
    def dialled(self) -> list[str]:
        return list(self.sim.dialled)

    def open(self) -> list[str]:
        return list(self.sim.start())

    def send(self, turn: Turn) -> list[str]:
        if self.ended:
            raise CallEnded("the call is over")
        if turn.kind == "press":
            return list(self.sim.press(turn.value))
        if turn.kind == "say":
            return list(self.sim.say(turn.value, confidence=turn.confidence))
        return list(self.sim.silence())

    def close(self) -> None:
        if not self.sim.ended:
            self.sim.hang_up()
