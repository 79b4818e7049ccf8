"""'Hoeveel gaf ik uit aan boodschappen?', 'is mijn salaris binnen?', 'hoeveel heb ik
overgehouden?': spending, income, and what was left of it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Final

from kluis.consent.gate import Disclosed
from kluis.dialogue.accounts import matching_accounts
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import day, money, percent_change, period, previous_period
from kluis.dialogue.handlers import regular_income, spending_extras
from kluis.dialogue.insight_texts import insight_buttons
from kluis.dialogue.state import refers_back
from kluis.dialogue.texts import CATEGORY_NAMES, join_list
from kluis.dialogue.types import Chart, Reply
from kluis.insights.flows import (
    Breakdown,
    Categorised,
    within,
)
from kluis.insights.flows import (
    income as income_of,
)
from kluis.insights.flows import (
    spending as spending_of,
)
from kluis.insights.recurring import detect, payee_key
from kluis.insights.trends import Month, Unusual
from kluis.money import Money
from kluis.nlu.types import Period

# "Hoeveel heb ik overgehouden?", "how much did I save last month?": what came in less what
# went out, transfers between the customer's own accounts neither.
_NET: Final = re.compile(
    r"\b(overgehouden|over\s?gehouden|overhouden|hou ik over|houd ik over|hield ik over|"
    r"overgebleven|over\s?blijft|overschot|tekort|netto|gespaard|spaar ik|"
    r"left over|leftover|saved|save|surplus|shortfall|"
    r"more than (?:i|I) (?:earn|make|made|earned)|meer (?:uit )?dan (?:ik )?(?:verdien|binnenkomt|"
    r"binnenkwam|verdiende))\b",
    re.IGNORECASE,
)
NET_KIND: Final = "net"

SALARY_DAYS = 31  # "is my salary in?" asks of this month or less
SALARY_WORDS = ("salaris", "salary", "loon", "wage", "paycheck", "pay check", "payday", "uitkering")


def _period(ctx: TurnContext) -> Period:
    if ctx.entities.period is not None:
        return ctx.entities.period
    return Period(ctx.today.replace(day=1), ctx.today)


async def _read(
    ctx: TurnContext, start: date, end: date, *, merchant: str | None = None
) -> Disclosed[list[Categorised]]:
    resource_ids = None
    if ctx.entities.account:
        accounts = await ctx.gate.accounts(ctx.request, with_balances=False)
        matched = matching_accounts(list(accounts.items), ctx.entities.account)
        resource_ids = {a.resource_id for a in matched} or None
    return await ctx.gate.transactions(
        ctx.request,
        start=start,
        end=end,
        resource_ids=resource_ids,
        # Matched by the gate, before a channel that hides names takes them out.
        counterparty=(lambda name: merchant in (name or "").lower()) if merchant else None,
    )


def _breakdown(ctx: TurnContext, items: list[Categorised]) -> Breakdown:
    # A merchant was already matched by the gate (see `_read`).
    return spending_of(items, category=ctx.entities.category)


def _before_history(
    ctx: TurnContext, held_from: date | None, asked: Period, key: str
) -> str | None:
    """What to say for a period wholly before the earliest payment held: that nothing is
    seen, and why, rather than a bare "€ 0,00" that claims there was nothing."""
    if held_from is None or asked.end >= held_from:
        return None
    when = period(asked.start, asked.end, ctx.lang, ctx.today)
    return ctx.say(
        key,
        period=when[0].upper() + when[1:],
        amount=money(Money(Decimal(0), "EUR"), ctx.lang),
        day=day(held_from, ctx.lang, today=ctx.today),
    )


def _partial_history(ctx: TurnContext, held_from: date | None, asked: Period) -> str:
    """' Je betalingen heb ik pas vanaf …' when the period starts before the earliest one."""
    if held_from is None or asked.start >= held_from:
        return ""
    return ctx.say("history.partial", day=day(held_from, ctx.lang, today=ctx.today))


def asks_net(ctx: TurnContext) -> bool:
    """Whether the message asks what was left after spending, or follows such an answer
    with only a new period ("en vorige maand?")."""
    if _NET.search(ctx.text):
        return True
    state = ctx.state
    return state.kind == NET_KIND and refers_back(ctx.text, ctx.parse.entities)


async def net(ctx: TurnContext) -> Outcome:
    """What came in, what went out and what that left, over the period asked."""
    asked = _period(ctx)
    disclosed = await _read(ctx, asked.start, asked.end)
    about = disclosed.approximate
    items = within(disclosed.items, asked.start, asked.end)
    received, spent = income_of(items).total, spending_of(items).total
    kept = received.amount - spent.amount
    when = period(asked.start, asked.end, ctx.lang, ctx.today)
    text = ctx.say(
        "net.kept" if kept >= 0 else "net.short",
        period=when[0].upper() + when[1:],
        income=money(received, ctx.lang, approximate=about),
        spent=money(spent, ctx.lang, approximate=about),
        net=money(Money(abs(kept), received.currency), ctx.lang, approximate=about),
    )
    text += _partial_history(ctx, disclosed.held_from, asked)
    if disclosed.bank_unreachable:
        text += " " + ctx.say("stale")
    facts = {"income": received.to_api(), "spending": spent.to_api()}
    state = ctx.state.remember("spending", replace(ctx.entities, period=asked), kind=NET_KIND)
    buttons = ctx.buttons("spending_month", "balance")
    return Outcome((Reply(text, buttons),), state, facts=facts)


async def spending(ctx: TurnContext) -> Outcome:
    if asks_net(ctx):
        return await net(ctx)
    kind = spending_extras.asked_kind(ctx)
    if kind is not None:
        return await spending_extras.answer(ctx, kind)
    asked = _period(ctx)
    before_start, before_end = previous_period(asked.start, asked.end)
    # A month (or a month so far) is also set beside the customer's usual month.
    usual_from = spending_extras.usual_window(asked.start, asked.end)
    read_from = min(before_start, asked.start, usual_from or asked.start)
    disclosed = await _read(ctx, read_from, asked.end, merchant=ctx.entities.merchant)
    nothing_held = _before_history(ctx, disclosed.held_from, asked, "history.no_spending")
    if nothing_held is not None:
        state = ctx.state.remember("spending", replace(ctx.entities, period=asked))
        return Outcome((Reply(nothing_held, ctx.buttons("latest", "balance")),), state)
    about = disclosed.approximate
    now = _breakdown(ctx, within(disclosed.items, asked.start, asked.end))
    before = _breakdown(ctx, within(disclosed.items, before_start, before_end))
    names = CATEGORY_NAMES[ctx.lang]
    what = ""
    if ctx.entities.category:
        what = ctx.say(
            "spending.on", category=names.get(ctx.entities.category, ctx.entities.category)
        )
    elif ctx.entities.merchant:
        what = ctx.say("spending.at", merchant=ctx.entities.merchant.title())
    when = period(asked.start, asked.end, ctx.lang, ctx.today)
    text = ctx.say(
        "spending.total",
        period=when[0].upper() + when[1:],
        amount=money(now.total, ctx.lang, approximate=about),
        what=what,
    )
    text += _partial_history(ctx, disclosed.held_from, asked)
    # A period before the earliest payment held is no measure to compare with.
    complete_before = disclosed.held_from is None or before_start >= disclosed.held_from
    change = percent_change(now.total.amount, before.total.amount) if complete_before else None
    if change is not None:
        previous = period(before_start, before_end, ctx.lang, ctx.today)
        previous = previous.split(" (")[0]
        key = (
            "spending.compare_same"
            if abs(change) < 2
            else "spending.compare_more"
            if change > 0
            else "spending.compare_less"
        )
        before_total = money(before.total, ctx.lang, approximate=about)
        text += ctx.say(key, percent=abs(change), previous=previous, amount=before_total)
    usual = None
    findings: list[Unusual] = []
    if usual_from is not None:
        note, usual, findings = spending_extras.usual_note(
            ctx, disclosed.items, (asked.start, asked.end), read_from, approximate=about
        )
        text += note
    chart = None
    if not ctx.entities.category and not ctx.entities.merchant and now.parts:
        top = [
            f"{names.get(label, label)} ({money(amount, ctx.lang, approximate=about)})"
            for label, amount in now.parts[:3]
        ]
        text += " " + ctx.say("spending.top", list=join_list(top, ctx.lang))
        shown = [(label, amount) for label, amount in now.parts if amount.amount > 0][:8]
        chart = Chart(
            kind="bar",
            title=ctx.say("spending.chart", period=when),
            labels=tuple(names.get(label, label) for label, _ in shown),
            values=tuple(amount.amount for _, amount in shown),
            currency=now.total.currency,
        )
    if disclosed.bank_unreachable:
        text += " " + ctx.say("stale")
    buttons = (
        ctx.buttons("spending_last_month", "latest")
        if ctx.entities.period is None
        else ctx.buttons("latest", "balance")
    ) + insight_buttons(ctx.lang, "unusual" if findings else "trend")
    facts = {"spending": now.total.to_api(), "previous": before.total.to_api()}
    if usual is not None:
        facts["usual"] = usual.total.to_api()
    # Remembered with the period it covers, so that "en daarvoor?" has one to go back from.
    state = ctx.state.remember("spending", replace(ctx.entities, period=asked))
    return Outcome((Reply(text, buttons, chart),), state, facts=facts)


def _is_salary(item: Categorised) -> bool:
    return (
        item.category == "income" and item.transaction.amount.amount > 0 and not item.own_transfer
    )


def asks_salary(text: str) -> bool:
    """Whether the message is about the customer's salary (or benefit)."""
    lowered = text.lower()
    return any(word in lowered for word in SALARY_WORDS)


