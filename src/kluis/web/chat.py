"""The web chat on the bank's own site: sign-in, linking the bank, the chat and its API.

    GET  /                      -> /chat
    GET  /chat                  sign-in, or "link your bank", or the chat itself
    POST /chat/signin           sign in as a sandbox demo customer (form: customer_id, and
                                `next`: a chat link page or /consents to come back to)
    POST /chat/link             ask the bank for a consent (form: accounts=all|choose); 303 to
                                the bank's approval page
    POST /chat/signout          forget the session
    GET  /consent/callback      where the bank sends the browser back (state, result)
    POST /chat/api/messages     {"text": ...} -> the turn as contracts/chat.md describes it

Form posts must come from our own pages (`check_same_origin`); the API also needs the
`X-Kluis-Chat: 1` header, which only our script sends: another site's page cannot add a
custom header without a CORS preflight, and we answer none.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from kluis.alerts.delivery import message_of
from kluis.consent.card_control import finish_card_link, is_card_link
from kluis.consent.linking import finish_link, start_link
from kluis.dialogue.render import turn_to_json
from kluis.dialogue.types import Turn
from kluis.domain import Customer
from kluis.errors import ConsentNotReady
from kluis.insights.charts import describe
from kluis.sandbox.demo_profiles import DEMO_PROFILES
from kluis.store.alerts import AlertRepository
from kluis.store.consents import ConsentRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.store.link_requests import LinkRequestRepository
from kluis.store.models import LinkRequestRow
from kluis.web.link import after_approval, platform_return, requested_access, safe_next
from kluis.web.pages import (
    Gateway,
    GatewayDependency,
    WebProblem,
    check_same_origin,
    render,
    signed_in_customer,
    visitor_texts,
)
from kluis.web.texts import WebTexts, locale_of, texts_for

router = APIRouter(include_in_schema=False)

CHANNEL = "web"
MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 16 * 1024
HISTORY_LIMIT = 50
CSRF_HEADER = "X-Kluis-Chat"


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"


async def _has_valid_consent(parts: Gateway, customer: Customer) -> bool:
    async with parts.runtime.database.session() as session:
        consent = await ConsentRepository(session, parts.runtime.sealer).active_for_customer(
            customer.id
        )
    return consent is not None and consent.valid_until >= parts.runtime.today()


@router.get("/")
async def home() -> RedirectResponse:
    return _see("/chat")


@router.get("/chat")
async def chat_page(request: Request, parts: GatewayDependency) -> Response:
    customer = await signed_in_customer(request, parts)
    if customer is None:
        texts = await visitor_texts(request)
        profiles = [(p.customer_id, p.name, p.language) for p in DEMO_PROFILES]
        return render(request, "signin.html", texts, title=texts.signin_title, profiles=profiles)
    texts = texts_for(customer.language)
    if not await _has_valid_consent(parts, customer):
        return render(
            request,
            "link.html",
            texts,
            title=texts.link_title,
            intro=texts.link_intro.format(
                name=customer.name, bank=parts.runtime.settings.bank_name
            ),
            signed_in=True,
        )
    async with parts.runtime.database.session() as session:
        history = await ConversationRepository(session).recent(customer.id, CHANNEL, HISTORY_LIMIT)
    return render(
        request,
        "chat.html",
        texts,
        title=texts.chat_title,
        history=history,
        greeting=texts.greeting.format(name=customer.name.split()[0]),
        signed_in=True,
        max_chars=MAX_MESSAGE_CHARS,
    )


@router.post("/chat/signin")
async def sign_in(
    request: Request,
    parts: GatewayDependency,
    customer_id: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    texts = await visitor_texts(request)
    check_same_origin(request, texts)
    profile = next((p for p in DEMO_PROFILES if p.customer_id == customer_id), None)
    if profile is None:
        raise WebProblem(400, texts.bad_request)
    async with parts.runtime.database.session() as session:
        await CustomerRepository(session).ensure(
            profile.customer_id, profile.name, profile.language
        )
    response = _see(safe_next(next_path) or "/chat")
    parts.sessions.write(response, profile.customer_id)
    return response


@router.post("/chat/signout")
async def sign_out(request: Request, parts: GatewayDependency) -> Response:
    check_same_origin(request, await visitor_texts(request))
    response = _see("/chat")
    parts.sessions.clear(response)
    return response


@router.post("/chat/link")
async def link_bank(
    request: Request, parts: GatewayDependency, accounts: Annotated[str, Form()] = "all"
) -> Response:
    customer = await signed_in_customer(request, parts)
    if customer is None:
        return _see("/chat")
    check_same_origin(request, texts_for(customer.language))
    approve_url = await start_link(
        parts.runtime,
        customer.id,
        CHANNEL,
        psu_ip_address=_client_ip(request),
        access=requested_access(accounts),
    )
    return _see(approve_url)


async def _link_owner(parts: Gateway, state: str) -> tuple[str, bool] | None:
    """Whose link request `state` is, and whether it can still be redeemed."""
    async with parts.runtime.database.session() as session:
        row = await session.scalar(select(LinkRequestRow).where(LinkRequestRow.state == state))
        if row is None:
            return None
        expires_at = row.expires_at
        if expires_at.tzinfo is None:  # SQLite keeps no zone; only UTC is ever written
            expires_at = expires_at.replace(tzinfo=UTC)
        return row.customer_id, row.used_at is None and expires_at > datetime.now(UTC)


def _link_outcome(
    request: Request, texts: WebTexts, title: str, text: str, status: int
) -> Response:
    return render(
        request,
        "message.html",
        texts,
        status_code=status,
        title=title,
        text=text,
        retry_link=True,
        signed_in=True,
    )


@router.get("/consent/callback")
async def consent_callback(
    request: Request, parts: GatewayDependency, state: str = "", result: str = ""
) -> Response:
    customer = await signed_in_customer(request, parts)
    texts = texts_for(customer.language) if customer else await visitor_texts(request)
    owner = await _link_owner(parts, state) if state else None
    if customer is None:
        raise WebProblem(403, texts.signed_out)
    if owner is not None and owner[0] != customer.id:
        raise WebProblem(403, texts.not_yours_text, title=texts.not_yours_title)
    if owner is None or not owner[1]:
        return _link_outcome(request, texts, texts.link_expired_title, texts.link_expired_text, 410)
    if result != "ok":
        refused = await platform_return(parts, state)  # Messenger's linking: back there
        return refused or _link_outcome(
            request, texts, texts.link_refused_title, texts.link_refused_text, 200
        )
    if await _is_card_link(parts, state):
        return await _finish_cards(request, parts, texts, state)
    try:
        consent = await finish_link(parts.runtime, state)
    except ConsentNotReady:
        # The bank did not confirm it: refused after all, or the approval lapsed.
        refused = await platform_return(parts, state)
        return refused or _link_outcome(
            request, texts, texts.link_refused_title, texts.link_refused_text, 200
        )
    async with parts.runtime.database.session() as session:
        await CustomerRepository(session).link_identity(CHANNEL, customer.id, consent.customer_id)
    return await after_approval(request, parts, customer, state, consent)


async def _is_card_link(parts: Gateway, state: str) -> bool:
    async with parts.runtime.database.session() as session:
        link = await LinkRequestRepository(session, parts.runtime.sealer).get(state)
    return link is not None and is_card_link(link)


async def _finish_cards(request: Request, parts: Gateway, texts: WebTexts, state: str) -> Response:
    """The bank approved card control: store the card consent, back to "Mijn toestemmingen"."""
    async with parts.runtime.database.session() as session:
        link = await LinkRequestRepository(session, parts.runtime.sealer).redeem(state)
    if link is None:
        return _link_outcome(request, texts, texts.link_expired_title, texts.link_expired_text, 410)
    await finish_card_link(parts.runtime, link)
    return _see("/consents?done=cards#cards")


async def _message_text(request: Request, texts: WebTexts) -> str:
    too_long = WebProblem(400, texts.message_too_long.format(limit=_limit(texts)))
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_long
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise too_long
    try:
        data = json.loads(body)
    except ValueError:
        raise WebProblem(400, texts.bad_request) from None
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        raise WebProblem(400, texts.bad_request)
    text = text.strip()
    if not text:
        raise WebProblem(400, texts.message_empty)
    if len(text) > MAX_MESSAGE_CHARS:
        raise too_long
    return text


def _limit(texts: WebTexts) -> str:
    """The length limit as the customer writes numbers: 2,000 or 2.000."""
    grouped = f"{MAX_MESSAGE_CHARS:,}"
    return grouped if texts.language == "en" else grouped.replace(",", ".")


def _turn_json(turn: Turn) -> dict[str, Any]:
    """The contract's JSON, plus alt text for each chart so the page can describe it."""
    data = turn_to_json(turn)
    locale = locale_of(turn.lang)
    for reply, shown in zip(turn.replies, data.get("replies", []), strict=False):
        if isinstance(shown, dict):
            shown["alt"] = describe(reply.chart, locale) if reply.chart else None
    return data


