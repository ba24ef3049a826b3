"""One place that turns domain errors into HTTP answers: `{"detail": ...}` with the right status."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from carbontrack.domain import errors

STATUS: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.AlreadyExists: 409,
    errors.Conflict: 409,
    errors.InvalidInput: 422,
    errors.InvalidCredentials: 401,
    errors.Forbidden: 403,
    errors.TooManyAttempts: 429,
    errors.PayloadTooLarge: 413,
}


def status_of(exc: errors.DomainError) -> int:
    """The HTTP status for a domain error (most specific class wins)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def domain_error_response(exc: errors.DomainError) -> JSONResponse:
    """The JSON error body and headers for one domain error."""
    body: dict[str, object] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    headers: dict[str, str] = {}
    if isinstance(exc, errors.InvalidRows):
        body["errors"] = exc.rows
    if isinstance(exc, errors.InvalidCredentials):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, errors.TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_s)
    return JSONResponse(body, status_code=status_of(exc), headers=headers)


def validation_error_response(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 list, without echoing the input back.

    The default handler echoes each bad input, and a NaN or Infinity there cannot be encoded
    as JSON: the answer to a bad number would be a 500.
    """
    errors_found = exc.errors()
    detail = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"]} for e in errors_found]
    body: dict[str, object] = {"detail": detail}
    if errors_found and len(errors_found[0]["loc"]) > 1:
        # The first bad input's name ("to", "timestamp"), as a domain error's `field` gives it.
        body["field"] = str(errors_found[0]["loc"][1])
    return JSONResponse(body, status_code=422)


def install(app: FastAPI) -> None:
    """Register the domain-error and validation-error handlers on an app."""

    async def handle_domain(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, errors.DomainError)
        return domain_error_response(exc)

    async def handle_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_error_response(exc)

    app.add_exception_handler(errors.DomainError, handle_domain)
    app.add_exception_handler(RequestValidationError, handle_validation)
