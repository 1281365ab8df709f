"""action_submit_claim: file the confirmed claim and list the papers the office needs.

A refusal that names one answer (the bank account, the date) asks for that answer again and
keeps the others; a claim already filed is named by its reference; a worker with several
memberships (scheme_required) is asked which one, and the claim is filed under it.
"""

from __future__ import annotations

from typing import ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError
from actions.render import steps_text
from actions.routing.family_start import start_family
from actions.submit.base import SubmitAction
from actions.texts import label, lang_of, say
from api.domain.family import FAMILY_CLAIM_TYPES
from locales import format_date


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

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        claim_type = tracker.get_slot("claim_type")
        if claim_type in FAMILY_CLAIM_TYPES:  # filed by the family, never by the worker
            say(dispatcher, lang_of(tracker), "family.switch")
            return start_family(dispatcher, tracker, str(claim_type))
        return await super().run(dispatcher, tracker, domain)

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
            scheme=tracker.get_slot("claim_scheme"),
        )
        documents = result.body.get("documents_required") or []
        kind = label("claim_type", tracker.get_slot("claim_type"), lang)
        scheme = result.body.get("scheme")
        if scheme and len(tracker.get_slot("claim_scheme_options") or ()) > 1:
            # the worker chose among their memberships: say which one the claim is under
            scheme_name = label("scheme", scheme, lang)
            say(
                dispatcher,
                lang,
                "claim.filed_under",
                reference=result.reference,
                type=kind,
                scheme=scheme_name,
            )
        else:
            say(dispatcher, lang, "claim.filed", reference=result.reference, type=kind)
        if documents:
            say(dispatcher, lang, "claim.documents", documents=steps_text(documents, "doc", lang))
        return []

    def refused(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, error: BackendError, lang: str
    ) -> list[EventType]:
        if error.code == "duplicate_claim":
            reference = error.detail.get("existing_reference", "")
            return self.ended(dispatcher, lang, "claim.duplicate", reference=reference)
        if error.code == "pension_not_due":  # the scheme's rule: not before that day
            scheme = label("scheme", str(error.detail.get("scheme") or ""), lang)
            due = format_date(str(error.detail.get("due_on") or ""), lang)
            return self.ended(dispatcher, lang, "claim.pension_not_due", scheme=scheme, date=due)
        schemes = [str(s) for s in error.detail.get("schemes") or []]
        if error.code in ("scheme_required", "scheme_not_held") and schemes:
            # Several memberships: the form asks which one (buttons; keys on the phone), then
            # files again; the read-back already said yes, so it is not asked twice.
            return [
                SlotSet("claim_scheme_options", schemes),
                SlotSet("claim_scheme", None),
                FollowupAction(self.form),
            ]
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
