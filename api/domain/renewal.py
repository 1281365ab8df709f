"""Who can renew a scheme membership, and what happens after the request."""

from __future__ import annotations

from datetime import date, timedelta

RENEWAL_WINDOW = timedelta(days=60)
RENEWABLE_SCHEMES = ("bocw_welfare", "state_social_security", "wbtwsss")
NEXT_STEPS = ["keep_documents_ready", "officer_review", "sms_on_decision"]


def is_renewable(
    *, scheme: str, status: str, valid_until: date | None, renewable_flag: bool, today: date
) -> bool:
    """Lapsed memberships the board allows to renew, or active ones expiring within 60 days.

    e-Shram and PM-SYM have no periodic renewal, so they are never renewable here.
    """
    if scheme not in RENEWABLE_SCHEMES:
        return False
    if status == "lapsed":
        return renewable_flag
    if status == "active" and valid_until is not None:
        return valid_until - today <= RENEWAL_WINDOW
    return False


def next_steps() -> list[str]:
    return list(NEXT_STEPS)
