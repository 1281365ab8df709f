"""Dialogue actions: route each message, run a service after verification, submit writes.

`action_route` is the one action the rules call for every intent, so the order of concerns is
in one readable place: an open hand-over first (stay quiet, relay officers' replies), then
language and help, then starting or switching a service.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.forms import (
    FLOW_SWITCHES,
    HANDOFF_FLAG,
    MAX_FAILED_ATTEMPTS,
    count_failure,
    officer_after_failures,
)
from actions.handoff import relay_officer_replies
from actions.inputs import (
    channel_of,
    first_entity,
    intent_of,
    message_text,
    number_choice,
)
from actions.render import eligibility_text, pension_lines, status_text, steps_text
from actions.texts import MENU_FLOWS, label, lang_of, say, say_menu, text

logger = logging.getLogger(__name__)

FLOW_BY_INTENT = {
    "check_status": "status",
    "renew_registration": "renewal",
    "file_claim": "claim",
    "check_eligibility": "eligibility",
    "update_nominee": "nominee",
    "pension_issue": "pension",
    "register": "register",
    "give_feedback": "feedback",
}
NEEDS_VERIFICATION = frozenset({"status", "renewal", "claim", "nominee", "pension"})
FORM_OF_FLOW = {
    "renewal": "renewal_form",
    "claim": "claim_form",
    "eligibility": "eligibility_form",
    "nominee": "nominee_form",
    "pension": "pension_form",
    "feedback": "feedback_form",
}
FLOW_SLOTS = {
    "claim": (
        "claim_type",
        "incident_date",
        "incident_description",
        "bank_last4",
        "claim_confirmed",
    ),
    "eligibility": (
        "age",
        "monthly_income",
        "epf_member",
        "nps_member",
        "esic_member",
        "income_tax_payer",
    ),
    "nominee": ("nominee_name", "nominee_relation", "nominee_confirmed"),
    "feedback": ("feedback_category", "feedback_text", "feedback_confirmed"),
    "renewal": ("renewal_scheme", "renewal_confirmed"),
    "pension": ("pension_restart_confirmed",),
}
# What a menu number means (texts.MENU_FLOWS order).
INTENT_BY_MENU = {
    i: (
        "talk_to_human"
        if flow == "human"
        else next(k for k, v in FLOW_BY_INTENT.items() if v == flow)
    )
    for i, flow in enumerate(MENU_FLOWS, start=1)
}


def active_form(tracker: Tracker) -> str | None:
    return (tracker.active_loop or {}).get("name")


def stop_form(tracker: Tracker) -> list[EventType]:
    if active_form(tracker):
        return [SlotSet("requested_slot", None), ActiveLoop(None)]
    return []


def clear_flow(flow: str | None) -> list[EventType]:
    events: list[EventType] = [SlotSet(s, None) for s in FLOW_SLOTS.get(flow or "", ())]
    return [
        *events,
        SlotSet("denials", 0),
        SlotSet("failed_step", None),
        SlotSet("failed_attempts", 0),
    ]


def finish_flow(flow: str | None) -> list[EventType]:
    return [*clear_flow(flow), SlotSet("flow", None)]


def missed_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The service under way asked for while its form waits for an answer: a failed attempt.

    Why: it is not progress. An answer misheard as a request (a UAN read as "check my status")
    would otherwise have the form ask the same question for ever; counted like a failed answer
    (forms.count_failure), the second miss at the same question brings an officer.
    """
    step = tracker.get_slot("requested_slot")
    if not step:
        return []  # nothing asked yet: the form asks its first question
    lang = lang_of(tracker)
    values = count_failure(tracker, step)
    events: list[EventType] = [SlotSet(k, v) for k, v in values.items() if k != HANDOFF_FLAG]
    if values.get(HANDOFF_FLAG):
        return [*events, *officer_now(dispatcher, tracker)]
    say(dispatcher, lang, "form.help")  # then the form asks its question again
    return events


def unanswered_switches(tracker: Tracker) -> int:
    """Services changed mid-form in a row, this change included, with no answer taken between.

    Why a guard: a change of mind is honoured and starts the new service's failure count afresh,
    so answers misheard as a different service each time (a UAN read as "renew", then as
    "status") would bounce between services for ever with no failure ever reaching two. An answer
    taken (forms.success) or a service started outside a form puts the count back to 0.
    """
    if not active_form(tracker):
        return 0
    return int(tracker.get_slot(FLOW_SWITCHES) or 0) + 1


