"""What an officer does in the console, step by step, for the browser tests (Playwright pages),
and the worker's side over the SMS/WhatsApp webhook; nothing here asserts."""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from datetime import datetime, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import expect
from twilio.request_validator import RequestValidator

from locales import translate
from scripts.stack import APP_PYTHON
from tests.e2e.conftest import ROOT, TWILIO_TOKEN, RunningStack

Page = Any  # playwright.sync_api.Page (imported lazily by the fixtures)
WAIT_MS = 15000


def add_officer(stack: RunningStack, role: str, phone: str | None = None) -> tuple[str, str]:
    """A new account made the way a deployment makes one (`python -m api.admin officers add`)."""
    username = f"{role[:3]}{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    command = [str(APP_PYTHON), "-m", "api.admin", "officers", "add", username]
    command += ["--name", f"Test {role.title()}", "--role", role, "--password-stdin"]
    command += ["--phone", phone] if phone else []
    subprocess.run(command, cwd=ROOT, env=stack.env, input=password + "\n", text=True, check=True)
    return username, password


def close_open_handovers(stack: RunningStack, who: tuple[str, str]) -> None:
    """A clean desk: hand-overs left open by earlier tests keep the assistant quiet on those
    conversations, so the supervisor closes them first (through the staff API)."""
    with httpx.Client(base_url=f"{stack.api_url}/api/v1/staff/", timeout=30) as http:
        http.post("login", json={"username": who[0], "password": who[1]}).raise_for_status()
        for status in ("open", "assigned"):
            for ticket in http.get("handoffs", params={"status": status}).json():
                http.post(f"handoffs/{ticket['id']}/close").raise_for_status()


def log_in(page: Page, stack: RunningStack, who: tuple[str, str], lang: str = "en") -> None:
    page.goto(f"{stack.api_url}/console?lang={lang}")
    page.fill("#username", who[0])
    page.fill("#password", who[1])
    page.click("#login-form button[type=submit]")
    page.locator("#queue").wait_for(timeout=WAIT_MS)


def open_case(page: Page, kind: str, reference: str) -> None:
    """The work queue of `kind`, all open cases, then the case itself."""
    page.click("#views button[data-view=cases]")
    page.click(f"#kind-{kind}")
    expect(page.locator(f"#kind-{kind}")).to_have_attribute("aria-selected", "true")
    row = page.locator(f'#case-rows tr[data-reference="{reference}"]')
    row.wait_for(timeout=WAIT_MS)
    row.locator("button").click()
    expect(page.locator("#case-title")).to_contain_text(reference)
    expect(page.locator("#case")).to_be_visible()


def decide(page: Page, move: str, **fields: Any) -> None:
    """Press a decision button, fill the fields the move asks for, confirm."""
    page.click(f'#moves button[data-move="{move}"]')
    page.locator("#decision-form").wait_for()
    for name, value in fields.items():
        if name == "documents":
            for code in value:
                page.check(f'#decision-documents input[value="{code}"]')
        elif name == "reason":
            page.select_option("#decision-reason", value)
        else:
            page.fill(f"#decision-{name}", str(value))
    page.click("#decision-submit")


def decided(page: Page, status_label: str) -> None:
    """Wait until the case shows its new status (the form closes, the notice says so).

    The console's content policy forbids evaluating strings in the page, so every wait here
    goes through Playwright's locators, never `wait_for_function`."""
    expect(page.locator("#decision-form")).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("#case-meta")).to_contain_text(status_label, timeout=WAIT_MS)


def fresh_number() -> str:
    """A mobile number nobody has used on the stack yet (+91 98229 xxxxx)."""
    return f"+9198229{secrets.randbelow(100000):05d}"


def missed_call(stack: RunningStack, caller: str, call_sid: str) -> None:
    """A call to the missed-call line, signed as Twilio signs it."""
    url = f"{stack.api_url}/voice/missed-call"
    params = {"From": caller, "To": "+15005550006", "CallSid": call_sid, "CallStatus": "ringing"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    answer = httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
    answer.raise_for_status()


def placed_call(stack: RunningStack, to: str, timeout_s: float = 30) -> dict[str, str]:
    """The form of a call the product placed to `to` through Twilio's REST API."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for request in stack.twilio.requests:
            if request["path"].endswith("/Calls.json") and request["form"].get("To") == to:
                return dict(request["form"])
        time.sleep(0.5)
    raise AssertionError(f"no call to {to}; twilio saw {stack.twilio.requests}")


def india_date(days_ago: int) -> str:
    return (datetime.now(ZoneInfo("Asia/Kolkata")) - timedelta(days=days_ago)).strftime("%d/%m/%Y")


class Worker:
    """A worker writing to the helpline by SMS or WhatsApp (signed webhooks, as Twilio sends)."""

    def __init__(self, stack: RunningStack, address: str, first_turn: int) -> None:
        self.stack, self.address = stack, address
        self.turn = first_turn + secrets.randbelow(10**6) * 100  # message ids never reused

    def says(self, *texts: str) -> str:
        """Each text in turn; the assistant's last answer (the TwiML's message text)."""
        answer = ""
        for text in texts:
            self.turn += 1
            xml = self.stack.sms(self.address, text, self.turn)
            answer = unescape(" ".join(re.findall(r"<Message>(.*?)</Message>", xml, re.S)))
        return answer

    def converse(self, lang: str, opening: str, answers: dict[str, str], until: str) -> str:
        """Open with `opening`, answer each question the assistant asks (by its message id in
        `answers`) until a reply matches `until`; whatever the conversation knew before (an
        earlier verification is not asked again)."""
        reply, opened_again = self.says(opening), False
        for _ in range(len(answers) + 4):
            if re.search(until, reply):
                return reply
            if _marker("verify.otp_sent", lang) in reply:  # the code texted to the phone
                reply = self.says(self.stack.texted_code())
                continue
            asked = [key for key in answers if _marker(key, lang) in reply]
            if not asked and not opened_again:  # e.g. "the officer closed your request" first
                reply, opened_again = self.says(opening), True
                continue
            assert asked, f"an unexpected question: {reply}"
            reply = self.says(answers[asked[-1]])
        raise AssertionError(f"never reached {until}: {reply}")


class ChatWorker(Worker):
    """The same worker in the web chat page (real Chromium): typed into the page, each answer
    read from the page's own request, so a decision the page shows meanwhile is not taken
    for the assistant's reply."""

    def __init__(self, stack: RunningStack, page: Page) -> None:
        self.stack, self.page = stack, page

    def says(self, *texts: str) -> str:
        answer = ""
        for text in texts:
            self.stack.mark()  # a code texted from now on answers this turn
            before = self.page.locator("#log li.bot").count()
            sent = self.page.expect_response(
                lambda r: r.url.endswith("/chat/message") and r.request.method == "POST",
                timeout=30000,
            )
            with sent as response:
                self.page.fill("#text", text)
                self.page.press("#text", "Enter")
            messages = response.value.json()["messages"]
            answer = " ".join(str(m.get("text") or "") for m in messages)
            if messages:  # shown on the page too (a decision may land beside them)
                self.page.locator("#log li.bot").nth(before + len(messages) - 1).wait_for()
        return answer


def _marker(msgid: str, lang: str) -> str:
    """The longest fixed part of a catalog message (its placeholders differ each time)."""
    parts = re.split(r"\{[a-z_0-9]+\}", translate(msgid, lang))
    return max((p.strip() for p in parts), key=len)
