"""The webhook inbox: platform events recorded once per event id, handed to one worker,
and (for voice requests) the answer kept for a retry. Content arrives already sealed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.database import as_utc
from kluis.store.models import ChannelInboxRow

PENDING, WORKING, DONE, FAILED = "pending", "working", "done", "failed"


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: int
    channel: str
    body_sealed: bytes
    attempts: int
    received_at: datetime


def dialect_insert(session: AsyncSession) -> Callable[[Any], Any]:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (both databases do)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


_INBOX = cast(Table, ChannelInboxRow.__table__)
# Built once: the voice webhooks run this for every request, and building a statement costs
# more than running it.
_ANSWERED = (
    update(_INBOX)
    .where(_INBOX.c.id == bindparam("item_id"))
    .values(
        status=DONE,
        body_sealed=None,
        response_sealed=bindparam("response_sealed"),
        customer_id=bindparam("customer_id"),
        processed_at=bindparam("processed_at"),
    )
)


@cache
def _insert_one(insert: Callable[[Any], Any]) -> Any:
    """One webhook event into the inbox, or nothing when it is there already (built once
    per database dialect)."""
    return (
        insert(_INBOX)
        .values(
            channel=bindparam("channel"),
            event_id=bindparam("event_id"),
            status=bindparam("status"),
            body_sealed=bindparam("body_sealed"),
            attempts=0,
            received_at=bindparam("received_at"),
        )
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
        .returning(_INBOX.c.event_id, _INBOX.c.id)
    )


class InboxRepository:
    """Webhook events: recorded once per platform event id, handed to one worker."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, channel: str, events: list[tuple[str, bytes]], now: datetime, *, status: str = PENDING
    ) -> list[int]:
        """Record `(event_id, sealed body)` pairs; returns the ids of those that are new
        (a platform's retry of an event already recorded is left out)."""
        return list((await self.insert_new(channel, events, now, status=status)).values())

    async def insert_new(
        self, channel: str, events: list[tuple[str, bytes]], now: datetime, *, status: str = PENDING
    ) -> dict[str, int]:
        """`record` in one statement, returning the new rows' ids by their event id."""
        if not events:
            return {}
        insert = dialect_insert(self._session)
        connection = await self._session.connection()
        if len(events) == 1:
            [(event_id, body)] = events
            parameters = {
                "channel": channel,
                "event_id": event_id,
                "status": status,
                "body_sealed": body,
                "received_at": now,
            }
            found = await connection.execute(_insert_one(insert), parameters)
            return {row_event: row_id for row_event, row_id in found.all()}
        table = ChannelInboxRow.__table__
        # A Core statement on the table, not the ORM's bulk insert: this is the webhooks'
        # hot path, and the ORM's bookkeeping costs more than the insert itself.
        statement = (
            insert(table)
            .values(
                [
                    {
                        "channel": channel,
                        "event_id": event_id,
                        "status": status,
                        "body_sealed": body,
                        "attempts": 0,
                        "received_at": now,
                    }
                    for event_id, body in events
                ]
            )
            .on_conflict_do_nothing(index_elements=["channel", "event_id"])
            .returning(table.c.event_id, table.c.id)
        )
        rows = await connection.execute(statement)
        return {event_id: row_id for event_id, row_id in rows.all()}

    async def response_for(self, channel: str, event_id: str) -> tuple[bool, bytes | None]:
        """Whether the event was seen before, and the (sealed) answer given to it."""
        row = await self._session.scalar(
            select(ChannelInboxRow).where(
                ChannelInboxRow.channel == channel, ChannelInboxRow.event_id == event_id
            )
        )
        if row is None:
            return False, None
        return True, row.response_sealed

    async def answered(
        self, item_id: int, response: bytes | None, customer_id: str | None, now: datetime
    ) -> None:
        """A voice request was answered: its answer is kept for the platform's retry."""
        connection = await self._session.connection()
        await connection.execute(
            _ANSWERED,
            {
                "item_id": item_id,
                "response_sealed": response,
                "customer_id": customer_id,
                "processed_at": now,
            },
        )

    async def claim(self, limit: int, now: datetime, stale: timedelta) -> list[InboxItem]:
        """Take up to `limit` waiting events (oldest first), and events a worker took but
        did not finish within `stale` (it died); each is taken by one worker only."""
        rows = list(
            await self._session.scalars(
                select(ChannelInboxRow)
                .where(
                    (ChannelInboxRow.status == PENDING)
                    | (
                        (ChannelInboxRow.status == WORKING)
                        & (ChannelInboxRow.processed_at < now - stale)
                    )
                )
                .order_by(ChannelInboxRow.id)
                .limit(limit)
            )
        )
        seen = [
            (
                row.id,
                row.channel,
                row.status,
                row.attempts,
                row.body_sealed,
                as_utc(row.received_at),
            )
            for row in rows
        ]
        claimed: list[InboxItem] = []
        for item_id, channel, status, attempts, body, received_at in seen:
            result = await self._session.execute(
                update(ChannelInboxRow)
                .where(
                    ChannelInboxRow.id == item_id,
                    ChannelInboxRow.status == status,
                    ChannelInboxRow.attempts == attempts,
                )
                .values(status=WORKING, attempts=attempts + 1, processed_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1 and body is not None:  # type: ignore[attr-defined]
                claimed.append(InboxItem(item_id, channel, body, attempts + 1, received_at))
        return claimed

    async def finish(
        self, item_id: int, now: datetime, *, customer_id: str | None, failed: bool = False
    ) -> None:
        """The event was handled (or given up): its content goes, the row stays to
        recognise retries."""
        await self._session.execute(
            update(ChannelInboxRow)
            .where(ChannelInboxRow.id == item_id)
            .values(
                status=FAILED if failed else DONE,
                body_sealed=None,
                customer_id=customer_id,
                processed_at=now,
            )
        )

    async def release(self, item_id: int) -> None:
        """Put an event back for a later attempt."""
        await self._session.execute(
            update(ChannelInboxRow).where(ChannelInboxRow.id == item_id).values(status=PENDING)
        )

    async def waiting(self) -> int:
        rows = await self._session.scalars(
            select(ChannelInboxRow.id).where(ChannelInboxRow.status.in_((PENDING, WORKING)))
        )
        return len(list(rows))

    async def purge(self, before: datetime) -> int:
        """Forget events received before `before` that were handled (or, for a voice
        request whose answer was never kept, are still marked as being answered)."""
        result = await self._session.execute(
            delete(ChannelInboxRow).where(
                ChannelInboxRow.received_at < before,
                ChannelInboxRow.status.in_((DONE, FAILED, WORKING)),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
