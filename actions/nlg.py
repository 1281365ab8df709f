"""Texts for `utter_*` responses, served to Rasa by the action server's POST /nlg route.

domain.yml holds no texts: Rasa sends the response name, the tracker (slots, with `language`)
and any arguments; the answer is `{"text", "buttons"}` rendered from the `bot` catalogs.
Form questions read back what was understood (UAN digit by digit, dates in words).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from actions import expect
from actions.forms.helper import has_helper
from actions.render import correction_value_text, documents_text
from actions.texts import label, lang_of, numbered, text, yes_no_buttons
from api.domain.codes import CLAIM_TYPES, CORRECTION_FIELDS, FEEDBACK_CATEGORIES, RELATIONS
from api.domain.corrections import document_groups
from api.domain.helpers import HELPER_RELATIONS
from locales import format_date, format_money, format_number, spell_digits

logger = logging.getLogger(__name__)

Slots = dict[str, Any]
# The conversation's channel (the sender id's prefix: voice, sms, whatsapp, web), given to the
# renderers beside the slots, so a question can say "calling from" rather than "writing from".
SENDER_CHANNEL = "_sender_channel"
Renderer = Callable[[str, Slots], dict[str, Any]]


def _options(codes: tuple[str, ...], kind: str, lang: str) -> str:
    return "\n".join(numbered(i, label(kind, c, lang), lang) for i, c in enumerate(codes, start=1))


def _plain(msgid: str, custom: dict[str, Any] | None = None) -> Renderer:
    def render(lang: str, slots: Slots) -> dict[str, Any]:
        return {"text": text(msgid, lang), **({"custom": custom} if custom else {})}

    return render


def _yes_no(msgid: str, params: Callable[[str, Slots], dict[str, Any]] | None = None) -> Renderer:
    def render(lang: str, slots: Slots) -> dict[str, Any]:
        values = params(lang, slots) if params else {}
        buttons = yes_no_buttons(lang)
        return {
            "text": text(msgid, lang, **values),
            "buttons": buttons,
            "custom": expect.yes_no(buttons[0]["payload"], buttons[1]["payload"]),
        }

    return render


def _with(custom: dict[str, Any], renderer: Renderer) -> Renderer:
    """A renderer whose message also says what it asks for."""
    return lambda lang, slots: {**renderer(lang, slots), "custom": custom}


def _date(value: Any, lang: str) -> str:
    return format_date(str(value), lang) if value else ""


def _ask_uan(lang: str, slots: Slots) -> dict[str, Any]:
    """A caller on keys hears how to type it instead of how to say it (`keyed_text`); on a
    call the question is one sentence (the written form explains where the card shows it)."""
    keyed = expect.keyed_text(text("verify.ask_uan_keyed", lang))
    on_call = slots.get(SENDER_CHANNEL) == "voice"
    words = text("verify.ask_uan_spoken" if on_call else "verify.ask_uan", lang)
    return {"text": words, "custom": {**expect.number("uan"), **keyed}}


def _ask_dob(lang: str, slots: Slots) -> dict[str, Any]:
    """The UAN read back once, in fours as on the card; a UAN typed on keys cannot have been
    misheard, so a channel that took it from keys says `keyed_text` (keypad words) instead.
    On a call the spoken form leaves out the written example date: every second is listened to."""
    uan = spell_digits(slots.get("uan") or "", lang, group=4)
    on_call = slots.get(SENDER_CHANNEL) == "voice"
    return {
        "text": text("verify.ask_dob_spoken" if on_call else "verify.ask_dob", lang, uan=uan),
        "custom": {**expect.number("dob"), **expect.keyed_text(text("verify.ask_dob_keyed", lang))},
    }


def _ask_otp(lang: str, slots: Slots) -> dict[str, Any]:
    if slots.get("otp_state") == "expired":  # "shall I send a new one?"
        return _yes_no("verify.otp_expired")(lang, slots)
    last2 = spell_digits(str(slots.get("otp_last2") or ""), lang)
    if has_helper(slots):  # the worker's consent: the worker reads it to the helper
        name = slots.get("worker_name") or ""
        words = text("helper.ask_code", lang, name=name, last2=last2)
        return {"text": words, "custom": expect.number("otp")}
    return {"text": text("verify.otp_sent", lang, last2=last2), "custom": expect.number("otp")}


def _ask_helper_name(lang: str, slots: Slots) -> dict[str, Any]:
    """On a call a caller on keys hears that keys cannot spell a name, and how to go on."""
    keyed = expect.keyed_text(text("helper.ask_name_keyed", lang))
    return {"text": text("helper.ask_name", lang), "custom": {**expect.free_text(), **keyed}}


def _ask_helper_relation(lang: str, slots: Slots) -> dict[str, Any]:
    """Who the helper is to the worker: numbered, a button each (keys 1-7 on the phone)."""
    return {
        "text": text(
            "helper.ask_relation",
            lang,
            options=_options(HELPER_RELATIONS, "helper_role", lang),
        ),
        "buttons": [
            {"title": label("helper_role", code, lang), "payload": str(number)}
            for number, code in enumerate(HELPER_RELATIONS, start=1)
        ],
        "custom": expect.options(len(HELPER_RELATIONS)),
    }


def _ask_claim_type(lang: str, slots: Slots) -> dict[str, Any]:
    return {"text": text("claim.ask_type", lang, options=_options(CLAIM_TYPES, "claim_type", lang))}


def _ask_claim_date(lang: str, slots: Slots) -> dict[str, Any]:
    kind = label("claim_type", slots.get("claim_type"), lang)
    return {"text": text("claim.ask_date", lang, type=kind)}


def _ask_description(lang: str, slots: Slots) -> dict[str, Any]:
    return {
        "text": text("claim.ask_description", lang, date=_date(slots.get("incident_date"), lang))
    }


def _claim_summary(lang: str, slots: Slots) -> dict[str, Any]:
    return {
        "type": label("claim_type", slots.get("claim_type"), lang),
        "date": _date(slots.get("incident_date"), lang),
        "description": slots.get("incident_description") or "",
        "last4": spell_digits(slots.get("bank_last4") or "", lang),
    }


def _ask_scheme(msgid: str, options_slot: str) -> Renderer:
    """Which membership, from the backend's list: numbered in the text, a button each (on the
    phone a keypad choice), so the worker never says a scheme's code."""

    def render(lang: str, slots: Slots) -> dict[str, Any]:
        options = tuple(str(o) for o in slots.get(options_slot) or ())
        return {
            "text": text(msgid, lang, options=_options(options, "scheme", lang)),
            "buttons": [
                {"title": label("scheme", code, lang), "payload": str(number)}
                for number, code in enumerate(options, start=1)
            ],
        }

    return render