@router.post("/chat/api/messages")
async def post_message(request: Request, parts: GatewayDependency) -> JSONResponse:
    customer = await signed_in_customer(request, parts)
    texts = texts_for(customer.language) if customer else await visitor_texts(request)
    if request.headers.get(CSRF_HEADER) != "1":
        raise WebProblem(403, texts.forbidden)
    check_same_origin(request, texts)
    if customer is None:
        raise WebProblem(401, texts.signed_out)
    text = await _message_text(request, texts)
    # The customer is here and asking: the bank counts the read as theirs, not ours.
    turn = await parts.dialogue.respond(
        customer.id, CHANNEL, text, psu_ip_address=_client_ip(request)
    )
    return JSONResponse(_turn_json(turn), headers={"Cache-Control": "no-store"})


@router.get("/chat/api/alerts")
async def alerts_since(request: Request, parts: GatewayDependency) -> JSONResponse:
    """Alerts given in the web chat since the one with id `after` (the page asks every few
    seconds); without `after`, those of the last day. Reading them is no new disclosure:
    each was audited when it was given."""
    customer = await signed_in_customer(request, parts)
    if customer is None:
        texts = await visitor_texts(request)
        raise WebProblem(401, texts.signed_out)
    after = request.query_params.get("after", "")
    runtime = parts.runtime
    async with runtime.database.session() as session:
        repository = AlertRepository(session)
        if after.isdigit():
            found = await repository.on_channel_after(customer.id, CHANNEL, int(after))
        else:
            since = datetime.now(UTC) - timedelta(days=1)
            found = [
                record
                for record in await repository.on_channel_after(customer.id, CHANNEL, 0, 200)
                if record.delivered_at is not None and record.delivered_at >= since
            ]
    shown = []
    for record in found:
        message = message_of(runtime, record)
        if message is not None:
            buttons = list(message.buttons) if record.answer is None else []
            shown.append({"id": record.id, "text": message.text, "buttons": buttons})
    latest = max((record.id for record in found), default=int(after) if after.isdigit() else 0)
    return JSONResponse({"alerts": shown, "latest": latest}, headers={"Cache-Control": "no-store"})
