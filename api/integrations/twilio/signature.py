"""Only Twilio may call the public webhooks: X-Twilio-Signature, checked against the PUBLIC URL.

Behind a proxy the request reaches us as http://127.0.0.1:8000/..., but Twilio signed the URL it
called (PUBLIC_BASE_URL + path + query); validating against our own view would reject every real
request, and trusting forwarded headers would let anyone choose the URL that gets checked.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from twilio.request_validator import RequestValidator

from api.settings import get_settings


def public_request_url(request: Request) -> str:
    base = get_settings().public_base_url.rstrip("/")
    query = request.url.query
    return f"{base}{request.url.path}" + (f"?{query}" if query else "")


def is_valid(request: Request, params: dict[str, str]) -> bool:
    token = get_settings().twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return bool(RequestValidator(token).validate(public_request_url(request), params, signature))


async def twilio_form(request: Request) -> dict[str, str]:
    """FastAPI dependency: the signed form parameters, or 403."""
    form = await request.form()
    params = {key: str(value) for key, value in form.items()}
    if not is_valid(request, params):
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return params


async def twilio_get(request: Request) -> None:
    """FastAPI dependency for signed GET requests (no body)."""
    if not is_valid(request, {}):
        raise HTTPException(status_code=403, detail="invalid Twilio signature")


def sign(url: str, params: dict[str, str], token: str) -> str:
    """The X-Twilio-Signature Twilio would send for `url` and `params` (the call simulator)."""
    return str(RequestValidator(token).compute_signature(url, params))
