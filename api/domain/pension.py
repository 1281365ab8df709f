"""Why a pension stops and what the pensioner must do to restart it."""

from __future__ import annotations

STOP_REASONS = (
    "life_certificate_not_submitted",
    "bank_account_closed",
    "death_reported",
    "aadhaar_not_seeded",
    "other",
)

RESTART_STEPS: dict[str, list[str]] = {
    "life_certificate_not_submitted": ["submit_life_certificate", "pension_restarts_when_checked"],
    "bank_account_closed": ["open_or_update_bank_account", "submit_bank_passbook_copy"],
    "death_reported": ["visit_office_in_person_with_aadhaar", "officer_corrects_record"],
    "aadhaar_not_seeded": ["seed_aadhaar_with_bank", "submit_bank_passbook_copy"],
    "other": ["talk_to_officer"],
}


def restart_steps(status: str, stop_reason: str | None) -> list[str]:
    """Steps to restart a stopped pension; nothing to do for an active one."""
    if status != "stopped":
        return []
    return list(RESTART_STEPS.get(stop_reason or "other", RESTART_STEPS["other"]))


def can_request_restart(status: str) -> bool:
    return status == "stopped"
