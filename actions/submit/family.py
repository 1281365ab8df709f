"""action_submit_family_claim: file the family's confirmed claim (POST /family/claims) and say
its reference, the papers the office needs and, for a family pension, the monthly amount."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError
from actions.family_client import FamilyClient
from actions.render import steps_text
from actions.routing.flow_state import finish_flow
from actions.submit.base import SubmitAction
from actions.texts import label, lang_of, say
from locales import format_money


class ActionSubmitFamilyClaim(SubmitAction):
    flow, form, confirm_slot = "family", "family_form", "family_confirmed"

    def name(self) -> str:
        return "action_submit_family_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(self.confirm_slot) is None:  # left early: locked out, an officer
            return finish_flow(self.flow)
        return await super().run(dispatcher, tracker, domain)

    async def write(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, client: BackendClient, key: str
    ) -> list[EventType]:
        lang = lang_of(tracker)
        claim_type = str(tracker.get_slot("family_claim_type"))
        result = await FamilyClient(tracker.sender_id).file_family_claim(
            str(tracker.get_slot("family_token")),
            claim_type=claim_type,
            incident_date=str(tracker.get_slot("incident_date")),
            last4=str(tracker.get_slot("bank_last4")),
            key=key,
        )
        kind = label("claim_type", claim_type, lang)
        say(dispatcher, lang, "family.filed", reference=result.reference, type=kind)
        amount = result.body.get("monthly_amount")
        if amount:
            say(dispatcher, lang, "family.pension_amount", amount=format_money(int(amount), lang))
        documents = result.body.get("documents_required") or []
        if documents:
            say(dispatcher, lang, "claim.documents", documents=steps_text(documents, "doc", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code == "duplicate_claim":
            reference = error.detail.get("existing_reference", "")
            return self.ended(dispatcher, lang, "claim.duplicate", reference=reference)
        if error.code == "no_pension":
            return self.ended(dispatcher, lang, "family.no_pension")
        if error.code in ("verification_required", "otp_required", "forbidden"):
            return [
                *self.ended(dispatcher, lang, "family.expired"),
                SlotSet("family_token", None),
            ]
        if error.code == "invalid_date":
            say(dispatcher, lang, "family.date_not_understood")
            return [
                SlotSet("incident_date", None),
                SlotSet(self.confirm_slot, None),
                FollowupAction(self.form),
            ]
        return super().refused(dispatcher, tracker, error, lang)
