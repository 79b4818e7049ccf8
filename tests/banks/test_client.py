"""The Berlin Group client against a fake bank behind `httpx.MockTransport`.

Each test hands the client a small handler that answers like a NextGenPSD2 bank (shapes
from the 1.3.12 OpenAPI file), and asserts what Kluis would notice: the headers the bank
sees, the domain objects that come back, and the error raised when the bank misbehaves.
Retries sleep on a fake that records the delays; the circuit breaker reads a fake clock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import httpx
import pytest

from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.connector import (
    UNATTENDED,
    ConsentRequest,
    Presence,
    TransactionPage,
    TransactionQuery,
)
from kluis.banks.resilience import CircuitBreaker, RetryPolicy
from kluis.domain import (
    Account,
    AccountKind,
    BookingStatus,
    ConsentAccess,
    ConsentStatus,
    Transaction,
)
from kluis.errors import (
    BankRequestRejected,
    BankUnavailable,
    ConsentExpired,
    ConsentRevoked,
    MalformedResponse,
    RateLimited,
)
from kluis.money import Money

BASE_URL = "https://bank.example/psd2"
CONSENT_ID = "cns-7f3a9c21-4d2e-4b8a-9e55-0c1d2e3f4a5b"
CUSTOMER_IP = "203.0.113.42"
CHECKING_ID = "3dc3d5b3-7023-4848-9853-f5400a64e80f"
SAVINGS_ID = "3dc3d5b3-7023-4848-9853-f5400a64e81e"
CARD_ID = "3d9a81b3-a47d-4130-8765-a9c0ff861b99"
CHECKING_IBAN = "NL91ABNA0417164300"
SAVINGS_IBAN = "NL02RABO0123456789"
COUNTERPARTY_IBAN = "DE67100100101306118605"
MASKED_PAN = "525412******3241"

CHECKING = Account(CHECKING_ID, AccountKind.CHECKING, "EUR", iban=CHECKING_IBAN)
CARD = Account(CARD_ID, AccountKind.CREDIT_CARD, "EUR", masked_pan=MASKED_PAN)

# Nothing a bank sends about a customer may end up in an error message.
PRIVATE = (CONSENT_ID, CHECKING_IBAN, SAVINGS_IBAN, COUNTERPARTY_IBAN, MASKED_PAN, CUSTOMER_IP)

Handler = Callable[[httpx.Request], httpx.Response]


def path(tail: str) -> str:
    """The path a request for `tail` (`v1/accounts`) reaches at the bank."""
    return f"/psd2/{tail}"


def tpp_error(status: int, code: str, **headers: str) -> httpx.Response:
    body = {"tppMessages": [{"category": "ERROR", "code": code, "text": "see the code"}]}
    return httpx.Response(status, json=body, headers=headers)


def amount(value: str, currency: str = "EUR") -> dict[str, str]:
    return {"currency": currency, "amount": value}


def assert_discreet(error: BaseException, *amounts: str) -> None:
    """The message is for people: no consent id, account numbers, IP or amounts in it."""
    text = f"{error} {error!r}"
    for private in (*PRIVATE, *amounts):
        assert private not in text


@dataclass
class RecordingSleep:
    """Stands in for `asyncio.sleep`: remembers each delay and returns at once."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class FakeClock:
    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Bank:
    """A client wired to a handler, with what the handler saw and what the client waited."""

    client: BerlinGroupClient
    requests: list[httpx.Request]
    sleep: RecordingSleep
    clock: FakeClock

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


