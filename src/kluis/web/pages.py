"""What every web route shares: the running parts, who is signed in, and rendering pages.

Routes raise `WebProblem` for the problems a visitor can fix (an empty message, a link that
expired); the app's exception handlers render it once, as a page or as JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Protocol
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from kluis.channels.hub import ChannelHub
from kluis.dialogue.formatting import Lang
from kluis.dialogue.types import Turn
from kluis.domain import Customer
from kluis.errors import KluisError, StorageError
from kluis.runtime import Runtime
from kluis.store.customers import CustomerRepository
from kluis.web.session import SessionSigner
from kluis.web.texts import WebTexts, preferred_locale, texts_for

API_PREFIX = "/chat/api/"

_TEMPLATES = Environment(
    loader=PackageLoader("kluis.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_AMOUNT_AFTER_SIGN = re.compile(r"€ (?=[-−]?\d)")


def keep_amounts_together(text: str) -> str:
    """ "€ 1.234,56" with a no-break space, so a line never ends on the euro sign."""
    return _AMOUNT_AFTER_SIGN.sub("€\u00a0", text)


_TEMPLATES.filters["keep_amounts_together"] = keep_amounts_together


class WebProblem(KluisError):
    """A problem the visitor should be told about, with the HTTP status it deserves.

    `message` is already in the visitor's language; `title` heads the page (the API sends
    only the message). `retry_link` offers to start linking the bank again.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        title: str | None = None,
        retry_link: bool = False,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.title = title
        self.retry_link = retry_link


class ChatResponder(Protocol):
    """Answers a message; `psu_ip_address` says the customer is present (`Dialogue` is one)."""

    async def respond(
        self,
        customer_id: str,
        channel: str,
        text: str,
        *,
        psu_ip_address: str | None = None,
        lang: Lang | None = None,
    ) -> Turn: ...


@dataclass(frozen=True, slots=True)
class Gateway:
    """The parts a web request works with, kept on `app.state.gateway` by the lifespan."""

    runtime: Runtime
    dialogue: ChatResponder
    sessions: SessionSigner
    channels: ChannelHub | None = None


def gateway_of(request: Request) -> Gateway:
    found = getattr(request.app.state, "gateway", None)
    if not isinstance(found, Gateway):
        raise StorageError("the web app was not started")  # outside its lifespan
    return found


async def gateway(request: Request) -> Gateway:
    """The dependency; async, because FastAPI runs a plain function dependency in a thread
    (one hop per request)."""
    return gateway_of(request)


GatewayDependency = Annotated[Gateway, Depends(gateway)]


async def signed_in_customer(request: Request, parts: Gateway) -> Customer | None:
    """The customer the session cookie names, if it is valid and they still exist."""
    customer_id = parts.sessions.read(request)
    if customer_id is None:
        return None
    async with parts.runtime.database.session() as session:
        return await CustomerRepository(session).get(customer_id)


async def visitor_texts(request: Request) -> WebTexts:
    """The signed-in customer's language, else the browser's; never fails."""
    parts = getattr(request.app.state, "gateway", None)
    if isinstance(parts, Gateway):
        try:
            customer = await signed_in_customer(request, parts)
        except StorageError:
            customer = None
        if customer is not None:
            return texts_for(customer.language)
    return texts_for(preferred_locale(request.headers.get("Accept-Language")))


def bank_name(request: Request) -> str:
    parts = getattr(request.app.state, "gateway", None)
    return parts.runtime.settings.bank_name if isinstance(parts, Gateway) else "Kluis"


def is_api(request: Request) -> bool:
    return request.url.path.startswith((API_PREFIX, "/webhooks/", "/oauth/token"))


def render(
    request: Request,
    template: str,
    texts: WebTexts,
    *,
    status_code: int = 200,
    **values: object,
) -> HTMLResponse:
    """A page in `texts.language`; personal pages are never cached."""
    html = _TEMPLATES.get_template(template).render(t=texts, bank=bank_name(request), **values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_same_origin(request: Request, texts: WebTexts) -> None:
    """Refuse a state-changing request that another site's page sent (403).

    Browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`); a request
    without either (a script, a test client) carries no cookie another site could borrow.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        raise WebProblem(403, texts.forbidden)
    origin = request.headers.get("Origin")
    if origin is None:
        return
    allowed = {
        _origin(str(request.base_url)),
        _origin(gateway_of(request).runtime.settings.public_url),
    }
    if origin.lower() not in allowed:
        raise WebProblem(403, texts.forbidden)
