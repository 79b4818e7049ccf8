"""Alerts the customer chose, end to end: set in chat, found in the next sync by the rules,
given once in the chat within the daily limit, and nothing at all for history."""

from __future__ import annotations

from sqlalchemy import select

from kluis.alerts.delivery import message_of
from kluis.config import Settings
from kluis.dialogue.engine import Dialogue
from kluis.runtime import Runtime
from kluis.sandbox.clock import SandboxClock
from kluis.store.alerts import AlertRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.models import AlertRow

EMILY = "c-emily"


async def test_a_large_payment_alert_set_in_chat_comes_with_the_next_sync(
    linked: Runtime, settings: Settings
) -> None:
    turn = await Dialogue(linked).respond(EMILY, "web", "alert me about payments over 20 euros")
    assert "€20.00" in turn.replies[0].text
    for _ in range(4):
        SandboxClock(settings.sandbox_dir).advance(1)
        await linked.syncer().sync_customer(EMILY)
    async with linked.database.session() as session:
        rows = list(
            await session.scalars(select(AlertRow).where(AlertRow.kind == "large_transaction"))
        )
        said = await ConversationRepository(session).recent(EMILY, "web", 50)
    assert rows, "four days of Emily's spending hold a payment over €20"
    given = [row for row in rows if row.status == "sent"]
    assert 1 <= len(given) <= 5 * 4  # at most five a day
    assert {row.customer_id for row in rows} == {EMILY}
    texts = {message.text for message in said}
    async with linked.database.session() as session:
        records = [await AlertRepository(session).get(row.id) for row in given]
    for record in records:
        assert record is not None
        message = message_of(linked, record)
        assert message is not None
        assert message.text in texts  # given in her chat, in English
        assert "was paid from your" in message.text
        assert "No more large payment alerts" in message.buttons
    # Reading the bank again finds nothing new to say.
    await linked.syncer().sync_customer(EMILY)
    async with linked.database.session() as session:
        count = len(list(await session.scalars(select(AlertRow))))
    assert count == len(rows)
