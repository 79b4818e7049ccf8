"""What a person at the bank does: support questions, a person on request, cards and fraud
while Kluis cannot act on them itself, and money movement it never does."""

from __future__ import annotations

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.texts import BANK_PHONE
from kluis.dialogue.types import Reply
from kluis.store.conversations import ConversationRepository
from kluis.store.handoffs import HandoffRepository


async def open_handoff(
    ctx: TurnContext, reason: str, *, urgent: bool = False, extra: dict[str, object] | None = None
) -> str:
    """Open a handoff with the conversation's context (and `extra`, what the person
    should know besides); returns the reference to tell."""
    async with ctx.runtime.database.session() as session:
        recent = await ConversationRepository(session).recent(ctx.customer.id, ctx.channel, 10)
        context = {
            "last_message": ctx.text,
            "intent": ctx.parse.intent,
            "language": ctx.lang,
            "recent": [{"direction": m.direction, "text": m.text} for m in recent],
            **(extra or {}),
        }
        handoff = await HandoffRepository(session).open(
            ctx.customer.id, ctx.channel, reason, context, urgent=urgent
        )
    return handoff.reference


async def _handoff(ctx: TurnContext, key: str, reason: str, *, urgent: bool = False) -> Outcome:
    reference = await open_handoff(ctx, reason, urgent=urgent)
    text = ctx.say(key, reference=reference, phone=BANK_PHONE)
    return Outcome(
        (Reply(text),),
        ctx.state.remember(ctx.intent, ctx.entities),
        handoff=True,
        facts={"handoff": reference},
    )


async def human(ctx: TurnContext) -> Outcome:
    return await _handoff(ctx, "handoff", "human")


async def support(ctx: TurnContext) -> Outcome:
    return await _handoff(ctx, "handoff.support", "support")


async def card_freeze(ctx: TurnContext) -> Outcome:
    return await _handoff(ctx, "handoff.urgent_card", "card_freeze", urgent=True)


async def card_unfreeze(ctx: TurnContext) -> Outcome:
    return await _handoff(ctx, "handoff.urgent_unfreeze", "card_unfreeze")


async def report_fraud(ctx: TurnContext) -> Outcome:
    return await _handoff(ctx, "handoff.fraud", "fraud", urgent=True)


async def payment(ctx: TurnContext) -> Outcome:
    text = ctx.say("payment", bank=ctx.runtime.settings.bank_name)
    return Outcome(
        (Reply(text, ctx.buttons("balance", "latest")),),
        ctx.state.remember("payment", ctx.entities),
    )
