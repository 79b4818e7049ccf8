"""The platforms' webhooks: `GET` for the verification handshake, `POST` for events.

    GET  /webhooks/{channel}   Messenger and WhatsApp: echo `hub.challenge` for our token
    POST /webhooks/{channel}   verify -> parse -> record (deduplicated) -> 200 at once;
                               the channel worker answers afterwards. Alexa and Dialogflow
                               wait for the answer, which is given in the response.

A channel that is not configured answers 404. A request that fails verification gets
401/403 (Alexa: 400, as Amazon requires) and nothing about it is recorded; a body over
the size limit gets 413 before it is read; a body that is not the platform's shape, 400.

The POSTs are the busiest requests the gateway gets, and a platform only needs a status and
a few bytes back, so they are served as plain ASGI (`serve`), ahead of the web app's
middleware and routing: no request objects, no page rendering, one error rendering of their
own. The handshake is an ordinary route.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from kluis.channels.base import Channel, InboundMessage, VoiceChannel, WebhookRejected
from kluis.channels.grants import grant_hash, plausible
from kluis.channels.hub import ChannelHub
from kluis.channels.writer import Sighting
from kluis.dialogue.types import Turn
from kluis.privacy.log_redaction import turn_secrets
from kluis.web.pages import Gateway, gateway_of

logger = logging.getLogger(__name__)


_RESPONSE_CONTEXT = "channel-voice-response"
_RECEIVED = b'{"status":"received"}'


_PREFIX = "/webhooks/"


class _TooLarge(Exception):
    pass


class _Gone(Exception):
    """The platform hung up before its request was read: nobody to answer."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What a webhook POST answers: a status and JSON bytes."""

    status: int
    body: bytes


def _problem(status: int, error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers={"Cache-Control": "no-store"})


def _failed(status: int, error: str) -> Reply:
    return Reply(status, json.dumps({"error": error}).encode())


