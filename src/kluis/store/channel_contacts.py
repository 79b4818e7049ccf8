"""People on platforms, found by the keyed hash of their platform id (kept sealed): when
they last wrote, who owns the conversation, whether they can be reached, what was offered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.database import as_utc
from kluis.store.models import ChannelContactRow


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    channel: str
    user_key: str
    user_sealed: bytes
    customer_id: str | None
    last_inbound_at: datetime | None
    owner: str
    reachable: bool
    offered: tuple[str, ...]


def _contact(row: ChannelContactRow) -> Contact:
    return Contact(
        row.id,
        row.channel,
        row.user_key,
        row.user_sealed,
        row.customer_id,
        as_utc(row.last_inbound_at) if row.last_inbound_at else None,
        row.owner,
        row.reachable,
        tuple(row.offered or ()),
    )


class ContactRepository:
    """People on platforms, by the keyed hash of their platform id."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, channel: str, user_key: str) -> Contact | None:
        row = await self._row(channel, user_key)
        return _contact(row) if row else None

    async def _row(self, channel: str, user_key: str) -> ChannelContactRow | None:
        return await self._session.scalar(
            select(ChannelContactRow).where(
                ChannelContactRow.channel == channel, ChannelContactRow.user_key == user_key
            )
        )

    async def touch(
        self,
        channel: str,
        user_key: str,
        user_sealed: bytes,
        now: datetime,
        *,
        inbound_at: datetime | None = None,
        customer_id: str | None = None,
    ) -> Contact:
        """The contact, created on first sight; `inbound_at` moves the messaging window."""
        row = await self._row(channel, user_key)
        if row is None:
            row = ChannelContactRow(
                channel=channel,
                user_key=user_key,
                user_sealed=user_sealed,
                customer_id=customer_id,
                last_inbound_at=inbound_at,
                owner="bot",
                reachable=True,
                offered=[],
                updated_at=now,
            )
            self._session.add(row)
        else:
            if inbound_at is not None and (
                row.last_inbound_at is None or as_utc(row.last_inbound_at) < inbound_at
            ):
                row.last_inbound_at = inbound_at
            if customer_id is not None:
                row.customer_id = customer_id
            row.updated_at = now
        await self._session.flush()
        return _contact(row)

    async def change(self, channel: str, user_key: str, now: datetime, **values: object) -> None:
        """Set `owner`, `reachable`, `offered` or `customer_id` of a contact."""
        allowed = {"owner", "reachable", "offered", "customer_id"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not a contact field: {sorted(unknown)}")
        await self._session.execute(
            update(ChannelContactRow)
            .where(ChannelContactRow.channel == channel, ChannelContactRow.user_key == user_key)
            .values(updated_at=now, **values)
        )

    async def delete_for_customer(self, customer_id: str) -> int:
        result = await self._session.execute(
            delete(ChannelContactRow).where(ChannelContactRow.customer_id == customer_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
