"""'Wat zijn mijn vaste inkomsten?', 'what regular income do I have?': the payers who pay the
customer at a regular interval (salary, benefits, allowances, rent from a lodger), with what
they come to a month and when each is next expected.

The series are found like the bills (`dialogue.recurring_found`, money coming in), in a
year of payments read through the gate; where the channel hides names, a series is named by
its category.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang, day, money
from kluis.dialogue.recurring_found import CADENCE_WORDS, find, series_name, yearly_cost
from kluis.dialogue.types import Reply
from kluis.money import Money

LISTED: Final = 6

_REGULAR: Final = re.compile(
    r"\b(vaste?|regular|recurring|terugkerende?|maandelijkse?|monthly|structurele?|steady)\b",
    re.IGNORECASE,
)
_INCOME: Final = re.compile(
    r"\b(inkomsten|inkomen|income|salaris|salary|loon|uitkering(en)?|toeslag(en)?|"
    r"benefits?|pensioen|pension|earnings)\b",
    re.IGNORECASE,
)
_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "head": {
        "nl": "Je vaste inkomsten zijn samen zo'n {monthly} per maand:",
        "en": "Your regular income comes to about {monthly} a month:",
    },
    "line": {
        "nl": "• {name}: {amount} per {cadence}, volgende rond {next}",
        "en": "• {name}: {amount} a {cadence}, next around {next}",
    },
    "none": {
        "nl": "Ik zie geen vaste inkomsten in je betalingen van het afgelopen jaar.",
        "en": "I don't see any regular income in your payments of the past year.",
    },
}


def asks(text: str) -> bool:
    """Whether the message asks about regular income as a whole."""
    return bool(_REGULAR.search(text) and _INCOME.search(text))


async def handle(ctx: TurnContext) -> Outcome:
    found = await find(ctx, "in")
    state = ctx.state.remember("income", ctx.entities)
    buttons = ctx.buttons("balance", "spending_month")
    running = found.running
    if not running:
        return Outcome((Reply(_TEXTS["none"][ctx.lang], buttons),), state)
    yearly = yearly_cost(running)
    monthly = Money(yearly.amount / Decimal(12), yearly.currency).quantized()
    head = _TEXTS["head"][ctx.lang].format(
        monthly=money(monthly, ctx.lang, approximate=found.about)
    )
    lines = [
        _TEXTS["line"][ctx.lang].format(
            name=series_name(ctx, found, item),
            amount=money(item.typical, ctx.lang, approximate=found.about),
            cadence=CADENCE_WORDS[ctx.lang][item.cadence],
            next=day(item.next_date, ctx.lang, today=ctx.today),
        )
        for item in running[:LISTED]
    ]
    facts = {"series": len(running), "monthly": monthly.to_api()}
    return Outcome((Reply("\n".join([head, *lines]), buttons),), state, facts=facts)
