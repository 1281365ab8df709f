"""Fill the passages' placeholders from their single sources, in each language.

Why: a claim's documents come from api/domain/claims.py, the steps that restart a pension from
api/domain/pension.py, office hours from the settings, the days an officer has to decide from the
casework targets (CASE_DUE_DAYS, PAYMENT_DUE_DAYS: what the officers' queue counts as overdue),
a district office from api/data/offices.yaml and a step's usual duration from a setting the
office controls; copied into the text, they would drift from what the rest of the helpline says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from api.domain.claims import DOCUMENTS_BY_TYPE
from api.domain.pension import RESTART_STEPS
from api.knowledge.offices import load_offices
from api.knowledge.passages import LANGUAGES, Passage

_BABEL_LOCALE = {"bn": "bn_IN", "hi": "hi_IN", "en": "en_IN"}


@dataclass(frozen=True)
class Context:
    """What the placeholders are filled with; hashable, so rendered passages can be cached."""

    office_hours: str = "09:00-18:00"
    office_days: str = "0,1,2,3,4,5"
    usual_days: tuple[tuple[str, int], ...] = ()
    decision_days: tuple[tuple[str, int], ...] = (("claim", 30), ("renewal", 15), ("restart", 15))
    payment_days: int = 15


def context_from_settings() -> Context:
    from api.settings import get_settings

    settings = get_settings()
    return Context(
        office_hours=settings.office_hours,
        office_days=settings.office_days,
        usual_days=tuple(sorted((str(k), int(v)) for k, v in settings.kb_usual_days.items())),
        decision_days=tuple(sorted((str(k), int(v)) for k, v in settings.case_due_days.items())),
        payment_days=settings.payment_due_days,
    )


def _days_text(days: str, lang: str) -> str:
    """'Monday to Saturday' for a run of days, else the days listed (names from Babel)."""
    from babel.dates import get_day_names

    from locales import translate

    names = get_day_names("wide", locale=_BABEL_LOCALE[lang])
    chosen = sorted({int(d) for d in days.split(",") if d.strip()} & set(range(7)))
    if not chosen:
        return ""
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return translate("kb.day_range", lang, first=names[chosen[0]], last=names[chosen[-1]])
    return ", ".join(names[d] for d in chosen)


def _values(passage: Passage, context: Context, lang: str) -> dict[str, str]:
    from api.domain.casework import DEFAULT_DUE_DAYS
    from locales import format_number, localise_digits, translate

    start, _, end = context.office_hours.partition("-")
    values = {
        "hours_start": localise_digits(start.strip(), lang),
        "hours_end": localise_digits(end.strip(), lang),
        "days": _days_text(context.office_days, lang),
        "documents": "",
        "restart_steps": "",
        "decision_days": "",
        "payment_days": format_number(context.payment_days, lang),
        "office_address": "",
        "office_start": "",
        "office_end": "",
        "office_days": "",
    }
    if passage.decision:
        days = dict(context.decision_days).get(passage.decision, DEFAULT_DUE_DAYS)
        values["decision_days"] = format_number(days, lang)
    if passage.office:
        office = load_offices()[passage.office]
        opens, _, closes = office.hours.partition("-")
        values["office_address"] = office.address[lang]
        values["office_start"] = localise_digits(opens, lang)
        values["office_end"] = localise_digits(closes, lang)
        values["office_days"] = _days_text(office.days, lang)
    if passage.claim_type:
        docs = DOCUMENTS_BY_TYPE[passage.claim_type]
        values["documents"] = ", ".join(translate(f"doc.{code}", lang) for code in docs)
    if passage.stop_reason:
        steps = RESTART_STEPS[passage.stop_reason]
        values["restart_steps"] = " ".join(translate(f"step.{code}", lang) for code in steps)
    return values


def render(passage: Passage, context: Context) -> Passage:
    """The passage as a worker hears it: placeholders filled, the usual duration when set."""
    from locales import format_number

    usual = dict(context.usual_days)
    texts = {}
    for lang in LANGUAGES:
        text = passage.text[lang].format(**_values(passage, context, lang))
        if passage.usual is not None and passage.usual.key in usual:
            days = format_number(usual[passage.usual.key], lang)
            text = f"{text} {passage.usual.text[lang].format(days=days)}"
        texts[lang] = text
    return replace(passage, text=texts)
