"""The conversation engine: understand a message in its context, answer it, remember it.

message -> nlu.parse -> follow-up resolution with the stored state -> the intent's
handler (which reads bank data only through the gate) -> replies in the customer's
language -> messages and state stored, so a restart loses nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial

from kluis.consent.gate import DataRequest, Gate, Presence
from kluis.dialogue import voice_pin
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang
from kluis.dialogue.handlers import HANDLERS, Handler, fraud_alert, recurring_review, undo
from kluis.dialogue.handlers import consent as consent_handlers
from kluis.dialogue.state import (
    AGAINST_USUAL,
    BEFORE,
    FOLLOW_UP,
    ConversationState,
    entities_from_state,
    period_before,
    refers_back,
)
from kluis.dialogue.texts import BANK_PHONE, say
from kluis.dialogue.types import Reply, Turn
from kluis.domain import ConversationMessage, Customer
from kluis.errors import (
    ConsentExpired,
    ConsentNotReady,
    ConsentRevoked,
    KluisError,
    VoicePinLocked,
    VoicePinRequired,
)
from kluis.nlu import dates
from kluis.nlu import parse as nlu_parse
from kluis.nlu.types import Entities, Parse, Period
from kluis.privacy.log_redaction import mark_sensitive, turn_secrets
from kluis.runtime import Runtime
from kluis.store.conversation_states import ConversationStateRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.store.handoffs import new_reference

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
UNDERSTOOD = 0.45
# The questions a follow-up can ask again, and what it can change about each.
FOLLOWABLE: dict[str, frozenset[str]] = {
    "balance": frozenset({"account"}),
    "transactions": frozenset({"period", "amount", "merchant", "category", "account"}),
    "spending": frozenset({"period", "merchant", "category", "account"}),
    "income": frozenset({"period", "account"}),
}
MORE = frozenset(
    {
        "meer",
        "more",
        "volgende",
        "next",
        "nog meer",
        "show more",
        "meer tonen",
        "laat meer zien",
        "verder",
        "and more",
        "en meer",
    }
)
# Control characters (NUL among them) are never part of what a customer means, and some
# databases refuse to store them; newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]{2,}")

Parser = Callable[[str, date, str, Lang], Parse]


def _default_parser(text: str, today: date, lang: str, fallback: Lang) -> Parse:
    return nlu_parse(text, today=today, lang=lang, fallback=fallback)


def _merge(previous: Entities, new: Entities) -> Entities:
    return Entities(
        period=new.period or previous.period,
        amount=new.amount or previous.amount,
        merchant=new.merchant if new.merchant is not None or new.category else previous.merchant,
        category=new.category if new.category is not None or new.merchant else previous.category,
        account=new.account or previous.account,
    )


def _has_entities(entities: Entities) -> bool:
    return any(
        (entities.period, entities.amount, entities.merchant, entities.category, entities.account)
    )


def _asks_again(text: str, entities: Entities, state: ConversationState) -> bool:
    """Whether a follow-up that only names what to change ("and in January?", "en aan
    boodschappen?") asks the last question again: it does when that question can be asked
    about everything it names, whatever intent its few words might otherwise suggest."""
    named = {
        key
        for key in ("period", "amount", "merchant", "category", "account")
        if getattr(entities, key) is not None
    }
    changeable = FOLLOWABLE.get(state.last_intent or "", frozenset())
    return named <= changeable and refers_back(text, entities)


# A period's length, in what "en daarvoor?" says.
_LENGTH = re.compile(r"\b(month|week|year|maand|jaar)\b", re.IGNORECASE)


def _current(said: str, today: date) -> Period | None:
    """The week, month or year so far that "the month before" goes back from after an answer
    that covered no period (the latest payments): None when `said` names no length."""
    length = _LENGTH.search(said)
    if length is None:
        return None
    unit = dates.unit_of(length.group(1).lower())
    so_far = dates.year if unit == "year" else dates.week if unit == "week" else dates.month
    return Period(*so_far(today, "this"))


def _pages_back(text: str, parsed: Parse, state: ConversationState, previous: Entities) -> bool:
    """Whether "en daarvoor?" after the latest transactions (no period: nothing to go back
    a period from) asks for the ones before those, as "meer" does. One that names a length
    ("and the week before?") does not."""
    if state.last_intent != "transactions" or previous.period is not None:
        return False
    before = BEFORE.search(text)
    return (
        before is not None
        and _LENGTH.search(before.group(0)) is None
        and refers_back(text, parsed.entities)
    )


class Dialogue:
    """Answers customers' messages. One instance serves every customer and channel."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        gate: Gate | None = None,
        parser: Parser = _default_parser,
        forced_lang: Lang | None = None,
    ) -> None:
        self._runtime = runtime
        self._gate = gate or Gate(runtime)
        self._parse = parser
        self._forced_lang = forced_lang

    async def _customer(self, customer_id: str) -> Customer:
        async with self._runtime.database.session() as session:
            customer = await CustomerRepository(session).get(customer_id)
        if customer is None:
            raise ConsentNotReady("unknown customer")
        return customer

    def _language(
        self, text: str, parsed: Parse, state: ConversationState, customer: Customer
    ) -> Lang:
        if self._forced_lang is not None:
            return self._forced_lang
        if len(_WORD.findall(text)) >= 2 and parsed.lang in ("nl", "en"):
            return parsed.lang
        remembered = state.lang or customer.language
        return "en" if remembered == "en" else "nl"

    def _resolve(
        self, text: str, parsed: Parse, state: ConversationState, today: date
    ) -> tuple[str, Entities, bool]:
        """The intent and entities this message means in context, and whether it pages."""
        previous = entities_from_state(state.last_entities)
        intent, entities = parsed.base_intent, parsed.entities
        lowered = text.strip().lower().rstrip("?!. ")
        if lowered in MORE and state.last_intent == "transactions":
            return "transactions", previous, True
        if undo.asks_undo(text):
            return undo.intent_of(state), Entities(), False
        if state.pending == "account" and state.last_intent and entities.account:
            return state.last_intent, _merge(previous, entities), False
        if (state.pending or "").startswith("alerts.") and entities.amount is not None:
            return "alerts", entities, False  # "100 euro": the amount an alert asked for
        weak = intent == "out_of_scope" or parsed.confidence < UNDERSTOOD
        follows = FOLLOW_UP.match(text) is not None
        before = BEFORE.search(text)
        if state.last_intent in FOLLOWABLE and before:
            asked = previous.period or _current(before.group(0), today)
            if asked is not None:
                shifted = replace(previous, period=period_before(asked, before.group(0)))
                return state.last_intent, shifted, False
        if state.last_intent == "spending" and AGAINST_USUAL.match(text):
            return "spending", previous, False
        if _pages_back(text, parsed, state, previous):
            return "transactions", previous, True
        if state.last_intent in FOLLOWABLE and _has_entities(entities) and (weak or follows):
            own = intent in FOLLOWABLE and not weak and not _asks_again(text, entities, state)
            return intent if own else state.last_intent, _merge(previous, entities), False
        return intent, entities, False

    async def respond(
        self,
        customer_id: str,
        channel: str,
        text: str,
        *,
        psu_ip_address: str | None = None,
        lang: Lang | None = None,
    ) -> Turn:
        """Answer one message from a customer on a channel; `lang` is the language the
        platform says the customer speaks (a voice assistant's locale), when it says so."""
        text = _CONTROL.sub("", text[:MAX_TEXT])
        # Nothing logged while answering may carry the message or the names in the answer.
        with turn_secrets(text):
            return await self._respond(customer_id, channel, text, psu_ip_address, lang)

    async def _respond(
        self,
        customer_id: str,
        channel: str,
        text: str,
        psu_ip_address: str | None,
        lang_hint: Lang | None = None,
    ) -> Turn:
        forced = self._forced_lang or lang_hint
        today = self._runtime.today()
        customer = await self._customer(customer_id)
        mark_sensitive(customer.name, *customer.name.split())
        async with self._runtime.database.session() as session:
            state = ConversationState.from_json(
                await ConversationStateRepository(session).get(customer_id, channel)
            )
        state = voice_pin.current(state, datetime.now(UTC))
        heard, confirmed = text, None  # what is stored and echoed; a spoken PIN never is
        if state.awaiting_pin and (pin := voice_pin.spoken_pin(text)) is not None:
            heard = voice_pin.PIN_PLACEHOLDER
            verdict = await voice_pin.check_spoken_pin(self._runtime, customer_id, pin)
            if verdict != "ok" or not state.pin_question:
                return await self._pin_turn(customer, channel, state, verdict, today, forced)
            # The PIN was right: answer the question it interrupted.
            text, confirmed = state.pin_question, "voice_pin.ok"
            mark_sensitive(text)
            state = replace(state, voice_pin_ok=True, awaiting_pin=False, pin_question=None)
        elif state.awaiting_pin:
            state = replace(state, awaiting_pin=False, pin_question=None)
        hint = forced or "auto"
        usual = state.lang or customer.language
        parsed = self._parse(text, today, hint, "en" if usual == "en" else "nl")
        lang = forced or self._language(text, parsed, state, customer)
        intent, entities, more = self._resolve(text, parsed, state, today)
        ctx = TurnContext(
            runtime=self._runtime,
            gate=self._gate,
            customer=customer,
            channel=channel,
            lang=lang,
            today=today,
            text=text,
            parse=parsed,
            entities=entities,
            state=replace(state, lang=lang),
            request=DataRequest(
                customer_id,
                channel,
                intent,
                Presence(psu_ip_address),
                voice_pin_ok=state.voice_pin_ok,
            ),
            more=more,
        )
        outcome = await self._answer(ctx, intent, parsed)
        if confirmed and outcome.replies:
            first, *others = outcome.replies
            thanks = say(confirmed, lang)
            outcome = replace(
                outcome, replies=(replace(first, text=f"{thanks} {first.text}"), *others)
            )
        await self._remember(ctx, outcome, heard)
        return Turn(
            user=heard,
            intent=intent,
            replies=outcome.replies,
            handoff=outcome.handoff,
            lang=lang,
            today=today,
            extra=dict(outcome.facts),
        )

    @staticmethod
    def _route(ctx: TurnContext, intent: str) -> Handler:
        """The handler for the message: a pending question first, then the intent's."""
        if ctx.state.pending == "revoke" and intent in {"affirm", "deny"}:
            return partial(consent_handlers.confirm_revoke, yes=intent == "affirm")
        if undo.asks_undo(ctx.text):
            return undo.handle
        if recurring_review.reviews(ctx) is not None:
            return recurring_review.review
        if consent_handlers.asks_if_genuine(ctx.text):
            return consent_handlers.genuine
        if ctx.parse.base_intent == intent and ctx.parse.intent in HANDLERS:
            return HANDLERS[ctx.parse.intent]  # a sub-intent with a handler of its own
        return HANDLERS.get(intent, HANDLERS["out_of_scope"])

    async def _answer(self, ctx: TurnContext, intent: str, parsed: Parse) -> Outcome:
        pending_answer = (
            (ctx.state.pending == "revoke" and intent in {"affirm", "deny"})
            or recurring_review.reviews(ctx) is not None
            or undo.asks_undo(ctx.text)
        )
        if (
            intent == "out_of_scope"
            and not consent_handlers.asks_if_genuine(ctx.text)
            and not pending_answer
        ):
            # Not understood, or not about banking: either way the customer did not get what
            # they came for. The second time in a row, offer help and a person.
            misses = ctx.state.misunderstood + 1
            state = replace(ctx.state, misunderstood=misses, pending=None)
            if misses >= 2:
                buttons = ctx.buttons("help", "human")
                return Outcome((Reply(ctx.say("misunderstood.twice"), buttons),), state)
            key = "misunderstood" if parsed.confidence < UNDERSTOOD else "out_of_scope"
            return Outcome((Reply(ctx.say(key), ctx.buttons("balance", "help")),), state)
        try:
            alert_answer = await fraud_alert.answering(ctx, intent)
            if alert_answer is not None:
                return await alert_answer(ctx)
            return await self._route(ctx, intent)(ctx)
        except VoicePinRequired as required:
            return voice_pin.ask(ctx, pin_set=required.pin_set)
        except VoicePinLocked:
            return voice_pin.locked(ctx)
        except (ConsentNotReady, ConsentRevoked):
            return Outcome((Reply(ctx.say("no_consent"), ctx.buttons("help", "human")),), ctx.state)
        except ConsentExpired:
            return Outcome(
                (Reply(ctx.say("consent_expired"), ctx.buttons("help", "human")),), ctx.state
            )
        except KluisError as error:
            reference = new_reference()
            logger.warning("answering failed (%s, reference %s)", type(error).__name__, reference)
            text = say("error", ctx.lang, phone=BANK_PHONE, reference=reference)
            return Outcome((Reply(text, ctx.buttons("human")),), ctx.state)

    async def _pin_turn(
        self,
        customer: Customer,
        channel: str,
        state: ConversationState,
        verdict: voice_pin.Verdict,
        today: date,
        forced: Lang | None = None,
    ) -> Turn:
        """The answer to a voice PIN that was wrong or locked (or right, with no question
        waiting). The digits are never stored: the message is kept as a placeholder."""
        usual = forced or state.lang or customer.language
        lang: Lang = "en" if usual == "en" else "nl"
        bank = self._runtime.settings.bank_name
        if verdict == "ok":
            key, state = "voice_pin.ok_ask", replace(state, voice_pin_ok=True, awaiting_pin=False)
        elif verdict == "locked":
            key, state = "voice_pin.locked", replace(state, awaiting_pin=False, pin_question=None)
        else:
            key = "voice_pin.wrong"
        replies = (Reply(say(key, lang, bank=bank)),)
        await self._store(customer.id, channel, voice_pin.PIN_PLACEHOLDER, replies, state, lang)
        return Turn(voice_pin.PIN_PLACEHOLDER, "voice_pin", replies, lang=lang, today=today)

    async def _remember(self, ctx: TurnContext, outcome: Outcome, text: str) -> None:
        await self._store(
            ctx.customer.id, ctx.channel, text, outcome.replies, outcome.state, ctx.lang
        )

    async def _store(
        self,
        customer_id: str,
        channel: str,
        text: str,
        replies: tuple[Reply, ...],
        state: ConversationState,
        lang: Lang,
    ) -> None:
        now = datetime.now(UTC)
        async with self._runtime.database.session() as session:
            messages = ConversationRepository(session)
            await messages.add(ConversationMessage(customer_id, channel, "in", text, now))
            for reply in replies:
                await messages.add(
                    ConversationMessage(customer_id, channel, "out", reply.text, now)
                )
            state = voice_pin.extended(replace(state, lang=lang), now)
            await ConversationStateRepository(session).put(customer_id, channel, state.to_json())
