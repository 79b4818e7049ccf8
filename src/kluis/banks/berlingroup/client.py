"""An async client for a bank's Berlin Group NextGenPSD2 account-information API.

The HTTP transport is injected (an `httpx.AsyncClient`), so tests hand it a
`MockTransport` or the sandbox bank's ASGI app. One method, `_send`, maps every failure to
Kluis's exceptions; the endpoint methods stay short.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from kluis.banks.berlingroup import models
from kluis.banks.connector import (
    UNATTENDED,
    ConsentDetails,
    ConsentRequest,
    CreatedConsent,
    Presence,
    TransactionPage,
    TransactionQuery,
)
from kluis.banks.resilience import CircuitBreaker, RetryPolicy
from kluis.domain import Account, AccountKind, Balance, BookingStatus, ConsentStatus
from kluis.errors import (
    BankRequestRejected,
    BankUnavailable,
    ConsentExpired,
    ConsentRevoked,
    KluisError,
    MalformedResponse,
    RateLimited,
)

MAX_PAGES = 10_000
_EXPIRED_CODES = {"CONSENT_EXPIRED"}
_REVOKED_CODES = {"CONSENT_INVALID", "CONSENT_UNKNOWN"}


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait, from `Retry-After` as a number of seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _tpp_codes(response: httpx.Response) -> set[str]:
    try:
        body = response.json()
    except ValueError:
        return set()
    messages = body.get("tppMessages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return set()
    return {str(item.get("code")) for item in messages if isinstance(item, dict)}


def _error_for(response: httpx.Response, consent_id: str | None) -> Exception:
    status = response.status_code
    codes = _tpp_codes(response)
    if status == 429:
        return RateLimited(
            "the bank allows no more reads for now", retry_after=_retry_after(response)
        )
    if status >= 500:
        return BankUnavailable("the bank is having trouble answering", status_code=status)
    if codes & _EXPIRED_CODES:
        return ConsentExpired(
            "the consent to read this bank has expired", consent_id=consent_id, status_code=status
        )
    if codes & _REVOKED_CODES or status == 401:
        return ConsentRevoked(
            "the consent to read this bank is no longer valid",
            consent_id=consent_id,
            status_code=status,
        )
    return BankRequestRejected(
        f"the bank refused the request ({status}: {', '.join(sorted(codes)) or 'no code'})",
        status_code=status,
    )


class BerlinGroupClient:
    """Reads one bank's NextGenPSD2 AIS API. Implements `BankConnector`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        page_size: int | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/") + "/"
        self._retry = retry or RetryPolicy()
        self._breaker = breaker or CircuitBreaker()
        self._page_size = page_size

    # -- the one place that talks HTTP ---------------------------------------------------

    async def _send(
        self,
        method: str,
        url: str,
        *,
        consent_id: str | None = None,
        presence: Presence = UNATTENDED,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        expect_body: bool = True,
    ) -> Any:
        request_headers = {"Accept": "application/json", **(headers or {})}
        if consent_id is not None:
            request_headers["Consent-ID"] = consent_id
        if presence.psu_ip_address is not None:
            request_headers["PSU-IP-Address"] = presence.psu_ip_address
        target = urljoin(self._base, url.lstrip("/")) if not urlsplit(url).scheme else url

        async def attempt() -> Any:
            request_headers["X-Request-ID"] = str(uuid.uuid4())
            try:
                response = await self._http.request(
                    method, target, headers=request_headers, params=params, json=body
                )
            except httpx.TimeoutException as exc:
                raise BankUnavailable("the bank did not answer in time") from exc
            except httpx.TransportError as exc:
                raise BankUnavailable("the bank cannot be reached") from exc
            if response.status_code >= 400:
                raise _error_for(response, consent_id)
            if not expect_body:
                return None
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise MalformedResponse("the bank's answer is not valid JSON") from exc

        return await self._retry.run(attempt, self._breaker)

    # -- consents --------------------------------------------------------------------------

    async def create_consent(self, request: ConsentRequest) -> CreatedConsent:
        payload = await self._send(
            "POST",
            "v1/consents",
            headers={
                "PSU-ID": request.psu_id,
                "PSU-IP-Address": request.psu_ip_address,
                "TPP-Redirect-URI": request.redirect_uri,
                "TPP-Redirect-Preferred": "true",
            },
            body={
                "access": models.access_to_api(request.access),
                "recurringIndicator": request.recurring,
                "validUntil": request.valid_until.isoformat(),
                "frequencyPerDay": request.frequency_per_day,
                "combinedServiceIndicator": False,
            },
        )
        created = models.parse(models.ConsentCreatedModel, payload)
        redirect = created.links.get("scaRedirect")
        return CreatedConsent(
            consent_id=created.consent_id,
            status=models.consent_status(created.consent_status),
            sca_redirect=redirect.href if redirect else None,
        )

    async def consent(self, consent_id: str) -> ConsentDetails:
        payload = await self._send("GET", f"v1/consents/{consent_id}")
        info = models.parse(models.ConsentInformationModel, payload)
        return ConsentDetails(
            consent_id=consent_id,
            status=models.consent_status(info.consent_status),
            access=models.access_to_domain(info.access),
            valid_until=info.valid_until,
            frequency_per_day=info.frequency_per_day,
            recurring=info.recurring_indicator,
        )

    async def consent_status(self, consent_id: str) -> ConsentStatus:
        payload = await self._send("GET", f"v1/consents/{consent_id}/status")
        return models.consent_status(
            models.parse(models.ConsentStatusModel, payload).consent_status
        )

    async def delete_consent(self, consent_id: str) -> None:
        await self._send("DELETE", f"v1/consents/{consent_id}", expect_body=False)

    # -- accounts --------------------------------------------------------------------------

    async def accounts(self, consent_id: str, presence: Presence) -> list[Account]:
        """Payment accounts and card accounts the consent shows."""
        payload = await self._send("GET", "v1/accounts", consent_id=consent_id, presence=presence)
        listed = models.parse(models.AccountListModel, payload).accounts
        result = [models.account_to_domain(item, AccountKind.CHECKING) for item in listed]
        try:
            payload = await self._send(
                "GET", "v1/card-accounts", consent_id=consent_id, presence=presence
            )
        except BankRequestRejected as exc:
            if exc.status_code in {403, 404, 405}:
                return result  # this bank or this consent has no card accounts
            raise
        cards = models.parse(models.CardAccountListModel, payload).card_accounts
        result.extend(models.account_to_domain(item, AccountKind.CREDIT_CARD) for item in cards)
        return result

    @staticmethod
    def _account_path(account: Account) -> str:
        collection = "card-accounts" if account.kind is AccountKind.CREDIT_CARD else "accounts"
        return f"v1/{collection}/{account.resource_id}"

    async def balances(
        self, consent_id: str, account: Account, presence: Presence
    ) -> list[Balance]:
        payload = await self._send(
            "GET",
            f"{self._account_path(account)}/balances",
            consent_id=consent_id,
            presence=presence,
        )
        parsed = models.parse(models.BalancesModel, payload)
        return [models.balance_to_domain(item, account.resource_id) for item in parsed.balances]

    async def transactions(
        self, consent_id: str, account: Account, query: TransactionQuery, presence: Presence
    ) -> AsyncIterator[TransactionPage]:
        """Every page of the query, following `_links.next` until the bank has no more."""
        params = {"bookingStatus": query.booking_status}
        if query.date_from is not None:
            params["dateFrom"] = query.date_from.isoformat()
        if query.date_to is not None:
            params["dateTo"] = query.date_to.isoformat()
        if self._page_size is not None:
            params["itemsPerPage"] = str(self._page_size)
        url = f"{self._account_path(account)}/transactions"
        seen_links: set[str] = {urljoin(self._base, url)}

        def fetch(target: str, query: dict[str, str] | None) -> asyncio.Task[Any]:
            return asyncio.create_task(
                self._send("GET", target, consent_id=consent_id, presence=presence, params=query)
            )

        # While one page is being validated, the next is already on its way.
        fetching: asyncio.Task[Any] | None = fetch(url, params)
        try:
            for _ in range(MAX_PAGES):
                if fetching is None:
                    return
                payload = await fetching
                fetching = None
                next_link = self._next_href(payload, account)
                if next_link is not None:
                    absolute = urljoin(self._base, next_link)
                    if not self._same_origin(absolute):
                        # the Consent-ID is a credential: never send it where a response points
                        raise MalformedResponse("the bank's paging link points away from the bank")
                    if absolute in seen_links:
                        raise MalformedResponse("the bank's paging links go round in a circle")
                    seen_links.add(absolute)
                    fetching = fetch(absolute, None)
                page = self._page(payload, account)
                yield TransactionPage(transactions=page, has_next=fetching is not None)
            raise MalformedResponse("the bank's transaction list does not end")
        finally:
            if fetching is not None:
                fetching.cancel()
                with suppress(asyncio.CancelledError, KluisError):
                    await fetching

    @staticmethod
    def _next_href(payload: Any, account: Account) -> str | None:
        """`_links.next.href` of a page, read before the page itself is validated."""
        if not isinstance(payload, dict):
            raise MalformedResponse("the bank's answer is not a transaction report")
        key = "cardTransactions" if account.kind is AccountKind.CREDIT_CARD else "transactions"
        report = payload.get(key)
        links: dict[str, Any] = {}
        for source in (
            payload.get("_links"),
            report.get("_links") if isinstance(report, dict) else None,
        ):
            if isinstance(source, dict):
                links.update(source)
        following = links.get("next")
        if following is None:
            return None
        href = following.get("href") if isinstance(following, dict) else None
        if not isinstance(href, str):
            raise MalformedResponse("the bank's paging link is not a link")
        return href

    def _same_origin(self, url: str) -> bool:
        base, target = urlsplit(self._base), urlsplit(url)
        return (base.scheme, base.netloc.lower()) == (target.scheme, target.netloc.lower())

    @staticmethod
    def _page(payload: Any, account: Account) -> tuple[Any, ...]:
        booked, pending = BookingStatus.BOOKED, BookingStatus.PENDING
        if account.kind is AccountKind.CREDIT_CARD:
            card = models.parse(models.CardTransactionsResponseModel, payload)
            report = card.card_transactions or models.CardReportModel()
            entries = [
                models.card_transaction_to_domain(item, account.resource_id, booked)
                for item in report.booked
            ] + [
                models.card_transaction_to_domain(item, account.resource_id, pending)
                for item in report.pending
            ]
        else:
            parsed = models.parse(models.TransactionsResponseModel, payload)
            account_report = parsed.transactions or models.AccountReportModel()
            entries = [
                models.transaction_to_domain(item, account.resource_id, booked)
                for item in account_report.booked
            ] + [
                models.transaction_to_domain(item, account.resource_id, pending)
                for item in account_report.pending
            ]
        return tuple(entries)
