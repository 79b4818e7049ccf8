"""The unattended read budget: PSD2 RTS article 36(5) allows a few reads a day without the
customer, counted per consent, account and kind of data.

Two syncs of one customer may run at once (the server's rounds and a sync the customer
started): the count is taken in two statements that neither can lose, an insert of the
day's row that does nothing when it is there already, and an update that adds one only
while the count is under the limit.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import DataKind
from kluis.store.inbox import dialect_insert
from kluis.store.models import ReadBudgetRow

_KEY = ["consent_id", "resource_id", "kind", "day"]


class ReadBudgetRepository:
    """Counts unattended reads and refuses the one past the daily limit."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def used(self, consent_id: int, resource_id: str, kind: DataKind, day: date) -> int:
        row = await self._session.get(ReadBudgetRow, (consent_id, resource_id, kind.value, day))
        return row.count if row else 0

    async def take(
        self, consent_id: int, resource_id: str, kind: DataKind, day: date, limit: int
    ) -> bool:
        """Count one read if the budget allows it; False (and nothing counted) if not."""
        if limit < 1:
            return False
        key = {"consent_id": consent_id, "resource_id": resource_id, "kind": kind.value, "day": day}
        insert = dialect_insert(self._session)
        await self._session.execute(
            insert(ReadBudgetRow).values(**key, count=0).on_conflict_do_nothing(index_elements=_KEY)
        )
        counted = await self._session.execute(
            update(ReadBudgetRow)
            .where(
                ReadBudgetRow.consent_id == consent_id,
                ReadBudgetRow.resource_id == resource_id,
                ReadBudgetRow.kind == kind.value,
                ReadBudgetRow.day == day,
                ReadBudgetRow.count < limit,
            )
            .values(count=ReadBudgetRow.count + 1)
            .execution_options(synchronize_session=False)
        )
        # The rows the session holds may be stale now; `used` reads them afresh.
        self._session.expire_all()
        return cast("CursorResult[Any]", counted).rowcount == 1
