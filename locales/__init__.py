"""Every user-facing string and number format, in Bengali, Hindi and English.

Code holds message ids (`status.claim_line`); the words live in the Babel catalogs beside this
file (`<locale>/LC_MESSAGES/<domain>.po`). Locales are bn, hi, en and the romanised bn-Latn and
hi-Latn (bot and common domains only). Catalogs are read lazily on first use, never at import.
"""

from locales.catalog import (
    LANGUAGES,
    LATIN_LOCALES,
    LOCALES,
    MissingMessage,
    fixed_texts,
    has_message,
    language_of,
    locale_for,
    normalise_language,
    normalise_locale,
    script_of,
    translate,
)
from locales.formatting import (
    format_date,
    format_money,
    format_number,
    localise_digits,
    spell_digits,
)

__all__ = [
    "LANGUAGES",
    "LATIN_LOCALES",
    "LOCALES",
    "MissingMessage",
    "fixed_texts",
    "format_date",
    "format_money",
    "format_number",
    "has_message",
    "language_of",
    "locale_for",
    "localise_digits",
    "normalise_language",
    "normalise_locale",
    "script_of",
    "spell_digits",
    "translate",
]
