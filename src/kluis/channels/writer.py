"""Small writes from many concurrent webhook requests, committed together.

Every request that wants to record something while a commit is under way joins the next
one: under load one transaction (one commit) serves many requests, and the webhooks never
fight each other (or the worker) for SQLite's single writer. Webhook events of one channel
go into the inbox in a single statement. Each request still waits until its write is
committed before it answers the platform, so an acknowledged event is never lost.

    writer = BatchWriter(database)
    new = await writer.record("telegram", [(event_id, sealed)], now)   # {event_id: row id}
    result = await writer.submit(lambda session: SomeRepository(session).change(...))
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.errors import StorageError
from kluis.store.customers import CustomerRepository
from kluis.store.database import Database
from kluis.store.grants import GrantRepository
from kluis.store.inbox import PENDING, WORKING, InboxRepository

T = TypeVar("T")
logger = logging.getLogger(__name__)
Operation = Callable[[AsyncSession], Awaitable[Any]]

_MAX_BATCH = 256


@dataclass
class _Record:
    channel: str
    status: str
    events: list[tuple[str, bytes]]
    now: datetime
    future: asyncio.Future[dict[str, int]]


@dataclass(frozen=True, slots=True)
class Sighting:
    """What the inbox knows of a voice request: its new row, when the answer is to be kept
    (None for a repeat, and for a request that needs no dialogue turn: its row is finished
    at once), the answer kept for a repeat, and the linked customer it comes from."""

    inbox_id: int | None
    stored: bytes | None
    customer_id: str | None


@dataclass
class _Sight:
    channel: str
    event_id: str
    users: tuple[str, ...]
    token: tuple[str, str] | None  # (hash, grant kind)
    converses: bool
    now: datetime
    future: asyncio.Future[Sighting]

    def finished(self, customer_id: str | None) -> bool:
        """Whether the answer needs no keeping: no dialogue turn comes of it, so a retry of
        the request is answered the same way afresh (a stranger, a welcome, a goodbye)."""
        return customer_id is None or not self.converses


@dataclass(frozen=True, slots=True)
class _Answer:
    inbox_id: int
    sealed: bytes
    customer_id: str | None
    now: datetime


@dataclass
class _Batch:
    records: list[_Record] = field(default_factory=list)
    sights: list[_Sight] = field(default_factory=list)
    answers: list[_Answer] = field(default_factory=list)
    operations: list[tuple[Operation, asyncio.Future[Any]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records) + len(self.sights) + len(self.answers) + len(self.operations)

    def futures(self) -> list[asyncio.Future[Any]]:
        return [
            *(record.future for record in self.records),
            *(sight.future for sight in self.sights),
            *(future for _, future in self.operations),
        ]


class BatchWriter:
    """Commits the writes submitted while the previous commit ran, together."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._waiting = _Batch()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # SQLite: the inbox's own connection, used only on the writer's own thread.
        self._raw: sqlite3.Connection | None = None
        self._thread: ThreadPoolExecutor | None = None
        self.last_write = 0.0  # time.monotonic() of the last webhook event recorded

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="kluis-batch-writer")
        self._wake.set()

    async def record(
        self,
        channel: str,
        events: list[tuple[str, bytes]],
        now: datetime,
        *,
        status: str = PENDING,
    ) -> dict[str, int]:
        """Record webhook events in the inbox; the new ones' row ids by event id (an event
        recorded before, or by another request in the same batch, is left out)."""
        future: asyncio.Future[dict[str, int]] = asyncio.get_running_loop().create_future()
        self._waiting.records.append(_Record(channel, status, events, now, future))
        self.last_write = time.monotonic()
        self._start()
        return await future

    async def sight(
        self,
        channel: str,
        event_id: str,
        users: tuple[str, ...],
        now: datetime,
        *,
        token: tuple[str, str] | None = None,
        converses: bool = True,
    ) -> Sighting:
        """Record a voice request and, in the same transaction, find the customer: by an
        access token `(hash, grant kind)`, else the first of `users` linked on the channel;
        for a repeat, the answer kept for it. The row waits (status working) for the answer
        to be kept when a linked customer `converses` (says something for the dialogue);
        otherwise it is done at once."""
        future: asyncio.Future[Sighting] = asyncio.get_running_loop().create_future()
        sight = _Sight(channel, event_id, users, token, converses, now, future)
        self._waiting.sights.append(sight)
        self.last_write = time.monotonic()
        self._start()
        return await future

    def keep_answer(
        self, inbox_id: int, sealed: bytes, customer_id: str | None, now: datetime
    ) -> None:
        """Keep a voice answer for a retry of its request, without waiting for the commit
        (a crash before it only means a retry is answered afresh)."""
        self._waiting.answers.append(_Answer(inbox_id, sealed, customer_id, now))
        self._start()

    async def submit(self, operation: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `operation` in the next batch's transaction; its result once committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.operations.append((operation, future))
        self._start()
        return await future

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for future in self._waiting.futures():
            if not future.done():
                future.cancel()
        self._waiting = _Batch()
        if self._thread is not None:
            raw, self._raw = self._raw, None
            if raw is not None:
                await asyncio.get_running_loop().run_in_executor(self._thread, raw.close)
            self._thread.shutdown(wait=False)
            self._thread = None

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while len(self._waiting):
                batch, self._waiting = self._take()
                await self._commit(batch)

    def _take(self) -> tuple[_Batch, _Batch]:
        waiting = self._waiting
        if len(waiting) <= _MAX_BATCH:
            return waiting, _Batch()
        half = _MAX_BATCH // 2
        now = _Batch(
            waiting.records[:half],
            waiting.sights[:half],
            waiting.answers[:half],
            waiting.operations[:half],
        )
        rest = _Batch(
            waiting.records[half:],
            waiting.sights[half:],
            waiting.answers[half:],
            waiting.operations[half:],
        )
        return now, rest

    async def _commit(self, batch: _Batch) -> None:
        if batch.records or batch.sights or batch.answers:
            await self._commit_inbox(batch)
        if batch.operations:
            await self._commit_operations(batch.operations)

    async def _commit_inbox(self, batch: _Batch) -> None:
        futures: list[asyncio.Future[Any]] = [r.future for r in batch.records]
        futures += [sight.future for sight in batch.sights]
        try:
            if self._database.is_sqlite:
                recorded, sighted = await self._inbox_sqlite(batch)
            else:
                async with self._database.session() as session:
                    for answer in batch.answers:  # first, as on SQLite
                        await InboxRepository(session).answered(
                            answer.inbox_id, answer.sealed, answer.customer_id, answer.now
                        )
                    recorded = await _record_all(session, batch.records)
                    sighted = [await _sight(session, sight) for sight in batch.sights]
        except Exception as error:  # every waiting request learns that its write failed
            _fail(futures, error)
            if batch.answers:
                logger.warning("voice answers not kept: %s", type(error).__name__)
            return
        for future, result in zip(futures, [*recorded, *sighted], strict=True):
            if not future.done():
                future.set_result(result)

    async def _commit_operations(
        self, operations: list[tuple[Operation, asyncio.Future[Any]]]
    ) -> None:
        results: list[Any] = []
        try:
            async with self._database.session() as session:
                for operation, _ in operations:
                    results.append(await operation(session))
        except Exception as error:
            _fail([future for _, future in operations], error)
            return
        for (_, future), result in zip(operations, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def _inbox_sqlite(self, batch: _Batch) -> tuple[list[dict[str, int]], list[Sighting]]:
        """The inbox's writes and lookups on SQLite through a connection of the writer's
        own, in plain SQL, the whole batch in one trip to the writer's thread: per batch
        microseconds of work instead of a session's bookkeeping and a trip per statement."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kluis-inbox")
        loop = asyncio.get_running_loop()
        if self._raw is None:
            self._raw = await loop.run_in_executor(self._thread, _open_raw, self._database)
        return await loop.run_in_executor(self._thread, _inbox_batch, self._raw, batch)


def _inbox_batch(
    raw: sqlite3.Connection, batch: _Batch
) -> tuple[list[dict[str, int]], list[Sighting]]:
    """One batch, in one transaction, on the writer's thread."""
    try:
        inserted: dict[tuple[str, str], dict[str, int]] = {}
        for (channel, status), (events, now) in _grouped(batch.records).items():
            inserted[(channel, status)] = _insert_sqlite(raw, channel, status, events, now)
        if batch.answers:  # first: a repeat in this batch then finds its answer
            raw.executemany(
                "UPDATE channel_inbox SET status = 'done', body_sealed = NULL, "
                "response_sealed = ?, customer_id = ?, processed_at = ? WHERE id = ?",
                [(a.sealed, a.customer_id, _stamp(a.now), a.inbox_id) for a in batch.answers],
            )
        sighted = _sights_sqlite(raw, batch.sights)
        raw.commit()
    except sqlite3.Error as error:
        raw.rollback()
        raise StorageError("the inbox refused the change") from error
    return _shares(batch.records, inserted), sighted


def _stamp(moment: datetime) -> str:
    """A moment as SQLAlchemy keeps it in SQLite: UTC, without the offset."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _fetch(raw: sqlite3.Connection, sql: str, parameters: list[object]) -> list[Any]:
    return raw.execute(sql, parameters).fetchall()


def _insert_sqlite(
    raw: sqlite3.Connection,
    channel: str,
    status: str,
    events: list[tuple[str, bytes]],
    now: datetime,
) -> dict[str, int]:
    placeholders = ",".join(["(?, ?, ?, ?, 0, ?)"] * len(events))
    parameters: list[object] = []
    stamp = _stamp(now)
    for event_id, body in events:
        parameters += [channel, event_id, status, body, stamp]
    rows = _fetch(
        raw,
        "INSERT INTO channel_inbox "  # noqa: S608 - placeholders only
        "(channel, event_id, status, body_sealed, attempts, received_at) "
        f"VALUES {placeholders} ON CONFLICT (channel, event_id) DO NOTHING "
        "RETURNING event_id, id",
        parameters,
    )
    return {str(row[0]): int(row[1]) for row in rows}


def _marks(count: int) -> str:
    return ",".join(["?"] * count)


def _sights_sqlite(raw: sqlite3.Connection, sights: list[_Sight]) -> list[Sighting]:
    """`_sight` for a whole batch in a handful of statements: one insert per channel, then
    the kept answers of repeats, the access tokens and the linked users, each in one go."""
    if not sights:
        return []
    new: dict[tuple[str, str], int] = {}
    by_channel: dict[str, list[_Sight]] = {}
    for sight in sights:
        by_channel.setdefault(sight.channel, []).append(sight)
    for channel, group in by_channel.items():
        events = list(dict.fromkeys(sight.event_id for sight in group))
        inserted = _insert_sqlite(
            raw, channel, WORKING, [(event, b"") for event in events], group[0].now
        )
        new.update({(channel, event): row_id for event, row_id in inserted.items()})
    stored: dict[tuple[str, str], bytes] = {}
    customers: dict[tuple[str, str], str] = {}
    tokens: dict[tuple[str, str], str] = {}
    for channel, group in by_channel.items():
        repeats = [s.event_id for s in group if (channel, s.event_id) not in new]
        if repeats:
            rows = _fetch(
                raw,
                "SELECT event_id, response_sealed FROM channel_inbox "  # noqa: S608
                f"WHERE channel = ? AND event_id IN ({_marks(len(repeats))}) "
                "AND response_sealed IS NOT NULL",
                [channel, *repeats],
            )
            stored.update({(channel, str(row[0])): bytes(row[1]) for row in rows})
        users = list(dict.fromkeys(user for s in group for user in s.users))
        if users:
            rows = _fetch(
                raw,
                "SELECT platform_user_id, customer_id FROM channel_identities "  # noqa: S608
                f"WHERE channel = ? AND platform_user_id IN ({_marks(len(users))})",
                [channel, *users],
            )
            customers.update({(channel, str(row[0])): str(row[1]) for row in rows})
    wanted = list(dict.fromkeys(s.token for s in sights if s.token is not None))
    for kind in {token_kind for _, token_kind in wanted}:
        hashes = [token_hash for token_hash, token_kind in wanted if token_kind == kind]
        rows = _fetch(
            raw,
            "SELECT token_hash, customer_id FROM channel_grants WHERE kind = ? "  # noqa: S608
            f"AND used_at IS NULL AND expires_at > ? AND token_hash IN ({_marks(len(hashes))})",
            [kind, _stamp(sights[0].now), *hashes],
        )
        tokens.update({(kind, str(row[0])): str(row[1]) for row in rows})
    sighted = [_sighting(sight, new, stored, customers, tokens) for sight in sights]
    _finish_sqlite(raw, [(row, s.customer_id) for s, row in sighted if row is not None], sights)
    return [sighting for sighting, _ in sighted]


def _finish_sqlite(
    raw: sqlite3.Connection, rows: list[tuple[int, str | None]], sights: list[_Sight]
) -> None:
    """Mark done the rows whose answer needs no keeping: strangers' in one statement."""
    if not rows:
        return
    stamp = _stamp(sights[0].now)
    strangers = [row for row, customer_id in rows if customer_id is None]
    if strangers:
        raw.execute(
            "UPDATE channel_inbox SET status = 'done', processed_at = ? "  # noqa: S608
            f"WHERE id IN ({_marks(len(strangers))})",
            [stamp, *strangers],
        )
    linked = [(customer_id, stamp, row) for row, customer_id in rows if customer_id is not None]
    if linked:
        raw.executemany(
            "UPDATE channel_inbox SET status = 'done', customer_id = ?, processed_at = ? "
            "WHERE id = ?",
            linked,
        )


def _sighting(
    sight: _Sight,
    new: dict[tuple[str, str], int],
    stored: dict[tuple[str, str], bytes],
    customers: dict[tuple[str, str], str],
    tokens: dict[tuple[str, str], str],
) -> tuple[Sighting, int | None]:
    """The sighting, and the new row to finish at once (if its answer needs no keeping)."""
    kept = stored.get((sight.channel, sight.event_id))
    if kept is not None:
        return Sighting(None, kept, None), None
    customer_id = tokens.get((sight.token[1], sight.token[0])) if sight.token else None
    for user in sight.users:
        customer_id = customer_id or customers.get((sight.channel, user))
    # A repeat of a request still being answered gets no row: it is answered, not kept.
    row = new.pop((sight.channel, sight.event_id), None)
    if row is not None and sight.finished(customer_id):
        return Sighting(None, None, customer_id), row
    return Sighting(row, None, customer_id), None


async def _sight(session: AsyncSession, sight: _Sight) -> Sighting:
    """`_sight_sqlite` through a session (PostgreSQL)."""
    inbox = InboxRepository(session)
    new = await inbox.insert_new(sight.channel, [(sight.event_id, b"")], sight.now, status=WORKING)
    if not new:
        _, stored = await inbox.response_for(sight.channel, sight.event_id)
        if stored is not None:
            return Sighting(None, stored, None)
    customer_id: str | None = None
    if sight.token is not None:
        grant = await GrantRepository(session).valid(sight.token[0], sight.token[1], sight.now)
        customer_id = grant.customer_id if grant is not None else None
    customers = CustomerRepository(session)
    for user in sight.users:
        if customer_id is not None:
            break
        identity = await customers.identity(sight.channel, user)
        customer_id = identity.customer_id if identity is not None else None
    row = new.get(sight.event_id)
    if row is not None and sight.finished(customer_id):
        await inbox.answered(row, None, customer_id, sight.now)
        return Sighting(None, None, customer_id)
    return Sighting(row, None, customer_id)


def _fail(futures: list[asyncio.Future[Any]], error: Exception) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(error)


def _grouped(
    records: list[_Record],
) -> dict[tuple[str, str], tuple[list[tuple[str, bytes]], datetime]]:
    """The events of all requests by channel and status, each event id once."""
    groups: dict[tuple[str, str], dict[str, tuple[bytes, datetime]]] = {}
    for record in records:
        group = groups.setdefault((record.channel, record.status), {})
        for event_id, body in record.events:
            group.setdefault(event_id, (body, record.now))
    return {
        key: (
            [(event_id, body) for event_id, (body, _) in events.items()],
            min(when for _, when in events.values()),
        )
        for key, events in groups.items()
    }


def _shares(
    records: list[_Record], inserted: dict[tuple[str, str], dict[str, int]]
) -> list[dict[str, int]]:
    """Each request gets the ids of the new events it was the first to bring."""
    answers: list[dict[str, int]] = []
    for record in records:
        new = inserted[(record.channel, record.status)]
        answers.append(
            {event_id: new.pop(event_id) for event_id, _ in record.events if event_id in new}
        )
    return answers


async def _record_all(session: AsyncSession, records: list[_Record]) -> list[dict[str, int]]:
    """One INSERT per channel and status for every request's events."""
    inserted: dict[tuple[str, str], dict[str, int]] = {}
    for (channel, status), (events, now) in _grouped(records).items():
        inserted[(channel, status)] = await InboxRepository(session).insert_new(
            channel, events, now, status=status
        )
    return _shares(records, inserted)


def _open_raw(database: Database) -> sqlite3.Connection:
    path = make_url(database.url).database
    if not path:
        raise StorageError("the SQLite database has no file")
    connection = sqlite3.connect(path, timeout=5.0)
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection
