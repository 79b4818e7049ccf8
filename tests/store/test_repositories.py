"""Every repository on both databases: what is written is read back, nothing twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kluis.domain import (
    Account,
    AccountKind,
    AuditEvent,
    Balance,
    BookingStatus,
    ConsentAccess,
    ConsentStatus,
    ConversationMessage,
    DataKind,
    Transaction,
)
from kluis.errors import StorageError
from kluis.money import Money
from kluis.security import Sealer
from kluis.store.accounts import AccountRepository
from kluis.store.audit import AuditRepository
from kluis.store.budget import ReadBudgetRepository
from kluis.store.consents import ConsentRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.store.database import Database
from kluis.store.models import ConsentRow
from kluis.store.outbox import OutboxRepository
from kluis.store.transactions import TransactionRepository

CHECKING = Account(
    "acc-1", AccountKind.CHECKING, "EUR", name="Betaalrekening", iban="NL91ABNA0417164300"
)


def _transaction(transaction_id: str, cents: int, status: BookingStatus, day: date) -> Transaction:
    return Transaction(
        resource_id="acc-1",
        transaction_id=transaction_id,
        status=status,
        amount=Money.from_minor(cents, "EUR"),
        booking_date=day if status is BookingStatus.BOOKED else None,
        transaction_date=day,
        counterparty_name="Albert Heijn 1234 Utrecht",
    )


async def _account(database: Database, sealer: Sealer) -> tuple[int, int]:
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne de Vries", "nl")
        connection = await ConsentRepository(session, sealer).connection(
            "c-1", "Sandbox", "http://127.0.0.1:8090", "c-1"
        )
        account_id = await AccountRepository(session).upsert(connection.id, CHECKING)
    return connection.id, account_id


async def test_customer_and_identity(database: Database) -> None:
    async with database.session() as session:
        customers = CustomerRepository(session)
        await customers.ensure("c-1", "Sanne", "nl")
        await customers.ensure("c-1", "Sanne de Vries", "nl")
        await customers.link_identity("telegram", "42", "c-1")
        await customers.link_identity("telegram", "42", "c-1")
    async with database.session() as session:
        customers = CustomerRepository(session)
        customer = await customers.get("c-1")
        assert customer is not None
        assert customer.name == "Sanne de Vries"
        identity = await customers.identity("telegram", "42")
        assert identity is not None
        assert identity.customer_id == "c-1"
        assert await customers.identity("telegram", "43") is None


async def test_consent_id_is_sealed_at_rest(database: Database, sealer: Sealer) -> None:
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne", "nl")
        consents = ConsentRepository(session, sealer)
        connection = await consents.connection("c-1", "Sandbox", "http://bank", "c-1")
        consent = await consents.add(
            connection,
            "bank-consent-secret-42",
            status=ConsentStatus.VALID,
            access=ConsentAccess(all_accounts=True),
            valid_until=date(2026, 9, 1),
            frequency_per_day=4,
            recurring=True,
        )
    async with database.session() as session:
        row = await session.get(ConsentRow, consent.id)
        assert row is not None
        assert b"bank-consent-secret-42" not in row.bank_consent_id_sealed
        consents = ConsentRepository(session, sealer)
        active = await consents.active_for_customer("c-1")
        assert active is not None
        assert active.bank_consent_id == "bank-consent-secret-42"
        await consents.set_status(consent.id, ConsentStatus.REVOKED_BY_PSU)
    async with database.session() as session:
        assert await ConsentRepository(session, sealer).active_for_customer("c-1") is None


async def test_transactions_are_idempotent_and_pending_becomes_booked(
    database: Database, sealer: Sealer
) -> None:
    _, account_id = await _account(database, sealer)
    day = date(2026, 3, 17)
    pending = [
        _transaction("t1", -1250, BookingStatus.PENDING, day),
        _transaction("t2", -500, BookingStatus.BOOKED, day),
    ]
    async with database.session() as session:
        first = await TransactionRepository(session).upsert(account_id, pending, today=day)
    assert sorted(first.inserted) == ["t1", "t2"]
    assert first.updated == ()
    async with database.session() as session:
        again = await TransactionRepository(session).upsert(account_id, pending, today=day)
    assert again.inserted == ()
    assert again.updated == ()
    booked = [_transaction("t1", -1250, BookingStatus.BOOKED, date(2026, 3, 18))]
    async with database.session() as session:
        change = await TransactionRepository(session).upsert(account_id, booked, today=day)
    assert change.updated == ("t1",)
    async with database.session() as session:
        repository = TransactionRepository(session)
        stored = await repository.for_account(account_id)
        assert await repository.count(account_id) == 2
    by_id = {item.transaction.transaction_id: item.transaction for item in stored}
    assert by_id["t1"].status is BookingStatus.BOOKED
    assert by_id["t1"].booking_date == date(2026, 3, 18)
    assert by_id["t1"].amount == Money(Decimal("-12.50"), "EUR")


async def test_a_transaction_reads_back_with_every_field_and_its_purpose_code(
    database: Database, sealer: Sealer
) -> None:
    _, account_id = await _account(database, sealer)
    day = date(2026, 3, 25)
    rent = Transaction(
        resource_id="acc-1",
        transaction_id="rent-3",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal("-1150.00"), "EUR"),
        booking_date=day,
        value_date=day,
        transaction_date=day,
        counterparty_name="J. Bakker",
        counterparty_iban="NL20RABO0300065264",
        end_to_end_id="SO2603A1",
        entry_reference="rent-3",
        remittance="Huur april",
        bank_transaction_code="PMNT-ICDT-STDO",
        purpose_code="RENT",
    )
    async with database.session() as session:
        await TransactionRepository(session).upsert(account_id, [rent], today=day)
    async with database.session() as session:
        (stored,) = await TransactionRepository(session).for_account(account_id)
    assert stored.transaction == rent

    corrected = replace(rent, purpose_code="HLRP")
    async with database.session() as session:
        change = await TransactionRepository(session).upsert(account_id, [corrected], today=day)
        (stored,) = await TransactionRepository(session).for_account(account_id)
    assert change.updated == ("rent-3",)
    assert stored.transaction.purpose_code == "HLRP"


async def test_the_first_day_held_is_the_earliest_transaction_whatever_its_status(
    database: Database, sealer: Sealer
) -> None:
    _, account_id = await _account(database, sealer)
    async with database.session() as session:
        assert await TransactionRepository(session).first_day([account_id]) is None
    items = [
        _transaction("t1", -100, BookingStatus.BOOKED, date(2026, 3, 2)),
        _transaction("t2", -200, BookingStatus.PENDING, date(2025, 11, 30)),
        _transaction("t3", -300, BookingStatus.BOOKED, date(2026, 1, 15)),
    ]
    async with database.session() as session:
        await TransactionRepository(session).upsert(account_id, items, today=date(2026, 3, 18))
    async with database.session() as session:
        assert await TransactionRepository(session).first_day([account_id]) == date(2025, 11, 30)
        assert await TransactionRepository(session).first_day([]) is None


async def test_remove_missing_only_touches_the_window(database: Database, sealer: Sealer) -> None:
    _, account_id = await _account(database, sealer)
    entries = [
        _transaction("old", -100, BookingStatus.BOOKED, date(2026, 1, 5)),
        _transaction("gone", -200, BookingStatus.PENDING, date(2026, 3, 10)),
        _transaction("kept", -300, BookingStatus.BOOKED, date(2026, 3, 11)),
    ]
    async with database.session() as session:
        repository = TransactionRepository(session)
        await repository.upsert(account_id, entries, today=date(2026, 3, 18))
        removed = await repository.remove_missing(account_id, date(2026, 3, 1), date.max, {"kept"})
    assert removed == ["gone"]
    async with database.session() as session:
        ids = {
            s.transaction.transaction_id
            for s in await TransactionRepository(session).for_account(account_id)
        }
    assert ids == {"old", "kept"}


async def test_balances_keep_the_newest_per_type(database: Database, sealer: Sealer) -> None:
    _, account_id = await _account(database, sealer)
    for cents in (1000, 2000):
        async with database.session() as session:
            await AccountRepository(session).replace_balances(
                account_id, [Balance("acc-1", "expected", Money.from_minor(cents, "EUR"))]
            )
    async with database.session() as session:
        balances = await AccountRepository(session).balances(account_id)
    assert [(b.balance_type, b.amount.minor_units, b.resource_id) for b in balances] == [
        ("expected", 2000, "acc-1")
    ]


async def test_read_budget_allows_four_a_day(database: Database, sealer: Sealer) -> None:
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne", "nl")
        consents = ConsentRepository(session, sealer)
        connection = await consents.connection("c-1", "Sandbox", "http://bank", "c-1")
        consent = await consents.add(
            connection,
            "x",
            status=ConsentStatus.VALID,
            access=ConsentAccess(all_accounts=True),
            valid_until=date(2026, 9, 1),
            frequency_per_day=4,
            recurring=True,
        )
    day = date(2026, 3, 18)
    results = []
    for _ in range(5):
        async with database.session() as session:
            results.append(
                await ReadBudgetRepository(session).take(
                    consent.id, "acc-1", DataKind.BALANCES, day, 4
                )
            )
    assert results == [True, True, True, True, False]
    async with database.session() as session:
        budget = ReadBudgetRepository(session)
        assert await budget.take(consent.id, "acc-1", DataKind.TRANSACTIONS, day, 4)
        assert await budget.take(consent.id, "acc-1", DataKind.BALANCES, date(2026, 3, 19), 4)
        assert await budget.used(consent.id, "acc-1", DataKind.BALANCES, day) == 4

    # Syncs running at once each count in their own unit of work: none fails on the other's
    # new row, and together they never take more than the limit.
    async def take() -> bool:
        async with database.session() as session:
            return await ReadBudgetRepository(session).take(
                consent.id, "acc-2", DataKind.TRANSACTIONS, day, 4
            )

    together = await asyncio.gather(*(take() for _ in range(7)))
    assert sorted(together) == [False] * 3 + [True] * 4
    async with database.session() as session:
        assert (
            await ReadBudgetRepository(session).used(
                consent.id, "acc-2", DataKind.TRANSACTIONS, day
            )
            == 4
        )
        assert not await ReadBudgetRepository(session).take(
            consent.id, "acc-2", DataKind.TRANSACTIONS, day, 0
        )


async def test_audit_messages_and_outbox(database: Database) -> None:
    now = datetime.now(UTC)
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne", "nl")
        await AuditRepository(session).record(
            AuditEvent("c-1", "disclose", "balances", now, channel="web", accounts=("acc-1",))
        )
        messages = ConversationRepository(session)
        message = ConversationMessage("c-1", "telegram", "in", "saldo?", now, "m-1")
        assert await messages.add(message)
        assert not await messages.add(message)
        event_id = await OutboxRepository(session).add("transactions.arrived", {"n": 1})
    async with database.session() as session:
        audit = await AuditRepository(session).recent("c-1")
        assert audit[0].accounts == ("acc-1",)
        assert audit[0].channel == "web"
        assert [
            m.text for m in await ConversationRepository(session).recent("c-1", "telegram")
        ] == ["saldo?"]
        outbox = OutboxRepository(session)
        assert [item[0] for item in await outbox.pending()] == [event_id]
        await outbox.mark_dispatched(event_id)
        assert await outbox.pending() == []


async def test_a_failed_unit_of_work_keeps_what_was_stored(database: Database) -> None:
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne", "nl")

    async def add_customer_and_a_broken_link() -> None:
        async with database.session() as session:
            await CustomerRepository(session).ensure("c-2", "Daan", "nl")
            await CustomerRepository(session).link_identity("web", "u", "missing-customer")

    with pytest.raises(StorageError):
        await add_customer_and_a_broken_link()
    async with database.session() as session:
        customers = CustomerRepository(session)
        assert await customers.get("c-1") is not None
        assert await customers.get("c-2") is None
