"""The merchant category code of a card payment on a payment account, from its free text."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from kluis.banks.berlingroup import models
from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.connector import ConsentRequest, Presence, TransactionQuery
from kluis.config import Settings
from kluis.domain import AccountKind, BookingStatus, ConsentAccess, Transaction
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.ledger import SandboxBank

PRESENT = Presence(psu_ip_address="192.0.2.10")


def booked(**fields: object) -> Transaction:
    payload: dict[str, object] = {
        "transactionId": "tx-1",
        "transactionAmount": {"currency": "EUR", "amount": "-23.45"},
        "bookingDate": "2026-03-18",
        "creditorName": "Albert Heijn 1403 Utrecht",
        "bankTransactionCode": "PMNT-CCRD-POSD",
    }
    model = models.parse(models.TransactionModel, payload | fields)
    return models.transaction_to_domain(model, "acc-1", BookingStatus.BOOKED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Card payment 535110******2637, 2026-03-18 17:23, MCC 5411", "5411"),
        ("Card payment, 2026-03-18 09:02, MCC 0742", "0742"),
        ("BEA NR:XXXX 12.03.26/18.04 mcc: 5812", "5812"),
        ("Betaalautomaat MCC5814 Utrecht", "5814"),
        ("Card payment 535110******2637, 2026-03-18 17:23", None),
        ("MCC 54111", None),  # five digits: not a merchant category code
        ("MCC 541", None),
        ("SMCC 5411", None),
        ("", None),
        (None, None),
    ],
)
def test_the_code_is_read_from_the_text(text: str | None, expected: str | None) -> None:
    assert models.merchant_category_code_in(text) == expected


def test_a_card_payment_on_checking_carries_its_code() -> None:
    text = "Card payment 535110******2637, 2026-03-18 17:23, MCC 5411"

    assert booked(additionalInformation=text).merchant_category_code == "5411"


def test_without_additional_information_there_is_no_code() -> None:
    assert booked().merchant_category_code is None
    assert booked(additionalInformation="Spoedbetaling").merchant_category_code is None


async def test_the_sandbox_card_payments_on_checking_arrive_with_their_codes(
    settings: Settings,
) -> None:
    bank = SandboxBank.from_settings(settings)
    ledger = {record.transaction_id: record for record in bank.data().transactions}
    transport = httpx.ASGITransport(app=create_sandbox_app(settings, bank))
    async with httpx.AsyncClient(transport=transport) as http:
        client = BerlinGroupClient(http, "http://sandbox.test")
        created = await client.create_consent(
            ConsentRequest(
                psu_id="c-sanne",
                access=ConsentAccess(all_accounts=True),
                valid_until=bank.today() + timedelta(days=30),
                frequency_per_day=4,
                recurring=True,
                redirect_uri="https://kluis.test/callback",
                psu_ip_address="192.0.2.10",
            )
        )
        assert created.sca_redirect is not None
        await decide_in_sandbox(http, created.sca_redirect, "c-sanne")
        accounts = await client.accounts(created.consent_id, PRESENT)
        checking = next(item for item in accounts if item.kind is AccountKind.CHECKING)
        query = TransactionQuery(date_from=bank.today() - timedelta(days=60))
        read = [
            item
            async for page in client.transactions(created.consent_id, checking, query, PRESENT)
            for item in page.transactions
        ]

    card_payments = [item for item in read if ledger[item.transaction_id].card_id is not None]
    transfers = [item for item in read if ledger[item.transaction_id].card_id is None]
    assert len(card_payments) > 20
    assert transfers
    assert all(
        item.merchant_category_code == ledger[item.transaction_id].mcc for item in card_payments
    )
    assert all(item.merchant_category_code is None for item in transfers)


def test_the_card_and_the_minute_of_a_card_payment_are_read_from_its_free_text() -> None:
    text = "Card payment 535110******2637, 2026-03-18 17:23, MCC 5411"
    found = booked(additionalInformation=text)
    assert found.masked_pan == "535110******2637"
    assert found.occurred_at is not None
    assert (found.occurred_at.hour, found.occurred_at.minute) == (17, 23)
    assert found.occurred_at.utcoffset() == timedelta(hours=1)  # Amsterdam in March
    plain = booked(additionalInformation="Transfer to savings 2026-03-18")
    assert plain.masked_pan is None
    assert plain.occurred_at is None
    assert booked(additionalInformation="2026-13-45 25:99").occurred_at is None


def test_a_card_account_entry_keeps_the_moment_the_acceptor_gives() -> None:
    payload = {
        "cardTransactionId": "ct-1",
        "transactionDate": "2026-03-21",
        "acceptorTransactionDateTime": "2026-03-21T02:13:00+01:00",
        "transactionAmount": {"currency": "EUR", "amount": "-1.00"},
        "transactionDetails": "SHOP",
        "maskedPAN": "492910******1234",
    }
    model = models.parse(models.CardTransactionModel, payload)
    found = models.card_transaction_to_domain(model, "card-1", BookingStatus.PENDING)
    assert found.occurred_at is not None
    assert found.occurred_at.isoformat() == "2026-03-21T02:13:00+01:00"
