"""The backend call of the helper flow (docs/contracts.md, "A helper acts for a worker").
Beside BackendClient, whose module is full."""

from __future__ import annotations

from actions.backend_client import BackendClient


class HelperClient(BackendClient):
    async def ask_consent(self, token: str, helper_name: str, relation: str) -> str:
        """Record who acts for the verified worker and text the WORKER's registered phone the
        consent code naming them; the last two digits of that phone."""
        payload = {"verification_token": token, "helper_name": helper_name, "relation": relation}
        body = await self._call("POST", "/helpers/consent", json=payload)
        assert isinstance(body, dict)
        return str(body.get("phone_last2") or "")
