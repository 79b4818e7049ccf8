"""The unattended read budget: PSD2 RTS article 36(5) allows a few reads a day without the
customer, counted per consent, account and kind of data."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.domain import DataKind
from kluis.store.models import ReadBudgetRow


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
        key = (consent_id, resource_id, kind.value, day)
        row = await self._session.get(ReadBudgetRow, key, with_for_update=True)
        if row is None:
            if limit < 1:
                return False
            self._session.add(
                ReadBudgetRow(
                    consent_id=consent_id,
                    resource_id=resource_id,
                    kind=kind.value,
                    day=day,
                    count=1,
                )
            )
        elif row.count >= limit:
            return False
        else:
            row.count += 1
        await self._session.flush()
        return True
