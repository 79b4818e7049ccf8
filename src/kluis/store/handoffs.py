"""Requests for a person at the bank, with what the conversation was about."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import HandoffRow

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class Handoff:
    """A handoff as an agent's inbox shows it; `reference` is what the customer is told."""

    reference: str
    customer_id: str
    channel: str
    reason: str
    urgent: bool
    status: str
    context: dict[str, Any]
    created_at: datetime


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        reference=row.reference,
        customer_id=row.customer_id,
        channel=row.channel,
        reason=row.reason,
        urgent=row.urgent,
        status=row.status,
        context=dict(row.context),
        created_at=row.created_at,
    )


def new_reference() -> str:
    """A short reference a customer can read out on the phone, such as `K-7QF3M2`."""
    return "K-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class HandoffRepository:
    """Opens handoffs and lists them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open(
        self,
        customer_id: str,
        channel: str,
        reason: str,
        context: dict[str, Any],
        *,
        urgent: bool = False,
    ) -> Handoff:
        row = HandoffRow(
            reference=new_reference(),
            customer_id=customer_id,
            channel=channel,
            reason=reason,
            urgent=urgent,
            status="open",
            context=context,
            created_at=datetime.now(UTC),
        )
        self._session.add(row)
        await self._session.flush()
        return _handoff(row)

    async def open_for_customer(self, customer_id: str) -> list[Handoff]:
        rows = await self._session.scalars(
            select(HandoffRow)
            .where(HandoffRow.customer_id == customer_id, HandoffRow.status == "open")
            .order_by(HandoffRow.created_at.desc())
        )
        return [_handoff(row) for row in rows]
