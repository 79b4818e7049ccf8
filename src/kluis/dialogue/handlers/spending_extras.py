"""Spending questions beyond a total: 'waar geef ik het meeste uit?', 'wat valt op aan mijn
uitgaven deze maand?', 'uitgaven per maand', and the usual month beside a month's total.

The NLU gives these as `spending`; what kind of spending question it is, is read from the
words (`question_kind`), and kept in the conversation state for a follow-up that only
changes what it is about ("en vorige maand?", "en aan boodschappen?", "en daarvoor?";
`asked_kind`). Figures come from `kluis.insights.trends` over transactions read
through the gate: where the channel hides names, merchants give way to categories. Voice
channels get no picture, so there the text is the short summary, and lists are shorter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Final, Literal

from kluis.consent.gate import Disclosed
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import MONTHS, money, period
from kluis.dialogue.insight_texts import insight_buttons, say_insight
from kluis.dialogue.state import refers_back
from kluis.dialogue.texts import CATEGORY_NAMES, join_list
from kluis.dialogue.types import Chart, Reply
from kluis.insights.charts import monthly_line
from kluis.insights.flows import Categorised, spending, within
from kluis.insights.trends import (
    UNUSUAL_FLOOR,
    USUAL_MONTHS,
    Month,
    Unusual,
    Usual,
    covered_from,
    median_amount,
    monthly_spending,
    months_before,
    months_between,
    top_merchants,
    unusual,
    usual_month,
)
from kluis.money import Money
from kluis.nlu.types import Period
from kluis.privacy.policy import VOICE

QuestionKind = Literal["trend", "unusual", "top"]
KINDS: Final[tuple[QuestionKind, ...]] = ("trend", "unusual", "top")

TOP_LISTED: Final = 5
TOP_SPOKEN: Final = 3
TOP_MOST: Final = 10
UNUSUAL_LISTED: Final = 5
UNUSUAL_IN_TOTAL: Final = 2
TREND_MONTHS: Final = 6
TREND_MOST: Final = 12
TREND_FEWEST: Final = 3

_TREND: Final = re.compile(
    r"\b(per maand|per month|maand (?:op|voor) maand|month[ -]by[ -]month|monthly|maandelijks|"
    r"elke maand|iedere maand|every month|each month|trend|verloop|ontwikkel\w*|over time|"
    r"in welke maand|which month|grafiek|graph)\b"
)
_UNUSUAL: Final = re.compile(
    r"\b(bijzonders?|opvallend\w*|opvalt|valt (?:\w+ )*op|ongewoon\w*|afwijk\w*|unusual|"
    r"out of the ordinary|stands? out|stood out|standing out|normaal|gewoonlijk|usual|"
    r"usually|normally)\b"
)
_TOP: Final = re.compile(
    r"\b(meeste?|most|top|grootste|biggest|largest|welke winkels?|which (?:shops?|stores?|"
    r"merchants?)|waar (?:geef|gaf)|where (?:do|did) i spend)\b"
)
_SHOPS: Final = re.compile(r"\b(winkels?|shops?|stores?|zaken|merchants?)\b")
_COUNT: Final = re.compile(r"\btop\s*(\d{1,2})\b|\b(\d{1,2})\s+(?:winkels|shops|stores|merchants)")


def question_kind(text: str) -> QuestionKind | None:
    """Which spending question beyond a total `text` asks, if any."""
    lowered = text.lower()
    if _TREND.search(lowered):
        return "trend"
    if _UNUSUAL.search(lowered):
        return "unusual"
    if _TOP.search(lowered):
        return "top"
    return None


def asked_kind(ctx: TurnContext) -> QuestionKind | None:
    """Which spending question beyond a total the message asks: the one its words name,
    else, for a follow-up that only changes what the last spending answer was about, that
    answer's kind where it still makes sense. "En bij Albert Heijn?" after the top merchants
    asks for a total; "en vorige maand?" after the months one by one does too."""
    named = question_kind(ctx.text)
    if named is not None:
        return named
    state = ctx.state
    remembered = next((kind for kind in KINDS if kind == state.kind), None)
    if (
        remembered is None
        or state.last_intent != "spending"
        or not refers_back(ctx.text, ctx.parse.entities)
    ):
        return None
    return remembered if _fits(remembered, ctx) else None


def _fits(kind: QuestionKind, ctx: TurnContext) -> bool:
    asked = ctx.entities.period
    if kind == "trend":
        return asked is None or len(_closed_months(asked, ctx.today)) >= TREND_FEWEST
    if ctx.entities.merchant:  # one payee's top list or standouts say less than its total
        return False
    return kind == "top" or asked is None or _one_month(asked)


def _voice(ctx: TurnContext) -> bool:
    return ctx.channel in VOICE


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _on_category(ctx: TurnContext) -> str:
    """' aan boodschappen' when the question is about one category, else ''."""
    if not ctx.entities.category:
        return ""
    name = CATEGORY_NAMES[ctx.lang].get(ctx.entities.category, ctx.entities.category)
    return say_insight("trend.on", ctx.lang, category=name)


def _what(ctx: TurnContext) -> str:
    """' aan boodschappen' or ' bij Albert Heijn' when the question is about one of them."""
    if ctx.entities.merchant and not ctx.entities.category:
        return say_insight("trend.at", ctx.lang, merchant=ctx.entities.merchant.title())
    return _on_category(ctx)


async def _read(ctx: TurnContext, start: date, end: date) -> Disclosed[list[Categorised]]:
    merchant = ctx.entities.merchant
    return await ctx.gate.transactions(
        ctx.request,
        start=start,
        end=end,
        # Matched before a channel that hides names takes them out (see money_flows).
        counterparty=(lambda name: merchant in (name or "").lower()) if merchant else None,
    )


def _finish(ctx: TurnContext, disclosed: Disclosed[list[Categorised]], text: str) -> str:
    return f"{text} {ctx.say('stale')}" if disclosed.bank_unreachable else text


def _outcome(
    ctx: TurnContext,
    kind: QuestionKind,
    answered: Period,
    reply: Reply,
    facts: Mapping[str, object] | None = None,
) -> Outcome:
    """The answer, remembered with its kind and the period it covers, so that "en daarvoor?"
    and "en aan boodschappen?" ask the same of the period before or of groceries."""
    entities = replace(ctx.entities, period=answered)
    state = ctx.state.remember("spending", entities, kind=kind)
    return Outcome((reply,), state, facts=facts or {})


# -- the usual month beside a total ---------------------------------------------------------


def usual_window(start: date, end: date) -> date | None:
    """Where to start reading for a usual month beside `[start, end]`; None when the period
    is not (part of) one calendar month."""
    if start.day != 1 or (start.year, start.month) != (end.year, end.month):
        return None
    return months_before(start, USUAL_MONTHS)[0].start


def usual_note(
    ctx: TurnContext,
    items: list[Categorised],
    asked: tuple[date, date],
    read_from: date,
    *,
    approximate: bool,
) -> tuple[str, Usual | None, list[Unusual]]:
    """' Normaal is dat € 1.850,00 per maand.' and, for all spending, what stands out."""
    month = Month.of(asked[0])
    usual = usual_month(
        items, month, history_start=covered_from(items, read_from), category=ctx.entities.category
    )
    if usual is None:
        return "", None, []
    key = "usual.month" if asked[1] >= month.end else "usual.month_running"
    text = say_insight(key, ctx.lang, amount=money(usual.total, ctx.lang, approximate=approximate))
    findings: list[Unusual] = []
    if not ctx.entities.category and not ctx.entities.merchant:
        findings = unusual(within(items, *asked), usual)
        if findings:
            shown = [_finding(ctx, item, approximate) for item in findings[:UNUSUAL_IN_TOTAL]]
            text += say_insight("unusual.hint", ctx.lang, list=join_list(shown, ctx.lang))
    return text, usual, findings


def _label(ctx: TurnContext, finding: Unusual) -> str:
    if finding.kind == "merchant":
        return finding.label
    return CATEGORY_NAMES[ctx.lang].get(finding.label, finding.label)


def _finding(ctx: TurnContext, finding: Unusual, approximate: bool, *, line: bool = False) -> str:
    """'reizen € 640,00 (normaal € 120,00)', or as a list line '• Reizen: ...'."""
    key = "unusual.line" if line else "unusual.item"
    return say_insight(
        key if finding.usual.amount else f"{key}_new",
        ctx.lang,
        label=_capital(_label(ctx, finding)) if line else _label(ctx, finding),
        amount=money(finding.amount, ctx.lang, approximate=approximate),
        usual=money(finding.usual, ctx.lang, approximate=approximate),
    )


# -- 'wat valt op deze maand?' --------------------------------------------------------------


def _one_month(asked: Period) -> bool:
    return (asked.start.year, asked.start.month) == (asked.end.year, asked.end.month)


def _asked_month(ctx: TurnContext) -> Month:
    asked = ctx.entities.period
    if asked is not None and _one_month(asked):
        return Month.of(asked.start)
    return Month.of(ctx.today)


async def _unusual(ctx: TurnContext) -> Outcome:
    month = _asked_month(ctx)
    start, end = month.until(ctx.today)
    read_from = months_before(month.start, USUAL_MONTHS)[0].start
    disclosed = await _read(ctx, read_from, end)
    about = disclosed.approximate
    items = disclosed.items
    usual = usual_month(
        items, month, history_start=covered_from(items, read_from), category=ctx.entities.category
    )
    buttons = insight_buttons(ctx.lang, "trend", "top")
    answered = Period(start, end)
    if usual is None:
        reply = Reply(_finish(ctx, disclosed, say_insight("usual.unknown", ctx.lang)), buttons)
        return _outcome(ctx, "unusual", answered, reply)
    category = ctx.entities.category
    current = within(items, start, end)
    if category:  # the usual month is the category's: only its payments are set beside it
        current = [item for item in current if item.category == category]
    spent = spending(current, category=category)
    findings = unusual(current, usual)
    values = {
        "period": _capital(period(start, end, ctx.lang, ctx.today)),
        "amount": money(spent.total, ctx.lang, approximate=about) + _what(ctx),
        "usual": money(usual.total, ctx.lang, approximate=about),
    }
    if not findings:
        text = say_insight("unusual.none", ctx.lang, **values)
    else:
        lines = [_finding(ctx, finding, about, line=True) for finding in findings[:UNUSUAL_LISTED]]
        text = "\n".join([say_insight("unusual.head", ctx.lang, **values), *lines])
        if not _voice(ctx):
            floor = money(Money(UNUSUAL_FLOOR, spent.total.currency), ctx.lang)
            rule = say_insight("usual.rule", ctx.lang, floor=floor, count=len(usual.months))
            text += "\n" + rule
    facts = {
        "spending": spent.total.to_api(),
        "usual": usual.total.to_api(),
        "unusual": [finding.label for finding in findings],
    }
    return _outcome(ctx, "unusual", answered, Reply(_finish(ctx, disclosed, text), buttons), facts)


# -- 'waar geef ik het meeste uit?' ---------------------------------------------------------


def _top_count(ctx: TurnContext) -> int:
    match = _COUNT.search(ctx.text.lower())
    if match:
        return max(1, min(int(match.group(1) or match.group(2)), TOP_MOST))
    return TOP_SPOKEN if _voice(ctx) else TOP_LISTED


async def _top(ctx: TurnContext) -> Outcome:
    asked = ctx.entities.period
    start, end = (asked.start, asked.end) if asked else (ctx.today.replace(day=1), ctx.today)
    disclosed = await _read(ctx, start, end)
    about = disclosed.approximate
    items = within(disclosed.items, start, end)
    if ctx.entities.category:
        items = [item for item in items if item.category == ctx.entities.category]
    when = period(start, end, ctx.lang, ctx.today)
    what = _on_category(ctx)
    limit = _top_count(ctx)
    merchants = top_merchants(items, limit, shops_only=bool(_SHOPS.search(ctx.text.lower())))
    names = CATEGORY_NAMES[ctx.lang]
    buttons = insight_buttons(ctx.lang, "unusual", "trend")
    if merchants:
        head = say_insight("top.head", ctx.lang, period=_capital(when), what=what)
        shown = [(merchant.name, merchant.total) for merchant in merchants]
        lines = [
            say_insight(
                "top.line",
                ctx.lang,
                rank=rank,
                name=merchant.name,
                amount=money(merchant.total, ctx.lang, approximate=about),
                times=say_insight("top.once", ctx.lang)
                if merchant.count == 1
                else say_insight("top.times", ctx.lang, count=merchant.count),
            )
            for rank, merchant in enumerate(merchants, start=1)
        ]
    else:
        parts = [(label, amount) for label, amount in spending(items).parts if amount.amount > 0]
        if not parts:
            text = say_insight("top.none", ctx.lang, period=when, what=what)
            reply = Reply(_finish(ctx, disclosed, _capital(text)), buttons)
            return _outcome(ctx, "top", Period(start, end), reply)
        if what:  # one category, and no names to list within it: its total
            label, total = parts[0]
            amount = money(total, ctx.lang, approximate=about)
            text = say_insight(
                "top.category_hidden", ctx.lang, period=_capital(when), amount=amount, what=what
            )
            facts = {"top": [[_capital(names.get(label, label)), total.to_api()]]}
            reply = Reply(_finish(ctx, disclosed, text), buttons)
            return _outcome(ctx, "top", Period(start, end), reply, facts)
        # The channel hides names (or none were given): the categories instead.
        head = say_insight("top.categories_head", ctx.lang, period=_capital(when))
        shown = [(_capital(names.get(label, label)), amount) for label, amount in parts[:limit]]
        lines = [
            say_insight(
                "top.category_line",
                ctx.lang,
                rank=rank,
                name=name,
                amount=money(amount, ctx.lang, approximate=about),
            )
            for rank, (name, amount) in enumerate(shown, start=1)
        ]
    chart = None
    if not _voice(ctx):
        chart = Chart(
            kind="bar",
            title=say_insight("top.chart", ctx.lang, period=when, what=what),
            labels=tuple(name for name, _ in shown),
            values=tuple(amount.amount for _, amount in shown),
            currency=shown[0][1].currency,
        )
    text = _finish(ctx, disclosed, "\n".join([head, *lines]))
    facts = {"top": [[name, amount.to_api()] for name, amount in shown]}
    return _outcome(ctx, "top", Period(start, end), Reply(text, buttons, chart), facts)


# -- 'uitgaven per maand' -------------------------------------------------------------------


def _closed_months(asked: Period, today: date) -> list[Month]:
    """The months `asked` touches that are over by `today`."""
    running = Month.of(today)
    return [month for month in months_between(asked.start, asked.end) if month.end < running.start]


def _trend_months(ctx: TurnContext) -> list[Month]:
    """Whole months: those the asked period touches, else the last six, at most twelve."""
    asked = ctx.entities.period
    months = _closed_months(asked, ctx.today) if asked is not None else []
    if len(months) < TREND_FEWEST:
        months = months_before(ctx.today, TREND_MONTHS)
    return months[-TREND_MOST:]


def _month_name(month: Month, ctx: TurnContext) -> str:
    name = MONTHS[ctx.lang][month.start.month - 1]
    return name if month.start.year == ctx.today.year else f"{name} {month.start.year}"


def _so_far(
    ctx: TurnContext, items: list[Categorised], months: list[Month], approximate: bool
) -> str:
    """' Deze maand tot nu toe: € 812,40.' when the months shown end before this one."""
    running = Month.of(ctx.today)
    if months[-1].end >= running.start:
        return ""
    category = ctx.entities.category
    (now,) = monthly_spending(items, [running], category=category, today=ctx.today)
    return say_insight("trend.now", ctx.lang, amount=money(now, ctx.lang, approximate=approximate))


async def _trend(ctx: TurnContext) -> Outcome:
    months = _trend_months(ctx)
    read_from = months[0].start
    disclosed = await _read(ctx, read_from, ctx.today)
    about = disclosed.approximate
    items = disclosed.items
    history = covered_from(items, read_from)
    # None of the months in the history: say so of all of them.
    months = [month for month in months if month.start >= history] or months
    totals = monthly_spending(items, months, category=ctx.entities.category)
    what = _what(ctx)
    first, last = _month_name(months[0], ctx), _month_name(months[-1], ctx)
    buttons = insight_buttons(ctx.lang, "unusual", "top")
    answered = Period(months[0].start, months[-1].end)
    facts = {
        "months": [
            [month.start.isoformat(), total.to_api()]
            for month, total in zip(months, totals, strict=True)
        ]
    }
    if len(months) == 1:
        # The history reaches back only one whole month: no line, that month's total.
        (total,) = totals
        key = "trend.one" if total.amount else "trend.one_none"
        amount = money(total, ctx.lang, approximate=about)
        text = say_insight(key, ctx.lang, month=first, amount=amount, what=what)
        text += _so_far(ctx, items, months, about)
        reply = Reply(_finish(ctx, disclosed, text), buttons)
        return _outcome(ctx, "trend", answered, reply, facts)
    if not any(total.amount for total in totals):
        text = say_insight("trend.none", ctx.lang, what=what, first=first, last=last)
        return _outcome(ctx, "trend", answered, Reply(_finish(ctx, disclosed, text), buttons))
    ordered = sorted(range(len(months)), key=lambda index: totals[index].amount)
    low, high = ordered[0], ordered[-1]
    usual = Money(median_amount([total.amount for total in totals]), totals[0].currency)
    text = say_insight(
        "trend.head",
        ctx.lang,
        what=what,
        first=first,
        last=last,
        usual=money(usual, ctx.lang, approximate=about),
        high=_month_name(months[high], ctx),
        high_amount=money(totals[high], ctx.lang, approximate=about),
        low=_month_name(months[low], ctx),
        low_amount=money(totals[low], ctx.lang, approximate=about),
    )
    text += _so_far(ctx, items, months, about)
    chart = None
    if not _voice(ctx):
        title = say_insight("trend.chart", ctx.lang, what=what)
        starts = [month.start for month in months]
        chart = monthly_line(title, starts, totals, ctx.lang, usual=usual)
    reply = Reply(_finish(ctx, disclosed, text), buttons, chart)
    return _outcome(ctx, "trend", answered, reply, facts)


async def answer(ctx: TurnContext, kind: QuestionKind) -> Outcome:
    """The answer to a spending question of `kind`."""
    if kind == "trend":
        return await _trend(ctx)
    if kind == "unusual":
        return await _unusual(ctx)
    return await _top(ctx)
