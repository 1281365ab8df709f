"""The absolute URLs Twilio calls and signs: PUBLIC_BASE_URL + path + query."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from api.settings import get_settings


def public_url(path: str, **query: Any) -> str:
    """Absolute URL Twilio will call (and sign); `None` values are left out of the query."""
    base = get_settings().public_base_url.rstrip("/")
    clean = {k: v for k, v in query.items() if v is not None}
    return f"{base}{path}" + (f"?{urlencode(clean)}" if clean else "")
