"""'Has my money come?' answered from the verified worker's own record (`payment` of /me/status).

Why its own answer and not the whole status: the worker asks about one thing, money, and needs
the date it was sent and the account it went to (last 4 digits only) to ask their bank, or the
date the office owes it by. When it was sent or is late, an officer is offered, and the reply
that offers it starts the step that takes the yes or no (expecting `start:human:`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import expect
from actions.backend_client import Status
from actions.render import pension_lines
from actions.routing.flow_state import EXPECTING, finish_flow
from actions.texts import label, lang_of, say, text, yes_no_buttons
from locales import format_date, format_money, spell_digits


def _account(payment: dict[str, Any], lang: str) -> str:
    last4 = payment.get("account_last4")
    if last4:
        return text("payment.account_ending", lang, last4=spell_digits(str(last4), lang))
    return text("payment.account", lang)


def payment_lines(status: Status, lang: str) -> tuple[list[str], bool]:
    """(what to say, whether to offer an officer): paid or late money needs someone to trace it."""
    payment = status.payment
    if not payment:
        if status.pension:  # no claim, but a pension: when it was last paid
            return pension_lines(status.pension, lang), False
        return [text("payment.none", lang)], False
    state = str(payment.get("state") or "")
    params = {
        "type": label("claim_type", payment.get("claim_type"), lang),
        "reference": payment.get("reference", ""),
        "status": label("status", state, lang),
    }
    due = payment.get("expected_by")
    date = format_date(due, lang) if due else ""
    amount = format_money(payment.get("amount") or 0, lang)
    late = bool(payment.get("overdue"))
    if state == "paid":
        paid = format_date(payment["paid_on"], lang) if payment.get("paid_on") else ""
        account = _account(payment, lang)
        lines = [text("payment.paid", lang, amount=amount, date=paid, account=account, **params)]
        return [*lines, text("payment.ask_bank", lang)], True
    if state == "approved":
        account = _account(payment, lang)
        msg = text("payment.approved", lang, amount=amount, date=date, account=account, **params)
        lines = [msg]
    else:  # still being decided (by when), or rejected or withdrawn (nothing is owed on it)
        lines = [text("payment.deciding" if due else "payment.closed", lang, date=date, **params)]
        step = _next_step(status, str(params["reference"]))
        if step and step != "none":
            lines.append(text("status.next_step", lang, step=label("step", step, lang)))
    if late:
        lines.append(text("payment.late", lang))
    return lines, late


def _next_step(status: Status, reference: str) -> str | None:
    for claim in status.claims:
        if claim.get("reference") == reference:
            return str(claim.get("next_step") or "") or None
    return None


def say_payment(
    dispatcher: CollectingDispatcher, tracker: Tracker, status: Status
) -> list[EventType]:
    """The worker's own money, then an officer offered (paid or late) or "anything else?"."""
    lang = lang_of(tracker)
    lines, offer_officer = payment_lines(status, lang)
    dispatcher.utter_message(text="\n".join(lines))
    done = [*finish_flow("payment"), SlotSet("awaiting_menu", True)]
    if not offer_officer:
        say(dispatcher, lang, "common.anything_else")
        return done
    yes, no = (b["payload"] for b in yes_no_buttons(lang))
    say(dispatcher, lang, "handoff.offer", custom=expect.yes_no(yes, no))
    return [*done, SlotSet(EXPECTING, "start:human:")]
