"""Recurring choices on both databases: one per customer and payee, never another's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from kluis.store.database import Database
from kluis.store.models import CustomerRow
from kluis.store.recurring_choices import RecurringChoiceRepository
from tests.customers import add_two_customers

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


async def test_a_later_choice_replaces_the_earlier_one_per_customer(database: Database) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        choices = RecurringChoiceRepository(session)
        await choices.put("c-1", "name:netflix", "dismissed", NOW)
        await choices.put("c-1", "creditor:NL12ZZZ123", "confirmed", NOW)
        await choices.put("c-2", "name:netflix", "confirmed", NOW)
    async with database.session() as session:
        choices = RecurringChoiceRepository(session)
        await choices.put("c-1", "name:netflix", "confirmed", NOW + timedelta(days=1))
    async with database.session() as session:
        choices = RecurringChoiceRepository(session)
        assert await choices.all("c-1") == {
            "name:netflix": "confirmed",
            "creditor:NL12ZZZ123": "confirmed",
        }
        assert await choices.all("c-2") == {"name:netflix": "confirmed"}
        assert await choices.forget("c-1", ["name:netflix"]) == 1
        assert await choices.all("c-1") == {"creditor:NL12ZZZ123": "confirmed"}
        assert await choices.all("c-2") == {"name:netflix": "confirmed"}
        assert await choices.forget("c-1") == 1
        assert await choices.all("c-1") == {}


async def test_an_unknown_choice_is_refused(database: Database) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        with pytest.raises(ValueError, match="unknown choice"):
            await RecurringChoiceRepository(session).put(
                "c-1",
                "name:netflix",
                "maybe",  # type: ignore[arg-type]
                NOW,
            )


async def test_choices_go_with_the_customer_row(database: Database) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        await RecurringChoiceRepository(session).put("c-1", "name:kpn", "dismissed", NOW)
    async with database.session() as session:
        await session.execute(delete(CustomerRow).where(CustomerRow.id == "c-1"))
    async with database.session() as session:
        assert await RecurringChoiceRepository(session).all("c-1") == {}
