"""The texted code: the last step of verification for changes that move money or rights.

A claim, a nominee change or a correction of the record (but for the phone number itself, which
goes through an officer) needs a `strong` session (docs/contracts.md, "Identity levels"):
after the date of birth the backend texts a 6-digit code to the phone registered for the worker,
never to a number the caller gives, and the code typed back upgrades the same token. With
OTP_REQUIRED on, /verify texts it already and every service asks for it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import expect
from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.forms.answers import requested
from actions.forms.failures import DECIDED_FLAG, NOT_CONFIRMED, failure, success
from actions.forms.helper import helper_ready, name_to_send
from actions.helper_client import HelperClient
from actions.inputs import find_otp, is_digression, yes_no
from actions.routing.flow_state import EXPECTING
from actions.routing.services import NEEDS_STRONG
from actions.texts import lang_of, say, yes_no_buttons
from api.domain.corrections import needs_code as correction_needs_code

LEVEL = "verification_level"  # "basic", "strong", or CODE_NEEDED (OTP_REQUIRED, code not typed)
CODE_NEEDED = "code_needed"
STATE = "otp_state"  # None, "sent" or "expired" (the worker is asked whether to send a new one)
LAST2 = "otp_last2"  # the registered phone's last two digits, read out in the question
SLOTS = ("otp_code", LEVEL, STATE, LAST2)


def needs_code(tracker: Tracker, flow: str | None = None) -> bool:
    """Whether the service under way still needs the texted code typed."""
    level = tracker.get_slot(LEVEL)
    if level == "strong":
        return False
    if helper_ready(tracker):  # a helper acts: every check ends with the worker's consent
        return True
    flow = flow or tracker.get_slot("flow")
    if level != CODE_NEEDED and flow == "correction":  # known once the detail is chosen
        field = tracker.get_slot("correction_field")
        return bool(field) and correction_needs_code(str(field))
    return level == CODE_NEEDED or flow in NEEDS_STRONG


def minutes_of(error: BackendError) -> int:
    return max(1, int(error.detail.get("retry_after_s", 1800)) // 60)


def offer_officer(
    dispatcher: CollectingDispatcher, tracker: Tracker, msgid: str, **params: Any
) -> dict[str, Any]:
    """Say why this cannot go on here and ask whether to bring an officer (yes -> hand-over);
    the form ends and the service is dropped (action_after_verify)."""
    lang = lang_of(tracker)
    yes, no = (b["payload"] for b in yes_no_buttons(lang))
    say(dispatcher, lang, msgid, custom=expect.yes_no(yes, no), **params)
    return {DECIDED_FLAG: True, STATE: None, EXPECTING: "start:human"}


def give_up(dispatcher: CollectingDispatcher, tracker: Tracker, msgid: str) -> dict[str, Any]:
    """End the form without the change; `msgid` says what happened and what the worker can do."""
    say(dispatcher, lang_of(tracker), msgid)
    return {DECIDED_FLAG: True, STATE: None, "awaiting_menu": True}


class OtpStep:
    """Mixed into the verification form: sends the code, then takes it back."""

    async def extract_otp_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> dict[str, Any]:
        token = tracker.get_slot("verification_token")
        if not token or not needs_code(tracker):
            return {}
        if requested(tracker) != "otp_code":
            # just verified, or a verified worker chose a change: text the code now
            return await send_code(dispatcher, tracker) if tracker.get_slot(STATE) is None else {}
        if tracker.get_slot(STATE) == "expired":
            answer = yes_no(tracker)
            if answer is True:
                return await send_code(dispatcher, tracker)
            if answer is False:
                return give_up(dispatcher, tracker, "common.anything_else")
        code = find_otp(tracker)
        if code is None:
            if is_digression(tracker):
                return {}
            return failure(dispatcher, tracker, "otp_code", "verify.otp_not_understood")
        return await check_code(dispatcher, tracker, str(token), code)


async def send_code(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Text a code; the form's question (verify.otp_sent) then asks for it."""
    lang = lang_of(tracker)
    token = str(tracker.get_slot("verification_token"))
    try:
        if helper_ready(tracker):  # the worker's consent, naming the helper
            last2 = await HelperClient(tracker.sender_id).ask_consent(
                token,
                name_to_send(tracker.get_slot("helper_name")),
                str(tracker.get_slot("helper_relation") or ""),
            )
        else:
            last2 = await BackendClient(tracker.sender_id).send_otp(token)
    except BackendUnavailable:  # it says to try later or say "officer"
        return give_up(dispatcher, tracker, "error.backend_down")
    except BackendError as error:
        if error.code == "rate_limited":  # one was sent a moment ago: ask for that one
            seconds = max(1, int(error.detail.get("retry_after_s", 60)))
            say(dispatcher, lang, "verify.otp_wait", seconds=seconds)
            return {STATE: "sent", "otp_code": None}
        if error.code == "no_registered_phone":
            return offer_officer(dispatcher, tracker, "verify.no_registered_phone")
        if error.code == "locked_out":
            return offer_officer(
                dispatcher, tracker, "verify.locked_officer", minutes=minutes_of(error)
            )
        return expired_session(dispatcher, tracker)
    return {STATE: "sent", LAST2: last2, "otp_code": None}


async def check_code(
    dispatcher: CollectingDispatcher, tracker: Tracker, token: str, code: str
) -> dict[str, Any]:
    try:
        level = await BackendClient(tracker.sender_id).check_otp(token, code)
    except BackendUnavailable:
        return failure(
            dispatcher,
            tracker,
            "otp_code",
            "error.backend_down_retry",
            handover_msgid="handoff.system_still_down",
        )
    except BackendError as error:
        if error.code == "wrong_otp":
            return failure(
                dispatcher, tracker, "otp_code", "verify.wrong_otp", handover_msgid=NOT_CONFIRMED
            )
        if error.code == "otp_expired":  # the question asks whether to send a new one
            return {"otp_code": None, STATE: "expired"}
        if error.code == "locked_out":
            return offer_officer(
                dispatcher, tracker, "verify.locked_officer", minutes=minutes_of(error)
            )
        return expired_session(dispatcher, tracker)
    return success({"otp_code": "checked", LEVEL: level, STATE: None, LAST2: None})


def expired_session(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """The verification itself lapsed: the date of birth is asked again, then a new code."""
    say(dispatcher, lang_of(tracker), "verify.expired")
    return {
        "verification_token": None,
        "date_of_birth": None,
        "otp_code": None,
        LEVEL: None,
        STATE: None,
        LAST2: None,
    }
