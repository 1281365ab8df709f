"""Every code list the parts share, written once: actions, the phone line, the backend and the
catalogs (`<kind>.<code>` message ids, checked by tests/locales) all read them from here.

StrEnum members compare equal to their strings, so JSON, database rows and slot values stay
plain strings.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    BN = "bn"
    HI = "hi"
    EN = "en"


class Channel(StrEnum):
    VOICE = "voice"
    WHATSAPP = "whatsapp"
    SMS = "sms"
    WEB = "web"
    CONSOLE = "console"
    OFFICE = "office"


class Scheme(StrEnum):
    ESHRAM = "eshram"
    PM_SYM = "pm_sym"
    BOCW_WELFARE = "bocw_welfare"
    STATE_SOCIAL_SECURITY = "state_social_security"
    WBTWSSS = "wbtwsss"  # West Bengal Transport Workers' Social Security Scheme


class ClaimType(StrEnum):
    ACCIDENT_DEATH = "accident_death"
    ACCIDENT_DISABILITY = "accident_disability"
    DEATH_FUNERAL = "death_funeral"
    MEDICAL = "medical"
    MATERNITY = "maternity"
    EDUCATION = "education"
    PENSION = "pension"
    FAMILY_PENSION = "family_pension"  # filed by the family (api/domain/family.py)


class Relation(StrEnum):
    HUSBAND = "husband"
    WIFE = "wife"
    SON = "son"
    DAUGHTER = "daughter"
    MOTHER = "mother"
    FATHER = "father"
    BROTHER = "brother"
    SISTER = "sister"
    OTHER = "other"


class FeedbackCategory(StrEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    BRIBERY = "bribery"
    NO_RESPONSE = "no_response"
    OTHER = "other"


class HandoffReason(StrEnum):
    """Why a conversation went to an officer (console label `console.reason.<code>`)."""

    ASKED = "asked"
    REPEATED_FAILURE = "repeated_failure"
    PRESSED_ZERO = "pressed_zero"
    ASSISTANT_HANDOVER = "assistant_handover"


class CorrectionField(StrEnum):
    """A detail of the worker's record the worker may ask to have corrected (label
    `correction_field.<code>`; rules in api/domain/corrections.py)."""

    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"
    BANK_ACCOUNT = "bank_account"
    PHONE = "phone"
    ADDRESS = "address"


class ReferenceKind(StrEnum):
    """What a reference number is for; its prefix is in REFERENCE_PREFIXES."""

    CLAIM = "claim"
    RENEWAL = "renewal"
    FEEDBACK = "feedback"
    NOMINEE = "nominee"
    PENSION_RESTART = "pension_restart"
    HANDOFF = "handoff"
    CALLBACK = "callback"
    ERASURE = "erasure"
    CORRECTION = "correction"


REFERENCE_PREFIXES: dict[ReferenceKind, str] = {
    ReferenceKind.CLAIM: "CLM",
    ReferenceKind.RENEWAL: "REN",
    ReferenceKind.FEEDBACK: "FDB",
    ReferenceKind.NOMINEE: "NOM",
    ReferenceKind.PENSION_RESTART: "PRR",
    ReferenceKind.HANDOFF: "HND",
    ReferenceKind.CALLBACK: "CBK",
    ReferenceKind.ERASURE: "ERA",
    ReferenceKind.CORRECTION: "COR",
}

LANGUAGES: tuple[str, ...] = tuple(Language)
SCHEMES: tuple[str, ...] = tuple(Scheme)
CLAIM_TYPES: tuple[str, ...] = tuple(ClaimType)
RELATIONS: tuple[str, ...] = tuple(Relation)
FEEDBACK_CATEGORIES: tuple[str, ...] = tuple(FeedbackCategory)
HANDOFF_REASONS: tuple[str, ...] = tuple(HandoffReason)
CORRECTION_FIELDS: tuple[str, ...] = tuple(CorrectionField)

# Catalog message-id prefix of each code list (`scheme.pm_sym`, `relation.wife` ...).
CATALOG_KINDS: dict[str, tuple[str, ...]] = {
    "scheme": SCHEMES,
    "claim_type": CLAIM_TYPES,
    "relation": RELATIONS,
    "feedback_category": FEEDBACK_CATEGORIES,
    "console.reason": HANDOFF_REASONS,
    "correction_field": CORRECTION_FIELDS,
}
