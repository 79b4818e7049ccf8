"""Category rules on both databases: stored per customer, one per payee, undone exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from kluis.insights.rules import CategoryRule
from kluis.store.category_rules import CategoryRuleRepository
from kluis.store.database import Database
from kluis.store.models import CustomerRow
from tests.customers import add_two_customers

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


async def test_rules_are_kept_per_customer_oldest_first(database: Database) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        rules = CategoryRuleRepository(session)
        first = await rules.put("c-1", CategoryRule.of("Vattenfall", "housing"), NOW)
        second = await rules.put(
            "c-1", CategoryRule.of("Tikkie", "housing", "Sanne"), NOW + timedelta(minutes=1)
        )
        await rules.put("c-2", CategoryRule.of("Netflix", "subscriptions"), NOW)
    assert first.replaced is None
    assert second.replaced is None
    async with database.session() as session:
        mine = await CategoryRuleRepository(session).rules("c-1")
        theirs = await CategoryRuleRepository(session).rules("c-2")
    assert [(r.payee, r.about, r.category) for r in mine] == [
        ("vattenfall", "", "housing"),
        ("tikkie", "sanne", "housing"),
    ]
    assert mine[0].created_at == NOW
    assert mine[0].id == first.rule.id
    assert [r.payee for r in theirs] == ["netflix"]


async def test_a_second_correction_replaces_the_first_and_undo_puts_it_back(
    database: Database,
) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        rules = CategoryRuleRepository(session)
        first = await rules.put("c-1", CategoryRule.of("Vattenfall", "housing"), NOW)
        again = await rules.put("c-1", CategoryRule.of("vattenfall", "utilities"), NOW)
    assert again.rule.id == first.rule.id
    assert again.replaced == "housing"
    async with database.session() as session:
        rules = CategoryRuleRepository(session)
        assert [r.category for r in await rules.rules("c-1")] == ["utilities"]
        assert again.rule.id is not None
        # Someone else cannot undo Sanne's rule.
        assert not await rules.restore("c-2", again.rule.id, None)
        assert await rules.restore("c-1", again.rule.id, again.replaced)
        assert [r.category for r in await rules.rules("c-1")] == ["housing"]
        assert await rules.restore("c-1", again.rule.id, None)
        assert await rules.rules("c-1") == []
        assert not await rules.restore("c-1", again.rule.id, None)  # already undone


async def test_rules_go_with_the_customer_row(database: Database) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        await CategoryRuleRepository(session).put("c-1", CategoryRule.of("KPN", "telecom"), NOW)
    async with database.session() as session:
        await session.execute(delete(CustomerRow).where(CustomerRow.id == "c-1"))
    async with database.session() as session:
        assert await CategoryRuleRepository(session).rules("c-1") == []
