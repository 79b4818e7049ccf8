"""The rules run over what a sync stored, read from a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from kluis.alerts.watch import balance_before, current_balance, rule_alerts
from kluis.config import load_settings
from kluis.domain import (
    Account,
    AccountKind,
    Balance,
    BookingStatus,
    StoredTransaction,
    Transaction,
)
from kluis.events.types import TransactionsArrived
from kluis.money import Money
from kluis.privacy.policy import FULL
from kluis.runtime import Runtime, open_runtime
from kluis.security import new_key
from kluis.store.accounts import AccountRepository
from kluis.store.alerts import AlertRuleRepository
from kluis.store.consents import ConsentRepository
from kluis.store.customers import CustomerRepository
from kluis.store.transactions import TransactionRepository

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)


def euro(value: str) -> Money:
    return Money(Decimal(value), "EUR")


def _no_bank(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503)


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    settings = load_settings(
        data_dir=tmp_path / "data", database_url=database_url, seal_keys=[new_key()]
    )
    async with open_runtime(settings, httpx.MockTransport(_no_bank), today=lambda: TODAY) as opened:
        yield opened


async def _account(runtime: Runtime) -> tuple[int, int]:
    async with runtime.database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne de Vries", "nl")
        connection = await ConsentRepository(session, runtime.sealer).connection(
            "c-1", "Sandbox", "http://sandbox.test", "psu-1"
        )
        account = Account("res-1", AccountKind.CHECKING, "EUR", iban="NL91KLUI0417164300")
        account_id = await AccountRepository(session).upsert(connection.id, account)
    return connection.id, account_id


def tx(transaction_id: str, day: date, amount: str, name: str = "Coolblue") -> Transaction:
    return Transaction(
        resource_id="res-1",
        transaction_id=transaction_id,
        status=BookingStatus.BOOKED,
        amount=euro(amount),
        booking_date=day,
        counterparty_name=name,
    )


async def _sync(
    runtime: Runtime, ids: tuple[int, int], transactions: Sequence[Transaction], balance: str
) -> TransactionsArrived:
    connection_id, account_id = ids
    async with runtime.database.session() as session:
        result = await TransactionRepository(session).upsert(account_id, transactions, today=TODAY)
        await AccountRepository(session).replace_balances(
            account_id, [Balance("res-1", "interimAvailable", euro(balance), TODAY)]
        )
    return TransactionsArrived("c-1", connection_id, account_id, "res-1", result.inserted, ())


async def _choose(runtime: Runtime, kind: str, amount: str | None) -> None:
    async with runtime.database.session() as session:
        await AlertRuleRepository(session).set(
            "c-1", kind, enabled=True, threshold=euro(amount) if amount else None, now=NOW
        )


async def test_a_sync_that_crosses_the_threshold_gives_a_low_balance_alert(
    runtime: Runtime,
) -> None:
    ids = await _account(runtime)
    await _choose(runtime, "low_balance", "100")
    history = [tx(f"old-{n}", TODAY - timedelta(days=20 + n), "-10.00") for n in range(3)]
    first = await _sync(runtime, ids, history, "300.00")
    assert await rule_alerts(runtime, first) == []  # a first sync: the balance before is unknown
    second = await _sync(runtime, ids, [tx("new-1", TODAY, "-250.00")], "50.00")
    (alert,) = await rule_alerts(runtime, second)
    assert alert.kind == "low_balance"
    assert alert.customer_id == "c-1"
    assert alert.account_id == ids[1]
    assert alert.dedupe_key == f"{ids[1]}:2026-03-16"
    assert "€ 50,00" in alert.compose("nl", FULL).text


async def test_stored_rules_and_defaults_decide_what_is_found(runtime: Runtime) -> None:
    ids = await _account(runtime)
    await _sync(runtime, ids, [tx("old-1", TODAY - timedelta(days=40), "-5.00")], "900.00")
    charges = [tx("dup-1", TODAY - timedelta(days=1), "-59.95", "Zalando")]
    charges.append(tx("dup-2", TODAY, "-59.95", "Zalando"))
    charges.append(tx("big-1", TODAY, "-700.00", "Coolblue"))
    event = await _sync(runtime, ids, charges, "80.10")
    assert [alert.kind for alert in await rule_alerts(runtime, event)] == ["duplicate_charge"]
    await _choose(runtime, "large_transaction", None)
    kinds = sorted(alert.kind for alert in await rule_alerts(runtime, event))
    assert kinds == ["duplicate_charge", "large_transaction"]


async def test_an_event_without_new_transactions_or_for_another_account_gives_nothing(
    runtime: Runtime,
) -> None:
    connection_id, account_id = await _account(runtime)
    updated = TransactionsArrived("c-1", connection_id, account_id, "res-1", (), ("x",))
    assert await rule_alerts(runtime, updated) == []
    stranger = TransactionsArrived("c-1", connection_id, account_id + 99, "res-9", ("x",), ())
    assert await rule_alerts(runtime, stranger) == []


def _stored(*transactions: Transaction) -> list[StoredTransaction]:
    return [StoredTransaction(item, 1, NOW, NOW) for item in transactions]


def test_the_balance_before_counts_what_the_balance_type_counts() -> None:
    old = tx("old", TODAY - timedelta(days=3), "-1.00")
    booked = tx("booked", TODAY, "-20.00")
    pending = Transaction(
        "res-1", "pending", BookingStatus.PENDING, euro("-30.00"), transaction_date=TODAY
    )
    new = _stored(booked, pending)
    history = _stored(old, booked, pending)
    available = Balance("res-1", "interimAvailable", euro("50.00"))
    assert balance_before(available, new, history) == euro("100.00")
    closing = Balance("res-1", "closingBooked", euro("50.00"))
    assert balance_before(closing, new, history) == euro("70.00")
    assert balance_before(available, new, new) is None
    assert balance_before(available, [], history) is None


def test_the_current_balance_follows_the_gates_preference() -> None:
    balances = [
        Balance("res-1", "closingBooked", euro("10.00")),
        Balance("res-1", "interimAvailable", euro("20.00")),
    ]
    chosen = current_balance(balances)
    assert chosen is not None
    assert chosen.balance_type == "interimAvailable"
    assert current_balance([]) is None
