"""Everything Kluis holds about a customer, as JSON a person can read (GDPR art. 15 and 20).

Credentials are never exported: not the bank's consent ids (sealed at rest), not link
states or token hashes, not the voice PIN's hash (only whether a PIN is set). The local
consent numbers are exported, because the audit events refer to them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.alerts.delivery import ALERT_CONTEXT
from kluis.errors import KluisError
from kluis.money import Money
from kluis.runtime import Runtime
from kluis.store.models import (
    AccountRow,
    AlertRow,
    AlertRuleRow,
    AuditEventRow,
    BalanceRow,
    BankConnectionRow,
    CardConsentRow,
    CategoryRuleRow,
    ChannelContactRow,
    ChannelDeliveryRow,
    ChannelIdentityRow,
    ConsentRow,
    ConversationMessageRow,
    ConversationStateRow,
    CustomerPreferencesRow,
    CustomerRow,
    HandoffRow,
    LinkRequestRow,
    LinkTokenRow,
    ProactiveMessageRow,
    RecurringChoiceRow,
    TransactionRow,
)

FORMAT = "kluis-export/1"

Json = dict[str, Any]


class UnknownCustomer(KluisError):
    """Kluis holds nothing under this customer id."""


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # SQLite keeps no zone; we only ever write UTC
    return value.isoformat()


def _amount(minor: int, currency: str) -> Json:
    return {"value": str(Money.from_minor(minor, currency).amount), "currency": currency}


async def _rows(session: AsyncSession, statement: Any) -> Sequence[Any]:
    return list(await session.scalars(statement))


async def _accounts(
    session: AsyncSession, connections: dict[int, str]
) -> tuple[list[Json], list[Json], list[Json]]:
    """Accounts, balances and transactions of the customer's bank connections."""
    accounts = await _rows(
        session,
        select(AccountRow)
        .where(AccountRow.connection_id.in_(list(connections)))
        .order_by(AccountRow.id),
    )
    resource = {row.id: row.resource_id for row in accounts}
    balances = await _rows(
        session,
        select(BalanceRow)
        .where(BalanceRow.account_id.in_(list(resource)))
        .order_by(BalanceRow.account_id, BalanceRow.balance_type),
    )
    transactions = await _rows(
        session,
        select(TransactionRow)
        .where(TransactionRow.account_id.in_(list(resource)))
        .order_by(TransactionRow.account_id, TransactionRow.entry_date, TransactionRow.id),
    )
    return (
        [
            {
                "account": row.resource_id,
                "bank": connections[row.connection_id],
                "kind": row.kind,
                "name": row.name,
                "iban": row.iban,
                "masked_pan": row.masked_pan,
                "product": row.product,
                "owner_name": row.owner_name,
                "currency": row.currency,
                "updated_at": _when(row.updated_at),
                "dropped_at": _when(row.dropped_at),
            }
            for row in accounts
        ],
        [
            {
                "account": resource[row.account_id],
                "type": row.balance_type,
                "amount": _amount(row.amount_minor, row.currency),
                "reference_date": _when(row.reference_date),
                "fetched_at": _when(row.fetched_at),
            }
            for row in balances
        ],
        [
            {
                "account": resource[row.account_id],
                "transaction_id": row.transaction_id,
                "status": row.status,
                "amount": _amount(row.amount_minor, row.currency),
                "booking_date": _when(row.booking_date),
                "value_date": _when(row.value_date),
                "transaction_date": _when(row.transaction_date),
                "counterparty_name": row.counterparty_name,
                "counterparty_iban": row.counterparty_iban,
                "creditor_id": row.creditor_id,
                "mandate_id": row.mandate_id,
                "end_to_end_id": row.end_to_end_id,
                "entry_reference": row.entry_reference,
                "remittance": row.remittance,
                "bank_transaction_code": row.bank_transaction_code,
                "merchant_category_code": row.merchant_category_code,
                "purpose_code": row.purpose_code,
                "masked_pan": row.masked_pan,
                "first_seen": _when(row.first_seen),
            }
            for row in transactions
        ],
    )


def _consent(row: ConsentRow, bank: str) -> Json:
    return {
        "number": row.id,
        "bank": bank,
        "status": row.status,
        "access": dict(row.access),
        "restricted_to": list(row.restricted_to) if row.restricted_to is not None else None,
        "valid_until": _when(row.valid_until),
        "frequency_per_day": row.frequency_per_day,
        "recurring": row.recurring,
        "created_at": _when(row.created_at),
        "ended_at": _when(row.ended_at),
        "reminder_sent_at": _when(row.reminder_sent_at),
        "data_purged_at": _when(row.purged_at),
        "bank_not_yet_told": row.bank_delete_pending,
    }


