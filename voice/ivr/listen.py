"""How each kind of question listens (keys, speech hints, patience), and what the keys mean."""

from __future__ import annotations

from api.integrations.twilio.twiml import GatherSpec
from api.language.names import all_names
from api.services.calls import CallRecord
from voice.ivr.screen import lang_of
from voice.texts import text

# Keypad menus, at most four entries a level, most used first (docs/contracts.md, "Phone
# keypad"): key n is entry n; an entry in MENUS opens that level, any other is a service.
MENUS: dict[str, tuple[str, ...]] = {
    "main": ("status", "claim", "renewal", "more"),
    # for whom, before the worker's check texts the worker's phone (a dead worker's family)
    "claim": ("claim_self", "claim_family"),
    "more": ("pension", "complaint", "nominee", "others"),
    "others": ("eligibility", "register", "schemes", "self_service"),
    "schemes": ("scheme_eshram", "scheme_pm_sym", "scheme_bocw", "scheme_wbtwsss"),
    "self_service": ("track", "lost_uan", "correction", "self_service_more"),
    "self_service_more": ("notify_settings", "helper"),
}
MENU_PROMPT = {
    "main": "voice.menu_options",
    "claim": "voice.menu_claim",
    "more": "voice.menu_more",
    "others": "voice.menu_others",
    "schemes": "voice.menu_schemes",
    "self_service": "voice.menu_self_service",
    "self_service_more": "voice.menu_self_service_more",
}
# service -> the assistant's `menu_choice` (its words are the catalog's voice.intent.<service>)
SERVICES = {
    "status": "status",
    "claim_self": "claim",
    "claim_family": "family",  # the family flow (actions/routing/family_start.py)
    "renewal": "renewal",
    "pension": "pension",
    "complaint": "feedback",
    "nominee": "nominee",
    "eligibility": "eligibility",
    "register": "register",
    "scheme_eshram": "scheme",
    "scheme_pm_sym": "scheme",
    "scheme_bocw": "scheme",
    "scheme_wbtwsss": "scheme",
    "track": "track",
    "lost_uan": "lost_uan",
    "correction": "correction",
    "notify_settings": "notify",  # decision calls, reminders (actions/notify_settings.py)
    "helper": "helper",  # someone acts for the worker, with the worker's consent
}
LANGUAGE_KEYS = {"1": "bn", "2": "hi", "3": "en"}
NUMBER_LENGTH = {
    "uan": 12,
    "dob": 8,
    "date": 8,
    "last4": 4,
    "otp": 6,
    "phone": 10,
    "reference": 6,
}
# Typed straight to the assistant: a one-time code or a bank account number is not read back
# aloud, nor kept in the call's transcript.
SECRET_KINDS = frozenset({"otp", "account"})
KEYPAD_HINT = {
    "uan": "voice.keypad_uan",
    "dob": "voice.keypad_dob",
    "date": "voice.keypad_date",
    "last4": "voice.keypad_last4",
    "otp": "voice.keypad_otp",
    "phone": "voice.keypad_phone",
    "reference": "voice.keypad_reference",
    "account": "voice.keypad_account",
    "age": "voice.keypad_number",
    "income": "voice.keypad_number",
}
LOW_CONFIDENCE = 0.35
WAIT_KEYS = GatherSpec(num_digits=1, timeout_s=4)
# Silence after "tell me what you need, or press a key" before the menu is said: long enough to
# start speaking, short enough that a caller waiting for the options is not left in silence.
INVITE_WAIT_S = {False: 3, True: 5}  # by CallRecord.slow


def keypad_hint(kind: str) -> str:
    return KEYPAD_HINT.get(kind, "voice.keypad_number")


def spec_for(call: CallRecord) -> GatherSpec:
    lang = lang_of(call)
    mode = call.mode
    if mode == "language":
        return GatherSpec(num_digits=1, hints=", ".join(all_names()))
    if mode == "officer_wait":  # a short wait: silence dials the officer
        return WAIT_KEYS
    if mode in ("confirm", "callback"):
        return GatherSpec(num_digits=1, hints=text("voice.hints_yes_no", lang))
    if mode == "options":  # a numbered list in the assistant's words: the key is the answer
        count = int(call.mode_data.get("count") or 9)
        return GatherSpec(num_digits=1 if count <= 9 else None, timeout_s=7)
    if mode == "choice":
        titles = [c["title"] for c in call.mode_data.get("choices", [])]
        digits = 1 if len(titles) <= 9 else None
        return GatherSpec(num_digits=digits, hints=", ".join(titles)[:500])
    if mode == "number":
        return GatherSpec(num_digits=None, timeout_s=10)
    if mode == "free":
        return GatherSpec(num_digits=None, timeout_s=7, hints=text("voice.hints_menu", lang))
    if call.mode_data.get("invited"):  # the open question before the menu
        return GatherSpec(
            num_digits=1, timeout_s=INVITE_WAIT_S[call.slow], hints=text("voice.hints_menu", lang)
        )
    return GatherSpec(num_digits=1, hints=text("voice.hints_menu", lang))  # menu
