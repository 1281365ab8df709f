"""Every user-facing string and number format, in Bengali, Hindi and English.

Code holds message ids (`status.claim_line`); the words live in the Babel catalogs beside this
file (`<lang>/LC_MESSAGES/<domain>.po`). Catalogs are read lazily on first use, never at import.
"""

from locales.catalog import (
    LANGUAGES,
    MissingMessage,
    has_message,
    normalise_language,
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
    "MissingMessage",
    "format_date",
    "format_money",
    "format_number",
    "has_message",
    "localise_digits",
    "normalise_language",
    "spell_digits",
    "translate",
]
