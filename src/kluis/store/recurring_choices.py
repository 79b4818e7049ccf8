"""The customer's word on the recurring payments Kluis found: confirmed or dismissed.

    choices = RecurringChoiceRepository(session)
    await choices.put("c-1", "creditor:NL12ZZZ123", "dismissed", now)
    (await choices.all("c-1"))["creditor:NL12ZZZ123"]   # "dismissed"

A series is known by its payee key (`kluis.insights.recurring.payee_key`), so a choice holds
for the payee's later charges too. Every method takes the customer's id: a choice is never
read or changed for someone else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import RecurringChoiceRow
from kluis.store.retention import delete_counted

__all__ = ["CHOICES", "Choice", "RecurringChoiceRepository", "as_choice"]

Choice = Literal["confirmed", "dismissed"]
CHOICES: Final[frozenset[str]] = frozenset(get_args(Choice))


class RecurringChoiceRepository:
    """Confirmed and dismissed recurring series, per customer."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self, customer_id: str) -> dict[str, Choice]:
        """The customer's choices by payee key."""
        rows = await self._session.scalars(
            select(RecurringChoiceRow).where(RecurringChoiceRow.customer_id == customer_id)
        )
        return {row.payee: as_choice(row.choice) for row in rows}

    async def put(self, customer_id: str, payee: str, choice: Choice, now: datetime) -> None:
        """Record the customer's choice for the series of `payee`, replacing an earlier one."""
        if choice not in CHOICES:
            raise ValueError(f"unknown choice {choice!r}")
        row = await self._session.get(RecurringChoiceRow, (customer_id, payee))
        if row is None:
            row = RecurringChoiceRow(customer_id=customer_id, payee=payee)
            self._session.add(row)
        row.choice = choice
        row.decided_at = now
        await self._session.flush()

    async def forget(self, customer_id: str, payees: list[str] | None = None) -> int:
        """Drop the customer's choices (for `payees` only, when given); how many went."""
        statement = delete(RecurringChoiceRow).where(RecurringChoiceRow.customer_id == customer_id)
        if payees is not None:
            statement = statement.where(RecurringChoiceRow.payee.in_(payees))
        return await delete_counted(self._session, statement)


def as_choice(value: str) -> Choice:
    """A stored or remembered choice as a `Choice` (anything else reads as confirmed)."""
    return "dismissed" if value == "dismissed" else "confirmed"
