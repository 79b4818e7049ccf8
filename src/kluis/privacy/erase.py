"""Erasing a customer (GDPR art. 17): their personal data goes; anonymous counts remain.

The order matters. First the consent is ended at the bank (`lifecycle.revoke`), so the
bank stops honouring it. If the bank cannot be reached, the erasure goes ahead anyway: the
one thing kept is what it takes to tell the bank later, the bank's address and its consent
id, sealed, in `pending_bank_deletes`, with no link to the customer; `kluis consent
maintain` deletes the row once the bank has heard. Then every row about the customer is
deleted in one transaction, including their audit events and the events in the outbox that
name them. What remains is one `erasure_log` row: the day, and how many rows of each kind
were deleted. It holds no customer id and no hash of one (a hash of a short id is easily
reversed), so erasing twice simply finds nothing the second time and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Delete, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.consent.lifecycle import revoke
from kluis.fraud.live import forget
from kluis.runtime import Runtime
from kluis.store.consents import ConsentRepository
from kluis.store.models import (
    AccountRow,
    AlertRow,
    AlertRuleRow,
    AuditEventRow,
    BankConnectionRow,
    CardConsentRow,
    CategoryRuleRow,
    ChannelContactRow,
    ChannelDeliveryRow,
    ChannelGrantRow,
    ChannelIdentityRow,
    ChannelInboxRow,
    ConsentRow,
    ConversationMessageRow,
    ConversationStateRow,
    CustomerPreferencesRow,
    CustomerRow,
    ErasureLogRow,
    HandoffRow,
    LinkRequestRow,
    LinkTokenRow,
    OutboxEventRow,
    ProactiveMessageRow,
    RecurringChoiceRow,
)
from kluis.store.retention import RetentionRepository, delete_counted

logger = logging.getLogger(__name__)

_OUTBOX_BATCH = 1000


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What an erasure deleted, as anonymous counts per kind of row."""

    erased_on: date
    counts: Mapping[str, int] = field(default_factory=dict)
    bank_deletes_pending: int = 0

    @property
    def found(self) -> bool:
        """Kluis held something about the customer (False on a second erasure)."""
        return any(self.counts.values())

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


async def _events_naming(session: AsyncSession, customer_id: str) -> list[int]:
    """Ids of outbox events whose payload names the customer anywhere."""
    found: list[int] = []
    after = 0
    while True:
        rows = (
            await session.execute(
                select(OutboxEventRow.id, OutboxEventRow.payload)
                .where(OutboxEventRow.id > after)
                .order_by(OutboxEventRow.id)
                .limit(_OUTBOX_BATCH)
            )
        ).all()
        if not rows:
            return found
        found.extend(row_id for row_id, payload in rows if customer_id in _strings(payload))
        after = rows[-1][0]


async def _defer_bank_deletes(runtime: Runtime, session: AsyncSession, customer_id: str) -> int:
    """Move the bank deletes still owed for the customer's consents out of their rows."""
    consents = ConsentRepository(session, runtime.sealer)
    owed = [c for c in await consents.with_bank_delete_pending() if c.customer_id == customer_id]
    for consent in owed:
        connection = await consents.get_connection(consent.connection_id)
        if connection is not None:
            await consents.defer_bank_delete(connection.bank_url, consent.bank_consent_id)
    return len(owed)


