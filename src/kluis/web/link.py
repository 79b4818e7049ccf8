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

Messenger's Log In button opens the page as `/link/{token}?account_linking_token=..&
redirect_uri=..`. A `redirect_uri` on Facebook's or Messenger's own https hosts travels
with the page through sign-in and is kept on the link request; once the bank has decided,
the browser goes back there: with `authorization_code` (a one-time `messenger_link` grant
that Messenger's `linked` webhook brings back) when the bank approved, without it when the
customer said no or the bank refused (`platform_return`). Any other `redirect_uri` is
ignored.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from kluis.channels.grants import issue_grant
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
_RETURN_PATH = re.compile(
    r"/link/[A-Za-z0-9_-]{1,128}(\?[A-Za-z0-9_.~%&=+-]{0,2000})?|/consents|/connect/telegram"
    r"|/oauth/authorize\?[A-Za-z0-9_.~%&=+-]{1,2000}"
)
MESSENGER = "messenger"
# Where Messenger's account linking may send the browser back to: Meta's own hosts.
_RETURN_HOSTS = ("facebook.com", "messenger.com")
_MAX_RETURN_URI = 1024


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "127.0.0.1"


def safe_next(path: str) -> str | None:
    """Where signing in may send the browser on to: a chat link page of ours (with the
    query Messenger's account linking adds), "Mijn toestemmingen", connecting Telegram, or
    Alexa's account-linking request; nothing else."""
    return path if _RETURN_PATH.fullmatch(path) else None


def requested_access(choice: str) -> ConsentAccess | None:
    """The form's choice of accounts: "choose" asks the bank for a bank-offered consent (the
    customer ticks the accounts on the bank's page); anything else asks for all accounts."""
    return ConsentAccess() if choice == "choose" else None


def platform_return_uri(value: str | None) -> str | None:
    """Messenger's `redirect_uri` when it is an https page of Facebook or Messenger, else
    None: the browser is only ever sent back to Meta, never to a page someone put in a link."""
    if not value or len(value) > _MAX_RETURN_URI:
        return None
    if any(not 32 < ord(char) < 127 or char == "\\" for char in value):
        return None  # browsers read a backslash as a slash; spaces and controls never belong
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme != "https" or "@" in parts.netloc or port not in (None, 443):
        return None
    if not any(host == domain or host.endswith(f".{domain}") for domain in _RETURN_HOSTS):
        return None
    return value


def with_query(uri: str, **values: str) -> str:
    """`uri` with `values` added to its query; what the query held stays as it was."""
    parts = urlsplit(uri)
    added = urlencode(values)
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit(parts._replace(query=query))


def _page_path(token: str, return_uri: str | None) -> tuple[str | None, str | None]:
    """The link page's path, carrying `return_uri` in its query through sign-in, and the
    return URI it carries (None when it would not fit a safe path)."""
    if return_uri is not None:
        path = safe_next(f"/link/{token}?{urlencode({'redirect_uri': return_uri})}")
        if path is not None:
            return path, return_uri
    return safe_next(f"/link/{token}"), None


def _returns_to(identity: tuple[str, str] | None, redirect_uri: str) -> str | None:
    """The page to send the browser back to, for a Messenger user's link only."""
    if identity is None or identity[0] != MESSENGER:
        return None
    return platform_return_uri(redirect_uri)


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
async def chat_link_page(
    token: str, request: Request, parts: GatewayDependency, redirect_uri: str = ""
) -> Response:
    customer, texts = await _who(request, parts)
    words = consent_texts_for(texts.language)
    identity = await peek_link_token(parts.runtime, token)
    next_path, return_uri = _page_path(token, _returns_to(identity, redirect_uri))
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
        back=return_uri,
        signed_in=True,
    )


@router.post("/link/{token}")
async def chat_link_start(
    token: str,
    request: Request,
    parts: GatewayDependency,
    accounts: Annotated[str, Form()] = "all",
    redirect_uri: str = "",
) -> Response:
    customer, texts = await _who(request, parts)
    check_same_origin(request, texts)
    words = consent_texts_for(texts.language)
    next_path, _ = _page_path(token, platform_return_uri(redirect_uri))
    if next_path is None:
        return _expired(request, texts, words, customer is not None)
    if customer is None:
        return see_other(next_path)
    identity = await redeem_link_token(parts.runtime, token)
    if identity is None:
        return _expired(request, texts, words, True)
    _, return_uri = _page_path(token, _returns_to(identity, redirect_uri))
    access = requested_access(accounts)
    approve_url = await start_link(
        parts.runtime,
        customer.id,
        WEB_CHANNEL,
        psu_ip_address=client_ip(request),
        access=access,
        identity=identity,
        return_uri=return_uri,
    )
    return see_other(approve_url)


async def after_approval(
    request: Request, parts: Gateway, customer: Customer, state: str, consent: Consent
) -> Response:
    """The bank approved the consent of link request `state`: older consents on the same
    bank end, the chat user the link came from (if any) is linked to the customer, and the
    customer sees where to go next: back to Messenger with our authorisation code when the
    link came from its Log In button."""
    superseded = await supersede_previous(parts.runtime, customer.id, consent.id)
    async with parts.runtime.database.session() as session:
        link = await LinkRequestRepository(session, parts.runtime.sealer).get(state)
        identity = link.identity if link is not None else None
        if identity is not None:
            await CustomerRepository(session).link_identity(identity[0], identity[1], customer.id)
    if identity is not None and identity[0] == MESSENGER and link and link.return_uri:
        code = await issue_grant(
            parts.runtime, "messenger_link", MESSENGER, customer.id, platform_user_id=identity[1]
        )
        return see_other(with_query(link.return_uri, authorization_code=code))
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


async def platform_return(parts: Gateway, state: str) -> Response | None:
    """When the customer said no at the bank or the bank refused: back to the platform page
    the link came from (Messenger's account linking), without a code; None when it came
    from none."""
    async with parts.runtime.database.session() as session:
        link = await LinkRequestRepository(session, parts.runtime.sealer).get(state)
    if link is None or link.return_uri is None:
        return None
    return see_other(link.return_uri)
