"""The services the assistant offers, as tables: which intent starts each, whether it needs a
verified worker, which form asks its questions and which slots hold its answers.

Kept apart from the code that uses them so adding a service starts with one readable list.
"""

from __future__ import annotations

from actions.texts import MENU_FLOWS
from api.domain.eligibility import QUESTIONS

FLOW_BY_INTENT = {
    "check_status": "status",
    "renew_registration": "renewal",
    "file_claim": "claim",
    "check_eligibility": "eligibility",
    "update_nominee": "nominee",
    "pension_issue": "pension",
    "register": "register",
    "give_feedback": "feedback",
    "erase_data": "erasure",  # "delete what I said": only the worker's own conversations
    "lost_uan": "lost_uan",  # the UAN texted to the registered phone, never said
    "correct_record": "correction",  # "my record is wrong": decided by an officer
    "notification_settings": "notify",  # decision calls, reminders (actions/notify_settings.py)
}
NEEDS_VERIFICATION = frozenset(
    {
        "status",
        "payment",  # "has my money come?": the worker's own claim (actions/payment.py)
        "renewal",
        "claim",
        "nominee",
        "pension",
        "erasure",
        "correction",
        "notify",
        "helper",  # a helper acting for the worker passes the worker's check (forms.helper)
    }
)
# Changes that move money or rights also need the code texted to the registered phone (a
# correction too, once its detail is known and unless it is the phone number: forms.otp).
NEEDS_STRONG = frozenset({"claim", "nominee", "helper"})  # helper: the code is the consent
FORM_OF_FLOW = {
    "renewal": "renewal_form",
    "claim": "claim_form",
    "eligibility": "eligibility_form",
    "nominee": "nominee_form",
    "pension": "pension_form",
    "feedback": "feedback_form",
    "track": "track_form",
    "lost_uan": "lost_uan_form",
    "correction": "correction_form",
    "family": "family_form",  # a family member files for a worker who died (no worker check)
}
FLOW_SLOTS = {
    "claim": (
        "claim_type",
        "incident_date",
        "incident_description",
        "bank_last4",
        "claim_confirmed",
        "claim_scheme",
        "claim_scheme_options",
    ),
    "eligibility": QUESTIONS,  # the order the backend asks them in
    "nominee": ("nominee_name", "nominee_relation", "nominee_confirmed"),
    "feedback": ("feedback_category", "feedback_text", "feedback_confirmed"),
    "renewal": ("renewal_scheme", "renewal_options", "renewal_confirmed"),
    "pension": ("pension_restart_confirmed",),
    "track": ("track_reference",),
    "lost_uan": ("lost_uan_phone", "lost_uan_dob", "lost_uan_own"),
    "correction": ("correction_field", "correction_value", "correction_confirmed"),
    # the family session (family_token) outlives the flow, for "what happened to REF"
    "helper": ("helper_name", "helper_relation"),
    "family": (
        *("uan", "date_of_birth", "family_phone", "family_nominee", "family_claim_type"),
        *("family_types", "family_last2", "incident_date", "bank_last4", "family_confirmed"),
    ),
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
# What a phone keypad key chose (message metadata `menu_choice`, docs/contracts.md "Phone
# keypad"): the service starts whatever the NLU made of the words sent with it.
INTENT_BY_CHOICE = {
    **{flow: intent for intent, flow in FLOW_BY_INTENT.items()},
    "track": "check_status",  # with the choice itself the router starts the `track` flow
    "family": "file_claim",  # the router starts the family flow (routing.family_start)
    "scheme": "ask_scheme_info",
    "human": "talk_to_human",
}
