"""JSON-lines logs with the request id of the current request and personal numbers masked.

The request id comes from `X-Request-ID` (the action server and voice gateway send theirs) so a
single conversation can be followed across processes; the masking filter runs on every record so
an Aadhaar or bank number that slips into a message never reaches the log file.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from api.domain.masking import mask_numbers

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()


def clean_request_id(value: str | None) -> str:
    """Accept a caller's id only if short and plain; otherwise make one (ids end up in logs)."""
    if value and len(value) <= 100 and all(c.isalnum() or c in "-_.:" for c in value):
        return value
    return new_request_id()


class MaskingFilter(logging.Filter):
    """Mask Aadhaar/bank/phone-shaped numbers in the message, args and extra fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = mask_numbers(message)
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _RESERVED and isinstance(value, str):
                setattr(record, key, mask_numbers(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, request_id, msg and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in data and key != "request_id":
                data[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_text:
            data["exc"] = record.exc_text
        return json.dumps(data, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


def configure_logging(level: str = "INFO", json_lines: bool = True, stream: Any = None) -> None:
    """Install one handler on the root logger (idempotent: re-running replaces it)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_shramik", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._shramik = True  # type: ignore[attr-defined]  # a mark on a stdlib handler: ours to replace
    handler.addFilter(MaskingFilter())
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # HTTP clients log every request URL at INFO; a URL can carry a secret or a number
    for noisy in ("httpx", "httpcore", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
