"""Alerts as stored: the customer's rules per kind, their quiet hours and daily limit, and
every alert given with what became of it.

    rules = AlertRuleRepository(session)
    await rules.set("c-1", "low_balance", enabled=True, threshold=Money.parse("100", "EUR"))
    alerts = AlertRepository(session)
    record = await alerts.add(NewAlert("c-1", "low_balance", "2026-11-29", ...), now)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.money import Money
from kluis.store.customers import preferences_row
from kluis.store.database import as_utc
from kluis.store.inbox import dialect_insert
from kluis.store.models import AlertRow, AlertRuleRow, CustomerPreferencesRow

HELD = "held"  # waits for the customer's quiet hours to end
SENT = "sent"  # given on its channel
SKIPPED = "skipped"  # over the customer's daily limit: recorded, not given
ANSWERED = "answered"  # the customer answered it (fraud: "yes, that was me" or "no")

_ALERTS = cast(Table, AlertRow.__table__)


@dataclass(frozen=True, slots=True)
class AlertRule:
    """A customer's choice for one kind of alert."""

    kind: str
    enabled: bool
    threshold: Money | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class QuietHours:
    """When alerts wait (local "HH:MM" to "HH:MM"), and how many a day at most; None where
    the customer kept the bank's default."""

    start: str | None
    end: str | None
    daily_limit: int | None


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert about to be recorded; `dedupe_key` says what makes two alerts the same
    (the same transaction, the same day's low balance)."""

    customer_id: str
    kind: str
    dedupe_key: str
    status: str
    urgent: bool = False
    channel: str | None = None
    account_id: int | None = None
    transaction_id: int | None = None
    card_id: str | None = None
    score: float | None = None
    body_sealed: bytes | None = None
    deliver_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """An alert as recorded."""

    id: int
    customer_id: str
    kind: str
    dedupe_key: str
    urgent: bool
    status: str
    channel: str | None
    account_id: int | None
    transaction_id: int | None
    card_id: str | None
    score: float | None
    body_sealed: bytes | None
    answer: str | None
    handoff_reference: str | None
    created_at: datetime
    deliver_after: datetime | None
    delivered_at: datetime | None
    answered_at: datetime | None


def _record(row: AlertRow) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        customer_id=row.customer_id,
        kind=row.kind,
        dedupe_key=row.dedupe_key,
        urgent=bool(row.urgent),
        status=row.status,
        channel=row.channel,
        account_id=row.account_id,
        transaction_id=row.transaction_id,
        card_id=row.card_id,
        score=row.score,
        body_sealed=row.body_sealed,
        answer=row.answer,
        handoff_reference=row.handoff_reference,
        created_at=as_utc(row.created_at),
        deliver_after=as_utc(row.deliver_after) if row.deliver_after else None,
        delivered_at=as_utc(row.delivered_at) if row.delivered_at else None,
        answered_at=as_utc(row.answered_at) if row.answered_at else None,
    )


