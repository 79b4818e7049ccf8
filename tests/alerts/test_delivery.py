"""Giving an alert: once per dedupe key, on the customer's channel, audited; quiet hours hold
it until they end (fraud excepted); past the daily limit it is recorded and not given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kluis.alerts.candidates import AlertCandidate, AlertMessage
from kluis.alerts.delivery import give, message_of, quiet_until, release_due
from kluis.config import load_settings
from kluis.dialogue.formatting import Lang
from kluis.privacy.policy import AlertTopic, DisclosurePolicy
from kluis.runtime import Runtime, open_runtime
from kluis.security import new_key
from kluis.store.alerts import AlertRuleRepository, QuietHours
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.store.models import AuditEventRow

CUSTOMER = "c-1"
NOON = datetime(2026, 3, 18, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam
NIGHT = datetime(2026, 3, 18, 23, 30, tzinfo=UTC)  # 00:30 in Amsterdam


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    settings = load_settings(
        data_dir=tmp_path / "data", seal_keys=[new_key()], embedded_sandbox=False
    )
    async with open_runtime(settings) as opened:
        async with opened.database.session() as session:
            await CustomerRepository(session).ensure(CUSTOMER, "Sanne de Vries", "nl")
        yield opened


def candidate(key: str, *, urgent: bool = False, kind: str = "low_balance") -> AlertCandidate:
    def compose(lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        name = "bij Albert Heijn" if not policy.hide_counterparties else "bij een winkel"
        return AlertMessage(f"[{lang}] {key} {name}", ("Stop",))

    topic: AlertTopic = "fraud" if urgent else "balance"
    return AlertCandidate(CUSTOMER, kind, key, topic, compose, urgent=urgent)


async def said(runtime: Runtime) -> list[str]:
    async with runtime.database.session() as session:
        return [m.text for m in await ConversationRepository(session).recent(CUSTOMER, "web", 50)]


def test_quiet_hours_run_past_midnight_in_the_banks_time() -> None:
    defaults = QuietHours(None, None, None)
    assert quiet_until(NOON, defaults) is None
    ends = quiet_until(NIGHT, defaults)
    assert ends == datetime(2026, 3, 19, 6, 30, tzinfo=UTC)  # 07:30 in Amsterdam
    assert quiet_until(NIGHT, QuietHours("08:00", "08:00", None)) is None  # none at all
    assert quiet_until(NOON, QuietHours("11:00", "13:00", None)) == datetime(
        2026, 3, 18, 12, 0, tzinfo=UTC
    )


async def test_an_alert_is_given_once_in_the_customers_language_and_audited(
    runtime: Runtime,
) -> None:
    first = await give(runtime, candidate("a"), now=NOON)
    again = await give(runtime, candidate("a"), now=NOON)
    assert first is not None
    assert first.status == "sent"
    assert first.channel == "web"
    assert again is None
    assert await said(runtime) == ["[nl] a bij Albert Heijn"]
    message = message_of(runtime, first)
    assert message == AlertMessage("[nl] a bij Albert Heijn", ("Stop",))
    assert first.body_sealed is not None
    assert b"Albert Heijn" not in first.body_sealed  # sealed at rest
    async with runtime.database.session() as session:
        audits = await session.scalar(
            select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == "alert")
        )
    assert audits == 1


async def test_quiet_hours_hold_an_alert_until_they_end_but_not_fraud(runtime: Runtime) -> None:
    held = await give(runtime, candidate("night"), now=NIGHT)
    fraud = await give(runtime, candidate("tx-9", urgent=True, kind="fraud"), now=NIGHT)
    assert held is not None
    assert fraud is not None
    assert held.status == "held"
    assert fraud.status == "sent"
    assert await said(runtime) == ["[nl] tx-9 bij Albert Heijn"]
    assert await release_due(runtime, now=NIGHT) == 0
    assert await release_due(runtime, now=datetime(2026, 3, 19, 6, 31, tzinfo=UTC)) == 1
    assert "[nl] night bij Albert Heijn" in await said(runtime)
    assert await release_due(runtime, now=datetime(2026, 3, 19, 7, 0, tzinfo=UTC)) == 0


async def test_past_the_daily_limit_alerts_are_recorded_not_given(runtime: Runtime) -> None:
    async with runtime.database.session() as session:
        await AlertRuleRepository(session).set_quiet_hours(
            CUSTOMER, QuietHours("23:00", "06:00", 2), NOON
        )
    statuses = [
        record.status
        for key in ("1", "2", "3")
        if (record := await give(runtime, candidate(key), now=NOON)) is not None
    ]
    fraud = await give(runtime, candidate("tx-1", urgent=True, kind="fraud"), now=NOON)
    assert statuses == ["sent", "sent", "skipped"]
    assert fraud is not None
    assert fraud.status == "sent"  # fraud never waits for a limit
    assert len(await said(runtime)) == 3
