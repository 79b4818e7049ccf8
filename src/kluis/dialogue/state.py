"""What the assistant remembers between messages, stored as JSON per customer and channel."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from kluis.nlu.types import Amount, Entities, Period


def entities_to_state(entities: Entities) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if entities.period:
        data["period"] = [entities.period.start.isoformat(), entities.period.end.isoformat()]
    if entities.amount:
        data["amount"] = [str(entities.amount.value), entities.amount.currency, entities.amount.op]
    for key in ("merchant", "category", "account"):
        if getattr(entities, key):
            data[key] = getattr(entities, key)
    return data


def entities_from_state(data: dict[str, Any]) -> Entities:
    period = data.get("period")
    amount = data.get("amount")
    return Entities(
        period=Period(date.fromisoformat(period[0]), date.fromisoformat(period[1]))
        if period
        else None,
        amount=Amount(Decimal(amount[0]), amount[1], amount[2]) if amount else None,
        merchant=data.get("merchant"),
        category=data.get("category"),
        account=data.get("account"),
    )


@dataclass(frozen=True, slots=True)
class ConversationState:
    """The last question understood, its entities, paging, and misunderstandings in a row."""

    lang: str | None = None
    last_intent: str | None = None
    last_entities: dict[str, Any] = field(default_factory=dict)
    shown: int = 0
    page_size: int = 5
    flow: str | None = None  # "in" or "out" when the customer asked for one direction
    misunderstood: int = 0
    pending: str | None = None  # a question Kluis asked and waits an answer to
    # Voice: the voice PIN was given in this conversation (until `voice_pin_until`, an ISO
    # time that each answered turn moves on); Kluis asked for it and keeps the question.
    voice_pin_ok: bool = False
    voice_pin_until: str | None = None
    awaiting_pin: bool = False
    pin_question: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversationState:
        return cls(
            lang=data.get("lang"),
            last_intent=data.get("last_intent"),
            last_entities=dict(data.get("last_entities") or {}),
            shown=int(data.get("shown") or 0),
            page_size=int(data.get("page_size") or 5),
            flow=data.get("flow"),
            misunderstood=int(data.get("misunderstood") or 0),
            pending=data.get("pending"),
            voice_pin_ok=bool(data.get("voice_pin_ok")),
            voice_pin_until=data.get("voice_pin_until"),
            awaiting_pin=bool(data.get("awaiting_pin")),
            pin_question=data.get("pin_question"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "last_intent": self.last_intent,
            "last_entities": self.last_entities,
            "shown": self.shown,
            "page_size": self.page_size,
            "flow": self.flow,
            "misunderstood": self.misunderstood,
            "pending": self.pending,
            "voice_pin_ok": self.voice_pin_ok,
            "voice_pin_until": self.voice_pin_until,
            "awaiting_pin": self.awaiting_pin,
            "pin_question": self.pin_question,
        }

    def remember(
        self,
        intent: str,
        entities: Entities,
        *,
        shown: int = 0,
        page_size: int = 5,
        flow: str | None = None,
    ) -> ConversationState:
        return replace(
            self,
            last_intent=intent,
            last_entities=entities_to_state(entities),
            shown=shown,
            page_size=page_size,
            flow=flow,
            misunderstood=0,
            pending=None,
        )