def _ask_income(lang: str, slots: Slots) -> dict[str, Any]:
    age = slots.get("age")
    return {
        "text": text(
            "eligibility.ask_income",
            lang,
            age=format_number(int(age), lang) if age else "",
            example=format_money(10000, lang),
        )
    }


def _ask_relation(lang: str, slots: Slots) -> dict[str, Any]:
    return {
        "text": text(
            "nominee.ask_relation",
            lang,
            name=slots.get("nominee_name") or "",
            options=_options(RELATIONS, "relation", lang),
        )
    }


def _ask_category(lang: str, slots: Slots) -> dict[str, Any]:
    return {
        "text": text(
            "feedback.ask_category",
            lang,
            options=_options(FEEDBACK_CATEGORIES, "feedback_category", lang),
        )
    }


def _ask_feedback_text(lang: str, slots: Slots) -> dict[str, Any]:
    category = label("feedback_category", slots.get("feedback_category"), lang)
    return {"text": text("feedback.ask_text", lang, category=category)}


def _ask_reference(lang: str, slots: Slots) -> dict[str, Any]:
    keyed = expect.keyed_text(text("track.ask_reference_keyed", lang))
    return {
        "text": text("track.ask_reference", lang),
        "custom": {**expect.number("reference"), **keyed},
    }


def _ask_lost_uan_phone(lang: str, slots: Slots) -> dict[str, Any]:
    """The number a text conversation comes from is offered first (yes, or type another)."""
    own = str(slots.get("lost_uan_own") or "")
    if own:
        last2 = spell_digits(own[-2:], lang)
        on_call = slots.get(SENDER_CHANNEL) == "voice"  # "calling from", and the keys follow
        msgid = "lost_uan.ask_own_phone_call" if on_call else "lost_uan.ask_own_phone"
        return _yes_no(msgid, lambda _l, _s: {"last2": last2})(lang, slots)
    keyed = expect.keyed_text(text("lost_uan.ask_phone_keyed", lang))
    return {"text": text("lost_uan.ask_phone", lang), "custom": {**expect.number("phone"), **keyed}}


def _ask_lost_uan_dob(lang: str, slots: Slots) -> dict[str, Any]:
    keyed = expect.keyed_text(text("lost_uan.ask_dob_keyed", lang))
    return {"text": text("lost_uan.ask_dob", lang), "custom": {**expect.number("dob"), **keyed}}


