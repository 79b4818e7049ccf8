"""What understanding an utterance produces (contracts/nlu.md), as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from kluis.domain import CATEGORIES as DOMAIN_CATEGORIES

Language = Literal["nl", "en"]
AmountOp = Literal["eq", "gt", "lt", "approx"]

INTENTS: tuple[str, ...] = (
    "balance",
    "transactions",
    "spending",
    "income",
    "recurring",
    "card_freeze",
    "card_unfreeze",
    "report_fraud",
    "alerts",
    "consent",
    "payment",
    "support",
    "human",
    "help",
    "greeting",
    "thanks",
    "goodbye",
    "affirm",
    "deny",
    "out_of_scope",
)

CATEGORIES: tuple[str, ...] = DOMAIN_CATEGORIES


@dataclass(frozen=True, slots=True)
class Period:
    """Both ends inclusive."""

    start: date
    end: date

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True, slots=True)
class Amount:
    value: Decimal
    currency: str = "EUR"
    op: AmountOp = "eq"

    def to_json(self) -> dict[str, str]:
        return {"value": f"{self.value:.2f}", "currency": self.currency, "op": self.op}


@dataclass(frozen=True, slots=True)
class Entities:
    """Only what was found; the raw spans may be kept for display."""

    period: Period | None = None
    amount: Amount | None = None
    merchant: str | None = None
    category: str | None = None
    account: str | None = None
    spans: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.period is not None:
            result["period"] = self.period.to_json()
        if self.amount is not None:
            result["amount"] = self.amount.to_json()
        if self.merchant is not None:
            result["merchant"] = self.merchant
        if self.category is not None:
            result["category"] = self.category
        if self.account is not None:
            result["account"] = self.account
        for key, text in self.spans.items():
            result[f"{key}_text"] = text
        return result


@dataclass(frozen=True, slots=True)
class Parse:
    """The contract's output object for one utterance."""

    text: str
    lang: Language
    intent: str  # one of INTENTS, optionally with ".sub"
    confidence: float
    entities: Entities = field(default_factory=Entities)

    @property
    def base_intent(self) -> str:
        return self.intent.split(".", 1)[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lang": self.lang,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "entities": self.entities.to_json(),
        }
