"""action_after_verify: run the chosen service once the worker is verified.

Status is answered here; a nominee change shows the current nominee first; a renewal offers
the renewable memberships the backend reports; a pension issue shows the pension and, when the
backend says a restart is possible, asks about it. Claims go straight to their form.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import expect
from actions.backend_client import BackendClient, BackendError, BackendUnavailable, Status
from actions.forms.helper import SLOTS as HELPER_SLOTS
from actions.forms.otp import needs_code
from actions.inputs import channel_of
from actions.payment import say_payment
from actions.render import enrollment_lines, pension_lines, status_parts, status_text
from actions.routing.flow_state import EXPECTING, finish_flow, token_expired
from actions.routing.services import NEEDS_VERIFICATION
from actions.texts import label, lang_of, say, say_menu, yes_no_buttons


def backend_down(dispatcher: CollectingDispatcher, lang: str) -> None:
    say(dispatcher, lang, "error.backend_down")


class ActionAfterVerify(Action):
    """Runs the chosen service once the worker is verified."""

    def name(self) -> str:
        return "action_after_verify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        token = tracker.get_slot("verification_token")
        flow = tracker.get_slot("flow")
        if flow == "track":  # a reference asked about before verification: answer it now
            return [FollowupAction("action_track_request")] if token else finish_flow(flow)
        if flow in NEEDS_VERIFICATION and (not token or needs_code(tracker, flow)):
            # verification stopped short (locked out, no phone for the code, declined): what
            # to do next was already said (an officer offered, or "anything else?")
            return finish_flow(flow)
        if not token or flow not in NEEDS_VERIFICATION:
            return []
        lang = lang_of(tracker)
        client = BackendClient(tracker.sender_id)
        if flow == "helper":  # the worker gave the helper the code: the helper acts for them
            say(dispatcher, lang, "helper.ready", name=tracker.get_slot("worker_name") or "")
            say_menu(dispatcher, lang)
            # who the helper is stays known: a check made again asks the consent (forms.helper)
            kept = [e for e in finish_flow(flow) if e.get("name") not in HELPER_SLOTS]
            return [*kept, SlotSet("awaiting_menu", True)]
        if flow == "notify":  # how the worker is told: its own action (actions/notify_settings)
            return [FollowupAction("action_notify_settings")]
        if flow == "erasure":  # nothing to look up: ask first, erase on yes (routing.context)
            yes, no = (b["payload"] for b in yes_no_buttons(lang))
            say(dispatcher, lang, "erasure.confirm", custom=expect.yes_no(yes, no))
            return [*finish_flow(flow), SlotSet(EXPECTING, "erasure")]
        try:
            if flow == "claim":
                return [FollowupAction("claim_form")]
            if flow == "correction":  # the detail first: it decides whether a code is needed
                return [FollowupAction("correction_form")]
            if flow == "pension":
                return await self._pension(dispatcher, client, token, lang)
            status = await client.status(token)
        except BackendUnavailable:
            backend_down(dispatcher, lang)
            return []
        except BackendError as error:
            if error.code == "verification_required":
                return token_expired(dispatcher, lang)
            backend_down(dispatcher, lang)
            return []
        name = tracker.get_slot("worker_name") or ""
        await read_notices(dispatcher, client, token)
        if flow == "status":
            return say_status(dispatcher, tracker, status, name)
        if flow == "payment":
            return say_payment(dispatcher, tracker, status)
        if flow == "nominee":
            if status.nominee:
                say(
                    dispatcher,
                    lang,
                    "nominee.current",
                    name=status.nominee.get("name", ""),
                    relation=label("relation", status.nominee.get("relation"), lang),
                )
            return [FollowupAction("nominee_form")]
        # renewal
        renewable = [e for e in status.enrollments if e.get("renewable")]
        if not renewable:
            say(dispatcher, lang, "renewal.nothing_to_renew")
            for line in enrollment_lines(status, lang):
                dispatcher.utter_message(text=line)
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(flow), SlotSet("awaiting_menu", True)]
        # Several memberships: the worker chooses (the form asks); one: no question needed.
        options = [str(e.get("scheme")) for e in renewable]
        events: list[EventType] = [SlotSet("renewal_options", options)]
        if len(options) == 1:
            events.append(SlotSet("renewal_scheme", options[0]))
        return [*events, FollowupAction("renewal_form")]

    async def _pension(
        self, dispatcher: CollectingDispatcher, client: BackendClient, token: str, lang: str
    ) -> list[EventType]:
        try:
            pension = await client.pension(token)
        except BackendError as error:
            if error.code == "no_pension":
                say(dispatcher, lang, "pension.none")
                say(dispatcher, lang, "common.anything_else")
                return [*finish_flow("pension"), SlotSet("awaiting_menu", True)]
            raise
        for line in pension_lines(pension, lang):
            dispatcher.utter_message(text=line)
        if pension.get("restart_possible"):  # the backend decides (api/domain/pension.py)
            return [FollowupAction("pension_form")]
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow("pension"), SlotSet("awaiting_menu", True)]


MAX_NOTICES = 3


async def read_notices(dispatcher: CollectingDispatcher, client: BackendClient, token: str) -> None:
    """Decisions the worker has not heard yet come first (already in their language)."""
    try:
        unread = await client.notices(token)
        for notice in unread[:MAX_NOTICES]:
            dispatcher.utter_message(text=str(notice.get("text") or ""))
        if unread:
            await client.mark_notices_read(token, [int(n["id"]) for n in unread[:MAX_NOTICES]])
    except (BackendUnavailable, BackendError, KeyError, ValueError):
        return  # the status that follows shows every decision anyway


def say_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, status: Status, name: str
) -> list[EventType]:
    """The newest open request first; on the phone only that, then an offer of the rest (a
    caller cannot skim a list, and most call about the one thing they are waiting for)."""
    lang = lang_of(tracker)
    done = [*finish_flow("status"), SlotSet("awaiting_menu", True)]
    if channel_of(tracker) != "voice":
        dispatcher.utter_message(text=status_text(status, lang, name))
        say(dispatcher, lang, "common.anything_else")
        return done
    first, rest = status_parts(status, lang, name, spoken=True)
    dispatcher.utter_message(text=first)
    if not rest:
        say(dispatcher, lang, "common.anything_else")
        return done
    yes, no = (b["payload"] for b in yes_no_buttons(lang))
    say(dispatcher, lang, "status.more_offer", custom=expect.yes_no(yes, no))
    return [*done, SlotSet(EXPECTING, "status_more")]
