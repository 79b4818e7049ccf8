"""The platforms' webhooks: `GET` for the verification handshake, `POST` for events.

    GET  /webhooks/{channel}   Messenger and WhatsApp: echo `hub.challenge` for our token
    POST /webhooks/{channel}   verify -> parse -> record (deduplicated) -> 200 at once;
                               the channel worker answers afterwards. Alexa and Dialogflow
                               wait for the answer, which is given in the response.

A channel that is not configured answers 404. A request that fails verification gets
401/403 (Alexa: 400, as Amazon requires) and nothing about it is recorded; a body over
the size limit gets 413 before it is read; a body that is not the platform's shape, 400.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from kluis.channels.base import Channel, InboundMessage, VoiceChannel, WebhookRejected
from kluis.channels.grants import customer_for_token
from kluis.channels.hub import ChannelHub
from kluis.dialogue.types import Turn
from kluis.privacy.log_redaction import turn_secrets
from kluis.store.channels import WORKING, InboxRepository
from kluis.store.customers import CustomerRepository
from kluis.web.pages import Gateway, GatewayDependency

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", include_in_schema=False)

_RESPONSE_CONTEXT = "channel-voice-response"
_RECEIVED = b'{"status":"received"}'


class _TooLarge(Exception):
    pass


def _problem(status: int, error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status, headers={"Cache-Control": "no-store"})


def _hub(parts: Gateway) -> ChannelHub | None:
    return parts.channels


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/{name}")
async def handshake(name: str, request: Request, parts: GatewayDependency) -> Response:
    hub = _hub(parts)
    adapter = hub.get(name) if hub else None
    if not isinstance(adapter, Channel):
        return _problem(404, "not found")
    answer = adapter.handshake(dict(request.query_params))
    if answer is None:
        return _problem(403, "verification failed")
    return PlainTextResponse(answer)


@router.post("/{name}")
async def receive(name: str, request: Request, parts: GatewayDependency) -> Response:
    hub = _hub(parts)
    adapter = hub.get(name) if hub else None
    if hub is None or adapter is None:
        return _problem(404, "not found")
    try:
        body = await _body(request, parts.runtime.settings.webhook_max_body_bytes)
    except _TooLarge:
        return _problem(413, "body too large")
    try:
        await adapter.verify(body, request.headers)
    except WebhookRejected as rejected:
        logger.warning("%s webhook rejected: %s", name, type(rejected).__name__)
        return _problem(rejected.status, "verification failed")
    if isinstance(adapter, VoiceChannel):
        return await _answer_voice(parts, hub, adapter, body)
    try:
        messages = adapter.parse(body)
    except WebhookRejected as malformed:
        return _problem(malformed.status, "malformed body")
    await hub.record(name, messages)
    return Response(_RECEIVED, media_type="application/json")


async def _voice_customer(
    parts: Gateway, adapter: VoiceChannel, inbound: InboundMessage
) -> str | None:
    runtime = parts.runtime
    token = inbound.extra.get("access_token")
    if token:
        customer_id = await customer_for_token(runtime, f"{adapter.name}_access", token)
        if customer_id is not None:
            return customer_id
    async with runtime.database.session() as session:
        customers = CustomerRepository(session)
        for user in (inbound.extra.get("person_id"), inbound.user_id):
            if user:
                identity = await customers.identity(adapter.name, user)
                if identity is not None:
                    return identity.customer_id
    return None


async def _answer_voice(
    parts: Gateway, hub: ChannelHub, adapter: VoiceChannel, body: bytes
) -> Response:
    runtime = parts.runtime
    try:
        inbound = adapter.parse(body)
    except WebhookRejected as malformed:
        return _problem(malformed.status, "malformed body")
    now = _now()
    new = await hub.writer.submit(
        lambda session: InboxRepository(session).record(
            adapter.name, [(inbound.event_id, b"")], now, status=WORKING
        )
    )
    if not new:
        async with runtime.database.session() as session:
            _, stored = await InboxRepository(session).response_for(adapter.name, inbound.event_id)
        if stored is not None:
            # The platform asked again (a retry after a timeout): the same answer.
            return JSONResponse(json.loads(runtime.sealer.open(stored, context=_RESPONSE_CONTEXT)))
    with turn_secrets(inbound.text, inbound.user_id):
        answer = asyncio.ensure_future(
            _voice_turn(parts, hub, adapter, inbound, new[0] if new else None)
        )
        budget = getattr(adapter, "answer_seconds", None)
        if budget is None:
            return JSONResponse(await answer)
        try:
            return JSONResponse(await asyncio.wait_for(asyncio.shield(answer), budget))
        except TimeoutError:
            # Too slow for the platform's time limit: the answer is still made and kept, so
            # the platform's retry of this request gets it at once.
            return JSONResponse(adapter.render(inbound, None, linked=True))


async def _voice_turn(
    parts: Gateway,
    hub: ChannelHub,
    adapter: VoiceChannel,
    inbound: InboundMessage,
    inbox_id: int | None,
) -> dict[str, Any]:
    runtime = parts.runtime
    with turn_secrets(inbound.text, inbound.user_id):
        customer_id = await _voice_customer(parts, adapter, inbound)
        turn: Turn | None = None
        if customer_id is not None and inbound.kind == "message" and inbound.text.strip():
            turn = await parts.dialogue.respond(
                customer_id, adapter.name, inbound.text, lang=inbound.language
            )
        response = adapter.render(inbound, turn, linked=customer_id is not None)
    if inbox_id is not None:
        sealed = runtime.sealer.seal(json.dumps(response), context=_RESPONSE_CONTEXT)
        now = _now()
        await hub.writer.submit(
            lambda session: InboxRepository(session).answered(inbox_id, sealed, customer_id, now)
        )
    return response


def _now() -> datetime:
    return datetime.now(UTC)
