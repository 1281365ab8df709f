"""The renewal form: which membership to renew (asked only when there are several), then yes/no.

The renewable memberships are the backend's answer, put in `renewal_options` by
action_after_verify; the worker picks one of those, never any scheme.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.answers import confirmation, requested
from actions.forms.base import FlowFormValidation
from actions.forms.failures import failure, success
from actions.inputs import is_digression, pick_code


class ValidateRenewalForm(FlowFormValidation):
    def name(self) -> str:
        return "validate_renewal_form"

    async def extract_renewal_scheme(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if requested(tracker) != "renewal_scheme":
            return {}
        options = tuple(str(o) for o in tracker.get_slot("renewal_options") or ())
        code = pick_code(tracker, "scheme", options, "scheme")
        if code:
            return success({"renewal_scheme": code})
        if is_digression(tracker):
            return {}
        return failure(dispatcher, tracker, "renewal_scheme", "renewal.scheme_not_understood")

    async def extract_renewal_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(
            dispatcher, tracker, "renewal_confirmed", corrected=False, second_chance=False
        )
