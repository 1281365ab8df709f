"""Logs are JSON lines, carry the request id, and never show Aadhaar/bank/phone numbers."""

from __future__ import annotations

import io
import json
import logging

from api.logging_setup import MaskingFilter, clean_request_id, configure_logging, request_id_var


def _capture() -> io.StringIO:
    stream = io.StringIO()
    configure_logging("INFO", json_lines=True, stream=stream)
    return stream


def test_json_lines_masked_in_all_scripts() -> None:
    stream = _capture()
    token = request_id_var.set("req-42")
    try:
        log = logging.getLogger("test.masking")
        log.info("aadhaar %s bank %s", "1234 5678 9012", "১২৩৪৫৬৭৮৯০১২৩")
        log.info("phone +919800000001 and ९८०००००००१", extra={"note": "acct 123456789012"})
        try:
            raise ValueError("bad 123456789012")
        except ValueError:
            log.exception("failed for 998877665544")
    finally:
        request_id_var.reset(token)
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert len(lines) == 3
    text = stream.getvalue()
    for secret in ("1234 5678", "123456789", "১২৩৪৫৬৭৮৯", "9800000001", "९८००००००", "99887766"):
        assert secret not in text, secret
    assert lines[0]["msg"] == "aadhaar XXXX XXXX 9012 bank XXXXXXXXX০১২৩"
    assert lines[0]["request_id"] == "req-42"
    assert lines[1]["note"] == "acct XXXXXXXX9012"
    assert "XXXXXXXX9012" in lines[2]["exc"]


def test_filter_keeps_short_numbers() -> None:
    record = logging.makeLogRecord({"msg": "age %d claim CLM-2026-000123", "args": (32,)})
    MaskingFilter().filter(record)
    assert record.getMessage() == "age 32 claim CLM-2026-000123"


def test_request_id_cleaning() -> None:
    assert clean_request_id("abc-123") == "abc-123"
    generated = clean_request_id("bad id\nwith newline")
    assert generated != "bad id\nwith newline" and len(generated) == 32
    assert len(clean_request_id(None)) == 32
