"""Claim rules: which fields and documents each claim type needs, and what counts as a duplicate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from api.domain.codes import CLAIM_TYPES

__all__ = ["CLAIM_TYPES"]

# Every type needs these; the incident date means the date of the event (death, accident,
# admission, delivery, school admission, turning 60).
REQUIRED_FIELDS = ("claim_type", "incident_date", "description", "bank_account_last4")
REQUIRED_FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {t: REQUIRED_FIELDS for t in CLAIM_TYPES}

# Documents the office needs, as codes rendered by adapters (doc.<code>).
DOCUMENTS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "accident_death": (
        "death_certificate",
        "fir_copy",
        "post_mortem_report",
        "nominee_bank_passbook",
    ),
    "accident_disability": (
        "disability_certificate",
        "hospital_discharge_certificate",
        "fir_copy",
        "bank_passbook",
    ),
    "death_funeral": ("death_certificate", "nominee_bank_passbook"),
    "medical": ("hospital_discharge_certificate", "medical_bills", "bank_passbook"),
    "maternity": ("birth_certificate", "hospital_discharge_certificate", "bank_passbook"),
    "education": ("school_admission_proof", "bank_passbook"),
    "pension": ("age_proof", "life_certificate", "bank_passbook"),
    "family_pension": ("death_certificate", "relationship_proof", "nominee_bank_passbook"),
}

# Statuses of a claim still being processed; a second claim for the same event is a duplicate.
OPEN_STATUSES = ("submitted", "under_review", "documents_pending", "approved")
CLOSED_STATUSES = ("paid", "rejected", "withdrawn")
NEXT_STEP_BY_STATUS = {
    "submitted": "wait_for_review",
    "under_review": "wait_for_review",
    "documents_pending": "submit_pending_documents",
    "approved": "wait_for_payment",
    "paid": "none",
    "rejected": "contact_office",
    "withdrawn": "none",
}


def documents_required(claim_type: str) -> list[str]:
    return list(DOCUMENTS_BY_TYPE[claim_type])


def missing_fields(claim_type: str | None, values: Mapping[str, object]) -> list[str]:
    """Required fields that are absent or blank, in asking order."""
    fields = REQUIRED_FIELDS_BY_TYPE.get(claim_type or "", REQUIRED_FIELDS)
    return [f for f in fields if values.get(f) in (None, "")]


def incident_date_problem(
    incident: date, today: date, deadline: timedelta | None = None
) -> str | None:
    """Why an incident date cannot be accepted (None when fine).

    No scheme in the domain notes states a claim deadline, so there is none unless a deployment
    sets one from its board's notice (settings CLAIM_DEADLINE_DAYS with its source).
    """
    if incident > today:
        return "incident_date_in_future"
    if deadline is not None and today - incident > deadline:
        return "incident_date_too_old"
    return None


def is_duplicate(
    new_type: str, new_incident: date, existing: Sequence[tuple[str, date | None, str]]
) -> int | None:
    """Index of an open claim (type, incident_date, status) for the same event, else None."""
    for i, (ctype, incident, status) in enumerate(existing):
        if ctype == new_type and incident == new_incident and status in OPEN_STATUSES:
            return i
    return None


def next_step(status: str, documents_pending: list[str]) -> str:
    if documents_pending and status in OPEN_STATUSES:
        return "submit_pending_documents"
    return NEXT_STEP_BY_STATUS.get(status, "contact_office")


# Welfare boards pay the claims the helpline files; e-Shram (a registration) and PM-SYM (a
# contributory pension) carry none (api/data/schemes.yaml, kind: welfare).
CLAIM_SCHEMES = ("bocw_welfare", "state_social_security", "wbtwsss")


def claim_schemes(memberships: Sequence[tuple[str, str, date | None]], today: date) -> list[str]:
    """The worker's memberships (scheme, status, valid_until) a claim can be filed under, in
    their order: a welfare membership that is active and not past its validity."""
    found: list[str] = []
    for scheme, status, valid_until in memberships:
        if scheme not in CLAIM_SCHEMES or status != "active" or scheme in found:
            continue
        if valid_until is not None and valid_until < today:
            continue
        found.append(scheme)
    return found


def choose_scheme(wanted: str | None, held: Sequence[str]) -> tuple[str | None, str | None]:
    """(scheme, refusal): the scheme a claim is filed under, or why one must be given.

    No claim-carrying membership files with none (the office decides, as before schemes were
    recorded); exactly one is used when none is named; two or more need the worker's choice."""
    if wanted:
        return (wanted, None) if wanted in held else (None, "scheme_not_held")
    if len(held) > 1:
        return None, "scheme_required"
    return (held[0] if held else None), None
