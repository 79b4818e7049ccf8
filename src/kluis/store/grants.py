"""One-time linking codes and tokens (Messenger, Telegram, Alexa), stored as hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import ChannelGrantRow


class GrantRepository:
    """One-time linking codes and tokens, by hash."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        token_hash: str,
        *,
        kind: str,
        channel: str,
        customer_id: str,
        platform_user_id: str | None,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        self._session.add(
            ChannelGrantRow(
                token_hash=token_hash,
                kind=kind,
                channel=channel,
                customer_id=customer_id,
                platform_user_id=platform_user_id,
                created_at=now,
                expires_at=expires_at,
                used_at=None,
            )
        )
        await self._session.flush()

    async def redeem(
        self, token_hash: str, kind: str, now: datetime
    ) -> tuple[str, str | None] | None:
        """(customer id, platform user id) of an unused, unexpired grant, used up now."""
        result = await self._session.execute(
            update(ChannelGrantRow)
            .where(
                ChannelGrantRow.token_hash == token_hash,
                ChannelGrantRow.kind == kind,
                ChannelGrantRow.used_at.is_(None),
                ChannelGrantRow.expires_at > now,
            )
            .values(used_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = await self._session.get(ChannelGrantRow, token_hash)
        return (row.customer_id, row.platform_user_id) if row else None

    async def valid(self, token_hash: str, kind: str, now: datetime) -> ChannelGrantRow | None:
        """A grant that can still be used many times until it expires (an access token)."""
        return await self._session.scalar(
            select(ChannelGrantRow).where(
                ChannelGrantRow.token_hash == token_hash,
                ChannelGrantRow.kind == kind,
                ChannelGrantRow.expires_at > now,
                ChannelGrantRow.used_at.is_(None),
            )
        )

    async def purge(self, before: datetime) -> int:
        """Forget grants that were used or expired before `before`."""
        result = await self._session.execute(
            delete(ChannelGrantRow).where(
                (ChannelGrantRow.expires_at < before) | (ChannelGrantRow.used_at < before)
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def revoke_for_customer(self, customer_id: str, channel: str, now: datetime) -> None:
        await self._session.execute(
            update(ChannelGrantRow)
            .where(
                ChannelGrantRow.customer_id == customer_id,
                ChannelGrantRow.channel == channel,
                ChannelGrantRow.used_at.is_(None),
            )
            .values(used_at=now)
        )

    async def holds(
        self, customer_id: str, channel: str, kinds: tuple[str, ...], now: datetime
    ) -> bool:
        """Whether the customer has a grant of one of `kinds` on `channel` that can still be
        used (Alexa's account link lives on while an access or refresh token does)."""
        found = await self._session.scalar(
            select(ChannelGrantRow.token_hash)
            .where(
                ChannelGrantRow.customer_id == customer_id,
                ChannelGrantRow.channel == channel,
                ChannelGrantRow.kind.in_(kinds),
                ChannelGrantRow.used_at.is_(None),
                ChannelGrantRow.expires_at > now,
            )
            .limit(1)
        )
        return found is not None