def officer_now(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Say why, then close the form and hand over (both counters start again)."""
    say(dispatcher, lang_of(tracker), "handoff.after_failures")
    return [SlotSet(FLOW_SWITCHES, 0), *officer_after_failures()]


def start_flow(flow: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Begin a service from the top; mid-form, the same service again is a missed answer."""
    lang = lang_of(tracker)
    current = tracker.get_slot("flow")
    if current == flow and active_form(tracker):
        return missed_answer(dispatcher, tracker)
    switches = unanswered_switches(tracker)
    if switches >= MAX_FAILED_ATTEMPTS:
        return officer_now(dispatcher, tracker)
    seq = int(tracker.get_slot("submission_seq") or 0) + 1
    retry = current == flow  # same service again after a failure: keep the answers given
    events: list[EventType] = [
        *stop_form(tracker),
        *([] if retry else [*clear_flow(current), *clear_flow(flow)]),
        SlotSet("flow", flow),
        SlotSet("submission_seq", seq),
        SlotSet("awaiting_menu", False),
        SlotSet(FLOW_SWITCHES, switches),
    ]
    if flow == "register":
        say(dispatcher, lang, "register.guidance")
        say(dispatcher, lang, "common.anything_else")
        return [*events, SlotSet("flow", None), SlotSet("awaiting_menu", True)]
    if flow == "claim":
        claim_type = first_entity(tracker, "claim_type")
        if claim_type:
            events.append(SlotSet("claim_type", claim_type))
    if flow == "feedback":
        category = first_entity(tracker, "feedback_category")
        if category:
            events.append(SlotSet("feedback_category", category))
    if flow in NEEDS_VERIFICATION:
        if tracker.get_slot("verification_token"):
            return [*events, FollowupAction("action_after_verify")]
        say(dispatcher, lang, "verify.intro")
        return [*events, FollowupAction("verify_form")]
    if (
        retry
        and flow == "eligibility"
        and all(tracker.get_slot(s) is not None for s in FLOW_SLOTS[flow])
    ):
        return [*events, FollowupAction("action_submit_eligibility")]
    say(dispatcher, lang, f"{flow}.intro")
    return [*events, FollowupAction(FORM_OF_FLOW[flow])]


class ActionRoute(Action):
    """The rules send every intent here (see bot/data/rules.yml)."""

    def name(self) -> str:
        return "action_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("handoff_active"):
            return await relay_officer_replies(dispatcher, tracker)
        lang = lang_of(tracker)
        intent = intent_of(tracker)
        in_form = active_form(tracker)
        if not in_form and tracker.get_slot("awaiting_menu"):  # a bare menu number wins
            choice = number_choice(tracker, len(MENU_FLOWS))
            if choice:
                intent = INTENT_BY_MENU[choice]
        if intent == "goodbye" and in_form:  # answers so far stay in the slots
            say(dispatcher, lang, "common.goodbye")
            return stop_form(tracker)
        if intent == "talk_to_human":
            return [
                *stop_form(tracker),
                SlotSet("handoff_reason", "asked"),
                FollowupAction("action_handoff"),
            ]
        if intent in FLOW_BY_INTENT:
            return start_flow(FLOW_BY_INTENT[intent], dispatcher, tracker)
        if intent == "change_language":
            return self._language(dispatcher, tracker, lang, in_form)
        if intent == "repeat":
            if not in_form:  # inside a form the question itself is asked again
                dispatcher.utter_message(text=last_bot_text(tracker) or text("menu.intro", lang))
            return []
        if intent == "ask_scheme_info":
            return await self._scheme_info(dispatcher, tracker, lang, in_form)
        if in_form:  # a digression inside a form: answer briefly, the form asks again
            msgid = {"greet": "common.greet", "thank": "common.welcome"}.get(intent, "form.help")
            say(dispatcher, lang, msgid)
            return []
        return self._small_talk(dispatcher, intent, lang)

    def _language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, in_form: str | None
    ) -> list[EventType]:
        if not language_set_this_turn(tracker) and first_entity(tracker, "language") != lang:
            buttons = [{"title": name, "payload": name} for name in ("বাংলা", "हिंदी", "English")]
            dispatcher.utter_message(text=text("language.which", lang), buttons=buttons)
            return []
        say(dispatcher, lang, "language.changed")
        if not in_form:
            say_menu(dispatcher, lang)
            return [SlotSet("awaiting_menu", True)]
        return []

    async def _scheme_info(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str, in_form: str | None
    ) -> list[EventType]:
        client = BackendClient(tracker.sender_id)
        try:
            answers = await client.kb_search(message_text(tracker)[:500], lang)
        except (BackendUnavailable, BackendError):
            say(dispatcher, lang, "error.backend_down")
            return []
        if not answers:
            say(dispatcher, lang, "kb.no_answer")
        else:
            best = answers[0]
            dispatcher.utter_message(text=f"{best.title}\n{best.text}".strip())
        if not in_form:
            say(dispatcher, lang, "common.anything_else")
            return [SlotSet("awaiting_menu", True)]
        return []

    def _small_talk(
        self, dispatcher: CollectingDispatcher, intent: str, lang: str
    ) -> list[EventType]:
        if intent == "goodbye":
            say(dispatcher, lang, "common.goodbye")
            return [SlotSet("awaiting_menu", False)]
        if intent == "thank":
            say(dispatcher, lang, "common.welcome")
            say(dispatcher, lang, "common.anything_else")
            return [SlotSet("awaiting_menu", True)]
        if intent == "greet":
            say(dispatcher, lang, "common.greet")
        elif intent in ("help",):
            pass
        elif intent in ("affirm", "deny", "inform", "correct"):
            say(dispatcher, lang, "fallback.no_question")
        else:  # out_of_scope, nlu_fallback, gibberish
            say(dispatcher, lang, "fallback.out_of_scope")
        say_menu(dispatcher, lang)
        return [SlotSet("awaiting_menu", True)]


