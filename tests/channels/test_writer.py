"""The batch writer on SQLite (its own connection) and PostgreSQL (a session): concurrent
requests share one commit, each event is new for exactly one request, a voice request finds
its customer and, when repeated, the answer kept for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kluis.channels.grants import grant_hash
from kluis.channels.writer import BatchWriter
from kluis.errors import StorageError
from kluis.store.customers import CustomerRepository
from kluis.store.database import Database
from kluis.store.grants import GrantRepository
from kluis.store.inbox import InboxRepository
from kluis.store.models import ChannelInboxRow

NOW = datetime.now(UTC)


@pytest.fixture
async def writer(database: Database) -> BatchWriter:
    async with database.session() as session:
        customers = CustomerRepository(session)
        await customers.ensure("c-1", "Sanne", "nl")
        await customers.ensure("c-2", "Emily", "en")
        await customers.link_identity("alexa", "amzn-user-1", "c-1")
        await customers.link_identity("alexa", "amzn-person-2", "c-2")
        await GrantRepository(session).add(
            grant_hash("token-1"),
            kind="alexa_access",
            channel="alexa",
            customer_id="c-2",
            platform_user_id=None,
            now=NOW,
            expires_at=NOW + timedelta(hours=1),
        )
        await GrantRepository(session).add(
            grant_hash("token-old"),
            kind="alexa_access",
            channel="alexa",
            customer_id="c-2",
            platform_user_id=None,
            now=NOW - timedelta(hours=2),
            expires_at=NOW - timedelta(hours=1),
        )
    return BatchWriter(database)


async def test_concurrent_requests_each_get_their_new_events(
    writer: BatchWriter, database: Database
) -> None:
    async def request(number: int) -> dict[str, int]:
        # Requests overlap: events 0..24 arrive twice, as a platform's retry would.
        events = [(f"e{number % 25}", b"sealed"), (f"x{number}", b"sealed")]
        return await writer.record("telegram", events, NOW)

    answers = await asyncio.gather(*(request(number) for number in range(50)))
    await writer.close()
    new_ids = [row_id for answer in answers for row_id in answer.values()]
    assert len(new_ids) == len(set(new_ids)) == 75  # 25 shared + 50 own, each once
    shared = [event for answer in answers for event in answer if event.startswith("e")]
    assert sorted(shared) == sorted(f"e{number}" for number in range(25))
    async with database.session() as session:
        assert await InboxRepository(session).waiting() == 75
        claimed = await InboxRepository(session).claim(100, NOW, timedelta(minutes=2))
    assert {item.body_sealed for item in claimed} == {b"sealed"}
    assert all(item.received_at.tzinfo is not None for item in claimed)


async def test_a_voice_request_finds_its_customer(writer: BatchWriter) -> None:
    by_user, by_person, by_token, old_token, stranger = await asyncio.gather(
        writer.sight("alexa", "r1", ("amzn-user-1",), NOW),
        writer.sight("alexa", "r2", ("amzn-person-2", "amzn-user-1"), NOW),
        writer.sight(
            "alexa", "r3", ("nobody",), NOW, token=(grant_hash("token-1"), "alexa_access")
        ),
        writer.sight(
            "alexa", "r4", ("nobody",), NOW, token=(grant_hash("token-old"), "alexa_access")
        ),
        writer.sight("alexa", "r5", ("nobody",), NOW),
    )
    await writer.close()
    assert by_user.customer_id == "c-1"
    assert by_person.customer_id == "c-2"  # the recognised speaker comes first
    assert by_token.customer_id == "c-2"
    assert old_token.customer_id is None  # an expired token names nobody
    assert stranger.customer_id is None
    # A linked customer's words become a dialogue turn, whose answer is kept for a retry;
    # a stranger's answer needs no keeping.
    assert all(seen.inbox_id is not None for seen in (by_user, by_person, by_token))
    assert old_token.inbox_id is None
    assert stranger.inbox_id is None
    assert all(seen.stored is None for seen in (by_user, by_person, by_token, old_token, stranger))


async def test_a_request_without_a_dialogue_turn_is_done_at_once(
    writer: BatchWriter, database: Database
) -> None:
    stranger, welcome, question = await asyncio.gather(
        writer.sight("alexa", "r1", ("nobody",), NOW),
        writer.sight("alexa", "r2", ("amzn-user-1",), NOW, converses=False),
        writer.sight("alexa", "r3", ("amzn-user-1",), NOW),
    )
    retried = await writer.sight("alexa", "r1", ("nobody",), NOW)
    await writer.close()
    assert (stranger.inbox_id, welcome.inbox_id) == (None, None)
    assert welcome.customer_id == "c-1"
    assert question.inbox_id is not None
    # A stranger's retry is answered afresh, the same way: nothing was kept, nothing is new.
    assert (retried.inbox_id, retried.stored, retried.customer_id) == (None, None, None)
    async with database.session() as session:
        rows = {row.event_id: row for row in await session.scalars(select(ChannelInboxRow))}
    assert rows["r1"].status == rows["r2"].status == "done"
    assert rows["r2"].customer_id == "c-1"
    assert rows["r3"].status == "working"


async def test_a_repeated_voice_request_gets_the_answer_kept_for_it(writer: BatchWriter) -> None:
    first = await writer.sight("alexa", "r1", ("amzn-user-1",), NOW)
    assert first.inbox_id is not None
    while_answering = await writer.sight("alexa", "r1", ("amzn-user-1",), NOW)
    assert (while_answering.inbox_id, while_answering.stored) == (None, None)
    assert while_answering.customer_id == "c-1"
    writer.keep_answer(first.inbox_id, b"sealed answer", "c-1", NOW)
    again = await writer.sight("alexa", "r1", ("amzn-user-1",), NOW)
    await writer.close()
    assert again.stored == b"sealed answer"
    assert again.customer_id is None  # nothing more is looked up for a repeat


async def test_the_same_request_twice_in_one_batch_is_new_once(writer: BatchWriter) -> None:
    one, two = await asyncio.gather(
        writer.sight("alexa", "r9", ("amzn-user-1",), NOW),
        writer.sight("alexa", "r9", ("amzn-user-1",), NOW),
    )
    await writer.close()
    assert sorted([one.inbox_id is None, two.inbox_id is None]) == [False, True]


async def test_operations_share_the_batch_and_a_failure_reaches_its_caller(
    writer: BatchWriter, database: Database
) -> None:
    async def boom(session: object) -> None:
        raise StorageError("refused")

    ok = writer.submit(lambda session: CustomerRepository(session).get("c-1"))
    bad = writer.submit(boom)
    results = await asyncio.gather(ok, bad, return_exceptions=True)
    await writer.close()
    assert isinstance(results[1], StorageError)
    # The failing operation took its batch's transaction with it; the caller learns it.
    assert isinstance(results[0], StorageError)


async def test_the_writer_tells_the_worker_when_webhooks_arrive(writer: BatchWriter) -> None:
    before = writer.last_write
    await writer.record("telegram", [("e1", b"x")], NOW)
    await writer.close()
    assert writer.last_write > before
