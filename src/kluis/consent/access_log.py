"""The access log as a customer reads it: who saw which data, where, when, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.audit import AuditRepository


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One disclosure: when, on which channel, what kind of data of which accounts, and the
    question that asked for it."""

    at: datetime
    channel: str | None
    data_category: str
    intent: str | None
    account_kinds: tuple[str, ...]
    account_names: tuple[str, ...]


async def access_log(runtime: Runtime, customer_id: str, limit: int = 50) -> list[AccessRecord]:
    """The customer's most recent disclosures, newest first, with account names resolved."""
    async with runtime.database.session() as session:
        events = await AuditRepository(session).recent(customer_id, limit)
        accounts = {
            account.resource_id: account
            for _, account in await AccountRepository(session).for_customer(customer_id)
        }
    records = []
    for event in events:
        if event.action != "disclose":
            continue
        known = [accounts[r] for r in event.accounts if r in accounts]
        records.append(
            AccessRecord(
                at=event.at,
                channel=event.channel,
                data_category=event.data_category,
                intent=event.intent,
                account_kinds=tuple(account.kind.value for account in known),
                account_names=tuple(account.name or account.kind.value for account in known),
            )
        )
    return records
