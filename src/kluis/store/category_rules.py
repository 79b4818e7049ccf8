"""Category rules as stored: the customer's corrections, one row per payee (and `about`).

    rules = CategoryRuleRepository(session)
    saved = await rules.put("c-1", CategoryRule.of("Vattenfall", "utilities"), now)
    await rules.restore("c-1", saved.rule.id, saved.replaced)   # undo the correction

A second correction of the same payee replaces the first; `put` says which category it
replaced, so that an undo puts that one back rather than forgetting the payee altogether.
Every method takes the customer's id: a rule is never read or changed for someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import Category, as_category
from kluis.insights.rules import CategoryRule
from kluis.store.database import as_utc
from kluis.store.models import CategoryRuleRow

__all__ = ["CategoryRuleRepository", "SavedRule"]


@dataclass(frozen=True, slots=True)
class SavedRule:
    """A rule as stored, and the category the same payee had by an earlier rule (if any)."""

    rule: CategoryRule
    replaced: Category | None


def _rule(row: CategoryRuleRow) -> CategoryRule:
    return CategoryRule(
        payee=row.payee,
        category=as_category(row.category),
        about=row.about,
        id=row.id,
        created_at=as_utc(row.created_at),
    )


class CategoryRuleRepository:
    """The customer's category rules."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rules(self, customer_id: str) -> list[CategoryRule]:
        """The customer's rules, oldest first."""
        rows = await self._session.scalars(
            select(CategoryRuleRow)
            .where(CategoryRuleRow.customer_id == customer_id)
            .order_by(CategoryRuleRow.created_at, CategoryRuleRow.id)
        )
        return [_rule(row) for row in rows]

    async def put(self, customer_id: str, rule: CategoryRule, now: datetime) -> SavedRule:
        """Store `rule`, replacing the customer's rule for the same payee and `about`."""
        row = await self._session.scalar(
            select(CategoryRuleRow).where(
                CategoryRuleRow.customer_id == customer_id,
                CategoryRuleRow.payee == rule.payee,
                CategoryRuleRow.about == rule.about,
            )
        )
        replaced = None if row is None else as_category(row.category)
        if row is None:
            row = CategoryRuleRow(customer_id=customer_id, payee=rule.payee, about=rule.about)
            self._session.add(row)
        row.category = rule.category
        row.created_at = now
        await self._session.flush()
        return SavedRule(_rule(row), replaced)

    async def restore(self, customer_id: str, rule_id: int, category: Category | None) -> bool:
        """Undo a correction: give the rule its earlier `category` back, or delete it when
        there was none. False when the customer has no such rule (already undone)."""
        row = await self._session.get(CategoryRuleRow, rule_id)
        if row is None or row.customer_id != customer_id:
            return False
        if category is None:
            await self._session.delete(row)
        else:
            row.category = category
        await self._session.flush()
        return True