class Connect(Protocol):
    def __call__(
        self,
        handler: Handler,
        *,
        page_size: int | None = None,
        attempts: int = 3,
        failure_threshold: int = 5,
        reset_seconds: float = 30.0,
    ) -> Bank: ...


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    opened: list[httpx.AsyncClient] = []

    def build(
        handler: Handler,
        *,
        page_size: int | None = None,
        attempts: int = 3,
        failure_threshold: int = 5,
        reset_seconds: float = 30.0,
    ) -> Bank:
        requests: list[httpx.Request] = []

        def recording(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return handler(request)

        http = httpx.AsyncClient(transport=httpx.MockTransport(recording))
        opened.append(http)
        sleep, clock = RecordingSleep(), FakeClock()
        client = BerlinGroupClient(
            http,
            BASE_URL,
            retry=RetryPolicy(attempts=attempts, sleep=sleep, jitter=lambda: 0.5),
            breaker=CircuitBreaker(
                failure_threshold=failure_threshold, reset_seconds=reset_seconds, clock=clock
            ),
            page_size=page_size,
        )
        return Bank(client, requests, sleep, clock)

    yield build
    for http in opened:
        await http.aclose()


def answers(*responses: httpx.Response) -> Handler:
    """A handler that gives these responses in order, whatever is asked."""
    queue: Iterator[httpx.Response] = iter(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        return next(queue)

    return handler


async def read(
    bank: Bank,
    account: Account = CHECKING,
    query: TransactionQuery | None = None,
    presence: Presence = UNATTENDED,
    *,
    into: list[str] | None = None,
) -> list[TransactionPage]:
    """Every page of a transaction query; with `into`, each id as its page arrives."""
    pages: list[TransactionPage] = []
    query = query or TransactionQuery()
    async for page in bank.client.transactions(CONSENT_ID, account, query, presence):
        pages.append(page)
        if into is not None:
            into.extend(transaction.transaction_id for transaction in page.transactions)
    return pages


def flatten(pages: list[TransactionPage]) -> list[Transaction]:
    return [transaction for page in pages for transaction in page.transactions]


# -- payloads ------------------------------------------------------------------------------

ACCOUNT_LIST = {
    "accounts": [
        {
            "resourceId": CHECKING_ID,
            "iban": CHECKING_IBAN,
            "currency": "EUR",
            "product": "Girokonto",
            "cashAccountType": "CACC",
            "name": "Main Account",
            "ownerName": "Sanne de Vries",
            "_links": {"balances": {"href": f"/psd2/v1/accounts/{CHECKING_ID}/balances"}},
        },
        {
            "resourceId": SAVINGS_ID,
            "iban": SAVINGS_IBAN,
            "currency": "EUR",
            "cashAccountType": "SVGS",
            "displayName": "Spaarrekening",
        },
    ]
}

CARD_ACCOUNT_LIST = {
    "cardAccounts": [
        {
            "resourceId": CARD_ID,
            "maskedPan": MASKED_PAN,
            "currency": "EUR",
            "name": "Main",
            "product": "Basic Credit",
            "status": "enabled",
            "creditLimit": amount("15000"),
        }
    ]
}


def transaction_report(
    booked: list[dict[str, Any]],
    pending: list[dict[str, Any]] | None = None,
    next_href: str | None = None,
) -> dict[str, Any]:
    links: dict[str, Any] = {"account": {"href": f"/psd2/v1/accounts/{CHECKING_ID}"}}
    if next_href is not None:
        links["next"] = {"href": next_href}
    return {
        "account": {"iban": CHECKING_IBAN},
        "transactions": {"booked": booked, "pending": pending or [], "_links": links},
    }


def booked_entry(transaction_id: str, value: str = "-12.50") -> dict[str, Any]:
    return {
        "transactionId": transaction_id,
        "creditorName": "Albert Heijn 1234",
        "transactionAmount": amount(value),
        "bookingDate": "2024-03-01",
        "valueDate": "2024-03-01",
    }


# -- headers -------------------------------------------------------------------------------


async def test_reads_carry_the_consent_and_a_fresh_request_id_each(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == path("v1/accounts"):
            return httpx.Response(200, json=ACCOUNT_LIST)
        if request.url.path == path("v1/card-accounts"):
            return httpx.Response(200, json=CARD_ACCOUNT_LIST)
        return httpx.Response(200, json={"balances": []})

    bank = connect(handler)
    await bank.client.accounts(CONSENT_ID, UNATTENDED)
    await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert len(bank.requests) == 3
    request_ids = [request.headers["X-Request-ID"] for request in bank.requests]
    assert len(set(request_ids)) == 3
    for request, request_id in zip(bank.requests, request_ids, strict=True):
        assert str(uuid.UUID(request_id)) == request_id
        assert request.headers["Consent-ID"] == CONSENT_ID
        assert "PSU-IP-Address" not in request.headers


async def test_a_read_the_customer_started_carries_their_ip_address(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/balances"):
            return httpx.Response(200, json={"balances": []})
        return httpx.Response(200, json=transaction_report([]))

    bank = connect(handler)
    present = Presence(psu_ip_address=CUSTOMER_IP)
    await bank.client.balances(CONSENT_ID, CHECKING, present)
    await read(bank, presence=present)

    assert [request.headers["PSU-IP-Address"] for request in bank.requests] == [CUSTOMER_IP] * 2


async def test_a_retry_is_a_new_request_with_a_new_request_id(connect: Connect) -> None:
    bank = connect(
        answers(tpp_error(503, "SERVICE_UNAVAILABLE"), httpx.Response(200, json={"balances": []}))
    )
    await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    first, second = bank.requests
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert uuid.UUID(second.headers["X-Request-ID"])
    assert first.headers["Consent-ID"] == second.headers["Consent-ID"] == CONSENT_ID


def consent_request(access: ConsentAccess) -> ConsentRequest:
    return ConsentRequest(
        psu_id="c-1",
        access=access,
        valid_until=date(2026, 12, 31),
        frequency_per_day=4,
        recurring=True,
        redirect_uri="https://kluis.example/consent/callback?state=abc",
        psu_ip_address=CUSTOMER_IP,
    )


async def test_create_consent_sends_who_asks_and_what_for(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert (request.method, request.url.path) == ("POST", path("v1/consents"))
        return httpx.Response(
            201,
            json={
                "consentStatus": "received",
                "consentId": CONSENT_ID,
                "_links": {
                    "scaRedirect": {"href": "https://bank.example/sca/start?id=1"},
                    "status": {"href": f"/psd2/v1/consents/{CONSENT_ID}/status"},
                },
            },
        )

    bank = connect(handler)
    created = await bank.client.create_consent(consent_request(ConsentAccess(all_accounts=True)))

    assert created.consent_id == CONSENT_ID
    assert created.status is ConsentStatus.RECEIVED
    assert created.sca_redirect == "https://bank.example/sca/start?id=1"
    (request,) = bank.requests
    assert request.headers["PSU-ID"] == "c-1"
    assert request.headers["PSU-IP-Address"] == CUSTOMER_IP
    assert request.headers["TPP-Redirect-URI"] == "https://kluis.example/consent/callback?state=abc"
    assert request.headers["TPP-Redirect-Preferred"] == "true"
    assert uuid.UUID(request.headers["X-Request-ID"])
    assert "Consent-ID" not in request.headers
    assert json.loads(request.content) == {
        "access": {"allPsd2": "allAccounts"},
        "recurringIndicator": True,
        "validUntil": "2026-12-31",
        "frequencyPerDay": 4,
        "combinedServiceIndicator": False,
    }


async def test_create_consent_for_chosen_accounts_names_them(connect: Connect) -> None:
    bank = connect(
        answers(httpx.Response(201, json={"consentStatus": "received", "consentId": CONSENT_ID}))
    )
    access = ConsentAccess(
        accounts=(CHECKING_IBAN, MASKED_PAN),
        balances=(CHECKING_IBAN,),
        transactions=(MASKED_PAN,),
    )
    created = await bank.client.create_consent(consent_request(access))

    assert created.sca_redirect is None
    assert json.loads(bank.requests[0].content)["access"] == {
        "accounts": [{"iban": CHECKING_IBAN}, {"maskedPan": MASKED_PAN}],
        "balances": [{"iban": CHECKING_IBAN}],
        "transactions": [{"maskedPan": MASKED_PAN}],
    }


async def test_consent_details_and_status_are_read_back(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == path(f"v1/consents/{CONSENT_ID}/status"):
            return httpx.Response(200, json={"consentStatus": "valid"})
        assert request.url.path == path(f"v1/consents/{CONSENT_ID}")
        return httpx.Response(
            200,
            json={
                "access": {
                    "balances": [{"iban": CHECKING_IBAN}],
                    "transactions": [{"iban": CHECKING_IBAN}, {"maskedPan": MASKED_PAN}],
                },
                "recurringIndicator": True,
                "validUntil": "2026-06-30",
                "frequencyPerDay": 4,
                "consentStatus": "valid",
                "lastActionDate": "2026-01-05",
            },
        )

    bank = connect(handler)
    details = await bank.client.consent(CONSENT_ID)
    status = await bank.client.consent_status(CONSENT_ID)

    assert status is ConsentStatus.VALID
    assert details.status is ConsentStatus.VALID
    assert details.valid_until == date(2026, 6, 30)
    assert (details.frequency_per_day, details.recurring) == (4, True)
    assert details.access == ConsentAccess(
        balances=(CHECKING_IBAN,), transactions=(CHECKING_IBAN, MASKED_PAN)
    )


async def test_an_unknown_consent_status_is_malformed(connect: Connect) -> None:
    bank = connect(answers(httpx.Response(200, json={"consentStatus": "sortOfValid"})))
    with pytest.raises(MalformedResponse, match="consent status"):
        await bank.client.consent_status(CONSENT_ID)


async def test_delete_consent_accepts_an_empty_no_content(connect: Connect) -> None:
    bank = connect(answers(httpx.Response(204)))
    await bank.client.delete_consent(CONSENT_ID)

    (request,) = bank.requests
    assert (request.method, request.url.path) == ("DELETE", path(f"v1/consents/{CONSENT_ID}"))
    assert request.content == b""


# -- accounts and balances -----------------------------------------------------------------


async def test_accounts_merges_payment_and_card_accounts(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == path("v1/accounts"):
            return httpx.Response(200, json=ACCOUNT_LIST)
        if request.url.path == path("v1/card-accounts"):
            return httpx.Response(200, json=CARD_ACCOUNT_LIST)
        return httpx.Response(404)

    accounts = await connect(handler).client.accounts(CONSENT_ID, UNATTENDED)

    assert accounts == [
        Account(
            CHECKING_ID,
            AccountKind.CHECKING,
            "EUR",
            name="Main Account",
            iban=CHECKING_IBAN,
            product="Girokonto",
            owner_name="Sanne de Vries",
        ),
        Account(SAVINGS_ID, AccountKind.SAVINGS, "EUR", name="Spaarrekening", iban=SAVINGS_IBAN),
        Account(
            CARD_ID,
            AccountKind.CREDIT_CARD,
            "EUR",
            name="Main",
            masked_pan=MASKED_PAN,
            product="Basic Credit",
        ),
    ]


@pytest.mark.parametrize("status", [403, 404, 405])
async def test_a_bank_without_card_accounts_gives_the_payment_accounts(
    connect: Connect, status: int
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == path("v1/accounts"):
            return httpx.Response(200, json=ACCOUNT_LIST)
        return tpp_error(status, "RESOURCE_UNKNOWN")

    accounts = await connect(handler).client.accounts(CONSENT_ID, UNATTENDED)

    assert [account.resource_id for account in accounts] == [CHECKING_ID, SAVINGS_ID]


async def test_an_expired_consent_on_card_accounts_is_not_swallowed(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == path("v1/accounts"):
            return httpx.Response(200, json=ACCOUNT_LIST)
        return tpp_error(401, "CONSENT_EXPIRED")

    with pytest.raises(ConsentExpired):
        await connect(handler).client.accounts(CONSENT_ID, UNATTENDED)


async def test_an_account_without_resource_id_is_malformed(connect: Connect) -> None:
    listed = {"accounts": [{"iban": CHECKING_IBAN, "currency": "EUR"}]}
    bank = connect(answers(httpx.Response(200, json=listed)))
    with pytest.raises(MalformedResponse, match="resource id") as caught:
        await bank.client.accounts(CONSENT_ID, UNATTENDED)
    assert_discreet(caught.value)


async def test_balances_are_read_as_money(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == path(f"v1/accounts/{CHECKING_ID}/balances")
        return httpx.Response(
            200,
            json={
                "account": {"iban": CHECKING_IBAN},
                "balances": [
                    {
                        "balanceType": "closingBooked",
                        "balanceAmount": amount("500.00"),
                        "referenceDate": "2024-03-01",
                    },
                    {"balanceType": "expected", "balanceAmount": amount("-900.5")},
                ],
            },
        )

    balances = await connect(handler).client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert [(b.balance_type, b.amount, b.reference_date) for b in balances] == [
        ("closingBooked", Money(Decimal("500.00"), "EUR"), date(2024, 3, 1)),
        ("expected", Money(Decimal("-900.50"), "EUR"), None),
    ]
    assert {balance.resource_id for balance in balances} == {CHECKING_ID}


async def test_card_balances_are_read_from_the_card_account(connect: Connect) -> None:
    bank = connect(
        answers(
            httpx.Response(
                200,
                json={
                    "balances": [
                        {"balanceType": "interimBooked", "balanceAmount": amount("-14355.39")}
                    ]
                },
            )
        )
    )
    (balance,) = await bank.client.balances(CONSENT_ID, CARD, UNATTENDED)

    assert bank.paths() == [path(f"v1/card-accounts/{CARD_ID}/balances")]
    assert balance.amount == Money(Decimal("-14355.39"), "EUR")


# -- transactions --------------------------------------------------------------------------


async def test_booked_and_pending_transactions_name_the_other_party(connect: Connect) -> None:
    report = transaction_report(
        booked=[
            {
                "transactionId": "1234567",
                "creditorName": "John Miles",
                "creditorAccount": {"iban": COUNTERPARTY_IBAN},
                "debtorName": "Sanne de Vries",
                "transactionAmount": amount("-256.67"),
                "bookingDate": "2017-10-25",
                "valueDate": "2017-10-26",
                "remittanceInformationUnstructured": "Example 1",
                "mandateId": "Mandate-2018-04-20-1234",
                "bankTransactionCode": "PMNT-RDDT-ESDD",
            },
            {
                "transactionId": "1234568",
                "debtorName": "Paul Simpson",
                "debtorAccount": {"iban": "NL76RABO0359400371"},
                "creditorName": "Sanne de Vries",
                "transactionAmount": amount("343.01"),
                "bookingDate": "2017-10-25",
                "valueDate": "2017-10-26",
                "endToEndId": "E2E-42",
            },
        ],
        pending=[
            {
                "transactionId": "1234569",
                "creditorName": "Claude Renault",
                "creditorAccount": {"iban": "FR7612345987650123456789014"},
                "transactionAmount": amount("-100.03"),
                "bookingDate": "2017-10-27",
                "valueDate": "2017-10-26",
            }
        ],
    )
    bank = connect(answers(httpx.Response(200, json=report)))
    pages = await read(bank)

    assert [page.has_next for page in pages] == [False]
    paid, received, waiting = flatten(pages)
    assert paid == Transaction(
        resource_id=CHECKING_ID,
        transaction_id="1234567",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal("-256.67"), "EUR"),
        booking_date=date(2017, 10, 25),
        value_date=date(2017, 10, 26),
        counterparty_name="John Miles",
        counterparty_iban=COUNTERPARTY_IBAN,
        mandate_id="Mandate-2018-04-20-1234",
        remittance="Example 1",
        bank_transaction_code="PMNT-RDDT-ESDD",
    )
    assert (received.counterparty_name, received.counterparty_iban) == (
        "Paul Simpson",
        "NL76RABO0359400371",
    )
    assert received.amount == Money(Decimal("343.01"), "EUR")
    assert received.end_to_end_id == "E2E-42"
    assert waiting.status is BookingStatus.PENDING
    assert waiting.booking_date is None  # a pending entry is not booked, whatever it says
    assert waiting.counterparty_name == "Claude Renault"


async def test_card_transactions_name_the_merchant(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == path(f"v1/card-accounts/{CARD_ID}/transactions")
        return httpx.Response(
            200,
            json={
                "cardAccount": {"maskedPan": MASKED_PAN},
                "cardTransactions": {
                    "booked": [
                        {
                            "cardTransactionId": "201710020036959",
                            "transactionAmount": amount("-256.67"),
                            "transactionDate": "2017-10-25",
                            "bookingDate": "2017-10-26",
                            "originalAmount": amount("-300.00", "SEK"),
                            "maskedPAN": MASKED_PAN,
                            "proprietaryBankTransactionCode": "PURCHASE",
                            "invoiced": False,
                            "transactionDetails": "WIFI on flight",
                            "merchantCategoryCode": "4722",
                        }
                    ],
                    "pending": [
                        {
                            "cardTransactionId": "201710020091863",
                            "transactionAmount": amount("-10.72"),
                            "transactionDate": "2017-10-28",
                            "bookingDate": "2017-10-29",
                            "transactionDetails": "Bakery Street",
                        }
                    ],
                },
            },
        )

    pages = await read(connect(handler), CARD)

    flight, bakery = flatten(pages)
    assert flight == Transaction(
        resource_id=CARD_ID,
        transaction_id="201710020036959",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal("-256.67"), "EUR"),
        booking_date=date(2017, 10, 26),
        transaction_date=date(2017, 10, 25),
        counterparty_name="WIFI on flight",
        merchant_category_code="4722",
        masked_pan=MASKED_PAN,
    )
    assert flight.effective_date == date(2017, 10, 26)
    assert (bakery.status, bakery.booking_date, bakery.counterparty_name) == (
        BookingStatus.PENDING,
        None,
        "Bakery Street",
    )
    assert bakery.effective_date == date(2017, 10, 28)


def without_id(value: str = "-4.20", creditor: str = "Koffiebar De Boon") -> dict[str, Any]:
    return {
        "creditorName": creditor,
        "transactionAmount": amount(value),
        "bookingDate": "2024-03-01",
        "valueDate": "2024-03-01",
        "remittanceInformationUnstructured": "pinbetaling",
    }


async def test_a_transaction_without_id_gets_a_stable_one(connect: Connect) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json=transaction_report(
                [without_id(), without_id("-4.30"), without_id(creditor="Bakkerij Jansen")]
            ),
        )

    bank = connect(handler)
    first = flatten(await read(bank))
    again = flatten(await read(bank))

    ids = [transaction.transaction_id for transaction in first]
    assert ids == [transaction.transaction_id for transaction in again]
    assert len(set(ids)) == 3
    assert all(transaction_id for transaction_id in ids)


async def test_a_card_transaction_without_id_gets_a_stable_one(connect: Connect) -> None:
    def entry(value: str) -> dict[str, Any]:
        return {
            "transactionAmount": amount(value),
            "transactionDate": "2024-03-01",
            "transactionDetails": "Bakery Street",
        }

    payload = {"cardTransactions": {"booked": [entry("-3.10"), entry("-3.10"), entry("-3.20")]}}
    bank = connect(answers(httpx.Response(200, json=payload)))
    pages = await read(bank, CARD)

    same, twin, other = (transaction.transaction_id for transaction in flatten(pages))
    assert same == twin
    assert same != other


# -- paging --------------------------------------------------------------------------------


async def test_paging_follows_absolute_and_relative_next_links(connect: Connect) -> None:
    transactions = path(f"v1/accounts/{CHECKING_ID}/transactions")
    page_two = f"{BASE_URL}/v1/accounts/{CHECKING_ID}/transactions?pageIndex=1&pageToken=t"
    page_three = f"{transactions}?pageIndex=2&pageToken=t"

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == transactions
        page = request.url.params.get("pageIndex", "0")
        if page == "0":
            return httpx.Response(200, json=transaction_report([booked_entry("t1")], [], page_two))
        if page == "1":
            return httpx.Response(
                200,
                json=transaction_report([booked_entry("t2"), booked_entry("t3")], [], page_three),
            )
        return httpx.Response(200, json=transaction_report([booked_entry("t4")]))

    bank = connect(handler, page_size=2)
    query = TransactionQuery(
        date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), booking_status="booked"
    )
    pages = await read(bank, query=query)

    assert [entry.transaction_id for entry in flatten(pages)] == ["t1", "t2", "t3", "t4"]
    assert [page.has_next for page in pages] == [True, True, False]
    first, second, third = bank.requests
    assert dict(first.url.params) == {
        "bookingStatus": "booked",
        "dateFrom": "2024-01-01",
        "dateTo": "2024-03-31",
        "itemsPerPage": "2",
    }
    assert dict(second.url.params) == {"pageIndex": "1", "pageToken": "t"}
    assert dict(third.url.params) == {"pageIndex": "2", "pageToken": "t"}
    assert all(request.headers["Consent-ID"] == CONSENT_ID for request in bank.requests)


async def test_without_dates_or_page_size_only_the_booking_status_is_asked(
    connect: Connect,
) -> None:
    bank = connect(answers(httpx.Response(200, json=transaction_report([]))))
    pages = await read(bank)

    assert pages == [TransactionPage(transactions=(), has_next=False)]
    assert dict(bank.requests[0].url.params) == {"bookingStatus": "both"}


async def test_a_next_link_at_the_top_of_the_answer_is_followed(connect: Connect) -> None:
    first = transaction_report([booked_entry("t1")])
    first["_links"] = {"next": {"href": f"/psd2/v1/accounts/{CHECKING_ID}/transactions?page=2"}}
    bank = connect(
        answers(
            httpx.Response(200, json=first),
            httpx.Response(200, json=transaction_report([booked_entry("t2")])),
        )
    )
    pages = await read(bank)

    assert [transaction.transaction_id for transaction in flatten(pages)] == ["t1", "t2"]


@pytest.mark.parametrize(
    "links",
    [
        pytest.param({"0": "?page=0"}, id="to-itself"),
        pytest.param({"0": "?page=1", "1": "?page=2", "2": "?page=1"}, id="round-trip"),
    ],
)
async def test_circular_paging_is_malformed(connect: Connect, links: dict[str, str]) -> None:
    transactions = path(f"v1/accounts/{CHECKING_ID}/transactions")

    def handler(request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("page", "0")
        return httpx.Response(
            200, json=transaction_report([booked_entry(f"t{page}")], [], transactions + links[page])
        )

    bank = connect(handler)
    seen: list[str] = []
    with pytest.raises(MalformedResponse, match="circle"):
        await read(bank, into=seen)

    assert len(seen) == len(set(seen))
    assert len(bank.requests) <= len(links) + 1


async def test_a_next_link_to_another_host_is_not_followed(connect: Connect) -> None:
    """The Consent-ID is a credential: it goes to the bank and nowhere else."""
    elsewhere = "https://collector.example/psd2/v1/accounts/x/transactions?page=2"
    bank = connect(
        answers(
            httpx.Response(200, json=transaction_report([booked_entry("t1")], [], elsewhere)),
            httpx.Response(200, json=transaction_report([booked_entry("t2")])),
        )
    )
    with pytest.raises(MalformedResponse) as caught:
        await read(bank)

    assert [request.url.host for request in bank.requests] == ["bank.example"]
    assert "collector.example" not in str(caught.value)


# -- failures ------------------------------------------------------------------------------


async def test_an_expired_consent_says_so(connect: Connect) -> None:
    bank = connect(answers(tpp_error(401, "CONSENT_EXPIRED")))
    with pytest.raises(ConsentExpired) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert (caught.value.consent_id, caught.value.status_code) == (CONSENT_ID, 401)
    assert len(bank.requests) == 1
    assert_discreet(caught.value)


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "CONSENT_INVALID"), (401, "CONSENT_UNKNOWN"), (403, "CONSENT_UNKNOWN")],
)
async def test_an_invalid_or_unknown_consent_is_revoked(
    connect: Connect, status: int, code: str
) -> None:
    bank = connect(answers(tpp_error(status, code)))
    with pytest.raises(ConsentRevoked) as caught:
        await bank.client.accounts(CONSENT_ID, UNATTENDED)

    assert (caught.value.consent_id, caught.value.status_code) == (CONSENT_ID, status)
    assert len(bank.requests) == 1
    assert_discreet(caught.value)


async def test_a_401_without_a_body_is_revoked(connect: Connect) -> None:
    bank = connect(answers(httpx.Response(401, text="Unauthorized")))
    with pytest.raises(ConsentRevoked):
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)


async def test_a_short_retry_after_is_waited_out(connect: Connect) -> None:
    bank = connect(
        answers(
            tpp_error(429, "ACCESS_EXCEEDED", **{"Retry-After": "2"}),
            httpx.Response(200, json={"balances": []}),
        )
    )
    assert await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED) == []

    assert bank.sleep.delays == [2.0]
    assert len(bank.requests) == 2


async def test_an_exhausted_daily_budget_is_raised_at_once(connect: Connect) -> None:
    bank = connect(answers(tpp_error(429, "ACCESS_EXCEEDED")))
    with pytest.raises(RateLimited) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert caught.value.retry_after is None
    assert caught.value.status_code == 429
    assert (len(bank.requests), bank.sleep.delays) == (1, [])
    assert_discreet(caught.value)


@pytest.mark.parametrize(
    ("retry_after", "at_least"),
    [
        pytest.param("120", 120.0, id="seconds"),
        # an HTTP date about 70 years ahead: far beyond anything worth waiting for in-call
        pytest.param("Wed, 21 Oct 2099 07:28:00 GMT", 1e9, id="http-date"),
    ],
)
async def test_a_long_retry_after_is_handed_to_the_caller(
    connect: Connect, retry_after: str, at_least: float
) -> None:
    bank = connect(answers(tpp_error(429, "ACCESS_EXCEEDED", **{"Retry-After": retry_after})))
    with pytest.raises(RateLimited) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert caught.value.retry_after is not None
    assert caught.value.retry_after >= at_least
    assert (len(bank.requests), bank.sleep.delays) == (1, [])


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_failing_bank_is_retried_with_growing_backoff(
    connect: Connect, status: int
) -> None:
    bank = connect(
        answers(*[tpp_error(status, "INTERNAL_SERVER_ERROR") for _ in range(4)]), attempts=4
    )
    with pytest.raises(BankUnavailable) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert caught.value.status_code == status
    assert len(bank.requests) == 4
    # base 0.2 s doubling, with the jitter fixed at the middle of its range (x0.75)
    assert bank.sleep.delays == pytest.approx([0.15, 0.3, 0.6])
    assert_discreet(caught.value)


async def test_a_bank_that_recovers_within_the_attempts_answers(connect: Connect) -> None:
    bank = connect(
        answers(
            httpx.Response(503),
            httpx.Response(502),
            httpx.Response(200, json={"balances": []}),
        )
    )
    assert await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED) == []
    assert bank.sleep.delays == pytest.approx([0.15, 0.3])


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (httpx.ConnectTimeout, "did not answer in time"),
        (httpx.ReadTimeout, "did not answer in time"),
        (httpx.ConnectError, "cannot be reached"),
    ],
)
async def test_a_bank_out_of_reach_is_unavailable(
    connect: Connect, failure: type[httpx.TransportError], message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure("the network gave up", request=request)

    bank = connect(handler)
    with pytest.raises(BankUnavailable, match=message) as caught:
        await bank.client.accounts(CONSENT_ID, UNATTENDED)

    assert isinstance(caught.value.__cause__, failure)
    assert len(bank.requests) == 3
    assert bank.sleep.delays == pytest.approx([0.15, 0.3])
    assert_discreet(caught.value)


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(httpx.Response(200, text="<html>Maintenance</html>"), id="html"),
        pytest.param(httpx.Response(200, content=b""), id="empty"),
        pytest.param(httpx.Response(200, content=b'{"balances": [\xff]}'), id="not-utf8"),
        pytest.param(httpx.Response(200, json=["not", "an", "object"]), id="list"),
        pytest.param(httpx.Response(200, json={"account": {"iban": CHECKING_IBAN}}), id="no-list"),
        pytest.param(
            httpx.Response(
                200,
                json={"balances": [{"balanceAmount": amount("10.00"), "referenceDate": "x"}]},
            ),
            id="missing-type",
        ),
        pytest.param(
            httpx.Response(
                200,
                json={
                    "balances": [
                        {
                            "balanceType": "expected",
                            "balanceAmount": amount("10.00"),
                            "referenceDate": "2024-13-45",
                        }
                    ]
                },
            ),
            id="bad-date",
        ),
    ],
)
async def test_an_answer_that_does_not_fit_is_malformed(
    connect: Connect, response: httpx.Response
) -> None:
    bank = connect(answers(response))
    with pytest.raises(MalformedResponse) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert len(bank.requests) == 1  # the bank answered: asking again will not help
    assert_discreet(caught.value, "10.00")