def language_set_this_turn(tracker: Tracker) -> bool:
    """Did extract_language change the language after the latest user message?"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == "language":
            return True
    return False


def last_bot_text(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and event.get("text"):
            return str(event["text"])
    return None


def backend_down(dispatcher: CollectingDispatcher, lang: str) -> None:
    say(dispatcher, lang, "error.backend_down")


def token_expired(dispatcher: CollectingDispatcher, lang: str) -> list[EventType]:
    say(dispatcher, lang, "verify.expired")
    return [
        SlotSet("verification_token", None),
        SlotSet("date_of_birth", None),
        FollowupAction("verify_form"),
    ]


class ActionAfterVerify(Action):
    """Runs the chosen service once the worker is verified."""

    def name(self) -> str:
        return "action_after_verify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        token = tracker.get_slot("verification_token")
        flow = tracker.get_slot("flow")
        if not token or flow not in NEEDS_VERIFICATION:
            return []
        lang = lang_of(tracker)
        client = BackendClient(tracker.sender_id)
        try:
            if flow == "claim":
                return [FollowupAction("claim_form")]
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
        if flow == "status":
            dispatcher.utter_message(text=status_text(status, lang, name))
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(flow), SlotSet("awaiting_menu", True)]
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
            for line in _enrollment_summary(status, lang):
                dispatcher.utter_message(text=line)
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(flow), SlotSet("awaiting_menu", True)]
        chosen = renewable[0]
        return [SlotSet("renewal_scheme", chosen.get("scheme")), FollowupAction("renewal_form")]

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
        if pension.get("status") == "stopped":
            return [FollowupAction("pension_form")]
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow("pension"), SlotSet("awaiting_menu", True)]


def _enrollment_summary(status: Any, lang: str) -> list[str]:
    from actions.render import enrollment_lines

    return enrollment_lines(status, lang)


class SubmitAction(Action, ABC):
    """A confirmed write: cancelled, done, or (backend down) offered again with nothing lost."""

    flow: str = ""
    form: str = ""
    confirm_slot: str = ""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        """Call the backend and say the result; return extra events."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        confirmed = tracker.get_slot(self.confirm_slot)
        if confirmed is None:
            return []  # the form was left early (hand-over, another service)
        if confirmed is False:
            say(dispatcher, lang, "confirm.cancelled")
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        client = BackendClient(tracker.sender_id)
        key = client.idempotency_key(self.flow, tracker.get_slot("submission_seq") or 0)
        try:
            extra = await self.write(dispatcher, tracker, client, key)
        except BackendUnavailable:
            say(dispatcher, lang, "error.write_failed_retry")
            return [SlotSet(self.confirm_slot, None), FollowupAction(self.form)]
        except BackendError as error:
            return self.refused(dispatcher, tracker, error, lang)
        say(dispatcher, lang, "common.anything_else")
        return [*extra, *finish_flow(self.flow), SlotSet("awaiting_menu", True)]

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code == "verification_required":
            return token_expired(dispatcher, lang)
        logger.warning("%s refused: %s", self.name(), error.code)
        say(dispatcher, lang, "error.request_refused")
        return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]


