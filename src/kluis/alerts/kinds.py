"""The kinds of alert Kluis gives, what each does until a customer says otherwise, and the
words customers use for them.

    rules = effective_rules(await AlertRuleRepository(session).rules(customer_id))
    if rules["low_balance"].enabled: ...

Fraud alerts are always on: a customer can switch every other kind off, never that one.
The bank-wide quiet hours and daily limit live here too, until the settings override them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from kluis.dialogue.formatting import Lang
from kluis.insights.categories import normalise
from kluis.money import Money
from kluis.privacy.policy import AlertTopic
from kluis.store.alerts import AlertRule

DEFAULT_QUIET_START: Final = "22:00"
DEFAULT_QUIET_END: Final = "07:30"
DEFAULT_DAILY_LIMIT: Final = 5


@dataclass(frozen=True, slots=True)
class AlertKind:
    """One kind of alert as the bank offers it.

    `names` are what the customer reads in lists and on buttons; `words` are the stems
    that name the kind in what a customer writes ("salaris" in "stop met salarismeldingen"),
    matched at the start of a word so that Dutch compounds count. `stop_button` is a chat
    input the understanding reads as stopping exactly this kind."""

    name: str
    default_on: bool
    topic: AlertTopic
    names: Mapping[Lang, str]
    words: tuple[str, ...]
    stop_button: Mapping[Lang, str]
    default_threshold: Money | None = None
    needs_threshold: bool = False
    urgent: bool = False
    can_stop: bool = True


def _euro(value: str) -> Money:
    return Money(Decimal(value), "EUR")


KINDS: Final[dict[str, AlertKind]] = {
    kind.name: kind
    for kind in (
        AlertKind(
            "fraud",
            default_on=True,
            topic="fraud",
            urgent=True,
            can_stop=False,
            names={"nl": "verdachte betalingen", "en": "suspicious payments"},
            words=("fraude", "fraud", "verdacht", "suspicious", "oplichting", "scam"),
            stop_button={},
        ),
        AlertKind(
            "low_balance",
            default_on=False,
            needs_threshold=True,
            topic="balance",
            names={"nl": "laag saldo", "en": "low balance"},
            words=("saldo", "balance", "laag saldo", "lage saldo", "low balance"),
            stop_button={"nl": "Stop saldomeldingen", "en": "Stop balance alerts"},
        ),
        AlertKind(
            "large_transaction",
            default_on=False,
            default_threshold=_euro("500"),
            topic="payment",
            names={"nl": "grote betalingen", "en": "large payments"},
            words=(
                "grote betaling",
                "grote uitgave",
                "grote afschrijving",
                "grote transactie",
                "grote bedragen",
                "large payment",
                "large transaction",
                "big payment",
                "big transaction",
                "large amount",
            ),
            stop_button={
                "nl": "Stop meldingen over grote betalingen",
                "en": "No more large payment alerts",
            },
        ),
        AlertKind(
            "income",
            default_on=False,
            topic="income",
            names={"nl": "binnenkomend geld", "en": "money coming in"},
            words=(
                "salaris",
                "loon",
                "wedde",
                "inkomen",
                "inkomsten",
                "binnenkomend",
                "geld binnen",
                "salary",
                "income",
                "wage",
                "pay day",
                "payday",
                "paycheck",
                "incoming money",
                "money coming in",
            ),
            stop_button={
                "nl": "Stop meldingen over binnenkomend geld",
                "en": "Stop alerts about incoming money",
            },
        ),
        AlertKind(
            "duplicate_charge",
            default_on=True,
            topic="payment",
            names={"nl": "dubbele afschrijvingen", "en": "duplicate charges"},
            words=("dubbel", "twee keer", "duplicate", "double", "charged twice", "twice"),
            stop_button={
                "nl": "Stop meldingen over dubbele afschrijvingen",
                "en": "Stop duplicate charge alerts",
            },
        ),
        AlertKind(
            "price_increase",
            default_on=True,
            topic="payment",
            names={"nl": "prijsverhogingen", "en": "price increases"},
            words=(
                "prijsverhoging",
                "prijsstijging",
                "duurder",
                "stijgende",
                "price increase",
                "price rise",
                "price hike",
                "more expensive",
            ),
            stop_button={
                "nl": "Stop meldingen over prijsverhogingen",
                "en": "Stop price increase alerts",
            },
        ),
        AlertKind(
            "new_recurring",
            default_on=True,
            topic="payment",
            names={"nl": "nieuwe abonnementen en vaste lasten", "en": "new subscriptions"},
            words=(
                "nieuwe abonnement",
                "nieuw abonnement",
                "nieuwe vaste",
                "nieuwe incasso",
                "nieuwe terugkerende",
                "new subscription",
                "new recurring",
                "new direct debit",
                "new regular",
            ),
            stop_button={
                "nl": "Stop meldingen over nieuwe abonnementen",
                "en": "Stop new subscription alerts",
            },
        ),
        AlertKind(
            "upcoming_overdraft",
            default_on=True,
            topic="balance",
            names={"nl": "dreigend tekort", "en": "overdraft warnings"},
            words=(
                "tekort",
                "rood staan",
                "roodstand",
                "in het rood",
                "overdraft",
                "overdraw",
                "overdrawn",
                "not enough money",
                "niet genoeg geld",
            ),
            stop_button={
                "nl": "Stop meldingen over een dreigend tekort",
                "en": "Stop overdraft warnings",
            },
        ),
    )
}


@dataclass(frozen=True, slots=True)
class EffectiveRule:
    """A kind of alert for one customer: their choice where they made one, else the
    bank's default. A kind that needs a threshold is off without one."""

    kind: AlertKind
    enabled: bool
    threshold: Money | None
    chosen: bool  # the customer set this kind themselves


def effective_rules(stored: Mapping[str, AlertRule]) -> dict[str, EffectiveRule]:
    """Every kind in `KINDS`, with the customer's stored choices applied; rules stored for
    kinds Kluis no longer offers are left out."""
    rules: dict[str, EffectiveRule] = {}
    for name, kind in KINDS.items():
        rule = stored.get(name)
        threshold = (rule.threshold if rule else None) or kind.default_threshold
        enabled = rule.enabled if rule is not None else kind.default_on
        if not kind.can_stop:
            enabled = True
        if kind.needs_threshold and threshold is None:
            enabled = False
        rules[name] = EffectiveRule(kind, enabled, threshold, chosen=rule is not None)
    return rules


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    stems = sorted((normalise(word) for word in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + ")")


_PATTERNS: Final = {name: _pattern(kind.words) for name, kind in KINDS.items()}


def kinds_named(text: str) -> tuple[str, ...]:
    """The kinds a customer's words name, in catalogue order ("stop met salarismeldingen"
    names `income`). A match inside a longer match of another kind does not count."""
    words = normalise(text)
    found: list[tuple[int, int, str]] = []
    for name, pattern in _PATTERNS.items():
        for match in pattern.finditer(words):
            found.append((match.start(), match.end(), name))
    kept: set[str] = set()
    for start, end, name in found:
        covered = any(
            other_start <= start
            and end <= other_end
            and (other_end - other_start) > (end - start)
            and other != name
            for other_start, other_end, other in found
        )
        if not covered:
            kept.add(name)
    return tuple(name for name in KINDS if name in kept)