@pytest.mark.parametrize(
    "value", ["12,50", "abc", "1_250.00", "NaN", "1e3", "123456789012345678901234567890.00"]
)
async def test_an_amount_that_is_not_a_bank_amount_is_malformed(
    connect: Connect, value: str
) -> None:
    entry = without_id(value)  # no id: the stable id is derived from the amount too
    bank = connect(answers(httpx.Response(200, json=transaction_report([entry]))))
    with pytest.raises(MalformedResponse, match="amount") as caught:
        await read(bank)

    assert_discreet(caught.value, value)


async def test_a_refused_request_keeps_its_status(connect: Connect) -> None:
    bank = connect(answers(tpp_error(400, "PERIOD_INVALID")))
    with pytest.raises(BankRequestRejected) as caught:
        await read(bank)

    assert caught.value.status_code == 400
    assert "PERIOD_INVALID" in str(caught.value)
    assert len(bank.requests) == 1
    assert_discreet(caught.value)


async def test_a_refusal_does_not_echo_what_the_bank_wrote(connect: Connect) -> None:
    body = {
        "tppMessages": [
            {"category": "ERROR", "code": "FORMAT_ERROR", "text": f"bad account {CHECKING_IBAN}"}
        ]
    }
    bank = connect(answers(httpx.Response(400, json=body)))
    with pytest.raises(BankRequestRejected) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)

    assert_discreet(caught.value)


