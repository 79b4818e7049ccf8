"""'Welke abonnementen heb ik?', 'what bills are due next week?', 'wanneer moet ik de huur
betalen?': the customer's recurring payments (`dialogue.recurring_found`), with what they
cost a year and when each comes next.

The payments are read through the gate like every other answer; where the channel's policy
hides names, a series is named by its category instead. After the overview Kluis asks the
customer to confirm or dismiss each series (`handlers.recurring_review`); the dismissed ones
are left out here. A question about the days ahead lists what is due in them ("deze week",
"this month": the rest of it); one about a payee or a category ("de huur", "Netflix") says
when each of its series comes next, however far ahead. Questions about salary and regular
income go to the income answers (`money_flows`, `regular_income`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Final

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang, day, money
from kluis.dialogue.handlers import money_flows, recurring_review, regular_income
from kluis.dialogue.recurring_found import CADENCE_WORDS, Found, find, series_name, yearly_cost
from kluis.dialogue.texts import CATEGORY_NAMES
from kluis.dialogue.types import Reply
from kluis.insights.categories import normalise
from kluis.insights.recurring import RecurringSeries
from kluis.nlu.types import Period

LISTED: Final = 8
UPCOMING_DAYS: Final = 7
# A category that names recurring payments as such, not a kind of them.
_ANY_KIND: Final = frozenset({"subscriptions"})

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
    "changed": {"nl": " (was {before})", "en": " (was {before})"},
    "left_out": {
        "nl": "{count} die je hebt weggelaten, tel ik niet mee.",
        "en": "I leave out {count} that you dismissed.",
    },
    "left_out.one": {
        "nl": "Eén die je hebt weggelaten, tel ik niet mee.",
        "en": "I leave out one that you dismissed.",
    },
    "next.one": {
        "nl": "{name} ({amount} per {cadence}) verwacht ik weer op {next}.",
        "en": "I expect {name} ({amount} a {cadence}) again on {next}.",
    },
    "next.one_yearly": {
        "nl": "{name} kost je {amount} per {cadence}, zo'n {yearly} per jaar. De volgende "
        "verwacht ik op {next}.",
        "en": "{name} costs you {amount} a {cadence}, about {yearly} a year. I expect the next "
        "one on {next}.",
    },
    "next.many_yearly": {
        "nl": "Je vaste betalingen {what} zijn samen zo'n {yearly} per jaar. Wanneer ze weer "
        "komen:",
        "en": "Your regular payments {what} come to about {yearly} a year. When they come next:",
    },
    "next.many": {
        "nl": "Wanneer je vaste betalingen {what} weer komen:",
        "en": "When your regular payments {what} come next:",
    },
    "next.none": {
        "nl": "Ik zie geen vaste betaling {what} in je betalingen van het afgelopen jaar.",
        "en": "I don't see a regular payment {what} in your payments of the past year.",
    },
    "for_category": {"nl": "voor {category}", "en": "for {category}"},
    "to_merchant": {"nl": "aan {merchant}", "en": "to {merchant}"},
}
# "hoeveel kost Netflix per jaar?": the yearly cost of what is asked about.
_PER_YEAR: Final = re.compile(
    r"\b(per jaar|op jaarbasis|jaarlijks|in een jaar|a year|per year|per annum|yearly|"
    r"annually|each year|every year|in a year)\b",
    re.IGNORECASE,
)
_DISMISSED_WORDS: Final = re.compile(
    r"\b(weggelaten|weglaten|verborgen|verstopt|afgewezen|dismissed|hidden|left out|"
    r"leave out|removed)\b",
    re.IGNORECASE,
)


def _say(key: str, lang: Lang, **values: object) -> str:
    return _TEXTS[key][lang].format(**values)


def _changed(ctx: TurnContext, item: RecurringSeries, about: bool) -> str:
    """' (was € 9,99)' when the last charge differs from the one before it."""
    if len(item.transactions) < 2:
        return ""
    last, before = (-t.amount for t in item.transactions[-1:-3:-1])
    if last.amount == before.amount:
        return ""
    return _say("changed", ctx.lang, before=money(before, ctx.lang, approximate=about))


def _line(ctx: TurnContext, found: Found, item: RecurringSeries, key: str = "line") -> str:
    return _say(
        key,
        ctx.lang,
        name=series_name(ctx, found, item),
        amount=money(item.typical, ctx.lang, approximate=found.about)
        + _changed(ctx, item, found.about),
        cadence=CADENCE_WORDS[ctx.lang][item.cadence],
        next=day(item.next_date, ctx.lang, today=ctx.today),
        yearly=money(yearly_cost([item]), ctx.lang, approximate=found.about),
    )


async def handle(ctx: TurnContext) -> Outcome:
    if regular_income.asks(ctx.text):
        return await regular_income.handle(ctx)
    if money_flows.asks_salary(ctx.text):
        return await money_flows.income(ctx)
    found = await find(ctx)
    state = ctx.state.remember("recurring", ctx.entities)
    buttons = ctx.buttons("latest", "spending_month")
    if _about_payee(ctx):
        return _next_of(ctx, found, buttons)
    if ctx.parse.intent == "recurring.upcoming" or ctx.entities.period is not None:
        return _upcoming(ctx, found, buttons)
    if _DISMISSED_WORDS.search(ctx.text):
        return recurring_review.ask_dismissed(ctx, found, state)
    running = found.kept
    if not running:
        return Outcome((Reply(_say("none", ctx.lang), buttons),), state)
    lines = [_line(ctx, found, item) for item in running[:LISTED]]
    if len(running) > LISTED:
        lines.append(_say("more", ctx.lang, count=len(running) - LISTED))
    if dismissed := len(found.dismissed):
        key = "left_out.one" if dismissed == 1 else "left_out"
        lines.append(_say(key, ctx.lang, count=dismissed))
    yearly = money(yearly_cost(running), ctx.lang, approximate=found.about)
    head = _say("overview", ctx.lang, count=len(running), yearly=yearly)
    listing = "\n".join([head, *lines])
    facts = {"series": len(running), "dismissed": dismissed}
    asked = recurring_review.first_question(ctx, found)
    if asked is None:
        return Outcome((Reply(listing, buttons),), state, facts=facts)
    question, pending = asked
    return Outcome((Reply(listing), question), replace(state, pending=pending), facts=facts)


def _about_payee(ctx: TurnContext) -> bool:
    """The question names a payee or a kind of payment ("de huur", "Netflix")."""
    category = ctx.entities.category
    return ctx.entities.merchant is not None or (category is not None and category not in _ANY_KIND)


def _matches(ctx: TurnContext, found: Found, item: RecurringSeries) -> bool:
    merchant = normalise(ctx.entities.merchant).split()
    if merchant:
        name = normalise(item.name).split()
        return any(name[i : i + len(merchant)] == merchant for i in range(len(name)))
    return found.category(item) == ctx.entities.category


def _next_of(ctx: TurnContext, found: Found, buttons: tuple[str, ...]) -> Outcome:
    """When the series of the payee or category asked about come next."""
    if ctx.entities.merchant:
        what = _say("to_merchant", ctx.lang, merchant=ctx.entities.merchant.title())
    else:
        category = ctx.entities.category or "other"
        name = CATEGORY_NAMES[ctx.lang].get(category, category)
        what = _say("for_category", ctx.lang, category=name)
    state = ctx.state.remember("recurring", ctx.entities)
    wanted = sorted(
        (item for item in found.kept if _matches(ctx, found, item)),
        key=lambda item: item.next_date,
    )
    if not wanted:
        return Outcome((Reply(_say("next.none", ctx.lang, what=what), buttons),), state)
    per_year = _PER_YEAR.search(ctx.text) is not None
    if len(wanted) == 1:
        item = wanted[0]
        key = "next.one_yearly" if per_year and item.cadence != "yearly" else "next.one"
        text = _line(ctx, found, item, key)
        return Outcome((Reply(text, buttons),), state)
    lines = [_line(ctx, found, item) for item in wanted[:LISTED]]
    head = _say("next.many", ctx.lang, what=what)
    if per_year:
        yearly = money(yearly_cost(wanted), ctx.lang, approximate=found.about)
        head = _say("next.many_yearly", ctx.lang, what=what, yearly=yearly)
    text = "\n".join([head, *lines])
    return Outcome((Reply(text, buttons),), state)


def days_ahead(period: Period | None, today: date) -> tuple[date, date]:
    """The days a question about bills to come means: the period asked when it lies ahead,
    the rest of it when it runs up to today ("this week", "this month" in the NLU's terms
    end today), else the coming week."""
    if period is None or period.end < today:
        return today, today + timedelta(days=UPCOMING_DAYS)
    if period.end > today:
        return max(today, period.start), period.end
    start = period.start
    if start.day == 1 and start.month == 1 and start.year == today.year:
        return today, date(today.year, 12, 31)
    if start.day == 1 and (start.year, start.month) == (today.year, today.month):
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return today, following - timedelta(days=1)
    if start.weekday() == 0 and (today - start).days < 7:
        return today, start + timedelta(days=6)
    return today, today + timedelta(days=UPCOMING_DAYS)


def _upcoming(ctx: TurnContext, found: Found, buttons: tuple[str, ...]) -> Outcome:
    start, until = days_ahead(ctx.entities.period, ctx.today)
    due = sorted(
        (item for item in found.kept if start <= item.next_date <= until),
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
            name=series_name(ctx, found, item),
            amount=money(item.typical, ctx.lang, approximate=found.about),
        )
        for item in due
    ]
    total = sum((item.typical for item in due[1:]), due[0].typical)
    amount = money(total, ctx.lang, approximate=found.about)
    key = "upcoming.one" if len(due) == 1 else "upcoming"
    head = _say(key, ctx.lang, until=when, count=len(due), total=amount)
    return Outcome((Reply("\n".join([head, *lines]), buttons),), remembered)
