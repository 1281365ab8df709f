"""Every error leaves as `{"error": {"code", "message", "field"?}}` — never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.db.session import database_unavailable
from api.domain.errors import DomainError

log = logging.getLogger("api.errors")
_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "not_found",
    413: "invalid_input",
    415: "invalid_input",
}


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(status_code=status, content={"error": body})


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "header", "path")]
    return ".".join(parts)


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(status_code=exc.status, content={"error": exc.to_dict()})


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request", "type": ""}
    field = _field(tuple(first.get("loc", ())))
    if first.get("type") == "missing":
        return error_response(
            422, "missing_field", f"{field or 'body'} is required.", field=field or None
        )
    problems = [
        {"field": _field(tuple(e.get("loc", ()))), "problem": e.get("msg", "")} for e in errors[:10]
    ]
    return error_response(
        422,
        "invalid_input",
        f"{field or 'body'}: {first.get('msg', 'invalid')}",
        field=field or None,
        problems=problems,
    )


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "invalid_input")
    return error_response(exc.status_code, code, str(exc.detail))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    if database_unavailable(exc):
        # 503, which the page and the action server send again; a 500 they take as the answer
        log.warning("database unavailable: %s", type(exc).__name__)
        answer = error_response(
            503, "database_unavailable", "The service is busy for a moment; please try again."
        )
        answer.headers["Retry-After"] = "2"
        return answer
    log.exception("unhandled error", exc_info=exc)
    return error_response(
        500, "internal_error", "Something went wrong; please try again or ask for an officer."
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
