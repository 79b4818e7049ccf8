"""Customers and the channel identities linked to them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import ChannelIdentity, Customer
from kluis.store.models import ChannelIdentityRow, CustomerPreferencesRow, CustomerRow

_IDENTITIES = ChannelIdentityRow.__table__
# Built once: every webhook looks its sender up, and building the statement costs more than
# running it.
_IDENTITY = select(_IDENTITIES.c.customer_id).where(
    _IDENTITIES.c.channel == bindparam("channel"),
    _IDENTITIES.c.platform_user_id == bindparam("platform_user_id"),
)


async def preferences_row(
    session: AsyncSession, customer_id: str, now: datetime
) -> CustomerPreferencesRow:
    """The customer's preferences row (privacy, voice, alerts), created with the defaults
    when they have none yet."""
    row = await session.get(CustomerPreferencesRow, customer_id)
    if row is None:
        row = CustomerPreferencesRow(
            customer_id=customer_id,
            hide_counterparties=False,
            discreet_voice=False,
            voice_pin_failures=0,
            updated_at=now,
        )
        session.add(row)
    return row


def _customer(row: CustomerRow) -> Customer:
    return Customer(id=row.id, name=row.name, language=row.language, created_at=row.created_at)


class CustomerRepository:
    """Reads and writes customers and their channel identities."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, customer_id: str) -> Customer | None:
        row = await self._session.get(CustomerRow, customer_id)
        return _customer(row) if row else None

    async def ensure(self, customer_id: str, name: str, language: str) -> Customer:
        """The customer, created if new; name and language follow what we are told."""
        row = await self._session.get(CustomerRow, customer_id)
        if row is None:
            row = CustomerRow(
                id=customer_id, name=name, language=language, created_at=datetime.now(UTC)
            )
            self._session.add(row)
        else:
            row.name, row.language = name, language
        await self._session.flush()
        return _customer(row)

    async def link_identity(self, channel: str, platform_user_id: str, customer_id: str) -> None:
        """Link a platform user to a customer (re-linking moves the identity)."""
        row = await self._session.scalar(
            select(ChannelIdentityRow).where(
                ChannelIdentityRow.channel == channel,
                ChannelIdentityRow.platform_user_id == platform_user_id,
            )
        )
        if row is None:
            self._session.add(
                ChannelIdentityRow(
                    channel=channel,
                    platform_user_id=platform_user_id,
                    customer_id=customer_id,
                    created_at=datetime.now(UTC),
                )
            )
        else:
            row.customer_id = customer_id
        await self._session.flush()

    async def identity(self, channel: str, platform_user_id: str) -> ChannelIdentity | None:
        connection = await self._session.connection()
        result = await connection.execute(
            _IDENTITY, {"channel": channel, "platform_user_id": platform_user_id}
        )
        customer_id = result.scalar()
        if customer_id is None:
            return None
        return ChannelIdentity(channel, platform_user_id, customer_id)

    async def unlink_identity(self, channel: str, platform_user_id: str) -> str | None:
        """Remove a platform user's link; the customer it was linked to (None if none)."""
        row = await self._session.scalar(
            select(ChannelIdentityRow).where(
                ChannelIdentityRow.channel == channel,
                ChannelIdentityRow.platform_user_id == platform_user_id,
            )
        )
        if row is None:
            return None
        customer_id = row.customer_id
        await self._session.delete(row)
        await self._session.flush()
        return customer_id

    async def identities(
        self, customer_id: str, channel: str | None = None
    ) -> list[ChannelIdentity]:
        """The platform users linked to a customer (on one channel, when given)."""
        query = select(ChannelIdentityRow).where(ChannelIdentityRow.customer_id == customer_id)
        if channel is not None:
            query = query.where(ChannelIdentityRow.channel == channel)
        rows = await self._session.scalars(query.order_by(ChannelIdentityRow.id))
        return [ChannelIdentity(row.channel, row.platform_user_id, row.customer_id) for row in rows]
