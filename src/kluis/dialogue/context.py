"""What a handler gets to answer one message, and what it gives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kluis.consent.gate import DataRequest, Gate
from kluis.dialogue.formatting import Lang
from kluis.dialogue.state import ConversationState
from kluis.dialogue.texts import say
from kluis.dialogue.types import Reply
from kluis.domain import Customer
from kluis.nlu.types import Entities, Parse
from kluis.runtime import Runtime


@dataclass(frozen=True, slots=True)
class TurnContext:
    """One customer message, understood, with everything needed to answer it."""

    runtime: Runtime
    gate: Gate
    customer: Customer
    channel: str
    lang: Lang
    today: date
    text: str
    parse: Parse
    entities: Entities
    state: ConversationState
    request: DataRequest
    more: bool = False  # the customer asked for the next page of the last answer

    @property
    def intent(self) -> str:
        return self.parse.base_intent

    def say(self, key: str, **values: object) -> str:
        return say(key, self.lang, **values)

    def buttons(self, *keys: str) -> tuple[str, ...]:
        return tuple(say(f"button.{key}", self.lang) for key in keys)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A handler's answer: replies, the state to remember, and whether a person was asked."""

    replies: tuple[Reply, ...]
    state: ConversationState
    handoff: bool = False
    facts: Mapping[str, object] = field(default_factory=dict)
