"""The customer's recurring payments as a conversation sees them: the series found in a
year of their payments read through the gate (`kluis.insights.recurring`), still running,
largest yearly cost first, with what the customer said of each (`store.recurring_choices`).

    found = await find(ctx)            # money going out; find(ctx, "in") for money coming in
    found.kept                         # without the series the customer dismissed
    series_name(ctx, found, item)      # "Netflix", or its category where names are hidden
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Final, Literal

from kluis.dialogue.context import TurnContext
from kluis.dialogue.formatting import Lang
from kluis.dialogue.texts import CATEGORY_NAMES
from kluis.insights.recurring import Cadence, Direction, RecurringSeries, detect
from kluis.money import Money
from kluis.store.recurring_choices import Choice, RecurringChoiceRepository

HISTORY_DAYS: Final = 400
PER_YEAR: Final[dict[Cadence, int]] = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
CADENCE_WORDS: Final[dict[Lang, dict[Cadence, str]]] = {
    "nl": {"weekly": "week", "monthly": "maand", "quarterly": "kwartaal", "yearly": "jaar"},
    "en": {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"},
}

Mode = Literal["new", "dismissed"]  # asking about series not yet reviewed, or dismissed ones


def yearly_cost(series: list[RecurringSeries]) -> Money:
    """What the series cost in a year at their usual amounts."""
    currency = series[0].typical.currency if series else "EUR"
    total = sum((item.typical.amount * PER_YEAR[item.cadence] for item in series), Decimal(0))
    return Money(total, currency).quantized()


@dataclass(frozen=True, slots=True)
class Found:
    """The customer's running series as the gate disclosed them, with their choices."""

    running: list[RecurringSeries]  # dismissed ones included, largest yearly cost first
    categories: dict[str, str]  # transaction id -> category, as the gate gave it
    choices: dict[str, Choice]
    about: bool  # amounts rounded (a discreet voice)

    @property
    def kept(self) -> list[RecurringSeries]:
        return [item for item in self.running if self.choices.get(item.payee) != "dismissed"]

    @property
    def dismissed(self) -> list[RecurringSeries]:
        return [item for item in self.running if self.choices.get(item.payee) == "dismissed"]

    def unreviewed(self, mode: Mode, skipped: frozenset[str]) -> list[RecurringSeries]:
        """The series still to ask about in `mode`, in the order of the overview."""
        if mode == "dismissed":
            return [item for item in self.dismissed if item.payee not in skipped]
        return [
            item
            for item in self.running
            if item.payee not in self.choices and item.payee not in skipped
        ]

    def get(self, payee: str) -> RecurringSeries | None:
        return next((item for item in self.running if item.payee == payee), None)

    def category(self, item: RecurringSeries) -> str:
        """The category of the series' latest payment."""
        return self.categories.get(item.transactions[-1].transaction_id, "other")


async def find(ctx: TurnContext, direction: Direction = "out") -> Found:
    """The customer's running series in one direction, read through the gate."""
    disclosed = await ctx.gate.transactions(
        ctx.request, start=ctx.today - timedelta(days=HISTORY_DAYS), end=ctx.today
    )
    payments = [item for item in disclosed.items if not item.own_transfer]
    categories = {item.transaction.transaction_id: item.category for item in payments}
    running = [
        item
        for item in detect((item.transaction for item in payments), direction)
        if item.is_active(ctx.today)
    ]
    running.sort(key=lambda item: (-item.typical.amount * PER_YEAR[item.cadence], item.payee))
    async with ctx.runtime.database.session() as session:
        choices = await RecurringChoiceRepository(session).all(ctx.customer.id)
    return Found(running, categories, choices, disclosed.approximate)


def series_name(ctx: TurnContext, found: Found, item: RecurringSeries) -> str:
    """The payee's name, or where the channel hides names, the series' category."""
    if item.name:
        return item.name
    category = found.category(item)
    return CATEGORY_NAMES[ctx.lang].get(category, category).capitalize()