class AlertRuleRepository:
    """Which alerts a customer wants, and when they want none."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rules(self, customer_id: str) -> dict[str, AlertRule]:
        rows = await self._session.scalars(
            select(AlertRuleRow).where(AlertRuleRow.customer_id == customer_id)
        )
        return {
            row.kind: AlertRule(
                row.kind,
                bool(row.enabled),
                Money.from_minor(row.threshold_minor, row.currency or "EUR")
                if row.threshold_minor is not None
                else None,
                as_utc(row.updated_at),
            )
            for row in rows
        }

    async def set(
        self,
        customer_id: str,
        kind: str,
        *,
        enabled: bool,
        threshold: Money | None,
        now: datetime,
    ) -> AlertRule:
        """Switch a kind on or off; a threshold given replaces the one kept, None keeps it."""
        row = await self._session.get(AlertRuleRow, (customer_id, kind))
        if row is None:
            row = AlertRuleRow(customer_id=customer_id, kind=kind)
            self._session.add(row)
        row.enabled = enabled
        if threshold is not None:
            row.threshold_minor = threshold.minor_units
            row.currency = threshold.currency
        row.updated_at = now
        await self._session.flush()
        kept = (
            Money.from_minor(row.threshold_minor, row.currency or "EUR")
            if row.threshold_minor is not None
            else None
        )
        return AlertRule(kind, enabled, kept, now)

    async def quiet_hours(self, customer_id: str) -> QuietHours:
        row = await self._session.get(CustomerPreferencesRow, customer_id)
        if row is None:
            return QuietHours(None, None, None)
        return QuietHours(row.alert_quiet_start, row.alert_quiet_end, row.alert_daily_limit)

    async def set_quiet_hours(
        self, customer_id: str, quiet: QuietHours, now: datetime
    ) -> QuietHours:
        row = await preferences_row(self._session, customer_id, now)
        row.alert_quiet_start, row.alert_quiet_end = quiet.start, quiet.end
        row.alert_daily_limit = quiet.daily_limit
        row.updated_at = now
        await self._session.flush()
        return quiet


class AlertRepository:
    """Every alert given: recorded once per (customer, kind, dedupe key)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, alert: NewAlert, now: datetime) -> AlertRecord | None:
        """Record an alert; None when the same alert was recorded before."""
        connection = await self._session.connection()
        insert = dialect_insert(self._session)
        values = {
            "customer_id": alert.customer_id,
            "kind": alert.kind,
            "dedupe_key": alert.dedupe_key[:128],
            "urgent": alert.urgent,
            "status": alert.status,
            "channel": alert.channel,
            "account_id": alert.account_id,
            "transaction_id": alert.transaction_id,
            "card_id": alert.card_id,
            "score": alert.score,
            "body_sealed": alert.body_sealed,
            "created_at": now,
            "deliver_after": alert.deliver_after,
            "delivered_at": now if alert.status == SENT else None,
        }
        statement = (
            insert(_ALERTS)
            .values(values)
            .on_conflict_do_nothing(index_elements=["customer_id", "kind", "dedupe_key"])
            .returning(_ALERTS.c.id)
        )
        new_id = (await connection.execute(statement)).scalar()
        if new_id is None:
            return None
        return await self.get(int(new_id))

    async def get(self, alert_id: int) -> AlertRecord | None:
        row = await self._session.get(AlertRow, alert_id, populate_existing=True)
        return _record(row) if row is not None else None

    async def given_since(self, customer_id: str, since: datetime) -> int:
        """How many alerts that count towards the daily limit were given since `since`."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(AlertRow)
            .where(
                AlertRow.customer_id == customer_id,
                AlertRow.urgent.is_(False),
                AlertRow.delivered_at >= since,
            )
        )
        return int(count or 0)

    async def due(self, now: datetime, limit: int = 100) -> list[AlertRecord]:
        """Held alerts whose quiet hours are over, oldest first."""
        rows = await self._session.scalars(
            select(AlertRow)
            .where(AlertRow.status == HELD, AlertRow.deliver_after <= now)
            .order_by(AlertRow.deliver_after, AlertRow.id)
            .limit(limit)
        )
        return [_record(row) for row in rows]

    async def mark(
        self, alert_id: int, status: str, now: datetime, *, channel: str | None = None
    ) -> None:
        values: dict[str, object] = {"status": status}
        if status == SENT:
            values["delivered_at"] = now
        if channel is not None:
            values["channel"] = channel
        await self._session.execute(update(AlertRow).where(AlertRow.id == alert_id).values(values))

    async def awaiting_answer(
        self, customer_id: str, kind: str, since: datetime
    ) -> AlertRecord | None:
        """The newest alert of `kind` given since `since` that the customer has not
        answered; of alerts given in one message, the one the message was composed for."""
        row = await self._session.scalar(
            select(AlertRow)
            .where(
                AlertRow.customer_id == customer_id,
                AlertRow.kind == kind,
                AlertRow.status == SENT,
                AlertRow.answer.is_(None),
                AlertRow.delivered_at >= since,
            )
            .order_by(
                AlertRow.delivered_at.desc(),
                AlertRow.body_sealed.is_(None),  # false first: the message's own alert
                AlertRow.id.desc(),
            )
            .limit(1)
        )
        return _record(row) if row is not None else None

    async def answer(
        self, alert_id: int, answer: str, now: datetime, *, handoff_reference: str | None = None
    ) -> bool:
        """Record the customer's answer; False when the alert was answered already."""
        result = await self._session.execute(
            update(AlertRow)
            .where(AlertRow.id == alert_id, AlertRow.answer.is_(None))
            .values(
                answer=answer,
                status=ANSWERED,
                answered_at=now,
                handoff_reference=handoff_reference,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def set_handoff(self, alert_id: int, reference: str) -> None:
        await self._session.execute(
            update(AlertRow).where(AlertRow.id == alert_id).values(handoff_reference=reference)
        )

    async def on_channel_after(
        self, customer_id: str, channel: str, after_id: int, limit: int = 20
    ) -> list[AlertRecord]:
        """Alerts given on `channel` with an id above `after_id` (what a chat page that
        polls has not shown yet), oldest first."""
        rows = await self._session.scalars(
            select(AlertRow)
            .where(
                AlertRow.customer_id == customer_id,
                AlertRow.channel == channel,
                AlertRow.status.in_((SENT, ANSWERED)),
                AlertRow.id > after_id,
            )
            .order_by(AlertRow.id)
            .limit(limit)
        )
        return [_record(row) for row in rows]