def _preferences(row: CustomerPreferencesRow | None) -> Json | None:
    if row is None:
        return None
    return {
        "hide_counterparties": row.hide_counterparties,
        "discreet_voice": row.discreet_voice,
        "voice_pin": {"set": row.voice_pin_hash is not None},
        "preferred_channel": row.preferred_channel,
        "updated_at": _when(row.updated_at),
    }


def _alert(runtime: Runtime, row: AlertRow) -> Json:
    body = (
        json.loads(runtime.sealer.open(row.body_sealed, context=ALERT_CONTEXT))
        if row.body_sealed
        else {}
    )
    return {
        "kind": row.kind,
        "status": row.status,
        "channel": row.channel,
        "text": body.get("text"),
        "answer": row.answer,
        "handoff": row.handoff_reference,
        "created_at": _when(row.created_at),
        "delivered_at": _when(row.delivered_at),
        "answered_at": _when(row.answered_at),
    }


async def export_customer(runtime: Runtime, customer_id: str) -> dict[str, Any]:
    """Everything Kluis holds about the customer, ready for `json.dumps`."""
    async with runtime.database.session() as session:
        customer = await session.get(CustomerRow, customer_id)
        if customer is None:
            raise UnknownCustomer("Kluis holds nothing about this customer")
        mine = customer_id
        identities = await _rows(
            session,
            select(ChannelIdentityRow)
            .where(ChannelIdentityRow.customer_id == mine)
            .order_by(ChannelIdentityRow.id),
        )
        link_tokens = (
            await _rows(
                session,
                select(LinkTokenRow)
                .where(
                    tuple_(LinkTokenRow.channel, LinkTokenRow.platform_user_id).in_(
                        [(row.channel, row.platform_user_id) for row in identities]
                    )
                )
                .order_by(LinkTokenRow.created_at),
            )
            if identities
            else []
        )
        contacts = await _rows(
            session,
            select(ChannelContactRow)
            .where(ChannelContactRow.customer_id == mine)
            .order_by(ChannelContactRow.id),
        )
        deliveries = await _rows(
            session,
            select(ChannelDeliveryRow)
            .where(ChannelDeliveryRow.customer_id == mine)
            .order_by(ChannelDeliveryRow.id),
        )
        connections = await _rows(
            session,
            select(BankConnectionRow)
            .where(BankConnectionRow.customer_id == mine)
            .order_by(BankConnectionRow.id),
        )
        banks = {row.id: row.bank_name for row in connections}
        consents = await _rows(
            session,
            select(ConsentRow).where(ConsentRow.customer_id == mine).order_by(ConsentRow.id),
        )
        accounts, balances, transactions = await _accounts(session, banks)
        card_consents = await _rows(
            session,
            select(CardConsentRow)
            .where(CardConsentRow.customer_id == mine)
            .order_by(CardConsentRow.id),
        )
        link_requests = await _rows(
            session,
            select(LinkRequestRow)
            .where(LinkRequestRow.customer_id == mine)
            .order_by(LinkRequestRow.created_at),
        )
        audit = await _rows(
            session,
            select(AuditEventRow)
            .where(AuditEventRow.customer_id == mine)
            .order_by(AuditEventRow.at, AuditEventRow.id),
        )
        messages = await _rows(
            session,
            select(ConversationMessageRow)
            .where(ConversationMessageRow.customer_id == mine)
            .order_by(ConversationMessageRow.at, ConversationMessageRow.id),
        )
        states = await _rows(
            session,
            select(ConversationStateRow)
            .where(ConversationStateRow.customer_id == mine)
            .order_by(ConversationStateRow.channel),
        )
        handoffs = await _rows(
            session,
            select(HandoffRow).where(HandoffRow.customer_id == mine).order_by(HandoffRow.id),
        )
        preferences = await session.get(CustomerPreferencesRow, mine)
        proactive = await _rows(
            session,
            select(ProactiveMessageRow)
            .where(ProactiveMessageRow.customer_id == mine)
            .order_by(ProactiveMessageRow.sent_at, ProactiveMessageRow.id),
        )
        alerts = await _rows(
            session, select(AlertRow).where(AlertRow.customer_id == mine).order_by(AlertRow.id)
        )
        alert_rules = await _rows(
            session,
            select(AlertRuleRow)
            .where(AlertRuleRow.customer_id == mine)
            .order_by(AlertRuleRow.kind),
        )
        category_rules = await _rows(
            session,
            select(CategoryRuleRow)
            .where(CategoryRuleRow.customer_id == mine)
            .order_by(CategoryRuleRow.created_at, CategoryRuleRow.id),
        )
        recurring_choices = await _rows(
            session,
            select(RecurringChoiceRow)
            .where(RecurringChoiceRow.customer_id == mine)
            .order_by(RecurringChoiceRow.decided_at, RecurringChoiceRow.payee),
        )
    return {
        "format": FORMAT,
        "exported_at": _when(datetime.now(UTC)),
        "customer": {
            "id": customer.id,
            "name": customer.name,
            "language": customer.language,
            "created_at": _when(customer.created_at),
        },
        "channel_identities": [
            {
                "channel": row.channel,
                "platform_user_id": row.platform_user_id,
                "linked_at": _when(row.created_at),
            }
            for row in identities
        ],
        "link_tokens": [
            {
                "channel": row.channel,
                "created_at": _when(row.created_at),
                "expires_at": _when(row.expires_at),
                "used_at": _when(row.used_at),
            }
            for row in link_tokens
        ],
        "bank_connections": [
            {
                "bank": row.bank_name,
                "bank_url": row.bank_url,
                "user_at_bank": row.psu_id,
                "created_at": _when(row.created_at),
            }
            for row in connections
        ],
        "consents": [_consent(row, banks.get(row.connection_id, "")) for row in consents],
        "consent_requests": [
            {
                "channel": row.channel,
                "created_at": _when(row.created_at),
                "expires_at": _when(row.expires_at),
                "used_at": _when(row.used_at),
            }
            for row in link_requests
        ],
        "card_consents": [
            {
                "bank": banks.get(row.connection_id, ""),
                "status": row.status,
                "created_at": _when(row.created_at),
                "updated_at": _when(row.updated_at),
            }
            for row in card_consents
        ],
        "accounts": accounts,
        "balances": balances,
        "transactions": transactions,
        "alerts": [_alert(runtime, row) for row in alerts],
        "alert_rules": [
            {
                "kind": row.kind,
                "enabled": row.enabled,
                "threshold": _amount(row.threshold_minor, row.currency or "EUR")
                if row.threshold_minor is not None
                else None,
                "updated_at": _when(row.updated_at),
            }
            for row in alert_rules
        ],
        "category_rules": [
            {
                "payee": row.payee,
                "about": row.about or None,
                "category": row.category,
                "created_at": _when(row.created_at),
            }
            for row in category_rules
        ],
        "recurring_choices": [
            {"payee": row.payee, "choice": row.choice, "decided_at": _when(row.decided_at)}
            for row in recurring_choices
        ],
        "audit_events": [
            {
                "at": _when(row.at),
                "action": row.action,
                "data_category": row.data_category,
                "consent": row.consent_id,
                "channel": row.channel,
                "intent": row.intent,
                "accounts": list(row.accounts),
                "detail": dict(row.detail),
            }
            for row in audit
        ],
        "conversation_messages": [
            {
                "at": _when(row.at),
                "channel": row.channel,
                "direction": row.direction,
                "text": row.text,
            }
            for row in messages
        ],
        "conversation_states": [
            {"channel": row.channel, "state": dict(row.state), "updated_at": _when(row.updated_at)}
            for row in states
        ],
        "handoffs": [
            {
                "reference": row.reference,
                "channel": row.channel,
                "reason": row.reason,
                "urgent": row.urgent,
                "status": row.status,
                "context": dict(row.context),
                "created_at": _when(row.created_at),
            }
            for row in handoffs
        ],
        "preferences": _preferences(preferences),
        "proactive_messages": [
            {
                "kind": row.kind,
                "channel": row.channel,
                "check_code": row.check_code,
                "sent_at": _when(row.sent_at),
            }
            for row in proactive
        ],
        "channel_contacts": [
            {
                "channel": row.channel,
                "last_message_at": _when(row.last_inbound_at) if row.last_inbound_at else None,
                "conversation_with": "a person" if row.owner == "human" else "Kluis",
                "reachable": row.reachable,
            }
            for row in contacts
        ],
        "channel_deliveries": [
            {
                "channel": row.channel,
                "kind": row.kind,
                "status": row.status,
                "error": row.error,
                "created_at": _when(row.created_at),
            }
            for row in deliveries
        ],
    }