async def _delete_everything(session: AsyncSession, customer_id: str) -> dict[str, int]:
    connections = list(
        await session.scalars(
            select(BankConnectionRow.id).where(BankConnectionRow.customer_id == customer_id)
        )
    )
    accounts = list(
        await session.scalars(
            select(AccountRow.id).where(AccountRow.connection_id.in_(connections))
        )
    )
    consents = list(
        await session.scalars(select(ConsentRow.id).where(ConsentRow.customer_id == customer_id))
    )
    identities = [
        (channel, user)
        for channel, user in (
            await session.execute(
                select(ChannelIdentityRow.channel, ChannelIdentityRow.platform_user_id).where(
                    ChannelIdentityRow.customer_id == customer_id
                )
            )
        ).all()
    ]
    retention = RetentionRepository(session)
    counts: dict[str, int] = {}
    counts["read_budget"] = await retention.delete_read_budget(consents)
    bank_data = await retention.delete_account_data(accounts, with_accounts=True)
    counts["transactions"] = bank_data.transactions
    counts["balances"] = bank_data.balances
    counts["sync_cursors"] = bank_data.sync_cursors
    counts["accounts"] = bank_data.accounts
    mine = customer_id
    owned_by_customer: dict[str, Delete] = {
        "card_consents": delete(CardConsentRow).where(CardConsentRow.customer_id == mine),
        "consent_requests": delete(LinkRequestRow).where(LinkRequestRow.customer_id == mine),
        "consents": delete(ConsentRow).where(ConsentRow.customer_id == mine),
        "bank_connections": delete(BankConnectionRow).where(BankConnectionRow.customer_id == mine),
        "conversation_messages": delete(ConversationMessageRow).where(
            ConversationMessageRow.customer_id == mine
        ),
        "conversation_states": delete(ConversationStateRow).where(
            ConversationStateRow.customer_id == mine
        ),
        "handoffs": delete(HandoffRow).where(HandoffRow.customer_id == mine),
        "preferences": delete(CustomerPreferencesRow).where(
            CustomerPreferencesRow.customer_id == mine
        ),
        "proactive_messages": delete(ProactiveMessageRow).where(
            ProactiveMessageRow.customer_id == mine
        ),
        "audit_events": delete(AuditEventRow).where(AuditEventRow.customer_id == mine),
        "channel_identities": delete(ChannelIdentityRow).where(
            ChannelIdentityRow.customer_id == mine
        ),
        "channel_contacts": delete(ChannelContactRow).where(ChannelContactRow.customer_id == mine),
        "channel_deliveries": delete(ChannelDeliveryRow).where(
            ChannelDeliveryRow.customer_id == mine
        ),
        "channel_inbox": delete(ChannelInboxRow).where(ChannelInboxRow.customer_id == mine),
        "channel_grants": delete(ChannelGrantRow).where(ChannelGrantRow.customer_id == mine),
        "alerts": delete(AlertRow).where(AlertRow.customer_id == mine),
        "alert_rules": delete(AlertRuleRow).where(AlertRuleRow.customer_id == mine),
        "category_rules": delete(CategoryRuleRow).where(CategoryRuleRow.customer_id == mine),
        "recurring_choices": delete(RecurringChoiceRow).where(
            RecurringChoiceRow.customer_id == mine
        ),
    }
    for kind, statement in owned_by_customer.items():
        counts[kind] = await delete_counted(session, statement)
    counts["link_tokens"] = (
        await delete_counted(
            session,
            delete(LinkTokenRow).where(
                tuple_(LinkTokenRow.channel, LinkTokenRow.platform_user_id).in_(identities)
            ),
        )
        if identities
        else 0
    )
    events = await _events_naming(session, customer_id)
    counts["events"] = (
        await delete_counted(session, delete(OutboxEventRow).where(OutboxEventRow.id.in_(events)))
        if events
        else 0
    )
    counts["customers"] = await delete_counted(
        session, delete(CustomerRow).where(CustomerRow.id == customer_id)
    )
    return dict(sorted(counts.items()))


async def erase_customer(runtime: Runtime, customer_id: str) -> ErasureReport:
    """End the customer's consent at the bank, then delete every personal row about them.

    Works with the bank down (the bank is told later) and is harmless to repeat."""
    await revoke(runtime, customer_id)
    # Their habits in the fraud engine go too (what it learnt stays, as weights alone).
    await forget(runtime, customer_id)
    today = datetime.now(UTC).date()
    async with runtime.database.session() as session:
        pending = await _defer_bank_deletes(runtime, session, customer_id)
        counts = await _delete_everything(session, customer_id)
        report = ErasureReport(erased_on=today, counts=counts, bank_deletes_pending=pending)
        if report.found:
            session.add(
                ErasureLogRow(erased_on=today, counts=dict(counts), bank_deletes_pending=pending)
            )
    logger.info("erasure: %d rows deleted, %d bank deletes pending", report.total, pending)
    return report
