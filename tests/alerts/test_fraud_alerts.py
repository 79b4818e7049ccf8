"""The live fraud path, end to end on the sandbox bank: the engine starts from the bank's
records, the sandbox clock moves on to a fraud episode, the sync stores its payments, and
the customer is asked "was this you?" in the chat; "No" blocks the card at the bank, asks a
fraud specialist in urgently and teaches the engine; "Yes" only teaches it."""

from __future__ import annotations

from sqlalchemy import select

from kluis.config import Settings
from kluis.dialogue.engine import Dialogue
from kluis.fraud import live
from kluis.runtime import Runtime
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.store.conversations import ConversationRepository
from kluis.store.models import AlertRow, AuditEventRow, HandoffRow

SANNE = "c-sanne"  # card testing on her credit card, still to come on the sandbox clock


async def alerts(runtime: Runtime) -> list[AlertRow]:
    async with runtime.database.session() as session:
        return list(await session.scalars(select(AlertRow).order_by(AlertRow.id)))


async def advance_to_the_fraud(runtime: Runtime, settings: Settings) -> list[AlertRow]:
    assert await alerts(runtime) == []  # history teaches, and is not asked about
    for _ in range(3):  # 18 -> 21 March: the card testing night
        SandboxClock(settings.sandbox_dir).advance(1)
        await runtime.syncer().sync_customer(SANNE)
    return await alerts(runtime)


def sanne_cards_blocked(settings: Settings) -> frozenset[str]:
    state = StateStore(settings.sandbox_dir).load()
    bank = SandboxBank.from_settings(settings)
    truth = build_truth(
        bank, SANNE, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    return frozenset(card.masked_pan[-4:] for card in truth.cards if card.blocked)


async def test_fraud_is_asked_about_in_the_chat_and_no_blocks_the_card(
    linked: Runtime, settings: Settings
) -> None:
    runtime = linked
    given = await advance_to_the_fraud(runtime, settings)
    assert given
    assert {row.kind for row in given} == {"fraud"}
    assert {row.customer_id for row in given} == {SANNE}
    assert all(row.status == "sent" and row.channel == "web" for row in given)
    async with runtime.database.session() as session:
        said = await ConversationRepository(session).recent(SANNE, "web", 10)
        audited = list(
            await session.scalars(select(AuditEventRow).where(AuditEventRow.action == "alert"))
        )
    asked = [message.text for message in said if message.text.startswith("Was jij dit?")]
    # The night's suspicious payments are one question, each payment on a line of its own.
    assert len(given) > 1
    assert len(asked) == 1
    assert f"Deze {len(given)} betalingen" in asked[0]
    assert asked[0].count("• ") == min(len(given), 5)
    assert "Wij vragen je nooit om je pincode" in asked[0]
    assert len(audited) == 1  # one message, one disclosure
    assert sanne_cards_blocked(settings) == frozenset()

    turn = await Dialogue(runtime).respond(SANNE, "web", "Nee")
    reply = turn.replies[0].text
    assert "geblokkeerd" in reply
    assert "020 123 45 67" in reply
    assert turn.handoff
    blocked = sanne_cards_blocked(settings)
    assert len(blocked) == 1
    assert f"eindigend op {next(iter(blocked))}" in reply
    async with runtime.database.session() as session:
        handoff = await session.scalar(select(HandoffRow).where(HandoffRow.customer_id == SANNE))
    assert handoff is not None
    assert handoff.urgent
    assert handoff.reason == "fraud"
    assert handoff.reference in reply
    assert handoff.context["card_blocked"] is True
    answered = await alerts(runtime)
    assert {(row.status, row.answer) for row in answered} == {("answered", "fraud")}

    again = await Dialogue(runtime).respond(SANNE, "web", "Nee")
    assert "geblokkeerd" not in again.replies[0].text  # answered once; a plain "no" now


async def test_yes_that_was_me_is_noted_and_blocks_nothing(
    linked: Runtime, settings: Settings
) -> None:
    runtime = linked
    given = await advance_to_the_fraud(runtime, settings)
    assert given
    before = (await live.load(runtime)).version
    turn = await Dialogue(runtime).respond(SANNE, "web", "Ja, dat was ik")
    assert "genoteerd" in turn.replies[0].text
    assert not turn.handoff
    assert sanne_cards_blocked(settings) == frozenset()
    answers = [row.answer for row in await alerts(runtime)]
    assert set(answers) == {"genuine"}  # every payment asked about together
    assert (await live.load(runtime)).version > before  # the engine learnt from it


async def test_a_second_sync_asks_nothing_twice(linked: Runtime, settings: Settings) -> None:
    runtime = linked
    given = await advance_to_the_fraud(runtime, settings)
    await runtime.syncer().sync_customer(SANNE)
    assert len(await alerts(runtime)) == len(given)


async def test_a_plain_no_to_a_later_question_never_blocks_a_card(
    linked: Runtime, settings: Settings
) -> None:
    runtime = linked
    given = await advance_to_the_fraud(runtime, settings)
    assert given
    await Dialogue(runtime).respond(SANNE, "web", "wat is mijn saldo?")
    turn = await Dialogue(runtime).respond(SANNE, "web", "nee")
    assert not turn.handoff
    assert sanne_cards_blocked(settings) == frozenset()
    assert all(row.answer is None for row in await alerts(runtime))
    # Said in as many words, it still answers the alert.
    said = await Dialogue(runtime).respond(SANNE, "web", "Nee, dat was ik niet")
    assert "geblokkeerd" in said.replies[0].text
    assert {row.answer for row in await alerts(runtime)} == {"fraud"}


async def test_yes_answers_every_payment_asked_about_together(
    linked: Runtime, settings: Settings
) -> None:
    given = await advance_to_the_fraud(linked, settings)
    await Dialogue(linked).respond(SANNE, "web", "Ja, dat was ik")
    assert {row.answer for row in await alerts(linked)} == {"genuine"}
    assert len(given) == len(await alerts(linked))
