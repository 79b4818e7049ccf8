"""'Waarschuw me als mijn saldo onder de 100 euro komt', 'stop met salarismeldingen': the
customer's alerts, chosen in chat.

What a message asks is read from its words first and its sub-intent second, because
customers mix them ("stop low balance alerts" is understood as `alerts.low_balance`, "niet
meer dan 2 meldingen per dag" as `alerts.stop`), in this order:
1. quiet hours ("geen meldingen tussen 22 en 7 uur", "no alerts at night");
2. a daily limit ("maximaal 3 meldingen per dag");
3. switching off: the kinds named, everything ("stop alle meldingen"; fraud alerts stay
   on), or, when no kind is named, a question which (with buttons);
4. which alerts are on (`alerts.list`);
5. switching on a kind, with the amount said, kept or the kind's default; a balance alert
   without any amount asks for one and remembers that it asked (`pending`);
6. anything else: the overview of what is on and how to change it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

from kluis.alerts import texts
from kluis.alerts.kinds import (
    DEFAULT_DAILY_LIMIT,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    KINDS,
    EffectiveRule,
    effective_rules,
    kinds_named,
)
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import money
from kluis.dialogue.texts import join_list
from kluis.dialogue.types import Reply
from kluis.insights.categories import normalise
from kluis.money import Money
from kluis.nlu.numbers import SMALL_NUMBER_PATTERN, small_number
from kluis.store.alerts import AlertRuleRepository, QuietHours

PENDING_AMOUNT: Final = "alerts.low_balance"  # Kluis asked for a balance alert's amount
MAX_DAILY_LIMIT: Final = 50
THRESHOLD_KINDS: Final = ("low_balance", "large_transaction")

_OFF: Final = re.compile(
    r"\b(stop\w*|uit|uitzetten|uitschakelen|niet meer|geen\b.*\b(melding|bericht|notificatie|"
    r"waarschuwing)\w*|turn (it |them )?off|switch (it |them )?off|disable|no more|"
    r"dont want|unsubscribe|afmelden|no (alerts|notifications|messages|warnings))\b"
)
_ON: Final = re.compile(
    r"\b(aan|aanzetten|inschakelen|turn (it |them )?on|switch (it |them )?on|enable)\b"
)
_ALL: Final = re.compile(r"\b(alle|all|alles|everything)\b")
_NIGHT: Final = re.compile(
    r"\b(s nachts|nachts|night|nighttime|niet storen|do not disturb|quiet hours|stille uren)\b"
)
_PART: Final = (
    r"(?:\s*(s avonds|s nachts|s ochtends|s morgens|in the evening|at night|in the morning))?"
)
_NOT_MONEY: Final = r"(?!\s*(?:euro|eur|dollar|pond|pound|quid|procent|percent|%))"
_TIME: Final = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|uur|u|h)?\b" + _NOT_MONEY + _PART
_SPAN: Final = re.compile(
    r"\b(?:tussen|between|van|from|vanaf)\s+"
    + _TIME
    + r"\s*(?:en|and|tot|to|until|till|-)\s*"
    + _TIME
)
_AFTER: Final = re.compile(r"\b(?:na|after|vanaf|from)\s+" + _TIME)
_LIMIT: Final = re.compile(
    r"\b(" + SMALL_NUMBER_PATTERN + r")\s*(?:meldingen|melding|alerts?|notifications?|"
    r"berichten|berichtjes|messages)\s*(?:per|a|each|in een|op een|elke)\s*(?:dag|day)\b"
)
_LATE: Final = frozenset({"pm", "s avonds", "in the evening", "at night"})
_MORNING: Final = frozenset({"am", "s ochtends", "s morgens", "in the morning"})


def _plain(text: str) -> str:
    """Lower case, apostrophes gone, "22.30" as "22:30", "p.m." as "pm", other marks spaces."""
    lowered = text.lower().replace("a.m.", "am").replace("p.m.", "pm")
    lowered = re.sub(r"['’`´]", "", lowered)
    lowered = re.sub(r"(\d)[.:h](\d\d)\b", r"\1:\2", lowered)
    return " ".join(re.sub(r"[^\w:]+", " ", lowered).split())


def _clock(hour: str, minute: str | None, unit: str | None, part: str | None) -> str | None:
    value, minutes = int(hour), int(minute or 0)
    if value <= 12 and (unit in _LATE or part in _LATE or (part == "s nachts" and value >= 9)):
        value = value % 12 + 12
    elif value == 12 and (unit in _MORNING or part in _MORNING):
        value = 0
    if not (0 <= value <= 23 and 0 <= minutes <= 59):
        return None
    return f"{value:02d}:{minutes:02d}"


def quiet_hours_in(text: str) -> tuple[str | None, str | None] | None:
    """The quiet hours a message asks for, as ("HH:MM", "HH:MM"); None when it asks none.

    "tussen 22 en 7 uur" and "between 10pm and 7am" give both ends; "na 22 uur" only the
    start; "'s nachts geen meldingen" neither (the hours kept stay). A start from 7 to 11
    without am or pm before an earlier end is the evening: "between 10 and 7" is 22:00 to
    07:00, which is what people mean by it."""
    words = _plain(text)
    span = _SPAN.search(words)
    if span is not None:
        groups = span.groups()
        start, end = _clock(*groups[:4]), _clock(*groups[4:])
        if start is None or end is None or start == end:
            return None
        if not any(groups[2:4]) and 7 <= int(groups[0]) <= 11 and end < start:
            start = f"{int(start[:2]) + 12:02d}{start[2:]}"
        return start, end
    after = _AFTER.search(words)
    if after is not None and (start := _clock(*after.groups())) is not None:
        return start, None
    return (None, None) if _NIGHT.search(words) else None


def daily_limit_in(text: str) -> int | None:
    """How many alerts a day a message allows ("maximaal 3 meldingen per dag")."""
    found = _LIMIT.search(normalise(text))
    return small_number(found.group(1)) if found else None


def wants_off(text: str, sub_intent: str) -> bool:
    """Whether the message switches alerts off: its words first, then its sub-intent."""
    words = normalise(text)
    if _OFF.search(words):
        return True
    return sub_intent == "stop" and _ON.search(words) is None


def _reply(
    ctx: TurnContext, text: str, buttons: tuple[str, ...] = (), *, pending: str | None = None
) -> Outcome:
    state = replace(ctx.state.remember("alerts", ctx.entities), pending=pending)
    return Outcome((Reply(text, buttons),), state)


async def _rules(ctx: TurnContext) -> dict[str, EffectiveRule]:
    async with ctx.runtime.database.session() as session:
        return effective_rules(await AlertRuleRepository(session).rules(ctx.customer.id))


async def _set(ctx: TurnContext, kinds: list[str], *, on: bool, threshold: Money | None) -> None:
    now = datetime.now(UTC)
    async with ctx.runtime.database.session() as session:
        repository = AlertRuleRepository(session)
        for kind in kinds:
            await repository.set(ctx.customer.id, kind, enabled=on, threshold=threshold, now=now)


def _names(ctx: TurnContext, kinds: list[str]) -> str:
    return join_list([KINDS[kind].names[ctx.lang] for kind in kinds], ctx.lang)


def _amount(ctx: TurnContext) -> Money | None:
    amount = ctx.entities.amount
    if amount is None or amount.value < 0:
        return None
    return Money(amount.value, amount.currency).quantized()


async def _quiet(ctx: TurnContext, start: str | None, end: str | None) -> Outcome:
    async with ctx.runtime.database.session() as session:
        repository = AlertRuleRepository(session)
        kept = await repository.quiet_hours(ctx.customer.id)
        start = start or kept.start or DEFAULT_QUIET_START
        end = end or kept.end or DEFAULT_QUIET_END
        if start == end:
            return _reply(ctx, texts.say("quiet.ask", ctx.lang))
        quiet = QuietHours(start, end, kept.daily_limit)
        await repository.set_quiet_hours(ctx.customer.id, quiet, datetime.now(UTC))
    return _reply(ctx, texts.say("quiet.set", ctx.lang, start=start, end=end))


async def _limit(ctx: TurnContext, count: int) -> Outcome:
    if not 1 <= count <= MAX_DAILY_LIMIT:
        return _reply(ctx, texts.say("limit.ask", ctx.lang, most=MAX_DAILY_LIMIT))
    async with ctx.runtime.database.session() as session:
        repository = AlertRuleRepository(session)
        kept = await repository.quiet_hours(ctx.customer.id)
        quiet = QuietHours(kept.start, kept.end, count)
        await repository.set_quiet_hours(ctx.customer.id, quiet, datetime.now(UTC))
    word = texts.say("word.alert" if count == 1 else "word.alerts", ctx.lang)
    return _reply(ctx, texts.say("limit.set", ctx.lang, count=count, word=word))


async def _off(ctx: TurnContext, named: tuple[str, ...]) -> Outcome:
    stoppable = [kind for kind in named if KINDS[kind].can_stop]
    fraud = texts.say("stop.fraud", ctx.lang)
    if not named and _ALL.search(normalise(ctx.text)):
        await _set(ctx, [k for k, kind in KINDS.items() if kind.can_stop], on=False, threshold=None)
        return _reply(ctx, f"{texts.say('stop.all', ctx.lang)} {fraud}")
    if stoppable:
        await _set(ctx, stoppable, on=False, threshold=None)
        text = texts.say("stop.some", ctx.lang, names=_names(ctx, stoppable))
        return _reply(ctx, f"{text} {fraud}" if len(stoppable) < len(named) else text)
    if named:  # only fraud was named
        return _reply(ctx, fraud, (texts.say("button.list", ctx.lang),))
    rules = await _rules(ctx)
    on = [name for name, rule in rules.items() if rule.enabled and rule.kind.can_stop]
    if not on:
        return _reply(ctx, f"{texts.say('stop.nothing', ctx.lang)} {fraud}")
    buttons = tuple(KINDS[name].stop_button[ctx.lang] for name in on)
    buttons += (texts.say("stop.all_button", ctx.lang),)
    return _reply(ctx, texts.say("stop.which", ctx.lang), buttons)


def _wanted(ctx: TurnContext, named: tuple[str, ...]) -> list[str]:
    """The kinds to switch on: those named, else the sub-intent's, else the one Kluis
    asked an amount for."""
    if named:
        return list(named)
    if ctx.state.pending == PENDING_AMOUNT and ctx.entities.amount is not None:
        return ["low_balance"]
    sub = ctx.parse.intent.partition(".")[2]
    return [sub] if sub in KINDS else []


async def _on(ctx: TurnContext, kinds: list[str]) -> Outcome:
    """Switch kinds on: an amount said applies to the one kind that takes an amount; a
    kept or default amount serves otherwise; a balance alert without any asks for one."""
    listed = (texts.say("button.list", ctx.lang),)
    if not any(KINDS[kind].can_stop for kind in kinds):  # only fraud: always on
        return _reply(ctx, texts.say("stop.fraud", ctx.lang), listed)
    rules = await _rules(ctx)
    with_amount = [kind for kind in kinds if kind in THRESHOLD_KINDS]
    plain = [kind for kind in kinds if kind not in THRESHOLD_KINDS and KINDS[kind].can_stop]
    lines: list[str] = []
    if plain:
        await _set(ctx, plain, on=True, threshold=None)
        key = "set.income" if plain == ["income"] else "set.other"
        lines.append(texts.say(key, ctx.lang, names=_names(ctx, plain)))
    said = _amount(ctx) if len(with_amount) == 1 else None
    for kind in with_amount:
        threshold = said or rules[kind].threshold
        if threshold is None:
            lines.append(texts.say("ask.low_balance", ctx.lang))
            buttons = tuple(texts.say(f"ask.below.{value}", ctx.lang) for value in (50, 100, 250))
            return _reply(ctx, " ".join(lines), buttons, pending=PENDING_AMOUNT)
        await _set(ctx, [kind], on=True, threshold=threshold)
        lines.append(texts.say(f"set.{kind}", ctx.lang, amount=money(threshold, ctx.lang)))
        if kind == "large_transaction" and said is None and not rules[kind].chosen:
            lines[-1] += texts.say("set.large_transaction.default", ctx.lang)
    return _reply(ctx, " ".join(lines), listed)


def _item(ctx: TurnContext, rule: EffectiveRule) -> str:
    name = rule.kind.names[ctx.lang]
    if not rule.kind.can_stop:
        return f"{name} ({texts.say('list.always', ctx.lang)})"
    if rule.threshold is None:
        return name
    key = "list.below" if rule.kind.name == "low_balance" else "list.from"
    return f"{name} ({texts.say(key, ctx.lang, amount=money(rule.threshold, ctx.lang))})"


async def overview(ctx: TurnContext) -> Outcome:
    """Which alerts are on (with their amounts), which are off, quiet hours, daily limit,
    and how to change them."""
    async with ctx.runtime.database.session() as session:
        repository = AlertRuleRepository(session)
        rules = effective_rules(await repository.rules(ctx.customer.id))
        quiet = await repository.quiet_hours(ctx.customer.id)
    on = [_item(ctx, rule) for rule in rules.values() if rule.enabled]
    off = [rule.kind.names[ctx.lang] for rule in rules.values() if not rule.enabled]
    lines = [texts.say("list.on", ctx.lang, items=join_list(on, ctx.lang))]
    if off:
        lines.append(texts.say("list.off", ctx.lang, items=join_list(off, ctx.lang)))
    lines.append(
        texts.say(
            "list.quiet",
            ctx.lang,
            start=quiet.start or DEFAULT_QUIET_START,
            end=quiet.end or DEFAULT_QUIET_END,
            limit=quiet.daily_limit or DEFAULT_DAILY_LIMIT,
        )
    )
    lines.append(texts.say("list.change", ctx.lang))
    buttons: tuple[str, ...] = ()
    if not rules["low_balance"].enabled:
        buttons += (texts.say("button.low_balance", ctx.lang),)
    if any(rule.enabled and rule.kind.can_stop for rule in rules.values()):
        buttons += (texts.say("stop.all_button", ctx.lang),)
    return _reply(ctx, " ".join(lines), buttons)


async def handle(ctx: TurnContext) -> Outcome:
    """Set up, change, stop or list alerts, and quiet hours and the daily limit."""
    sub = ctx.parse.intent.partition(".")[2]
    # "betalingen van 5 tot 20 euro" names amounts, not hours.
    quiet = quiet_hours_in(ctx.text) if ctx.entities.amount is None else None
    if quiet is not None:
        return await _quiet(ctx, *quiet)
    limit = daily_limit_in(ctx.text)
    if limit is not None:
        return await _limit(ctx, limit)
    named = kinds_named(ctx.text)
    if wants_off(ctx.text, sub):
        return await _off(ctx, named)
    if sub == "list" and not named:
        return await overview(ctx)
    wanted = _wanted(ctx, named)
    if wanted:
        return await _on(ctx, wanted)
    return await overview(ctx)
