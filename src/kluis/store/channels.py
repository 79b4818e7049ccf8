"""The channels' tables: the webhook inbox, contacts, deliveries and linking grants.

Content (message texts, platform user ids) arrives here already sealed; these
repositories never see it in the clear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.models import (
    ChannelContactRow,
    ChannelDeliveryRow,
    ChannelGrantRow,
    ChannelInboxRow,
)

PENDING, WORKING, DONE, FAILED = "pending", "working", "done", "failed"


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: int
    channel: str
    body_sealed: bytes
    attempts: int
    received_at: datetime


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


@dataclass(frozen=True, slots=True)
class DueDelivery:
    id: int
    channel: str
    user_key: str
    customer_id: str | None
    kind: str
    attempts: int
    body_sealed: bytes


def _insert(session: AsyncSession) -> Callable[[Any], Any]:
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
        insert = _insert(self._session)
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
                _aware(row.received_at),
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


def _contact(row: ChannelContactRow) -> Contact:
    return Contact(
        row.id,
        row.channel,
        row.user_key,
        row.user_sealed,
        row.customer_id,
        row.last_inbound_at,
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
                row.last_inbound_at is None or _aware(row.last_inbound_at) < inbound_at
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


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class DeliveryRepository:
    """What was sent to whom (by hash), and how it went; messages waiting to be sent."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        channel: str,
        user_key: str,
        kind: str,
        status: str,
        now: datetime,
        customer_id: str | None = None,
        inbox_id: int | None = None,
        body_sealed: bytes | None = None,
        platform_message_id: str | None = None,
        error: str | None = None,
        attempts: int = 0,
    ) -> int:
        row = ChannelDeliveryRow(
            channel=channel,
            user_key=user_key,
            customer_id=customer_id,
            inbox_id=inbox_id,
            kind=kind,
            status=status,
            attempts=attempts,
            body_sealed=body_sealed,
            platform_message_id=platform_message_id,
            error=error,
            created_at=now,
            next_attempt_at=now if status == PENDING else None,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def sent_for_inbox(self, inbox_id: int) -> int:
        """How many messages already went out in answer to an inbox event (a worker that
        died after sending must not send them again)."""
        rows = await self._session.scalars(
            select(ChannelDeliveryRow.id).where(
                ChannelDeliveryRow.inbox_id == inbox_id, ChannelDeliveryRow.status == "sent"
            )
        )
        return len(list(rows))

    async def claim_due(self, limit: int, now: datetime) -> list[DueDelivery]:
        rows = list(
            await self._session.scalars(
                select(ChannelDeliveryRow)
                .where(
                    ChannelDeliveryRow.status == PENDING,
                    ChannelDeliveryRow.next_attempt_at <= now,
                )
                .order_by(ChannelDeliveryRow.id)
                .limit(limit)
            )
        )
        seen = [
            DueDelivery(
                row.id,
                row.channel,
                row.user_key,
                row.customer_id,
                row.kind,
                row.attempts + 1,
                row.body_sealed or b"",
            )
            for row in rows
        ]
        due: list[DueDelivery] = []
        for item in seen:
            result = await self._session.execute(
                update(ChannelDeliveryRow)
                .where(
                    ChannelDeliveryRow.id == item.id,
                    ChannelDeliveryRow.status == PENDING,
                    ChannelDeliveryRow.attempts == item.attempts - 1,
                )
                .values(attempts=item.attempts, next_attempt_at=now + timedelta(minutes=5))
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1 and item.body_sealed:  # type: ignore[attr-defined]
                due.append(item)
        return due

    async def settle(
        self,
        delivery_id: int,
        now: datetime,
        *,
        status: str,
        platform_message_id: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record how a send went. With `retry_at` the message stays waiting (its text
        too); otherwise the text goes."""
        values: dict[str, object] = {
            "status": PENDING if retry_at else status,
            "platform_message_id": platform_message_id,
            "error": error,
            "updated_at": now,
            "next_attempt_at": retry_at,
        }
        if retry_at is None:
            values["body_sealed"] = None
        await self._session.execute(
            update(ChannelDeliveryRow).where(ChannelDeliveryRow.id == delivery_id).values(**values)
        )

    async def platform_status(
        self, channel: str, platform_message_id: str, status: str, now: datetime, error: str | None
    ) -> bool:
        """A platform's report on a message it was given (delivered, read, failed)."""
        result = await self._session.execute(
            update(ChannelDeliveryRow)
            .where(
                ChannelDeliveryRow.channel == channel,
                ChannelDeliveryRow.platform_message_id == platform_message_id,
            )
            .values(status=status, error=error, updated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def purge(self, before: datetime) -> int:
        """Forget the record of sends made before `before` (nothing waiting is touched)."""
        result = await self._session.execute(
            delete(ChannelDeliveryRow).where(
                ChannelDeliveryRow.created_at < before, ChannelDeliveryRow.status != PENDING
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def history(self, customer_id: str) -> list[ChannelDeliveryRow]:
        return list(
            await self._session.scalars(
                select(ChannelDeliveryRow)
                .where(ChannelDeliveryRow.customer_id == customer_id)
                .order_by(ChannelDeliveryRow.id)
            )
        )


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
