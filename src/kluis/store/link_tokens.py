"""One-time link tokens: a chat user's way to the web linking page, stored as a hash only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.database import as_utc
from kluis.store.models import LinkTokenRow


class LinkTokenRepository:
    """Stores link tokens by their hash and redeems each one once, before it expires."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        token_hash: str,
        channel: str,
        platform_user_id: str,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        self._session.add(
            LinkTokenRow(
                token_hash=token_hash,
                channel=channel,
                platform_user_id=platform_user_id,
                created_at=created_at,
                expires_at=expires_at,
                used_at=None,
            )
        )
        await self._session.flush()

    async def usable(self, token_hash: str, now: datetime) -> tuple[str, str] | None:
        """The (channel, platform user) a token names, if unused and unexpired; not used up."""
        row = await self._session.get(LinkTokenRow, token_hash)
        if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
            return None
        return row.channel, row.platform_user_id

    async def redeem(self, token_hash: str, now: datetime) -> tuple[str, str] | None:
        """The (channel, platform user) a token names, marked used; None when unknown, used
        before or expired."""
        row = await self._session.get(LinkTokenRow, token_hash, with_for_update=True)
        if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
            return None
        row.used_at = now
        await self._session.flush()
        return row.channel, row.platform_user_id
