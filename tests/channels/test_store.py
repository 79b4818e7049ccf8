"""The channels' tables on SQLite and PostgreSQL: the inbox deduplicates and hands each
event to one worker, deliveries wait and settle, grants work once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kluis.store.channel_contacts import ContactRepository
from kluis.store.customers import CustomerRepository
from kluis.store.database import Database
from kluis.store.deliveries import DeliveryRepository
from kluis.store.grants import GrantRepository
from kluis.store.inbox import PENDING, InboxRepository

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


async def test_the_inbox_records_each_platform_event_once(database: Database) -> None:
    async with database.session() as session:
        inbox = InboxRepository(session)
        first = await inbox.record("telegram", [("1", b"a"), ("2", b"b")], NOW)
        again = await inbox.record("telegram", [("2", b"b"), ("3", b"c")], NOW)
        other = await inbox.record("messenger", [("1", b"x")], NOW)
    assert len(first) == 2
    assert len(again) == 1  # event 2 was a retry
    assert len(other) == 1  # the same id on another platform is another event
    async with database.session() as session:
        assert await InboxRepository(session).waiting() == 4


async def test_a_claimed_event_goes_to_one_worker_and_comes_back_if_it_died(
    database: Database,
) -> None:
    async with database.session() as session:
        await InboxRepository(session).record("telegram", [("7", b"body")], NOW)
    async with database.session() as session:
        first = await InboxRepository(session).claim(10, NOW, timedelta(minutes=2))
    async with database.session() as session:
        second = await InboxRepository(session).claim(10, NOW, timedelta(minutes=2))
    assert [item.attempts for item in first] == [1]
    assert second == []
    later = NOW + timedelta(minutes=3)
    async with database.session() as session:
        retaken = await InboxRepository(session).claim(10, later, timedelta(minutes=2))
    assert [item.attempts for item in retaken] == [2]
    async with database.session() as session:
        await InboxRepository(session).finish(retaken[0].id, later, customer_id="c-1")
    async with database.session() as session:
        inbox = InboxRepository(session)
        assert await inbox.claim(10, later + timedelta(hours=1), timedelta(minutes=2)) == []
        assert await inbox.waiting() == 0
        # The content is gone, the row stays to recognise a late retry ...
        assert await inbox.record("telegram", [("7", b"body")], later) == []
        # ... until it is purged.
        assert await inbox.purge(later + timedelta(days=8)) == 1
        assert len(await inbox.record("telegram", [("7", b"body")], later)) == 1


async def test_a_voice_answer_is_kept_for_the_platforms_retry(database: Database) -> None:
    async with database.session() as session:
        inbox = InboxRepository(session)
        [item] = await inbox.record("alexa", [("req-1", b"")], NOW, status="working")
        assert await inbox.response_for("alexa", "req-1") == (True, None)
        await inbox.answered(item, b"sealed answer", "c-1", NOW)
        assert await inbox.response_for("alexa", "req-1") == (True, b"sealed answer")
        assert await inbox.response_for("alexa", "req-2") == (False, None)


async def test_contacts_keep_the_latest_message_time_and_their_owner(database: Database) -> None:
    async with database.session() as session:
        contacts = ContactRepository(session)
        await contacts.touch("whatsapp", "k1", b"sealed", NOW, inbound_at=NOW)
        older = await contacts.touch(
            "whatsapp", "k1", b"sealed", NOW, inbound_at=NOW - timedelta(hours=1)
        )
        assert older.last_inbound_at is not None
        assert older.last_inbound_at.replace(tzinfo=UTC) == NOW
        await contacts.change("whatsapp", "k1", NOW, owner="human", offered=["Saldo", "Hulp"])
        contact = await contacts.get("whatsapp", "k1")
    assert contact is not None
    assert contact.owner == "human"
    assert contact.offered == ("Saldo", "Hulp")
    assert contact.reachable


async def test_a_waiting_delivery_is_sent_once_and_loses_its_text(database: Database) -> None:
    async with database.session() as session:
        delivery = await DeliveryRepository(session).add(
            channel="telegram",
            user_key="k1",
            kind="consent_expiry",
            status=PENDING,
            now=NOW,
            body_sealed=b"sealed text",
        )
    async with database.session() as session:
        due = await DeliveryRepository(session).claim_due(10, NOW)
    async with database.session() as session:
        assert await DeliveryRepository(session).claim_due(10, NOW) == []  # claimed already
    assert [item.id for item in due] == [delivery]
    async with database.session() as session:
        deliveries = DeliveryRepository(session)
        await deliveries.settle(delivery, NOW, status="failed", error="http_503", retry_at=NOW)
        [again] = await deliveries.claim_due(10, NOW)
        assert again.body_sealed == b"sealed text"
        await deliveries.settle(delivery, NOW, status="sent", platform_message_id="m-1")
        assert await deliveries.platform_status("telegram", "m-1", "read", NOW, None)
        assert not await deliveries.platform_status("telegram", "m-2", "read", NOW, None)
        assert await deliveries.claim_due(10, NOW + timedelta(hours=1)) == []


async def test_a_grant_works_once_and_not_after_it_expires(database: Database) -> None:
    async with database.session() as session:
        await CustomerRepository(session).ensure("c-1", "Sanne", "nl")
        grants = GrantRepository(session)
        await grants.add(
            "h1",
            kind="telegram_start",
            channel="telegram",
            customer_id="c-1",
            platform_user_id=None,
            now=NOW,
            expires_at=NOW + timedelta(minutes=15),
        )
        await grants.add(
            "h2",
            kind="telegram_start",
            channel="telegram",
            customer_id="c-1",
            platform_user_id=None,
            now=NOW,
            expires_at=NOW + timedelta(minutes=15),
        )
    async with database.session() as session:
        grants = GrantRepository(session)
        assert await grants.redeem("h1", "messenger_link", NOW) is None  # another kind
        assert await grants.redeem("h1", "telegram_start", NOW) == ("c-1", None)
        assert await grants.redeem("h1", "telegram_start", NOW) is None
        assert await grants.redeem("h2", "telegram_start", NOW + timedelta(minutes=16)) is None
