"""Only requests signed by Twilio over the PUBLIC URL are served (403 otherwise)."""

from __future__ import annotations

from tests.voice.conftest import PUBLIC, UNKNOWN, post_signed, sign

CALL = {"CallSid": "CA" + "1" * 32, "From": UNKNOWN, "To": "+15005550006"}


def test_signed_over_the_public_url_is_accepted(app_client) -> None:
    response = post_signed(app_client, "/voice/incoming", CALL)
    assert response.status_code == 200
    assert "<Gather" in response.text


def test_unsigned_request_is_refused(app_client) -> None:
    assert app_client.post("/voice/incoming", data=CALL).status_code == 403
    assert app_client.post("/sms/incoming", data={"From": UNKNOWN, "Body": "hi"}).status_code == 403
    assert app_client.post("/sms/status", data={"MessageSid": "SM1"}).status_code == 403


def test_tampered_parameter_is_refused(app_client) -> None:
    signature = sign(PUBLIC + "/voice/incoming", CALL)
    tampered = {**CALL, "From": "+919999999999"}
    response = app_client.post(
        "/voice/incoming", data=tampered, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_signature_over_the_internal_url_is_refused_behind_a_proxy(app_client) -> None:
    """Twilio signs what it called (the proxy's URL); our own host:port must not count."""
    signature = sign("http://testserver/voice/incoming", CALL)
    response = app_client.post(
        "/voice/incoming", data=CALL, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_wrong_auth_token_is_refused(app_client) -> None:
    signature = sign(PUBLIC + "/voice/incoming", CALL, token="someone-elses-token")
    response = app_client.post(
        "/voice/incoming", data=CALL, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_query_string_is_part_of_the_signature(app_client) -> None:
    """The turn number travels in the query: changing it breaks the signature."""
    post_signed(app_client, "/voice/incoming", CALL)
    params = {**CALL, "Digits": "3"}
    signature = sign(PUBLIC + "/voice/gather?turn=1&lang=en", params)
    response = app_client.post(
        "/voice/gather?turn=2&lang=en", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403
    ok = post_signed(app_client, "/voice/gather?turn=1&lang=en", params)
    assert ok.status_code == 200
