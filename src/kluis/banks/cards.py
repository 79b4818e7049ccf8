"""A client for the bank's own card-control API: block and unblock cards.

PSD2 grants no writes, so the bank has its own authorisation for this: a card consent that
the customer approves at the bank (`POST /sandbox/card-consents`), whose id then goes in the
`Card-Consent-ID` header. One method, `_send`, maps failures to Kluis's exceptions.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from kluis.errors import (
    BankRequestRejected,
    BankUnavailable,
    ConsentNotReady,
    ConsentRevoked,
    MalformedResponse,
    RateLimited,
)

# The bank says CONSENT_INVALID for a card consent that is not valid (not approved yet,
# refused, or ended) and CONSENT_UNKNOWN for an id it never issued.
_NOT_READY_CODES = {"CONSENT_INVALID"}


@dataclass(frozen=True, slots=True)
class Card:
    """A payment card as the bank shows it: never the full card number."""

    card_id: str
    resource_id: str
    masked_pan: str
    blocked: bool


def _codes(response: httpx.Response) -> set[str]:
    try:
        body = response.json()
    except ValueError:
        return set()
    messages = body.get("tppMessages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return set()
    return {str(item.get("code")) for item in messages if isinstance(item, dict)}


def _error_for(response: httpx.Response) -> Exception:
    status = response.status_code
    if status == 429:
        return RateLimited("the bank allows no more card requests for now", retry_after=None)
    if status >= 500:
        return BankUnavailable("the bank is having trouble answering", status_code=status)
    if status == 401:
        if _codes(response) & _NOT_READY_CODES:
            return ConsentNotReady("the customer has not approved card control", status_code=status)
        return ConsentRevoked("card control is no longer allowed", status_code=status)
    return BankRequestRejected(f"the bank refused the card request ({status})", status_code=status)


def _card(data: Any) -> Card:
    if not isinstance(data, dict):
        raise MalformedResponse("the bank's card is not an object")
    try:
        card_id, resource_id = data["cardId"], data["resourceId"]
        masked_pan, blocked = data["maskedPan"], data["blocked"]
    except KeyError as exc:
        raise MalformedResponse("the bank's card lacks a field") from exc
    if not all(isinstance(v, str) for v in (card_id, resource_id, masked_pan)) or not isinstance(
        blocked, bool
    ):
        raise MalformedResponse("the bank's card has a field of the wrong type")
    return Card(card_id, resource_id, masked_pan, blocked)


class CardControlClient:
    """Asks for card consents and blocks or unblocks cards under an approved one."""

    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def _send(
        self, method: str, path: str, headers: dict[str, str], *, expect_body: bool = True
    ) -> Any:
        request_headers = {"Accept": "application/json", "X-Request-ID": str(uuid.uuid4())}
        try:
            response = await self._http.request(
                method, f"{self._base}{path}", headers={**request_headers, **headers}
            )
        except httpx.TimeoutException as exc:
            raise BankUnavailable("the bank did not answer in time") from exc
        except httpx.TransportError as exc:
            raise BankUnavailable("the bank cannot be reached") from exc
        if response.status_code >= 400:
            raise _error_for(response)
        if not expect_body:
            return None
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise MalformedResponse("the bank's answer is not valid JSON") from exc

    async def create_card_consent(self, psu_id: str, redirect_uri: str) -> tuple[str, str]:
        """Ask for card control; returns the card consent's id and where the customer approves."""
        body = await self._send(
            "POST",
            "/sandbox/card-consents",
            {"PSU-ID": psu_id, "TPP-Redirect-URI": redirect_uri},
        )
        try:
            identifier, href = body["cardConsentId"], body["_links"]["scaRedirect"]["href"]
        except (KeyError, TypeError) as exc:
            raise MalformedResponse("the bank's card consent lacks its id or link") from exc
        if not isinstance(identifier, str) or not isinstance(href, str):
            raise MalformedResponse("the bank's card consent has a field of the wrong type")
        return identifier, href

    async def cards(self, card_consent_id: str) -> list[Card]:
        body = await self._send("GET", "/sandbox/cards", {"Card-Consent-ID": card_consent_id})
        cards = body.get("cards") if isinstance(body, dict) else None
        if not isinstance(cards, list):
            raise MalformedResponse("the bank's card list is missing")
        return [_card(item) for item in cards]

    async def delete_card_consent(self, card_consent_id: str) -> None:
        """End the card consent at the bank; its id no longer opens the cards."""
        path = f"/sandbox/card-consents/{quote(card_consent_id, safe='')}"
        await self._send("DELETE", path, {}, expect_body=False)

    async def block(self, card_consent_id: str, card_id: str) -> Card:
        return await self._change(card_consent_id, card_id, "block")

    async def unblock(self, card_consent_id: str, card_id: str) -> Card:
        return await self._change(card_consent_id, card_id, "unblock")

    async def _change(self, card_consent_id: str, card_id: str, action: str) -> Card:
        path = f"/sandbox/cards/{quote(card_id, safe='')}/{action}"
        return _card(await self._send("POST", path, {"Card-Consent-ID": card_consent_id}))
