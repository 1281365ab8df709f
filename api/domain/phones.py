"""Phone numbers, read one way on every channel: E.164 ('+919800000001'), India by default.

Why a library: callers, imported registers and officers write numbers as '98000 00001',
'09800000001', '+91-98000-00001' or 'whatsapp:+91...'; phonenumbers knows every country's
lengths and prefixes, so a number that cannot be dialled is refused instead of stored.
"""

from __future__ import annotations

import phonenumbers

from api.domain.digits import ascii_digits

DEFAULT_REGION = "IN"
WHATSAPP_PREFIX = "whatsapp:"


def normalise_phone(text: str | None, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of a possible phone number (any digit script, spaces, dashes), else None."""
    if not text:
        return None
    raw = ascii_digits(text.strip().removeprefix(WHATSAPP_PREFIX).strip())
    if len(raw) > 40:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    """Two-letter country of a number ('IN'), None when it belongs to no country."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return region if region and region != "001" else None


def is_mobile_in(e164: str, region: str = DEFAULT_REGION) -> bool:
    """A valid mobile (or fixed-or-mobile) number of `region`: what the line can text."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    mobile = kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    return mobile and phonenumbers.region_code_for_number(number) == region


SERVED_KINDS = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


def is_served(e164: str, regions: frozenset[str]) -> bool:
    """May the line text or call this number? A valid mobile or fixed line of a served country.

    Why: a signed missed call or an SMS from a premium-rate or foreign number must not make the
    line call or text it (toll fraud: someone who owns the premium number is paid per call).
    """
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(number):
        return False
    region = phonenumbers.region_code_for_number(number)
    return region in regions and phonenumbers.number_type(number) in SERVED_KINDS
