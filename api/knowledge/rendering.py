"""Fill the passages' placeholders from their single sources, in each language.

Why: a claim's documents come from api/domain/claims.py, the steps that restart a pension from
api/domain/pension.py, office hours from the settings and a step's usual duration from a setting
the office controls; copied into the text, they would drift from what the rest of the helpline
says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from api.domain.claims import DOCUMENTS_BY_TYPE
from api.domain.pension import RESTART_STEPS
from api.knowledge.passages import LANGUAGES, Passage

_BABEL_LOCALE = {"bn": "bn_IN", "hi": "hi_IN", "en": "en_IN"}


@dataclass(frozen=True)
class Context:
    """What the placeholders are filled with; hashable, so rendered passages can be cached."""

    office_hours: str = "09:00-18:00"
    office_days: str = "0,1,2,3,4,5"
    usual_days: tuple[tuple[str, int], ...] = ()


def context_from_settings() -> Context:
    from api.settings import get_settings

    settings = get_settings()
    return Context(
        office_hours=settings.office_hours,
        office_days=settings.office_days,
        usual_days=tuple(sorted((str(k), int(v)) for k, v in settings.kb_usual_days.items())),
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
    from locales import localise_digits, translate

    start, _, end = context.office_hours.partition("-")
    values = {
        "hours_start": localise_digits(start.strip(), lang),
        "hours_end": localise_digits(end.strip(), lang),
        "days": _days_text(context.office_days, lang),
        "documents": "",
        "restart_steps": "",
    }
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
