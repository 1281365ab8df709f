"""Bodies rendered only at the moment of sending, from a template id and its parameters.

Why: an SMS carrying a one-time code must not sit readable in `outbound_messages` (a dump, a
backup, an operator's query). The row keeps the template id, the language and the code's nonce;
the sender renders the text just before handing it to Twilio, and the nonce is purged once the
message is sent or abandoned. A code past its expiry is never sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.db.models import utcnow
from api.domain.otp import derive_key, otp_code
from api.settings import get_settings
from locales import translate

TEMPLATES = {"otp": "api.otp_sms", "uan": "api.uan_sms", "helper_consent": "api.helper_consent_sms"}
# The placeholder each template's secret fills (a lost UAN is sent the same way as a code).
SECRET_PARAM = {"otp": "code", "uan": "uan", "helper_consent": "code"}
BLANK = "······"


def placeholder(template: str, language: str, params: dict[str, Any] | None = None) -> str:
    """What the row's `body` holds: the message with its secret blanked (for officers, logs)."""
    named = _named(params, language)
    return translate(TEMPLATES[template], language, **named, **{SECRET_PARAM[template]: BLANK})


def _named(params: dict[str, Any] | None, language: str) -> dict[str, str]:
    """A helper consent SMS names the helper and the relation in the worker's language."""
    if not params or "relation" not in params:
        return {}
    helper = str(params.get("helper") or "") or translate("helper.unnamed", language)
    relation = translate(f"helper_relation.{params['relation']}", language)
    return {"helper": helper, "relation": relation}


def render(template: str, params: dict[str, Any] | None, language: str) -> str | None:
    """The real text, or None when it can no longer be sent (purged or expired)."""
    if template == "uan":
        uan = str((params or {}).get("uan") or "")
        if len(uan) != 12 or not uan.isdigit():
            return None
        grouped = " ".join(uan[i : i + 4] for i in range(0, 12, 4))
        return translate(TEMPLATES[template], language, uan=grouped)
    if template not in TEMPLATES or not params or not params.get("nonce"):
        return None
    expires = params.get("expires_at")
    if expires and datetime.fromisoformat(str(expires)) <= utcnow():
        return None
    code = otp_code(derive_key(get_settings().session_secret), str(params["nonce"]))
    return translate(TEMPLATES[template], language, code=code, **_named(params, language))
