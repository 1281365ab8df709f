"""The backend calls of the family flow (docs/contracts.md, "Family claims"): a family member
filing for a worker who died. Beside BackendClient, whose module is full."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from actions.backend_client import BackendClient
from actions.backend_types import Written


class FamilyClient(BackendClient):
    async def verify_family(
        self, uan: str, dob: str, nominee: str, phone: str | None, channel: str, lang: str
    ) -> dict[str, Any]:
        """The worker's UAN and date of birth and the nominee's name; the code is texted to
        the caller's phone (the conversation's own number, else `phone`)."""
        payload = {
            "uan": uan,
            "date_of_birth": dob,
            "nominee_name": nominee,
            "channel": channel,
            "language": lang,
            **({"phone": phone} if phone else {}),
        }
        body = await self._call("POST", "/family/verify", json=payload)
        assert isinstance(body, dict)
        return body

    async def file_family_claim(
        self, token: str, *, claim_type: str, incident_date: str, last4: str, key: str
    ) -> Written:
        payload = {
            "claim_type": claim_type,
            "incident_date": incident_date,
            "description": "",
            "bank_account_last4": last4,
        }
        body = await self._call(
            "POST", "/family/claims", json=payload, verification_token=token, idempotency_key=key
        )
        assert isinstance(body, dict)
        return Written(reference=str(body.get("reference", "")), body=body)

    async def track_family(self, token: str, reference: str) -> dict[str, Any]:
        body = await self._call(
            "GET", f"/family/requests/{quote(reference, safe='')}", verification_token=token
        )
        assert isinstance(body, dict)
        return body
