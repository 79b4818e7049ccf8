"""The gateway's web app: the web chat, its consent pages, "Mijn toestemmingen", the pages
chat links open, and a health check.

    app = create_app(settings)                       # what `kluis serve` runs
    app = create_app(settings, transport=transport)  # tests: reach the bank in-process

The lifespan opens the runtime (database, bank client, events) once and keeps it, with one
`Dialogue` and the session signer, on `app.state.gateway`; it closes them on shutdown.
Errors are rendered here, once: a page in the visitor's language, or JSON under
`/chat/api/`. Neither ever shows what went wrong inside; a reference number ties what the
visitor sees to the log line.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kluis.alerts.rounds import Rounds
from kluis.channels.hub import open_channels
from kluis.channels.worker import ChannelWorker
from kluis.config import Settings
from kluis.dialogue.engine import Dialogue
from kluis.errors import BankUnavailable, ConsentError, KluisError, RateLimited, StorageError
from kluis.runtime import open_runtime
from kluis.web import chat, connect, consents, link, oauth, webhooks
from kluis.web.pages import Gateway, WebProblem, is_api, render, visitor_texts
from kluis.web.session import SessionSigner

logger = logging.getLogger(__name__)

_STATIC = Path(__file__).parent / "static"


def create_app(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    platform_transport: httpx.AsyncBaseTransport | None = None,
    run_worker: bool = True,
) -> FastAPI:
    """The web app over `settings`; `transport` replaces the network to the bank and
    `platform_transport` the network to the chat platforms. Without `run_worker` the
    webhooks only record events, and a test drives a `ChannelWorker` itself."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with (
            open_runtime(settings, transport) as runtime,
            open_channels(runtime, platform_transport) as hub,
        ):
            dialogue = Dialogue(runtime)
            app.state.gateway = Gateway(
                runtime, dialogue, SessionSigner.from_settings(settings), hub
            )
            # The worker answers the messaging platforms; with none configured it has
            # nothing to do (Alexa and Dialogflow are answered in the response).
            answering = run_worker and settings.channel_worker and hub.has_messaging
            worker = ChannelWorker(hub, dialogue) if answering else None
            app.state.channel_worker = worker
            if worker is not None:
                worker.start()
            # Reading the bank on its own, for alerts, only when configured to.
            rounds = Rounds(runtime) if settings.sync_interval_seconds > 0 else None
            if rounds is not None:
                rounds.start()
            try:
                yield
            finally:
                if rounds is not None:
                    await rounds.stop()
                if worker is not None:
                    await worker.stop()
                del app.state.gateway

    app = GatewayApp(
        title="Kluis",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_exception_handler(WebProblem, _handle_problem)
    app.add_exception_handler(KluisError, _handle_kluis_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(Exception, _handle_unexpected)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.router.routes.extend(webhooks.routes)
    app.include_router(chat.router)
    app.include_router(connect.router)
    app.include_router(consents.router)
    app.include_router(link.router)
    app.include_router(oauth.router)
    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    return app


class GatewayApp(FastAPI):
    """The web app, with the platforms' webhook POSTs answered before its middleware and
    routing (`webhooks.serve`): they are most of the traffic, and need none of it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = webhooks.posted_channel(scope)
        if name is None:
            await super().__call__(scope, receive, send)
            return
        gateway = getattr(self.state, "gateway", None)
        if not isinstance(gateway, Gateway):
            raise StorageError("the web app was not started")  # outside its lifespan
        scope["app"] = self
        await webhooks.serve(gateway, name, scope, receive, send)


async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class SecurityHeaders:
    """Adds the security headers to every response that has not set its own (a plain ASGI
    middleware: it adds nothing to a request's path but the headers)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        # Chromium checks form-action on the redirect after "Link my bank", so the bank's
        # approval page must be allowed as a form target.
        policy = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"form-action 'self' {_origin(settings.bank_url)}; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'"
        )
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _problem_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str | None = None,
    retry_link: bool = False,
    reference: str | None = None,
) -> Response:
    if is_api(request):
        body: dict[str, object] = {"error": message}
        if reference:
            body["reference"] = reference
        if status_code == 409:
            body["relink"] = True
        return JSONResponse(body, status_code=status_code, headers={"Cache-Control": "no-store"})
    texts = await visitor_texts(request)
    return render(
        request,
        "message.html",
        texts,
        status_code=status_code,
        title=title or texts.error_title,
        text=message,
        reference=texts.reference.format(reference=reference) if reference else None,
        retry_link=retry_link,
        problem=True,
    )


async def _handle_problem(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, WebProblem):  # registered for this type only
        raise exc
    return await _problem_response(
        request, exc.status_code, exc.message, title=exc.title, retry_link=exc.retry_link
    )


async def _handle_kluis_error(request: Request, exc: Exception) -> Response:
    texts = await visitor_texts(request)
    reference = uuid.uuid4().hex[:8].upper()
    # The type and the reference only: messages may one day carry what a log must not.
    logger.warning("request failed with %s (reference %s)", type(exc).__name__, reference)
    if isinstance(exc, ConsentError):
        return await _problem_response(
            request, 409, texts.consent_ended, retry_link=True, reference=reference
        )
    if isinstance(exc, BankUnavailable | RateLimited):
        return await _problem_response(request, 503, texts.bank_unavailable, reference=reference)
    return await _problem_response(request, 500, texts.error_text, reference=reference)


async def _handle_http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):  # registered for this type only
        raise exc
    texts = await visitor_texts(request)
    if exc.status_code == 404:
        return await _problem_response(
            request, 404, texts.not_found_text, title=texts.not_found_title
        )
    if exc.status_code in (401, 403):
        return await _problem_response(request, exc.status_code, texts.forbidden)
    if exc.status_code < 500:
        return await _problem_response(request, exc.status_code, texts.bad_request)
    return await _problem_response(request, exc.status_code, texts.error_text)


async def _handle_validation_error(request: Request, exc: Exception) -> Response:
    texts = await visitor_texts(request)
    return await _problem_response(request, 400, texts.bad_request)


async def _handle_unexpected(request: Request, exc: Exception) -> Response:
    texts = await visitor_texts(request)
    reference = uuid.uuid4().hex[:8].upper()
    logger.error("unexpected %s (reference %s)", type(exc).__name__, reference)
    return await _problem_response(request, 500, texts.error_text, reference=reference)
