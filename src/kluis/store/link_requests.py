"""One-time link requests: a consent sent to the bank for approval, awaiting its redirect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.security import Sealer
from kluis.store.models import LinkRequestRow

LINK_LIFETIME = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """A link request; `identity` is the chat user (channel, platform user id) to link once
    the bank approves, `return_uri` the platform page (Messenger's account linking) the
    browser goes back to afterwards."""

    state: str
    customer_id: str
    connection_id: int
    channel: str
    bank_consent_id: str
    identity: tuple[str, str] | None = None
    return_uri: str | None = None


def _context(state: str) -> str:
    return f"link:{state}"


class LinkRequestRepository:
    """Creates link requests and redeems each one once, before it expires."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def create(
        self,
        state: str,
        customer_id: str,
        connection_id: int,
        channel: str,
        bank_consent_id: str,
        *,
        identity: tuple[str, str] | None = None,
        return_uri: str | None = None,
    ) -> None:
        """Store the request under the one-time `state` that the bank's redirect brings back."""
        now = datetime.now(UTC)
        link_channel, link_user = identity if identity is not None else (None, None)
        self._session.add(
            LinkRequestRow(
                state=state,
                customer_id=customer_id,
                connection_id=connection_id,
                channel=channel,
                bank_consent_id_sealed=self._sealer.seal(bank_consent_id, context=_context(state)),
                created_at=now,
                expires_at=now + LINK_LIFETIME,
                used_at=None,
                link_channel=link_channel,
                link_user=link_user,
                return_uri=return_uri,
            )
        )
        await self._session.flush()

    async def redeem(self, state: str) -> LinkRequest | None:
        """The request for `state`, marked used; None if unknown, used before, or expired."""
        row = await self._session.get(LinkRequestRow, state, with_for_update=True)
        now = datetime.now(UTC)
        if row is None or row.used_at is not None:
            return None
        expires_at = row.expires_at
        if expires_at.tzinfo is None:  # SQLite keeps no zone; we only ever write UTC
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at < now:
            return None
        row.used_at = now
        await self._session.flush()
        return self._request(row)

    async def get(self, state: str) -> LinkRequest | None:
        """The request for `state` as stored, used or not (None when unknown)."""
        row = await self._session.get(LinkRequestRow, state)
        return self._request(row) if row is not None else None

    def _request(self, row: LinkRequestRow) -> LinkRequest:
        identity = None
        if row.link_channel is not None and row.link_user is not None:
            identity = (row.link_channel, row.link_user)
        return LinkRequest(
            state=row.state,
            customer_id=row.customer_id,
            connection_id=row.connection_id,
            channel=row.channel,
            bank_consent_id=self._sealer.open(
                row.bank_consent_id_sealed, context=_context(row.state)
            ),
            identity=identity,
            return_uri=row.return_uri,
        )