def _ask_correction_field(lang: str, slots: Slots) -> dict[str, Any]:
    options = _options(CORRECTION_FIELDS, "correction_field", lang)
    return {"text": text("correction.ask_field", lang, options=options)}


# What each detail's new value is asked as: words, or a number the keypad can take.
_VALUE_EXPECTS: dict[str, dict[str, Any]] = {
    "name": expect.free_text(),
    "date_of_birth": expect.number("dob"),
    "bank_account": expect.number("account"),
    "phone": expect.number("phone"),
    "address": expect.free_text(),
}


def _ask_correction_value(lang: str, slots: Slots) -> dict[str, Any]:
    field = str(slots.get("correction_field") or "name")
    custom = dict(_VALUE_EXPECTS.get(field, expect.free_text()))
    if custom["expect"]["kind"] == "number":
        custom |= expect.keyed_text(text(f"correction.ask_value_keyed.{field}", lang))
    return {"text": text(f"correction.ask_value.{field}", lang), "custom": custom}


def _correction_summary(lang: str, slots: Slots) -> dict[str, Any]:
    field = str(slots.get("correction_field") or "")
    groups = document_groups(field) if field in CORRECTION_FIELDS else []
    return {
        "field": label("correction_field", field, lang),
        "value": correction_value_text(field, slots.get("correction_value"), lang),
        "documents": documents_text(groups, lang),
    }


def _ask_family_dob(lang: str, slots: Slots) -> dict[str, Any]:
    uan = spell_digits(slots.get("uan") or "", lang, group=4)
    return {"text": text("family.ask_dob", lang, uan=uan), "custom": expect.number("dob")}


def _ask_family_nominee(lang: str, slots: Slots) -> dict[str, Any]:
    """On a call the name can only be spoken: the question says so, and what key brings an
    officer's call-back instead (actions/forms/family.offer_call_back)."""
    on_call = slots.get(SENDER_CHANNEL) == "voice"
    words = text("family.ask_nominee_spoken" if on_call else "family.ask_nominee", lang)
    return {"text": words, "custom": expect.free_text()}


def _ask_family_code(lang: str, slots: Slots) -> dict[str, Any]:
    last2 = spell_digits(str(slots.get("family_last2") or ""), lang)
    return {"text": text("family.otp_sent", lang, last2=last2), "custom": expect.number("otp")}


def _ask_family_type(lang: str, slots: Slots) -> dict[str, Any]:
    """The family claims the backend allows for this worker, numbered, a button each."""
    options = tuple(str(o) for o in slots.get("family_types") or ())
    return {
        "text": text("family.ask_type", lang, options=_options(options, "claim_type", lang)),
        "buttons": [
            {"title": label("claim_type", code, lang), "payload": str(number)}
            for number, code in enumerate(options, start=1)
        ],
        "custom": expect.options(len(options)),
    }


def _family_summary(lang: str, slots: Slots) -> dict[str, Any]:
    return {
        "type": label("claim_type", slots.get("family_claim_type"), lang),
        "date": _date(slots.get("incident_date"), lang),
        "last4": spell_digits(slots.get("bank_last4") or "", lang),
    }


FAMILY_RESPONSES: dict[str, Renderer] = {
    "utter_ask_family_form_uan": _plain("family.ask_uan", expect.number("uan")),
    "utter_ask_family_form_date_of_birth": _ask_family_dob,
    "utter_ask_family_form_family_phone": _plain("family.ask_phone", expect.number("phone")),
    "utter_ask_family_form_family_nominee": _ask_family_nominee,
    "utter_ask_family_form_otp_code": _ask_family_code,
    "utter_ask_family_form_family_claim_type": _ask_family_type,
    "utter_ask_family_form_incident_date": _plain("family.ask_date", expect.number("date")),
    "utter_ask_family_form_bank_last4": _plain("family.ask_last4", expect.number("last4")),
    "utter_ask_family_form_family_confirmed": _yes_no("family.confirm", _family_summary),
}

