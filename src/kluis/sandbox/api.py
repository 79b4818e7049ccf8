"""The sandbox bank's web app: Berlin Group AIS, approval pages, card control, the clock.

    create_sandbox_app(settings)          # what `kluis sandbox serve` runs
    create_sandbox_app(settings, bank)    # tests pass a bank to share its generated ledger

Every response carries `X-Request-ID`: the request's own, or a fresh one when it sent none.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kluis.config import Settings
from kluis.errors import SandboxError
from kluis.sandbox import accounts, cards, consents, pages
from kluis.sandbox.context import SandboxContext, sandbox_context
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.problems import (
    SandboxRequestError,
    format_error,
    handle_http_error,
    handle_request_error,
    handle_validation_error,
)
from kluis.sandbox.state import StateStore


def create_sandbox_app(settings: Settings, bank: SandboxBank | None = None) -> FastAPI:
    """The sandbox bank over `settings.sandbox_dir` (clock and state) and `settings.sandbox_seed`.

    `bank` replaces the bank built from the settings; its clock should live in the same
    sandbox directory so that `kluis sandbox advance` moves it.
    """
    bank = bank if bank is not None else SandboxBank.from_settings(settings)
    app = FastAPI(
        title=f"{settings.bank_name} (sandbox)",
        summary="Berlin Group NextGenPSD2 AIS over synthetic customers, with its own card control.",
        version="1.3.12-sandbox",
    )
    app.state.sandbox = SandboxContext(settings, bank, StateStore(settings.sandbox_dir))
    app.add_exception_handler(SandboxRequestError, handle_request_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(SandboxError, _handle_sandbox_error)
    app.middleware("http")(_echo_request_id)
    app.include_router(consents.router)
    app.include_router(pages.router)
    app.include_router(accounts.router)
    app.include_router(cards.router)
    app.add_api_route("/sandbox/clock", read_clock, methods=["GET"], tags=["sandbox clock"])
    app.add_api_route(
        "/sandbox/clock/advance", advance_clock, methods=["POST"], tags=["sandbox clock"]
    )
    return app


async def _echo_request_id(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    request_id = request.headers.get("X-Request-ID", "").strip() or str(uuid.uuid4())
    response.headers["X-Request-ID"] = request_id
    return response


async def _handle_sandbox_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, SandboxError):  # registered for this type only
        raise exc
    body = {
        "tppMessages": [{"category": "ERROR", "code": "INTERNAL_SERVER_ERROR", "text": str(exc)}]
    }
    return JSONResponse(body, status_code=500)


async def read_clock(request: Request) -> JSONResponse:
    """The sandbox clock: `{"today": "2026-03-18"}`."""
    context = sandbox_context(request)
    return JSONResponse({"today": context.today().isoformat()})


async def advance_clock(request: Request) -> JSONResponse:
    """Move the clock: send `{"days": N}`; answers `{"today": ...}`. New transactions appear."""
    context = sandbox_context(request)
    try:
        payload = json.loads(await request.body())
    except ValueError as exc:
        raise format_error('send {"days": N}') from exc
    days = payload.get("days") if isinstance(payload, dict) else None
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise format_error('send {"days": N} with N a whole number from 0')
    async with context.lock:
        try:
            today = context.bank.clock.advance(days)
        except SandboxError as exc:
            raise format_error(str(exc)) from exc
    return JSONResponse({"today": today.isoformat()})
