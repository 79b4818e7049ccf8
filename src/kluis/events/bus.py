"""In-process dispatch of outbox events to subscribers.

A subscriber that fails leaves its event in the outbox, so the next dispatch retries it;
events of one kind are delivered in the order they were written.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from kluis.errors import KluisError
from kluis.store.database import Database
from kluis.store.outbox import OutboxRepository

Handler = Callable[[dict[str, Any]], Awaitable[None]]

logger = logging.getLogger(__name__)


class EventBus:
    """Subscribers by event kind, fed from the outbox."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, kind: str, handler: Handler) -> None:
        self._handlers[kind].append(handler)

    async def dispatch_pending(self, batch: int = 100) -> int:
        """Deliver every undelivered event; returns how many were delivered."""
        delivered = 0
        while True:
            async with self._database.session() as session:
                pending = await OutboxRepository(session).pending(batch)
            if not pending:
                return delivered
            for event_id, kind, payload in pending:
                try:
                    for handler in self._handlers.get(kind, []):
                        await handler(payload)
                except KluisError:
                    logger.warning(
                        "event %s (%s) stays in the outbox: a subscriber failed", event_id, kind
                    )
                    return delivered
                async with self._database.session() as session:
                    await OutboxRepository(session).mark_dispatched(event_id)
                delivered += 1
