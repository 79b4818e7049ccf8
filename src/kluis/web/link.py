"""Linking a chat user (Telegram, Messenger, ...) to a customer through the web pages.

    GET  /link/{token}     the page a chat's one-time link opens: the demo sign-in first
                           (which comes back here), then what Kluis will read and a choice:
                           all accounts, or choose them at the bank
    POST /link/{token}     accounts=all|choose: uses the token up and asks the bank for a
                           consent; 303 to the bank's approval page

The token only names the chat user (`kluis.consent.link_tokens`); the link request keeps
that identity until the bank sends the browser back to `/consent/callback`, which calls
`after_approval`: the chat user is linked to the signed-in customer, and any older consent
(a renewal, or linking again) ends.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kluis.consent.lifecycle import supersede_previous
from kluis.consent.link_tokens import peek_link_token, redeem_link_token
from kluis.consent.linking import start_link
from kluis.domain import Consent, ConsentAccess, Customer
from kluis.sandbox.demo_profiles import DEMO_PROFILES
from kluis.store.customers import CustomerRepository
from kluis.store.link_requests import LinkRequestRepository
from kluis.web.consent_texts import ConsentTexts, consent_texts_for
from kluis.web.pages import (
    Gateway,
    GatewayDependency,
    check_same_origin,
    render,
    signed_in_customer,
    visitor_texts,
)
from kluis.web.texts import WebTexts, texts_for

router = APIRouter(include_in_schema=False)

WEB_CHANNEL = "web"
_RETURN_PATH = re.compile(r"/link/[A-Za-z0-9_-]{1,128}|/consents")


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"


def safe_next(path: str) -> str | None:
    """Where signing in may send the browser on to: a chat link page of ours or "Mijn
    toestemmingen", nothing else."""
    return path if _RETURN_PATH.fullmatch(path) else None


def requested_access(choice: str) -> ConsentAccess | None:
    """The form's choice of accounts: "choose" asks the bank for a bank-offered consent (the
    customer ticks the accounts on the bank's page); anything else asks for all accounts."""
    return ConsentAccess() if choice == "choose" else None


def sign_in_page(
    request: Request, texts: WebTexts, *, next_path: str, notice: str | None = None
) -> Response:
    """The chat's demo sign-in, coming back to `next_path` afterwards."""
    profiles = [(p.customer_id, p.name, p.language) for p in DEMO_PROFILES]
    return render(
        request,
        "signin.html",
        texts,
        title=texts.signin_title,
        profiles=profiles,
        next=next_path,
        notice=notice,
    )


def _expired(request: Request, texts: WebTexts, words: ConsentTexts, signed_in: bool) -> Response:
    return render(
        request,
        "chat_link_message.html",
        texts,
        status_code=410,
        title=words.chat_link_expired_title,
        text=words.chat_link_expired_text,
        problem=True,
        signed_in=signed_in,
    )


async def _who(request: Request, parts: Gateway) -> tuple[Customer | None, WebTexts]:
    customer = await signed_in_customer(request, parts)
    texts = texts_for(customer.language) if customer else await visitor_texts(request)
    return customer, texts


@router.get("/link/{token}")
async def chat_link_page(token: str, request: Request, parts: GatewayDependency) -> Response:
    customer, texts = await _who(request, parts)
    words = consent_texts_for(texts.language)
    identity = await peek_link_token(parts.runtime, token)
    next_path = safe_next(f"/link/{token}")
    if identity is None or next_path is None:
        return _expired(request, texts, words, customer is not None)
    if customer is None:
        return sign_in_page(request, texts, next_path=next_path, notice=words.chat_link_signin)
    channel = words.channel(identity[0])
    return render(
        request,
        "chat_link.html",
        texts,
        title=words.chat_link_title.format(channel=channel),
        w=words,
        intro=words.chat_link_intro.format(name=customer.name, channel=channel),
        action=next_path,
        signed_in=True,
    )


@router.post("/link/{token}")
async def chat_link_start(
    token: str,
    request: Request,
    parts: GatewayDependency,
    accounts: Annotated[str, Form()] = "all",
) -> Response:
    customer, texts = await _who(request, parts)
    check_same_origin(request, texts)
    words = consent_texts_for(texts.language)
    next_path = safe_next(f"/link/{token}")
    if next_path is None:
        return _expired(request, texts, words, customer is not None)
    if customer is None:
        return see_other(next_path)
    identity = await redeem_link_token(parts.runtime, token)
    if identity is None:
        return _expired(request, texts, words, True)
    approve_url = await start_link(
        parts.runtime,
        customer.id,
        WEB_CHANNEL,
        psu_ip_address=client_ip(request),
        access=requested_access(accounts),
        identity=identity,
    )
    return see_other(approve_url)


async def after_approval(
    request: Request, parts: Gateway, customer: Customer, state: str, consent: Consent
) -> Response:
    """The bank approved the consent of link request `state`: older consents on the same
    bank end, the chat user the link came from (if any) is linked to the customer, and the
    customer sees where to go next."""
    superseded = await supersede_previous(parts.runtime, customer.id, consent.id)
    async with parts.runtime.database.session() as session:
        link = await LinkRequestRepository(session, parts.runtime.sealer).get(state)
        identity = link.identity if link is not None else None
        if identity is not None:
            await CustomerRepository(session).link_identity(identity[0], identity[1], customer.id)
    if identity is not None:
        texts = texts_for(customer.language)
        words = consent_texts_for(customer.language)
        return render(
            request,
            "chat_link_message.html",
            texts,
            title=words.chat_link_done_title,
            text=words.chat_link_done_text.format(channel=words.channel(identity[0])),
            signed_in=True,
        )
    if superseded:
        return see_other("/consents?done=renewed")
    return see_other("/chat")
