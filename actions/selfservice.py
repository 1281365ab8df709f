"""Self-service answers: what happened to a request (by its reference), and a lost UAN.

action_track_request: a verified worker hears the status and timeline of their own request; a
complaint reference (FDB-, with its year) is answered before verification, status only; any
other reference first verifies the worker (the flow stays `track`, action_after_verify comes
back here). action_recover_uan: the backend texts the UAN to the registered phone when the
details match and answers the same when they do not, so the reply never tells which.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.family_client import FamilyClient
from actions.forms.selfservice import DOB_SLOT, PHONE_SLOT, REFERENCE_SLOT
from actions.inputs import channel_of
from actions.routing.flow_state import finish_flow, token_expired
from actions.texts import label, lang_of, say, text
from api.domain.references import normalise_reference
from locales import format_date, format_money, format_number, language_of

logger = logging.getLogger(__name__)
MAX_STEPS = 4  # the latest steps of a timeline (a caller cannot hold more)
COMPLAINT_PREFIX = "FDB"


def public_complaint(reference: str) -> bool:
    """A complaint reference with its year: answered before verification, status only."""
    query = normalise_reference(reference)
    return bool(query and query.year and query.prefix == COMPLAINT_PREFIX)


def tracked_lines(view: dict[str, Any], lang: str, *, spoken: bool = False) -> list[str]:
    """The request's kind, reference and status, its latest steps, then what it says."""
    kind = text(f"track.kind.{view.get('kind')}", lang)
    lines = [
        text(
            "track.header",
            lang,
            kind=kind,
            reference=str(view.get("reference") or ""),
            status=text(f"track.status.{view.get('status')}", lang),
        )
    ]
    steps = list(view.get("timeline") or [])[-(2 if spoken else MAX_STEPS) :]
    for step in steps:
        lines.append(
            text(
                "track.step",
                lang,
                date=format_date(str(step.get("at") or "")[:10], lang),
                status=text(f"track.status.{step.get('status')}", lang),
            )
        )
    lines += _detail_lines(view, lang)
    if view.get("open") and view.get("due_at"):
        lines.append(text("track.due", lang, date=format_date(str(view["due_at"])[:10], lang)))
    if view.get("also"):
        lines.append(text("track.also", lang, references=", ".join(view["also"])))
    return lines


def _detail_lines(view: dict[str, Any], lang: str) -> list[str]:
    details = view.get("details") or {}
    lines: list[str] = []
    if details.get("amount_paid") and details.get("paid_on"):
        lines.append(
            text(
                "status.claim_paid",
                lang,
                amount=format_money(details["amount_paid"], lang),
                date=format_date(str(details["paid_on"]), lang),
            )
        )
    pending = details.get("documents_pending") or []
    if pending and view.get("open"):
        separator = text("common.list_separator", lang)
        documents = separator.join(label("doc", code, lang) for code in pending)
        lines.append(text("status.claim_documents", lang, documents=documents))
    if view.get("kind") == "nominee" and details.get("name"):
        relation = label("relation", details.get("relation"), lang)
        lines.append(text("track.nominee", lang, name=details["name"], relation=relation))
    return lines


def _done(dispatcher: CollectingDispatcher, lang: str, flow: str) -> list[EventType]:
    say(dispatcher, lang, "common.anything_else")
    return [*finish_flow(flow), SlotSet("awaiting_menu", True)]


class ActionTrackRequest(Action):
    """Say where the request the reference names has got to."""

    def name(self) -> str:
        return "action_track_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        reference = tracker.get_slot(REFERENCE_SLOT)
        if not reference:
            return []  # the form was left early (hand-over, another service)
        token = tracker.get_slot("verification_token")
        family = tracker.get_slot("family_token")  # a family member who filed here for a
        # worker who died follows that claim with the family session (never the worker's)
        if not token and not family and not public_complaint(str(reference)):
            say(dispatcher, lang, "verify.intro")
            return [FollowupAction("verify_form")]
        client = BackendClient(tracker.sender_id)
        try:
            if family and not token:
                view = await FamilyClient(tracker.sender_id).track_family(family, str(reference))
            else:
                view = await self._look_up(client, token, str(reference))
        except BackendUnavailable:
            say(dispatcher, lang, "error.backend_down")
            return _done(dispatcher, lang, "track")
        except BackendError as error:
            if error.code == "verification_required" and family and not token:
                say(dispatcher, lang, "family.expired")
                return [SlotSet("family_token", None), *_done(dispatcher, lang, "track")]
            if error.code == "verification_required":
                return token_expired(dispatcher, lang)
            say(dispatcher, lang, "track.not_found", reference=str(reference))
            return _done(dispatcher, lang, "track")
        spoken = channel_of(tracker) == "voice"
        dispatcher.utter_message(text="\n".join(tracked_lines(view, lang, spoken=spoken)))
        return _done(dispatcher, lang, "track")

    @staticmethod
    async def _look_up(client: BackendClient, token: str | None, reference: str) -> dict[str, Any]:
        """The worker's own request; a complaint filed without verification is not the
        worker's on record, so a complaint reference is also looked up as a complaint."""
        if not token:
            return await client.complaint_status(reference)
        try:
            return await client.track_request(token, reference)
        except BackendError as error:
            if error.code != "not_found" or not public_complaint(reference):
                raise
            return await client.complaint_status(reference)


class ActionRecoverUan(Action):
    """Ask the backend to text the UAN to the registered phone; the same words either way."""

    def name(self) -> str:
        return "action_recover_uan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = lang_of(tracker)
        phone, dob = tracker.get_slot(PHONE_SLOT), tracker.get_slot(DOB_SLOT)
        if not phone or not dob:
            return []  # the form was left early
        client = BackendClient(tracker.sender_id)
        key = client.idempotency_key("lost_uan", tracker.get_slot("submission_seq") or 0)
        try:
            await client.recover_uan(str(phone), str(dob), language_of(lang), key)
        except BackendUnavailable:
            say(dispatcher, lang, "error.backend_down")
            return _done(dispatcher, lang, "lost_uan")
        except BackendError as error:
            if error.code == "locked_out":
                seconds = int(error.detail.get("retry_after_s") or 3600)
                hours = format_number(max(1, round(seconds / 3600)), lang)
                say(dispatcher, lang, "lost_uan.locked", hours=hours)
            else:
                logger.warning("lost UAN refused: %s", error.code)
                say(dispatcher, lang, "error.request_refused")
            return _done(dispatcher, lang, "lost_uan")
        say(dispatcher, lang, "lost_uan.sent")
        return _done(dispatcher, lang, "lost_uan")