# -- circuit breaker -----------------------------------------------------------------------


async def test_an_open_circuit_spares_the_bank_until_it_is_time_to_try(
    connect: Connect,
) -> None:
    healthy = False

    def handler(request: httpx.Request) -> httpx.Response:
        if healthy:
            return httpx.Response(200, json={"balances": []})
        return httpx.Response(503)

    bank = connect(handler, attempts=2, failure_threshold=4, reset_seconds=30.0)
    for _ in range(2):
        with pytest.raises(BankUnavailable):
            await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 4

    with pytest.raises(BankUnavailable) as caught:
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 4  # failed at once, the bank never saw it
    assert caught.value.status_code is None

    bank.clock.now += 29.0
    with pytest.raises(BankUnavailable):
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 4

    bank.clock.now += 1.0
    healthy = True
    assert await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED) == []
    assert len(bank.requests) == 5  # one trial call, and it closed the circuit

    assert await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED) == []
    assert len(bank.requests) == 6


async def test_a_failed_trial_opens_the_circuit_again_at_once(connect: Connect) -> None:
    bank = connect(
        answers(*[httpx.Response(503) for _ in range(3)]), attempts=3, failure_threshold=2
    )
    with pytest.raises(BankUnavailable):
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 2  # the circuit opened before the third attempt

    bank.clock.now += 30.0
    with pytest.raises(BankUnavailable):
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 3  # one trial, no retries behind it

    with pytest.raises(BankUnavailable):
        await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 3


async def test_refusals_do_not_open_the_circuit(connect: Connect) -> None:
    bank = connect(
        answers(*[tpp_error(400, "FORMAT_ERROR") for _ in range(4)]), failure_threshold=2
    )
    for _ in range(4):
        with pytest.raises(BankRequestRejected):
            await bank.client.balances(CONSENT_ID, CHECKING, UNATTENDED)
    assert len(bank.requests) == 4
