"""Refusals of the sandbox's APIs, rendered once as Berlin Group `tppMessages`.

Every JSON error the sandbox answers has the body
`{"tppMessages": [{"category": "ERROR", "code": "...", "text": "..."}]}`, which validates
against the NextGenPSD2 `Error4xx_NG_AIS` schemas. Codes come from the specification's lists
(FORMAT_ERROR, CONSENT_UNKNOWN, CONSENT_INVALID, CONSENT_EXPIRED, RESOURCE_UNKNOWN,
ACCESS_EXCEEDED, ...).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kluis.errors import KluisError


class SandboxRequestError(KluisError):
    """The sandbox refuses a request; `status_code` and `code` go to the TPP as they are."""

    def __init__(self, status_code: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status_code = status_code
        self.code = code
        self.text = text


def format_error(text: str) -> SandboxRequestError:
    """400 FORMAT_ERROR: a header, parameter or body is missing or malformed."""
    return SandboxRequestError(400, "FORMAT_ERROR", text)


def tpp_messages(code: str, text: str) -> dict[str, object]:
    """The error body for one message."""
    return {"tppMessages": [{"category": "ERROR", "code": code, "text": text[:500]}]}


def error_response(status_code: int, code: str, text: str) -> JSONResponse:
    return JSONResponse(tpp_messages(code, text), status_code=status_code)


async def handle_request_error(request: Request, exc: Exception) -> JSONResponse:
    """Render a `SandboxRequestError`."""
    if not isinstance(exc, SandboxRequestError):  # registered for this type only
        raise exc
    return error_response(exc.status_code, exc.code, exc.text)


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own parameter validation, as a Berlin Group FORMAT_ERROR."""
    if not isinstance(exc, RequestValidationError):  # registered for this type only
        raise exc
    problems = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{location}: {error.get('msg', 'invalid')}")
    return error_response(400, "FORMAT_ERROR", "; ".join(problems) or "invalid request")


_HTTP_CODES = {404: "RESOURCE_UNKNOWN", 405: "SERVICE_INVALID", 406: "REQUESTED_FORMATS_INVALID"}


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Unknown paths and methods, as Berlin Group errors."""
    if not isinstance(exc, StarletteHTTPException):  # registered for this type only
        raise exc
    code = _HTTP_CODES.get(exc.status_code, "FORMAT_ERROR")
    text = exc.detail if isinstance(exc.detail, str) else "request refused"
    return JSONResponse(tpp_messages(code, text), status_code=exc.status_code, headers=exc.headers)
