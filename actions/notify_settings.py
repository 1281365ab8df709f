"""action_notify_settings: a verified worker hears how they are told and changes it.

Decision calls on or off, all reminders on or off, or one kind of reminder at a time
(docs/contracts.md, "Notification settings"). The choices are numbered buttons (the phone line
turns them into keys); what was offered is kept in the `expecting` slot (`notify:calls,...`),
so a number is read against the very list the worker heard. The backend decides and audits.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import expect
from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.inputs import channel_of, number_choice, yes_no
from actions.routing.flow_state import EXPECTING, STRAYS, finish_flow, token_expired
from actions.texts import lang_of, say, text, yes_no_buttons
from api.domain.reminders import KINDS

logger = logging.getLogger(__name__)
FLOW = "notify"
MAIN = "notify"  # expecting `notify:<option>,...`
KIND = "notify_kind"  # expecting `notify_kind:<kind>,...`
OFFER = "notify_offer"  # expecting: "a call when it is decided?" after a filing by phone
OFFER_FLOWS = frozenset({"claim", "renewal", "pension"})


class NotifyClient(BackendClient):
    """The two calls of the settings (kept here: backend_client.py is at its size limit)."""

    async def notify_settings(self, token: str) -> dict[str, Any]:
        body = await self._call("GET", "/me/notify-settings", verification_token=token)
        assert isinstance(body, dict)
        return body

    async def change_notify_settings(self, token: str, **change: Any) -> dict[str, Any]:
        """Explicit values, never "toggle": sending the same change twice is harmless."""
        body = await self._call(
            "PUT", "/me/notify-settings", json=change, verification_token=token, idempotent=True
        )
        assert isinstance(body, dict)
        return body


def offered(tracker: Tracker) -> tuple[str, list[str]] | None:
    """What the last settings reply offered: (`notify` or `notify_kind`, its options)."""
    value = str(tracker.get_slot(EXPECTING) or "")
    step, _, options = value.partition(":")
    if step not in (MAIN, KIND) or not options:
        return None
    return step, options.split(",")


def awaits_answer(tracker: Tracker) -> bool:
    """The last reply asked about the settings (a choice, or the call offer) and the menu has
    not been shown since (then a bare number is a menu choice)."""
    if tracker.get_slot("awaiting_menu"):
        return False
    return offered(tracker) is not None or tracker.get_slot(EXPECTING) == OFFER


def state_lines(settings: dict[str, Any], lang: str) -> list[str]:
    """How the worker is told now: decisions, then reminders."""
    lines = [
        text("notify.calls_on" if settings.get("decision_calls") else "notify.calls_off", lang)
    ]
    kinds = settings.get("reminders") or {}
    on = [k for k in KINDS if kinds.get(k, True)]
    if not settings.get("reminders_all", True) or not on:
        lines.append(text("notify.reminders_off", lang))
    elif len(on) == len(KINDS):
        lines.append(text("notify.reminders_on", lang))
    else:
        names = ", ".join(text(f"notify.kind.{k}", lang) for k in on)
        lines.append(text("notify.reminders_some", lang, kinds=names))
    return lines


def offer_main(
    dispatcher: CollectingDispatcher, settings: dict[str, Any], lang: str, pre: list[str]
) -> list[EventType]:
    """The settings, then at most four numbered choices (the phone's keys 1-4)."""
    options = ["calls", "reminders", "kinds", "done"]
    if not settings.get("reminders_all", True):
        options.remove("kinds")  # one kind at a time means nothing while all are off
    titles = {
        "calls": "notify.option_calls_off"
        if settings.get("decision_calls")
        else ("notify.option_calls_on"),
        "reminders": "notify.option_reminders_off"
        if settings.get("reminders_all", True)
        else "notify.option_reminders_on",
        "kinds": "notify.option_kinds",
        "done": "notify.option_done",
    }
    buttons = [
        {"title": text(titles[o], lang), "payload": str(i)} for i, o in enumerate(options, start=1)
    ]
    words = "\n".join([*pre, *state_lines(settings, lang), text("notify.ask", lang)])
    dispatcher.utter_message(text=words, buttons=buttons)
    return [SlotSet(EXPECTING, f"{MAIN}:{','.join(options)}"), SlotSet("awaiting_menu", False)]


def offer_kinds(
    dispatcher: CollectingDispatcher, settings: dict[str, Any], lang: str
) -> list[EventType]:
    kinds = settings.get("reminders") or {}
    buttons = [
        {
            "title": text(
                "notify.kind_on" if kinds.get(k, True) else "notify.kind_off",
                lang,
                kind=text(f"notify.kind.{k}", lang),
            ),
            "payload": str(i),
        }
        for i, k in enumerate(KINDS, start=1)
    ]
    dispatcher.utter_message(text=text("notify.kinds_ask", lang), buttons=buttons)
    return [SlotSet(EXPECTING, f"{KIND}:{','.join(KINDS)}"), SlotSet("awaiting_menu", False)]


def done(dispatcher: CollectingDispatcher, lang: str) -> list[EventType]:
    say(dispatcher, lang, "common.anything_else")
    return [SlotSet(EXPECTING, None), SlotSet(STRAYS, 0), SlotSet("awaiting_menu", True)]


class ActionNotifySettings(Action):
    """Run by action_after_verify for the flow `notify`: the settings and the choices."""

    def name(self) -> str:
        return "action_notify_settings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        token = tracker.get_slot("verification_token")
        if not token:
            return finish_flow(FLOW)
        try:
            settings = await NotifyClient(tracker.sender_id).notify_settings(str(token))
        except BackendError as error:
            if error.code == "verification_required":
                return token_expired(dispatcher, lang)
            say(dispatcher, lang, "error.backend_down")
            return finish_flow(FLOW)
        except BackendUnavailable:
            say(dispatcher, lang, "error.backend_down")
            return finish_flow(FLOW)
        return [*finish_flow(FLOW), *offer_main(dispatcher, settings, lang, [])]


async def notify_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """A number answering the settings' choices (action_route asks first); None: not one."""
    asked = offered(tracker)
    token = tracker.get_slot("verification_token")
    if tracker.get_slot(EXPECTING) == OFFER and token:
        return await _offer_answer(dispatcher, tracker, str(token))
    if asked is None or not token:
        return None
    step, options = asked
    choice = number_choice(tracker, len(options))
    if choice is None:
        return None
    lang = lang_of(tracker)
    chosen = options[choice - 1]
    if step == MAIN and chosen == "done":
        return done(dispatcher, lang)
    client = NotifyClient(tracker.sender_id)
    try:
        settings = await client.notify_settings(str(token))
        if step == MAIN and chosen == "kinds":
            return offer_kinds(dispatcher, settings, lang)
        change = _change(step, chosen, settings)
        if change is None:
            return None
        settings = await client.change_notify_settings(str(token), **change)
    except BackendError as error:
        if error.code == "verification_required":
            return [SlotSet(EXPECTING, None), *token_expired(dispatcher, lang)]
        logger.warning("notify settings failed: %s", error.code)
        say(dispatcher, lang, "error.backend_down")
        return [SlotSet(EXPECTING, None)]
    except BackendUnavailable:
        say(dispatcher, lang, "error.backend_down")
        return [SlotSet(EXPECTING, None)]
    return offer_main(dispatcher, settings, lang, [text("notify.saved", lang)])


def _change(step: str, chosen: str, settings: dict[str, Any]) -> dict[str, Any] | None:
    """The explicit new value of what was chosen (the opposite of what it is now)."""
    if step == KIND and chosen in KINDS:
        now = bool((settings.get("reminders") or {}).get(chosen, True))
        return {"reminders": {chosen: not now}}
    if chosen == "calls":
        return {"decision_calls": not settings.get("decision_calls")}
    if chosen == "reminders":
        return {"reminders_all": not settings.get("reminders_all", True)}
    return None


async def offer_decision_call(
    dispatcher: CollectingDispatcher, tracker: Tracker, flow: str
) -> list[EventType] | None:
    """After a claim, renewal or restart filed by phone, a worker who never chose is offered,
    once, a call that reads the decision (issue 18); None: nothing offered (the caller goes on
    to "anything else?")."""
    token = tracker.get_slot("verification_token")
    if flow not in OFFER_FLOWS or channel_of(tracker) != "voice" or not token:
        return None
    try:
        settings = await NotifyClient(tracker.sender_id).notify_settings(str(token))
    except (BackendError, BackendUnavailable) as error:
        logger.warning("notify settings unread after filing: %s", error)
        return None
    if settings.get("decision_calls") or settings.get("chosen"):
        return None
    lang = lang_of(tracker)
    yes, no = (b["payload"] for b in yes_no_buttons(lang))
    say(dispatcher, lang, "notify.offer_call", custom=expect.yes_no(yes, no))
    return [SlotSet(EXPECTING, OFFER), SlotSet("awaiting_menu", False)]


async def _offer_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, token: str
) -> list[EventType] | None:
    """Yes or no to the call offer: either way the choice is kept, so it is not offered again."""
    answer = yes_no(tracker)
    if answer is None:
        return None
    lang = lang_of(tracker)
    try:
        await NotifyClient(tracker.sender_id).change_notify_settings(token, decision_calls=answer)
    except BackendError as error:
        if error.code == "verification_required":
            return [SlotSet(EXPECTING, None), *token_expired(dispatcher, lang)]
        logger.warning("decision call choice failed: %s", error.code)
        say(dispatcher, lang, "error.backend_down")
        return done(dispatcher, lang)
    except BackendUnavailable:
        say(dispatcher, lang, "error.backend_down")
        return done(dispatcher, lang)
    say(dispatcher, lang, "notify.call_set" if answer else "notify.call_not_set")
    return done(dispatcher, lang)