RESPONSES: dict[str, Renderer] = {
    **FAMILY_RESPONSES,
    "utter_ask_verify_form_uan": _ask_uan,
    "utter_ask_verify_form_date_of_birth": _ask_dob,
    "utter_ask_verify_form_otp_code": _ask_otp,
    "utter_ask_verify_form_helper_name": _ask_helper_name,
    "utter_ask_verify_form_helper_relation": _ask_helper_relation,
    "utter_ask_claim_form_claim_type": _with(expect.options(len(CLAIM_TYPES)), _ask_claim_type),
    "utter_ask_claim_form_incident_date": _with(expect.number("date"), _ask_claim_date),
    "utter_ask_claim_form_incident_description": _with(expect.free_text(), _ask_description),
    "utter_ask_claim_form_bank_last4": _plain("claim.ask_last4", expect.number("last4")),
    "utter_ask_claim_form_claim_confirmed": _yes_no("claim.confirm", _claim_summary),
    "utter_ask_claim_form_claim_scheme": _ask_scheme("claim.ask_scheme", "claim_scheme_options"),
    "utter_ask_eligibility_form_age": _plain("eligibility.ask_age", expect.number("age")),
    "utter_ask_eligibility_form_monthly_income": _with(expect.number("income"), _ask_income),
    "utter_ask_eligibility_form_epf_member": _yes_no("eligibility.ask_epf"),
    "utter_ask_eligibility_form_nps_member": _yes_no("eligibility.ask_nps"),
    "utter_ask_eligibility_form_esic_member": _yes_no("eligibility.ask_esic"),
    "utter_ask_eligibility_form_income_tax_payer": _yes_no("eligibility.ask_income_tax"),
    "utter_ask_nominee_form_nominee_name": _plain("nominee.ask_name", expect.free_text()),
    "utter_ask_nominee_form_nominee_relation": _with(expect.options(len(RELATIONS)), _ask_relation),
    "utter_ask_nominee_form_nominee_confirmed": _yes_no(
        "nominee.confirm",
        lambda lang, s: {
            "name": s.get("nominee_name") or "",
            "relation": label("relation", s.get("nominee_relation"), lang),
        },
    ),
    "utter_ask_feedback_form_feedback_category": _with(
        expect.options(len(FEEDBACK_CATEGORIES)), _ask_category
    ),
    "utter_ask_feedback_form_feedback_text": _with(expect.free_text(), _ask_feedback_text),
    "utter_ask_feedback_form_feedback_confirmed": _yes_no(
        "feedback.confirm",
        lambda lang, s: {
            "category": label("feedback_category", s.get("feedback_category"), lang),
            "text": s.get("feedback_text") or "",
        },
    ),
    "utter_ask_renewal_form_renewal_scheme": _ask_scheme("renewal.ask_scheme", "renewal_options"),
    "utter_ask_renewal_form_renewal_confirmed": _yes_no(
        "renewal.confirm",
        lambda lang, s: {"scheme": label("scheme", s.get("renewal_scheme"), lang)},
    ),
    "utter_ask_pension_form_pension_restart_confirmed": _yes_no("pension.confirm_restart"),
    "utter_ask_track_form_track_reference": _ask_reference,
    "utter_ask_lost_uan_form_lost_uan_phone": _ask_lost_uan_phone,
    "utter_ask_lost_uan_form_lost_uan_dob": _ask_lost_uan_dob,
    "utter_ask_correction_form_correction_field": _with(
        expect.options(len(CORRECTION_FIELDS)), _ask_correction_field
    ),
    "utter_ask_correction_form_otp_code": _ask_otp,
    "utter_ask_correction_form_correction_value": _ask_correction_value,
    "utter_ask_correction_form_correction_confirmed": _yes_no(
        "correction.confirm", _correction_summary
    ),
    # Rasa's built-in responses
    "utter_default": _plain("fallback.out_of_scope"),
    "utter_ask_rephrase": _plain("fallback.rephrase"),
}


def render(response: str, slots: Slots, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    """The message for `response` in the conversation's language; never raises to Rasa."""
    lang = lang_of(slots)
    renderer = RESPONSES.get(response)
    if renderer is None:
        logger.error("NLG: no text for response %r", response)
        renderer = _plain("fallback.out_of_scope")
    merged = {**slots, **(arguments or {})}
    message = renderer(lang, merged)
    message.setdefault("buttons", [])
    return message


def render_nlg_request(body: dict[str, Any]) -> dict[str, Any]:
    """Rasa's NLG request (`response`, `arguments`, `tracker`, `channel`) -> response JSON."""
    tracker = body.get("tracker") or {}
    slots = dict(tracker.get("slots") or {})
    channel = str(tracker.get("sender_id") or "").partition(":")[0]
    arguments = {**(body.get("arguments") or {}), SENDER_CHANNEL: channel}
    return render(str(body.get("response") or ""), slots, arguments)
