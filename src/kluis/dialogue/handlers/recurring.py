"""'Welke abonnementen heb ik?', 'what bills are due next week?': the customer's recurring
payments, found in a year of their payments (`kluis.insights.recurring`), with what they
cost a year and when each comes next.

The payments are read through the gate like every other answer; where the channel's policy
hides names, a series is named by its category instead.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Final

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang, day, money
from kluis.dialogue.texts import CATEGORY_NAMES
from kluis.dialogue.types import Reply
from kluis.insights.recurring import Cadence, RecurringSeries, detect
from kluis.money import Money

HISTORY_DAYS: Final = 400
LISTED: Final = 8
UPCOMING_DAYS: Final = 7
PER_YEAR: Final[dict[Cadence, int]] = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}

_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "overview": {
        "nl": "Je hebt {count} vaste lasten en abonnementen, samen zo'n {yearly} per jaar:",
        "en": "You have {count} regular bills and subscriptions, about {yearly} a year in all:",
    },
    "upcoming": {
        "nl": "Tot en met {until} verwacht ik {count} vaste afschrijvingen, samen {total}:",
        "en": "Up to {until} I expect {count} regular charges, {total} in all:",
    },
    "upcoming.one": {
        "nl": "Tot en met {until} verwacht ik één vaste afschrijving:",
        "en": "Up to {until} I expect one regular charge:",
    },
    "none": {
        "nl": "Ik zie geen vaste lasten of abonnementen in je betalingen van het afgelopen jaar.",
        "en": "I don't see any regular bills or subscriptions in your payments of the past year.",
    },
    "none_upcoming": {
        "nl": "Tot en met {until} verwacht ik geen vaste afschrijvingen.",
        "en": "I don't expect any regular charges up to {until}.",
    },
    "line": {
        "nl": "• {name}: {amount} per {cadence}, volgende op {next}",
        "en": "• {name}: {amount} a {cadence}, next on {next}",
    },
    "line.upcoming": {"nl": "• {next}: {name}, {amount}", "en": "• {next}: {name}, {amount}"},
    "more": {"nl": "• en nog {count} andere", "en": "• and {count} more"},
    "changed": {
        "nl": " (was {before})",
        "en": " (was {before})",
    },
}
_CADENCE: Final[dict[Lang, dict[Cadence, str]]] = {
    "nl": {"weekly": "week", "monthly": "maand", "quarterly": "kwartaal", "yearly": "jaar"},
    "en": {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"},
}


def _say(key: str, lang: Lang, **values: object) -> str:
    return _TEXTS[key][lang].format(**values)


def yearly_cost(series: list[RecurringSeries]) -> Money:
    """What the series cost in a year at their usual amounts."""
    currency = series[0].typical.currency if series else "EUR"
    total = sum((item.typical.amount * PER_YEAR[item.cadence] for item in series), Decimal(0))
    return Money(total, currency).quantized()


def _name(ctx: TurnContext, item: RecurringSeries, categories: dict[str, str]) -> str:
    if item.name:
        return item.name
    latest = item.transactions[-1].transaction_id
    category = categories.get(latest, "other")
    return CATEGORY_NAMES[ctx.lang].get(category, category).capitalize()


def _changed(ctx: TurnContext, item: RecurringSeries, about: bool) -> str:
    """' (was € 9,99)' when the last charge differs from the one before it."""
    if len(item.transactions) < 2:
        return ""
    last, before = (-t.amount for t in item.transactions[-1:-3:-1])
    if last.amount == before.amount:
        return ""
    return _say("changed", ctx.lang, before=money(before, ctx.lang, approximate=about))


async def handle(ctx: TurnContext) -> Outcome:
    disclosed = await ctx.gate.transactions(
        ctx.request, start=ctx.today - timedelta(days=HISTORY_DAYS), end=ctx.today
    )
    about = disclosed.approximate
    payments = [item for item in disclosed.items if not item.own_transfer]
    categories = {item.transaction.transaction_id: item.category for item in payments}
    running = [
        item for item in detect(item.transaction for item in payments) if item.is_active(ctx.today)
    ]
    state = ctx.state.remember("recurring", ctx.entities)
    buttons = ctx.buttons("latest", "spending_month")
    if ctx.parse.intent == "recurring.upcoming" or ctx.entities.period is not None:
        return _upcoming(ctx, running, categories, about, buttons)
    if not running:
        return Outcome((Reply(_say("none", ctx.lang), buttons),), state)
    running.sort(key=lambda item: -item.typical.amount * PER_YEAR[item.cadence])
    lines = [
        _say(
            "line",
            ctx.lang,
            name=_name(ctx, item, categories),
            amount=money(item.typical, ctx.lang, approximate=about) + _changed(ctx, item, about),
            cadence=_CADENCE[ctx.lang][item.cadence],
            next=day(item.next_date, ctx.lang, today=ctx.today),
        )
        for item in running[:LISTED]
    ]
    if len(running) > LISTED:
        lines.append(_say("more", ctx.lang, count=len(running) - LISTED))
    yearly = money(yearly_cost(running), ctx.lang, approximate=about)
    head = _say("overview", ctx.lang, count=len(running), yearly=yearly)
    return Outcome((Reply("\n".join([head, *lines]), buttons),), state)


def _upcoming(
    ctx: TurnContext,
    running: list[RecurringSeries],
    categories: dict[str, str],
    about: bool,
    buttons: tuple[str, ...],
) -> Outcome:
    period = ctx.entities.period
    # "This week" runs up to today in the NLU's terms; a question about bills to come means
    # the days ahead.
    ahead = period is not None and period.end > ctx.today
    until = period.end if ahead and period else ctx.today + timedelta(days=UPCOMING_DAYS)
    start = max(ctx.today, period.start) if ahead and period else ctx.today
    due = sorted(
        (item for item in running if start <= item.next_date <= until),
        key=lambda item: item.next_date,
    )
    when = day(until, ctx.lang, today=ctx.today)
    remembered = ctx.state.remember("recurring", ctx.entities)
    if not due:
        return Outcome((Reply(_say("none_upcoming", ctx.lang, until=when), buttons),), remembered)
    lines = [
        _say(
            "line.upcoming",
            ctx.lang,
            next=day(item.next_date, ctx.lang, today=ctx.today),
            name=_name(ctx, item, categories),
            amount=money(item.typical, ctx.lang, approximate=about),
        )
        for item in due
    ]
    total = sum((item.typical for item in due[1:]), due[0].typical)
    amount = money(total, ctx.lang, approximate=about)
    key = "upcoming.one" if len(due) == 1 else "upcoming"
    head = _say(key, ctx.lang, until=when, count=len(due), total=amount)
    return Outcome((Reply("\n".join([head, *lines]), buttons),), remembered)