class ActionSubmitClaim(SubmitAction):
    flow, form, confirm_slot = "claim", "claim_form", "claim_confirmed"
    FIELD_SLOTS: ClassVar[dict[str, str]] = {
        "incident_date": "incident_date",
        "bank_account_last4": "bank_last4",
        "description": "incident_description",
        "claim_type": "claim_type",
    }

    def name(self) -> str:
        return "action_submit_claim"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.file_claim(
            tracker.get_slot("verification_token"),
            claim_type=tracker.get_slot("claim_type"),
            incident_date=tracker.get_slot("incident_date"),
            description=tracker.get_slot("incident_description"),
            bank_account_last4=tracker.get_slot("bank_last4"),
            key=key,
        )
        documents = result.body.get("documents_required") or []
        say(
            dispatcher,
            lang,
            "claim.filed",
            reference=result.reference,
            type=label("claim_type", tracker.get_slot("claim_type"), lang),
        )
        if documents:
            say(dispatcher, lang, "claim.documents", documents=steps_text(documents, "doc", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code == "duplicate_claim":
            say(
                dispatcher,
                lang,
                "claim.duplicate",
                reference=error.detail.get("existing_reference", ""),
            )
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        slot = None
        if error.code == "bank_account_mismatch":
            slot = "bank_last4"
            say(dispatcher, lang, "claim.bank_mismatch")
        elif error.code in ("invalid_date", "invalid_input", "missing_field"):
            slot = self.FIELD_SLOTS.get(str(error.detail.get("field") or ""), None)
            if slot:
                say(dispatcher, lang, f"claim.fix_{slot}")
        if slot:
            return [
                SlotSet(slot, None),
                SlotSet(self.confirm_slot, None),
                FollowupAction(self.form),
            ]
        return super().refused(dispatcher, tracker, error, lang)


class ActionSubmitRenewal(SubmitAction):
    flow, form, confirm_slot = "renewal", "renewal_form", "renewal_confirmed"

    def name(self) -> str:
        return "action_submit_renewal"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.renew(
            tracker.get_slot("verification_token"), tracker.get_slot("renewal_scheme"), key
        )
        say(
            dispatcher,
            lang,
            "renewal.filed",
            reference=result.reference,
            scheme=label("scheme", result.body.get("scheme"), lang),
        )
        steps = result.body.get("next_steps") or []
        if steps:
            say(dispatcher, lang, "common.next_steps", steps=steps_text(steps, "step", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("not_renewable", "nothing_to_renew"):
            say(dispatcher, lang, "renewal.nothing_to_renew")
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        return super().refused(dispatcher, tracker, error, lang)


class ActionSubmitNominee(SubmitAction):
    flow, form, confirm_slot = "nominee", "nominee_form", "nominee_confirmed"

    def name(self) -> str:
        return "action_submit_nominee"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.update_nominee(
            tracker.get_slot("verification_token"),
            tracker.get_slot("nominee_name"),
            tracker.get_slot("nominee_relation"),
            key,
        )
        say(
            dispatcher,
            lang,
            "nominee.updated",
            name=result.body.get("name", tracker.get_slot("nominee_name")),
            relation=label("relation", result.body.get("relation"), lang),
            reference=result.reference,
        )
        return []


class ActionSubmitPensionRestart(SubmitAction):
    flow, form, confirm_slot = "pension", "pension_form", "pension_restart_confirmed"

    def name(self) -> str:
        return "action_submit_pension_restart"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.restart_pension(tracker.get_slot("verification_token"), key)
        say(dispatcher, lang, "pension.restart_filed", reference=result.reference)
        steps = result.body.get("restart_steps") or []
        if steps:
            say(dispatcher, lang, "common.next_steps", steps=steps_text(steps, "step", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code in ("pension_active", "no_pension"):
            say(dispatcher, lang, f"pension.refused_{error.code}")
            say(dispatcher, lang, "common.anything_else")
            return [*finish_flow(self.flow), SlotSet("awaiting_menu", True)]
        return super().refused(dispatcher, tracker, error, lang)


class ActionSubmitFeedback(SubmitAction):
    flow, form, confirm_slot = "feedback", "feedback_form", "feedback_confirmed"

    def name(self) -> str:
        return "action_submit_feedback"

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        result = await client.feedback(
            category=tracker.get_slot("feedback_category"),
            text=tracker.get_slot("feedback_text"),
            channel=channel_of(tracker),
            language=lang,
            key=key,
            verification_token=tracker.get_slot("verification_token"),
        )
        say(dispatcher, lang, "feedback.recorded", reference=result.reference)
        return []


class ActionSubmitEligibility(Action):
    """Not a write: ask the backend and explain; a failure keeps the answers for a retry."""

    def name(self) -> str:
        return "action_submit_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        values = {s: tracker.get_slot(s) for s in FLOW_SLOTS["eligibility"]}
        if any(v is None for v in values.values()):
            return []
        client = BackendClient(tracker.sender_id)
        try:
            result = await client.eligibility(
                age=int(values["age"]),
                monthly_income=int(values["monthly_income"]),
                epf_member=bool(values["epf_member"]),
                nps_member=bool(values["nps_member"]),
                esic_member=bool(values["esic_member"]),
                income_tax_payer=bool(values["income_tax_payer"]),
            )
        except (BackendUnavailable, BackendError):
            say(dispatcher, lang, "error.backend_down")
            return []  # answers stay in the slots: saying "check eligibility" asks nothing again
        dispatcher.utter_message(text=eligibility_text(result, int(values["age"]), lang))
        say(dispatcher, lang, "common.anything_else")
        return [*finish_flow("eligibility"), SlotSet("awaiting_menu", True)]