def posted_channel(scope: Scope) -> str | None:
    """The channel name of a `POST /webhooks/{name}`; None for any other request."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    path: str = scope["path"]
    if not path.startswith(_PREFIX):
        return None
    name = path[len(_PREFIX) :]
    return name if name and "/" not in name else None


async def serve(parts: Gateway, name: str, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a platform's POST (plain ASGI). Errors are rendered here, once: a 500 with a
    reference number that ties it to the log line, which names the error's type only."""
    try:
        reply = await _accept(parts, name, Headers(scope=scope), receive)
    except _Gone:
        return
    except Exception as error:  # the platform gets a status, never what went wrong inside
        reference = uuid.uuid4().hex[:8].upper()
        logger.error(
            "%s webhook failed with %s (reference %s)", name, type(error).__name__, reference
        )
        reply = Reply(500, json.dumps({"error": "internal error", "reference": reference}).encode())
    await send(
        {
            "type": "http.response.start",
            "status": reply.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(reply.body)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": reply.body})


async def _read(headers: Headers, receive: Receive, limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Gone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def handshake(request: Request) -> Response:
    name, parts = request.path_params["name"], gateway_of(request)
    hub = parts.channels
    adapter = hub.get(name) if hub else None
    if not isinstance(adapter, Channel):
        return _problem(404, "not found")
    answer = adapter.handshake(dict(request.query_params))
    if answer is None:
        return _problem(403, "verification failed")
    return PlainTextResponse(answer)


async def _accept(parts: Gateway, name: str, headers: Headers, receive: Receive) -> Reply:
    hub = parts.channels
    adapter = hub.get(name) if hub else None
    if hub is None or adapter is None:
        return _failed(404, "not found")
    try:
        body = await _read(headers, receive, parts.runtime.settings.webhook_max_body_bytes)
    except _TooLarge:
        return _failed(413, "body too large")
    try:
        await adapter.verify(body, headers)
    except WebhookRejected as rejected:
        logger.warning("%s webhook rejected: %s", name, type(rejected).__name__)
        return _failed(rejected.status, "verification failed")
    if isinstance(adapter, VoiceChannel):
        return await _answer_voice(parts, hub, adapter, body)
    try:
        messages = adapter.parse(body)
    except WebhookRejected as malformed:
        return _failed(malformed.status, "malformed body")
    await hub.record(name, messages)
    return Reply(200, _RECEIVED)


async def _answer_voice(
    parts: Gateway, hub: ChannelHub, adapter: VoiceChannel, body: bytes
) -> Reply:
    runtime = parts.runtime
    try:
        inbound = adapter.parse(body)
    except WebhookRejected as malformed:
        return _failed(malformed.status, "malformed body")
    token = inbound.extra.get("access_token")
    users = tuple(user for user in (inbound.extra.get("person_id"), inbound.user_id) if user)
    # One transaction, shared with the other webhooks arriving at the same moment: the
    # request is recorded and its customer found (by our access token from account
    # linking, else the linked speaker or platform user).
    seen = await hub.writer.sight(
        adapter.name,
        inbound.event_id,
        users,
        _now(),
        token=(grant_hash(token), f"{adapter.name}_access") if token and plausible(token) else None,
        converses=_says_something(inbound),
    )
    if seen.stored is not None:
        # The platform asked again (a retry after a timeout): the same answer.
        return _json(runtime.sealer.open(seen.stored, context=_RESPONSE_CONTEXT))
    with turn_secrets(inbound.text, inbound.user_id):
        budget = getattr(adapter, "answer_seconds", None)
        if budget is None or not _converses(seen, inbound):
            # Nothing for the dialogue to do (a stranger, a welcome, a goodbye): no clock.
            return _json(await _voice_turn(parts, hub, adapter, inbound, seen))
        answer = asyncio.ensure_future(_voice_turn(parts, hub, adapter, inbound, seen))
        try:
            return _json(await asyncio.wait_for(asyncio.shield(answer), budget))
        except TimeoutError:
            # Too slow for the platform's time limit: the answer is still made and kept, so
            # the platform's retry of this request gets it at once.
            return _json(_dumps(adapter.render(inbound, None, linked=True)))


def _says_something(inbound: InboundMessage) -> bool:
    return inbound.kind == "message" and bool(inbound.text.strip())


def _converses(seen: Sighting, inbound: InboundMessage) -> bool:
    """Whether answering means a dialogue turn: a linked customer said something."""
    return seen.customer_id is not None and _says_something(inbound)


async def _voice_turn(
    parts: Gateway,
    hub: ChannelHub,
    adapter: VoiceChannel,
    inbound: InboundMessage,
    seen: Sighting,
) -> str:
    """The answer as JSON text, kept (sealed) for a retry of the request."""
    runtime = parts.runtime
    customer_id = seen.customer_id
    with turn_secrets(inbound.text, inbound.user_id):
        turn: Turn | None = None
        if customer_id is not None and _converses(seen, inbound):
            turn = await parts.dialogue.respond(
                customer_id, adapter.name, inbound.text, lang=inbound.language
            )
        response = adapter.render(inbound, turn, linked=customer_id is not None)
    text = _dumps(response)
    if seen.inbox_id is not None:
        sealed = runtime.sealer.seal(text, context=_RESPONSE_CONTEXT)
        # Kept for a retry of this request; the platform need not wait for the commit.
        hub.writer.keep_answer(seen.inbox_id, sealed, customer_id, _now())
    return text


def _dumps(response: dict[str, Any]) -> str:
    return json.dumps(response, ensure_ascii=False, separators=(",", ":"))


def _json(text: str) -> Reply:
    """JSON text made once: the same bytes are kept for a retry and sent."""
    return Reply(200, text.encode("utf-8"))


def _now() -> datetime:
    return datetime.now(UTC)


# The POSTs are served by `serve`, ahead of the app (see the module's docstring).
routes = [Route("/webhooks/{name}", handshake, methods=["GET"])]