def _next_salary(salaries: list[Categorised], latest: Categorised) -> date | None:
    """When the payer of `latest` is expected to pay again, if they pay regularly."""
    key = payee_key(latest.transaction)
    if key is None:
        return None
    found = detect((item.transaction for item in salaries), "in")
    return next((series.next_date for series in found if series.payee == key), None)


def _salary_month(asked: Period) -> Period:
    """The period a salary answer covers: a salary comes once a month, so this month so far
    stands for the whole month, and "en daarvoor?" asks about the whole month before rather
    than its first days. Any other period stands for itself."""
    month = Month.of(asked.start)
    if asked.start == month.start and asked.end <= month.end:
        return Period(month.start, month.end)
    return asked


async def income(ctx: TurnContext) -> Outcome:
    if asks_net(ctx):
        return await net(ctx)
    if regular_income.asks(ctx.text):
        return await regular_income.handle(ctx)
    asked = _period(ctx)
    if asked.start <= ctx.today < asked.end:  # a salary answer's month, remembered (below)
        asked = Period(asked.start, ctx.today)
    when = period(asked.start, asked.end, ctx.lang, ctx.today)
    # Whether the salary has come in is asked of a month at most, up to today (this month
    # unless said); of a longer period or one that is over, what came in then answers it.
    recent = asked.end == ctx.today and (asked.end - asked.start).days < SALARY_DAYS
    if asks_salary(ctx.text) and (ctx.entities.period is None or recent):
        disclosed = await _read(ctx, date(ctx.today.year - 1, ctx.today.month, 1), ctx.today)
        salaries = [item for item in disclosed.items if _is_salary(item)]
        this_period = within(salaries, asked.start, asked.end)
        about = disclosed.approximate
        if this_period:
            latest = this_period[0]
            payer = latest.transaction.counterparty_name  # None where names are hidden
            text = ctx.say(
                "income.salary_yes" if payer else "income.salary_yes_unnamed",
                day=day(latest.day or ctx.today, ctx.lang, today=ctx.today),
                amount=money(latest.transaction.amount, ctx.lang, approximate=about),
                payer=payer,
            )
        else:
            text = ctx.say("income.salary_no", period=when)
            if salaries:
                last = salaries[0]
                payer = last.transaction.counterparty_name
                text += ctx.say(
                    "income.salary_last" if payer else "income.salary_last_unnamed",
                    day=day(last.day or ctx.today, ctx.lang, today=ctx.today),
                    amount=money(last.transaction.amount, ctx.lang, approximate=about),
                    payer=payer,
                )
                expected = _next_salary(salaries, last)
                if expected is not None and expected >= ctx.today:
                    when_next = day(expected, ctx.lang, today=ctx.today)
                    text += ctx.say("income.salary_next", day=when_next)
        return Outcome(
            (Reply(text, ctx.buttons("balance", "spending_month")),),
            ctx.state.remember("income", replace(ctx.entities, period=_salary_month(asked))),
        )
    disclosed = await _read(ctx, asked.start, asked.end)
    nothing_held = _before_history(ctx, disclosed.held_from, asked, "history.no_income")
    if nothing_held is not None:
        return Outcome(
            (Reply(nothing_held, ctx.buttons("spending_month", "balance")),),
            ctx.state.remember("income", replace(ctx.entities, period=asked)),
        )
    items = within(disclosed.items, asked.start, asked.end)
    salary_only = asks_salary(ctx.text)
    received = income_of([item for item in items if _is_salary(item)] if salary_only else items)
    about = disclosed.approximate
    key = "income.total"
    if salary_only:  # interest is income too: say so when more than the salary came in
        key = "income.salary_total" if len(received.parts) == 1 else "income.salary_and_more"
    text = ctx.say(
        key,
        period=when[0].upper() + when[1:],
        amount=money(received.total, ctx.lang, approximate=about),
    )
    # Payers whose names the channel hides come back as "?": leave them out.
    named = [(label, amount) for label, amount in received.parts if label != "?"]
    if named:
        top = [
            f"{label} ({money(amount, ctx.lang, approximate=about)})" for label, amount in named[:2]
        ]
        text += " " + ctx.say("income.from", list=join_list(top, ctx.lang))
    text += _partial_history(ctx, disclosed.held_from, asked)
    if disclosed.bank_unreachable:
        text += " " + ctx.say("stale")
    facts = {"income": received.total.to_api()}
    # Remembered with the period it covers, so that "en daarvoor?" has one to go back from.
    return Outcome(
        (Reply(text, ctx.buttons("spending_month", "balance")),),
        ctx.state.remember("income", replace(ctx.entities, period=asked)),
        facts=facts,
    )
