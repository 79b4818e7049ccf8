"""Card control: the sandbox bank's own API, because no Berlin Group consent can grant a write.

- `POST /sandbox/card-consents` with `PSU-ID` (and optionally `TPP-Redirect-URI`,
  `TPP-Nok-Redirect-URI`, `TPP-Brand-Logging-Information`) answers 201
  `{"cardConsentId", "cardConsentStatus": "received", "_links": {"scaRedirect": {"href"}}}`;
  the customer approves at `scaRedirect` like an AIS consent.
- With an approved id in `Card-Consent-ID`: `GET /sandbox/cards` answers
  `{"cards": [{"cardId", "resourceId", "maskedPan", "blocked"}]}` and
  `POST /sandbox/cards/{cardId}/block` and `/unblock` answer that card. Without one: 401.
- `GET /sandbox/card-consents/{id}` tells its status; `DELETE` ends it (`terminatedByTpp`).

Blocks are remembered in the sandbox state: from the day after a block until the day of
unblocking, payments with the card are declined and never reach the books.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from kluis.sandbox.consents import psu_of, redirect_header, tpp_name_of
from kluis.sandbox.context import SandboxContext, base_url, new_identifier, sandbox_context
from kluis.sandbox.model import SandboxCard
from kluis.sandbox.problems import SandboxRequestError
from kluis.sandbox.resources import JsonObject
from kluis.sandbox.state import CardConsentRecord

router = APIRouter(tags=["sandbox card control"])
Context = Annotated[SandboxContext, Depends(sandbox_context)]


def _card_json(context: SandboxContext, card: SandboxCard) -> JsonObject:
    return {
        "cardId": card.card_id,
        "resourceId": card.resource_id,
        "maskedPan": card.masked_pan,
        "blocked": card.card_id in context.state.blocked_card_ids(),
    }


def _approved(context: SandboxContext, request: Request) -> CardConsentRecord:
    card_consent_id = request.headers.get("Card-Consent-ID", "").strip()
    if not card_consent_id:
        raise SandboxRequestError(401, "CONSENT_UNKNOWN", "the Card-Consent-ID header is required")
    consent = context.state.card_consents.get(card_consent_id)
    if consent is None:
        raise SandboxRequestError(401, "CONSENT_UNKNOWN", "the card consent is unknown")
    if consent.status != "valid":
        raise SandboxRequestError(401, "CONSENT_INVALID", f"the card consent is {consent.status}")
    return consent


def _card_of(context: SandboxContext, consent: CardConsentRecord, card_id: str) -> SandboxCard:
    card = context.bank.card(card_id)
    if card is None or card.customer_id != consent.psu_id:
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "no such card")
    return card


@router.post("/sandbox/card-consents", status_code=201)
async def create_card_consent(request: Request, context: Context) -> JSONResponse:
    """Ask the customer for card control; approve at `_links.scaRedirect`."""
    psu_id = psu_of(context, request)
    redirect_uri = redirect_header(request, "TPP-Redirect-URI")
    nok_redirect_uri = redirect_header(request, "TPP-Nok-Redirect-URI")
    today = context.today()
    consent = CardConsentRecord(
        card_consent_id=new_identifier(),
        psu_id=psu_id,
        redirect_uri=redirect_uri,
        nok_redirect_uri=nok_redirect_uri,
        tpp_name=tpp_name_of(request, redirect_uri),
        created=today,
        last_action=today,
    )
    async with context.changing() as state:
        state.card_consents[consent.card_consent_id] = consent
    base = base_url(request)
    identifier = consent.card_consent_id
    return JSONResponse(
        {
            "cardConsentId": identifier,
            "cardConsentStatus": consent.status,
            "_links": {
                "scaRedirect": {"href": f"{base}/sandbox/sca/card-consents/{identifier}"},
                "self": {"href": f"{base}/sandbox/card-consents/{identifier}"},
            },
        },
        status_code=201,
    )


@router.get("/sandbox/card-consents/{card_consent_id}")
async def read_card_consent(card_consent_id: str, context: Context) -> JSONResponse:
    """The card consent's status: received, valid, rejected or terminatedByTpp."""
    consent = context.state.card_consents.get(card_consent_id)
    if consent is None:
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "the card consent is unknown")
    return JSONResponse({"cardConsentId": card_consent_id, "cardConsentStatus": consent.status})


@router.delete("/sandbox/card-consents/{card_consent_id}", status_code=204)
async def delete_card_consent(card_consent_id: str, context: Context) -> Response:
    """End the card consent; its id no longer opens the cards."""
    if card_consent_id not in context.state.card_consents:
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "the card consent is unknown")
    today = context.today()
    async with context.changing() as state:
        consent = state.card_consents[card_consent_id]
        state.card_consents[card_consent_id] = consent.model_copy(
            update={"status": "terminatedByTpp", "last_action": today}
        )
    return Response(status_code=204)


@router.get("/sandbox/cards")
async def list_cards(request: Request, context: Context) -> JSONResponse:
    """The customer's cards and whether each is blocked."""
    consent = _approved(context, request)
    cards = [_card_json(context, card) for card in context.bank.cards_of(consent.psu_id)]
    return JSONResponse({"cards": cards})


@router.post("/sandbox/cards/{card_id}/{action}")
async def change_card(
    card_id: str, action: str, request: Request, context: Context
) -> JSONResponse:
    """`block` or `unblock` a card; doing it twice changes nothing. Answers the card."""
    if action not in ("block", "unblock"):
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "use /block or /unblock")
    consent = _approved(context, request)
    card = _card_of(context, consent, card_id)
    today = context.today()
    async with context.changing() as state:
        if action == "block":
            state.block_card(card.card_id, today)
        else:
            state.unblock_card(card.card_id, today)
    return JSONResponse(_card_json(context, card))
