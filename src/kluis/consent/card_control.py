"""Card control: the customer lets Kluis block and unblock their cards at the bank.

`start_card_link` asks the bank for a card consent and returns where the customer approves
it; the bank sends them back to `/consent/callback` with a one-time state, kept as a link
request marked `CARD_CONTROL`, that `finish_card_link` redeems. `list_cards`, `block_card`
and `unblock_card` need a valid card consent and leave an audit record each.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx

from kluis.banks.cards import Card
from kluis.domain import AuditEvent
from kluis.errors import BankError, BankUnavailable, ConsentNotReady
from kluis.runtime import Runtime
from kluis.security import new_token
from kluis.store.audit import AuditRepository
from kluis.store.card_consents import CardConsent, CardConsentRepository
from kluis.store.consents import ConsentRepository
from kluis.store.customers import CustomerRepository
from kluis.store.link_requests import LinkRequest, LinkRequestRepository

CARD_CONTROL = "card-control"
DATA_CATEGORY = "cards"

logger = logging.getLogger(__name__)


def is_card_link(request: LinkRequest) -> bool:
    """Whether a link request asked for card control rather than an AIS consent."""
    return request.identity is not None and request.identity[0] == CARD_CONTROL


async def start_card_link(
    runtime: Runtime, customer_id: str, *, psu_ip_address: str, channel: str = "web"
) -> str:
    """Ask the bank for card control for a customer who is present; returns the approval URL."""
    settings = runtime.settings
    async with runtime.database.session() as session:
        customer = await CustomerRepository(session).get(customer_id)
        if customer is None:
            raise ConsentNotReady("unknown customer")
        connection = await ConsentRepository(session, runtime.sealer).connection(
            customer_id, settings.bank_name, settings.bank_url, customer_id
        )
    state = new_token(24)
    callback = f"{settings.public_url.rstrip('/')}/consent/callback?state={state}"
    # psu_ip_address: the bank's card API takes no PSU-IP-Address; kept for a future one.
    del psu_ip_address
    bank_id, approve_url = await runtime.cards.create_card_consent(customer_id, callback)
    async with runtime.database.session() as session:
        await LinkRequestRepository(session, runtime.sealer).create(
            state,
            customer_id,
            connection.id,
            channel,
            bank_id,
            identity=(CARD_CONTROL, customer_id),
        )
    return approve_url


async def finish_card_link(runtime: Runtime, request: LinkRequest) -> CardConsent:
    """Store the card consent of a redeemed card-control link request as valid, after the
    bank redirected with `result=ok`; any earlier card consent of the customer ends."""
    if not is_card_link(request):
        raise ConsentNotReady("this link was not for card control")
    async with runtime.database.session() as session:
        repository = CardConsentRepository(session, runtime.sealer)
        await repository.end_all(request.customer_id)
        return await repository.add(
            request.customer_id, request.connection_id, request.bank_consent_id, "valid"
        )


async def active_card_consent(runtime: Runtime, customer_id: str) -> CardConsent | None:
    async with runtime.database.session() as session:
        return await CardConsentRepository(session, runtime.sealer).active(customer_id)


async def _required(runtime: Runtime, customer_id: str) -> CardConsent:
    consent = await active_card_consent(runtime, customer_id)
    if consent is None:
        raise ConsentNotReady("the customer has not allowed card control")
    return consent


async def _audit(
    runtime: Runtime, customer_id: str, action: str, channel: str | None, cards: list[Card]
) -> None:
    async with runtime.database.session() as session:
        await AuditRepository(session).record(
            AuditEvent(
                customer_id=customer_id,
                action=action,
                data_category=DATA_CATEGORY,
                at=datetime.now(UTC),
                channel=channel,
                accounts=tuple(dict.fromkeys(card.resource_id for card in cards)),
                detail={"cards": ",".join(card.card_id for card in cards)},
            )
        )


async def list_cards(
    runtime: Runtime, customer_id: str, *, channel: str | None = None
) -> list[Card]:
    """The customer's cards and whether each is blocked, as the bank tells it now."""
    consent = await _required(runtime, customer_id)
    cards = await runtime.cards.cards(consent.bank_card_consent_id)
    await _audit(runtime, customer_id, "disclose", channel, cards)
    return cards


async def block_card(
    runtime: Runtime, customer_id: str, card_id: str, *, channel: str | None = None
) -> Card:
    consent = await _required(runtime, customer_id)
    card = await runtime.cards.block(consent.bank_card_consent_id, card_id)
    await _audit(runtime, customer_id, "card_block", channel, [card])
    return card


async def unblock_card(
    runtime: Runtime, customer_id: str, card_id: str, *, channel: str | None = None
) -> Card:
    consent = await _required(runtime, customer_id)
    card = await runtime.cards.unblock(consent.bank_card_consent_id, card_id)
    await _audit(runtime, customer_id, "card_unblock", channel, [card])
    return card


async def end_card_control(runtime: Runtime, customer_id: str) -> int:
    """End the customer's card consents here at once (status revoked), then tell the bank;
    a bank that cannot be told now still refuses nothing Kluis asks, as Kluis asks nothing
    more under them. Returns how many ended."""
    async with runtime.database.session() as session:
        repository = CardConsentRepository(session, runtime.sealer)
        ending = await repository.all_active(customer_id)
        await repository.end_all(customer_id)
    for consent in ending:
        try:
            await runtime.cards.delete_card_consent(consent.bank_card_consent_id)
        except BankError as exc:
            logger.warning("the bank was not told a card consent ended (%s)", type(exc).__name__)
    return len(ending)


async def link_sandbox_card_control(runtime: Runtime, customer_id: str) -> CardConsent:
    """Operator shortcut on the sandbox: card control approved by script, as the customer
    would on the bank's page (the demo gives its customers card control this way)."""
    approve_url = await start_card_link(runtime, customer_id, psu_ip_address="127.0.0.1")
    try:
        response = await runtime.http.post(
            approve_url,
            data={"decision": "approve", "psu_id": customer_id},
            follow_redirects=False,
        )
    except httpx.TransportError as exc:
        raise BankUnavailable("the sandbox bank's approval page cannot be reached") from exc
    state = parse_qs(urlsplit(response.headers.get("location", "")).query).get("state", [""])[0]
    async with runtime.database.session() as session:
        request = await LinkRequestRepository(session, runtime.sealer).redeem(state)
    if response.status_code not in {302, 303} or request is None:
        raise ConsentNotReady("the sandbox bank did not approve card control")
    return await finish_card_link(runtime, request)
