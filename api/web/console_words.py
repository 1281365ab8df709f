"""Which catalog messages the officers' console carries (api/web/routes/console.py).

`FIXED` are written into the HTML shell (`$key` with dots as underscores); `WORDS` only the
scripts use; both are `console.<key>` in locales/<lang>/LC_MESSAGES/console.po, and the page's
words table has them without the prefix. `SHARED` are other catalogs' labels of the code lists
(kinds, rejection reasons, documents, claim types, schemes, feedback categories), under their own
ids. Keys made from a code list follow it, so a new status or move needs words before it shows.
"""

from __future__ import annotations

from api.domain import casework
from api.domain.claims import DOCUMENTS_BY_TYPE
from api.domain.codes import (
    CLAIM_TYPES,
    CORRECTION_FIELDS,
    FEEDBACK_CATEGORIES,
    HANDOFF_REASONS,
    SCHEMES,
    Channel,
)
from api.domain.corrections import CORRECTION_DOCUMENTS
from api.domain.helpers import HELPER_RELATIONS
from locales import LANGUAGES


def _each(prefix: str, codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(f"{prefix}.{code}" for code in codes)


FIXED: tuple[str, ...] = (
    *("title", "skip", "language_label", "logout", "views_label"),
    *_each("view", ("handoffs", "cases", "dashboard", "officers", "security")),
    *("login_heading", "username", "password", "totp_code", "login"),
    # hand-overs
    *("queue_heading", "filter_label", "language_filter", "all_languages", "refresh"),
    *_each("status", ("open", "assigned", "closed")),
    *_each("col", ("reference", "status", "channel", "language", "reason", "worker", "since")),
    *_each("col", ("officer", "action", "district", "scheme", "filed", "due")),
    *("back", "transcript", "reply_label", "send_reply", "close"),
    # cases
    *("cases_heading", "kinds_label", "district_filter", "apply_filters"),
    *("previous_page", "next_page", "back_to_cases"),
    *("callback_heading", "call_button", "call_hint", "callback_note", "outcomes_label"),
    *("decide_heading", "cancel", "request_heading", "worker_heading", "timeline_heading"),
    "linked_heading",
    # dashboard
    *("dashboard_heading", "period_label", "csv_export", "conversations_heading"),
    *_each("period", ("7", "30", "90")),
    *_each("col", ("conversations", "handed_over", "without_person")),
    # officer accounts
    *("officers_heading", "add_officer", "username_hint", "password_hint", "phone_hint"),
    *_each("col", ("username", "name", "role", "languages", "phone", "state")),
    *_each("role", ("officer", "supervisor")),
    # an officer's own second factor
    *("security_heading", "totp_intro", "totp_start", "totp_scan", "totp_secret_label"),
    *("totp_link", "totp_first_code", "totp_confirm", "totp_current_code", "totp_turn_off"),
)

_CASE_FIELDS = (
    *("claim_type", "incident_date", "description", "bank_account", "submitted_on"),
    *("amount_claimed", "amount_approved", "amount_paid", "paid_on", "documents", "scheme"),
    *("member_id", "membership_status", "valid_until", "monthly_amount", "pension_status"),
    *("stop_reason", "stopped_on", "restarted_on", "worker_note", "category", "text"),
    *("anonymous", "source", "reason", "name", "uan", "phone", "aadhaar", "district", "state"),
    *("occupation", "preferred_language", "notify_by_call", "amount", "note"),
    *("note_for_worker", "value"),
    *("field", "current", "requested", "address", "applied_at", "documents_needed"),
    "filed_by_helper",  # a helper acted for the worker, with consent (docs/contracts.md)
)
_MOVES = tuple(dict.fromkeys(rule.target for rules in casework.RULES.values() for rule in rules))
CALLBACK_SOURCES = (
    *("missed_call", "ivr", "notice", "handoff", "queue", "web", "sms", "whatsapp", "voice"),
)

WORDS: tuple[str, ...] = (
    *("signed_in", "login_failed", "locked_out", "session_expired", "failed", "forbidden"),
    # hand-overs
    *("count", "no_tickets", "open_ticket", "verified", "not_verified"),
    *_each("channel", tuple(Channel)),
    *_each("language", LANGUAGES),
    *_each("reason", HANDOFF_REASONS),
    *("ticket_heading", "handled_by"),
    *_each("sender", ("user", "bot", "staff")),
    *_each("delivery", ("sms", "whatsapp", "web", "voice")),
    *("reply_sent", "empty_reply", "close_confirm", "closed_note", "closed_by_other", "not_found"),
    # the work queues
    *_each("kind_tab", casework.KINDS),
    *_each("case_status", casework.ALL_STATUSES),
    *("open_count", "all_open", "status_count", "no_cases", "range", "overdue", "open_case"),
    # one case
    *("case_heading", "filed_at", "due_on", "overdue_long", "no_worker", "yes", "no"),
    *_each("field", _CASE_FIELDS),
    *_each("doc_status", ("pending", "received")),
    *_each("membership", ("active", "lapsed", "closed", "stopped")),
    *_each("source", CALLBACK_SOURCES),
    *("opened", "moved", "noted", "paid_on_day", "by_staff", "no_linked"),
    *_each("event", ("call_placed", *casework.CALL_OUTCOMES)),
    *_each("role", ("worker", "system")),
    *("helper_named", "helper_unnamed"),
    *_each("helper_relation", HELPER_RELATIONS),
    # deciding
    *_each("move", _MOVES),
    *("no_moves", "case_closed", "confirm_move", "choose_reason", "decided"),
    *("stale", "invalid_transition"),
    *_each("hint", ("amount_max", "amount_paid", "paid_on", "reason", "note_sent")),
    "hint.note_internal",
    *_each("error", ("missing_field", "invalid_input", "invalid_date", "maximum")),
    # call-backs
    *_each("outcome", casework.CALL_OUTCOMES),
    *("attempts", "last_outcome", "call_placed", "outcome_saved"),
    *("no_officer_phone", "call_failed"),
    # dashboard
    *_each("chart", ("kind", "status", "district", "scheme", "language")),
    *_each("figure", ("open", "past_due", "callbacks_waiting", "oldest", "without_person")),
    "figure.outbox_failed",
    *("days", "none", "updated_at", "not_counted", "no_conversations"),
    # officer accounts
    *("active", "disabled", "disable", "reset_password", "disable_confirm", "officer_disabled"),
    *("new_password", "save", "password_reset", "officer_added"),
    *_each("officer_error", ("username", "password", "languages", "phone", "role", "other")),
    # second factor (TOTP): an officer's own, a supervisor's reset
    *("totp_on", "totp_off", "totp_enabled_note", "totp_disabled_note", "totp_wrong_code"),
    *("totp_wrong_password", "totp_expired", "reset_totp", "reset_totp_confirm"),
    "totp_reset_done",
)

_DOCUMENTS = tuple(
    dict.fromkeys(
        [*(code for codes in DOCUMENTS_BY_TYPE.values() for code in codes), *CORRECTION_DOCUMENTS]
    )
)
SHARED: tuple[str, ...] = (
    *_each("casework.kind", casework.KINDS),
    *_each("reason", casework.ALL_REJECTION_REASONS),
    *_each("doc", _DOCUMENTS),
    *_each("claim_type", CLAIM_TYPES),
    *_each("scheme", SCHEMES),
    *_each("feedback_category", FEEDBACK_CATEGORIES),
    *_each("correction_field", CORRECTION_FIELDS),
)
