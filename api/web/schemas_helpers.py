"""Bodies of the helper's consent endpoint (docs/contracts.md, "A helper acts for a worker").

The relation and the name are checked by the service (api/domain/helpers.py), the one place that
knows the relations."""

from __future__ import annotations

from api.web.schemas import Body, Name, OtpSendOut, Short, Token


class HelperConsentIn(Body):
    verification_token: Token
    helper_name: Name = ""
    relation: Short


class HelperConsentOut(OtpSendOut):
    consent_id: int
