"""The customer answers a fraud alert ("Was this you?").

"Yes" is recorded and teaches the engine that the payment was genuine. "No" (or "that
wasn't me") freezes the card the payment was made with, through the bank's card API, records
fraud and teaches the engine, and opens an urgent handoff to a fraud specialist with the
alert's context; the reply says exactly what happens next and gives the bank's number. When
the card cannot be blocked (no card control, the bank down, not a card payment) the reply
says so and how to get it blocked by phone: a person is always one step away.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from kluis.alerts.delivery import message_of
from kluis.consent.card_control import active_card_consent, block_card, list_cards
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.handlers import Handler
from kluis.dialogue.handlers.service import open_handoff
from kluis.dialogue.texts import BANK_PHONE
from kluis.dialogue.types import Reply
from kluis.errors import BankError, ConsentError
from kluis.fraud.live import learn
from kluis.fraud.texts import NO, YES, say
from kluis.store.alerts import AlertRecord, AlertRepository
from kluis.store.conversations import ConversationRepository

logger = logging.getLogger(__name__)

KIND = "fraud"
_YES = {text.lower() for text in YES.values()} | {"dat was ik", "that was me"}
_NO = {text.lower() for text in NO.values()} | {"dat was ik niet", "that wasn't me"}
# Said on their own, these answer only the question Kluis asked last.
_PLAIN_YES_INTENTS = frozenset({"affirm"})
_PLAIN_NO_INTENTS = frozenset({"deny"})
# These say it whatever came in between: "ik herken deze betaling niet", "blokkeer mijn pas".
_NO_INTENTS = frozenset({"report_fraud", "card_freeze"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a message says about a payment Kluis asked about: fraud or not, and whether it
    says so in as many words (else it is a plain "ja" or "nee")."""

    is_fraud: bool
    explicit: bool


def verdict(text: str, intent: str) -> Verdict | None:
    """What the message answers to "was this you?", or None when it is no answer to it."""
    said = text.strip().rstrip(".!").lower()
    if said in _YES:
        return Verdict(is_fraud=False, explicit=True)
    if said in _NO or intent in _NO_INTENTS:
        return Verdict(is_fraud=True, explicit=True)
    if intent in _PLAIN_NO_INTENTS:
        return Verdict(is_fraud=True, explicit=False)
    if intent in _PLAIN_YES_INTENTS:
        return Verdict(is_fraud=False, explicit=False)
    return None


async def answering(ctx: TurnContext, intent: str) -> Handler | None:
    """The handler for an answer to the customer's open fraud alert, if this is one. A plain
    "nee" counts only when the alert is the last thing Kluis said in this chat: a "no" to
    anything asked since must never block a card."""
    said = verdict(ctx.text, intent)
    if said is None:
        return None
    since = datetime.now(UTC) - timedelta(hours=ctx.runtime.settings.fraud_answer_hours)
    async with ctx.runtime.database.session() as session:
        alert = await AlertRepository(session).awaiting_answer(ctx.customer.id, KIND, since)
        if alert is None:
            return None
        recent = await ConversationRepository(session).recent(ctx.customer.id, ctx.channel, 5)
    if not said.explicit:
        last = next((m.text for m in reversed(recent) if m.direction == "out"), None)
        asked = message_of(ctx.runtime, alert)
        if asked is None or last != asked.text:
            return None
    return partial(answer, alert=alert, is_fraud=said.is_fraud)


async def answer(ctx: TurnContext, *, alert: AlertRecord, is_fraud: bool) -> Outcome:
    now = datetime.now(UTC)
    async with ctx.runtime.database.session() as session:
        first = await AlertRepository(session).answer(
            alert.id, "fraud" if is_fraud else "genuine", now
        )
    if not first:
        return Outcome((Reply(say("already", ctx.lang)),), ctx.state)
    await learn(ctx.runtime, alert, is_fraud=is_fraud)
    # The other payments asked about meanwhile were shown together: one answer for all.
    await _answer_the_rest(ctx, now, is_fraud=is_fraud)
    if not is_fraud:
        buttons = ctx.buttons("balance", "latest")
        return Outcome((Reply(say("genuine", ctx.lang), buttons),), ctx.state, facts={})
    card, why = await _freeze(ctx, alert)
    reference = await open_handoff(
        ctx,
        "fraud",
        urgent=True,
        extra={
            "alert": alert.id,
            "score": alert.score,
            "card_blocked": card is not None,
            "card_not_blocked_because": why,
        },
    )
    async with ctx.runtime.database.session() as session:
        await AlertRepository(session).set_handoff(alert.id, reference)
    if card is not None:
        text = say("blocked", ctx.lang, card=card, reference=reference, phone=BANK_PHONE)
    elif why == "not_a_card":
        text = say("no_card", ctx.lang, reference=reference, phone=BANK_PHONE)
    else:
        reason = say(f"why.{why}", ctx.lang) if why in {"no_control", "bank"} else ""
        text = say("not_blocked", ctx.lang, why=reason, reference=reference, phone=BANK_PHONE)
    facts = {"handoff": reference, "card_blocked": card is not None}
    return Outcome((Reply(text),), ctx.state, handoff=True, facts=facts)


async def _answer_the_rest(ctx: TurnContext, now: datetime, *, is_fraud: bool) -> None:
    since = now - timedelta(hours=ctx.runtime.settings.fraud_answer_hours)
    answer = "fraud" if is_fraud else "genuine"
    while True:
        async with ctx.runtime.database.session() as session:
            alerts = AlertRepository(session)
            other = await alerts.awaiting_answer(ctx.customer.id, KIND, since)
            if other is None or not await alerts.answer(other.id, answer, now):
                return
        await learn(ctx.runtime, other, is_fraud=is_fraud)


async def _freeze(ctx: TurnContext, alert: AlertRecord) -> tuple[str | None, str]:
    """Block the card the alert's payment was made with; the card as the customer knows it
    ("eindigend op 1234"), or None and why not."""
    runtime, customer_id = ctx.runtime, ctx.customer.id
    pan = alert.card_id  # the card the payment was made with, masked as the bank shows it
    if not pan:
        return None, "not_a_card"
    if await active_card_consent(runtime, customer_id) is None:
        return None, "no_control"
    try:
        cards = await list_cards(runtime, customer_id, channel=ctx.channel)
        card = next((card for card in cards if card.masked_pan[-4:] == pan[-4:]), None)
        if card is None:
            return None, "unknown_card"
        if not card.blocked:
            await block_card(runtime, customer_id, card.card_id, channel=ctx.channel)
    except (BankError, ConsentError) as error:
        logger.warning("the card could not be blocked (%s)", type(error).__name__)
        return None, "bank"
    ending = {"nl": f"eindigend op {pan[-4:]}", "en": f"ending in {pan[-4:]}"}
    return ending[ctx.lang], ""
