"""Turn backend answers (status, pension, eligibility, claims) into plain sentences.

Codes from the backend (`scheme`, `status`, `doc`, `step`, `reason`, `rule`, `claim_type`) are
looked up in the catalogs; money and dates go through the locale formatters.
"""

from __future__ import annotations

from typing import Any

from actions.backend_client import Eligibility, Status
from actions.texts import label, numbered, text
from api.domain.casework import CaseKind, is_open
from locales import format_date, format_money, format_number, spell_digits


def _join(codes: list[str], kind: str, lang: str) -> str:
    return text("common.list_separator", lang).join(label(kind, c, lang) for c in codes)


def steps_text(codes: list[str], kind: str, lang: str) -> str:
    """Numbered lines: easy to follow when read out on the phone."""
    return "\n".join(numbered(i, label(kind, c, lang), lang) for i, c in enumerate(codes, start=1))


def enrollment_lines(status: Status, lang: str) -> list[str]:
    lines = []
    for e in status.enrollments:
        params = {
            "scheme": label("scheme", e.get("scheme"), lang),
            "status": label("status", e.get("status"), lang),
        }
        if e.get("valid_until"):
            ended = e.get("status") == "lapsed"
            lines.append(
                text(
                    "status.enrollment_line_ended" if ended else "status.enrollment_line_until",
                    lang,
                    until=format_date(e["valid_until"], lang),
                    **params,
                )
            )
        else:
            lines.append(text("status.enrollment_line", lang, **params))
        if e.get("renewable"):
            lines.append(text("status.enrollment_renewable", lang))
    return lines


def claim_lines(claim: dict[str, Any], lang: str, *, spoken: bool = False) -> list[str]:
    """`spoken`: without the date it was sent (a listener wants where it is, not when)."""
    params = {
        "type": label("claim_type", claim.get("type"), lang),
        "reference": claim.get("reference", ""),
        "status": label("status", claim.get("status"), lang),
    }
    if spoken:
        lines = [text("status.claim_line_spoken", lang, **params)]
    else:
        sent = claim.get("submitted_on")
        date = format_date(sent, lang) if sent else ""
        lines = [text("status.claim_line", lang, date=date, **params)]
    if claim.get("amount_paid") and claim.get("paid_on"):
        lines.append(
            text(
                "status.claim_paid",
                lang,
                amount=format_money(claim["amount_paid"], lang),
                date=format_date(claim["paid_on"], lang),
            )
        )
    if claim.get("documents_pending"):
        lines.append(
            text(
                "status.claim_documents",
                lang,
                documents=_join(claim["documents_pending"], "doc", lang),
            )
        )
    step = claim.get("next_step")
    if step and step != "none":
        lines.append(text("status.next_step", lang, step=label("step", step, lang)))
    return lines


def pension_lines(pension: dict[str, Any], lang: str) -> list[str]:
    params = {
        "scheme": label("scheme", pension.get("scheme"), lang),
        "amount": format_money(pension.get("monthly_amount") or 0, lang),
    }
    if pension.get("status") == "stopped":
        lines = [
            text(
                "pension.stopped",
                lang,
                date=format_date(pension["stopped_on"], lang) if pension.get("stopped_on") else "",
                reason=label("reason", pension.get("stop_reason"), lang),
                **params,
            )
        ]
        steps = pension.get("restart_steps") or []
        if steps:
            lines.append(text("pension.restart_steps", lang, steps=steps_text(steps, "step", lang)))
        return lines
    last = pension.get("last_paid_on")
    if last:
        return [text("pension.active", lang, date=format_date(last, lang), **params)]
    return [text("pension.active_no_date", lang, **params)]


def status_parts(status: Status, lang: str, name: str, *, spoken: bool = False) -> tuple[str, str]:
    """(the header and the newest open request with its next step, everything else): the
    most relevant first, so a caller on the phone can stop listening after it."""
    opened: list[tuple[str, list[str]]] = []  # (date, lines) of each request still open
    rest: list[str] = []
    for r in status.renewals:
        line = text(
            "status.renewal_line",
            lang,
            scheme=label("scheme", r.get("scheme"), lang),
            reference=r.get("reference", ""),
            status=label("status", r.get("status"), lang),
        )
        if is_open(CaseKind.RENEWAL, str(r.get("status"))):
            opened.append((str(r.get("created_at") or "")[:10], [line]))
        else:
            rest.append(line)
    for claim in status.claims:
        if is_open(CaseKind.CLAIM, str(claim.get("status"))):
            lines = claim_lines(claim, lang, spoken=spoken)
            opened.append((str(claim.get("submitted_on") or "")[:10], lines))
        else:
            rest += claim_lines(claim, lang)
    opened.sort(key=lambda item: item[0], reverse=True)  # stable: the backend's order on a tie
    first = [text("status.header_spoken" if spoken else "status.header", lang, name=name)]
    if opened:
        first += opened[0][1]
    rest = [*(line for _, lines in opened[1:] for line in lines), *rest]
    rest = [*enrollment_lines(status, lang), *rest]
    if status.pension:
        rest += pension_lines(status.pension, lang)
    if not opened:  # nothing waiting: everything is the answer
        first, rest = first + rest, []
    if len(first) == 1:
        first.append(text("status.nothing", lang))
    return "\n".join(first), "\n".join(rest)


def status_text(status: Status, lang: str, name: str) -> str:
    """The whole status, the newest open request first."""
    first, rest = status_parts(status, lang, name)
    return "\n".join(part for part in (first, rest) if part)


def eligibility_text(result: Eligibility, age: int | None, lang: str) -> str:
    if not result.eligible:
        reasons = "\n".join(f"- {label('reason', r, lang)}" for r in result.reasons)
        lines = [text("eligibility.not_eligible", lang, reasons=reasons)]
        if result.alternatives:
            items = "\n".join(f"- {label('alternative', a, lang)}" for a in result.alternatives)
            lines.append(text("eligibility.alternatives", lang, items=items))
        return "\n".join(lines)
    lines = [
        text(
            "eligibility.eligible",
            lang,
            age=format_number(age or 0, lang),
            contribution=format_money(result.monthly_contribution or 0, lang),
            government=format_money(result.government_contribution or 0, lang),
            pension=format_money(result.pension_at_60 or 0, lang),
        )
    ]
    if result.spouse_rules:
        rules = "\n".join(f"- {label('rule', r, lang)}" for r in result.spouse_rules)
        lines.append(text("eligibility.spouse_rules", lang, rules=rules))
    lines.append(text("eligibility.how_to_join", lang))
    return "\n".join(lines)


def documents_text(groups: list[list[str]], lang: str) -> str:
    """The documents a correction needs: any one of each group ("Aadhaar card or birth
    certificate"), the groups joined by commas."""
    said = []
    for group in groups:
        names = [label("doc", code, lang) for code in group]
        words = names[0] if names else ""
        for other in names[1:]:
            words = text("correction.one_of", lang, first=words, second=other)
        said.append(words)
    return ", ".join(said)


def correction_value_text(field: str | None, value: str | None, lang: str) -> str:
    """A corrected value read back: a date in words, a bank account by its last 4 digits only,
    a phone number digit by digit."""
    value = value or ""
    if field == "date_of_birth" and value:
        return format_date(value, lang)
    if field == "bank_account":
        return text("correction.account_ending", lang, last4=spell_digits(value[-4:], lang))
    if field == "phone":
        return spell_digits(value[-10:], lang, group=5)
    return value
