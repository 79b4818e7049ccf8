"""An alert someone decided is worth giving, before the customer's rules, quiet hours and
daily limit have had their say (`kluis.alerts.delivery`).

The producer (the fraud engine, a balance rule) knows what happened; only delivery knows
the channel and language, so the text comes from `compose`, given both, and must show no
more than the channel's disclosure policy allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kluis.dialogue.formatting import Lang
from kluis.privacy.policy import AlertTopic, DisclosurePolicy


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """An alert as the customer reads it: text, and the answers offered as buttons."""

    text: str
    buttons: tuple[str, ...] = ()


Composer = Callable[[Lang, DisclosurePolicy], AlertMessage]


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """One alert to give. `dedupe_key` names what makes two alerts the same (a transaction
    id, an account and a day): the same alert is given once. `urgent` alerts (fraud) ignore
    quiet hours and the daily limit. `topic` picks the lock-screen preview. `card_id` is the
    card a payment was made with, masked as the bank shows it (for blocking it). `bundled`
    are alerts said in the same message (a night of suspicious payments is one question, not
    five): each is recorded, and answered, as an alert of its own. Only urgent alerts are
    bundled: they are never held, so the message and its bundle always go out together."""

    customer_id: str
    kind: str
    dedupe_key: str
    topic: AlertTopic
    compose: Composer
    urgent: bool = False
    account_id: int | None = None
    transaction_id: int | None = None
    card_id: str | None = None
    score: float | None = None
    bundled: tuple[AlertCandidate, ...] = ()

    def __post_init__(self) -> None:
        if self.bundled and not self.urgent:
            raise ValueError("only urgent alerts are bundled")
