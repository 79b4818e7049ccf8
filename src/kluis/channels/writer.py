"""Small writes from many concurrent webhook requests, committed together.

Every request that wants to record something while a commit is under way joins the next
one: under load one transaction (one commit) serves many requests, and the webhooks never
fight each other for SQLite's single writer. Each request still waits until its write is
committed before it answers the platform, so an acknowledged event is never lost.

    writer = BatchWriter(database)
    ids = await writer.submit(lambda session: InboxRepository(session).record(...))
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.store.database import Database

T = TypeVar("T")
Operation = Callable[[AsyncSession], Awaitable[Any]]

_MAX_BATCH = 256


class BatchWriter:
    """Commits the writes submitted while the previous commit ran, together."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._waiting: list[tuple[Operation, asyncio.Future[Any]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_write = 0.0  # time.monotonic() of the last submitted write

    async def submit(self, operation: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `operation` in the next batch's transaction; its result once committed."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="kluis-batch-writer")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((operation, future))
        self.last_write = time.monotonic()
        self._wake.set()
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for _, future in self._waiting:
            if not future.done():
                future.cancel()
        self._waiting.clear()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._waiting:
                batch = self._waiting[:_MAX_BATCH]
                del self._waiting[:_MAX_BATCH]
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[Operation, asyncio.Future[Any]]]) -> None:
        results: list[Any] = []
        try:
            async with self._database.session() as session:
                for operation, _ in batch:
                    results.append(await operation(session))
        except Exception as error:  # every waiting request learns that its write failed
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
