"""'Laatste 5 betalingen', 'did Netflix charge me this month': finding transactions."""

from __future__ import annotations

from kluis.consent.gate import AccountView
from kluis.dialogue.accounts import matching_accounts
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import day, money, period
from kluis.dialogue.handlers.clarify import which_account
from kluis.dialogue.matching import amount_matches, direction, merchant_matches, wanted_count
from kluis.dialogue.state import refers_back
from kluis.dialogue.texts import ACCOUNT_NAMES, CATEGORY_NAMES
from kluis.dialogue.types import Reply
from kluis.insights.flows import Categorised
from kluis.money import Money

PAGE = 5


def _line(ctx: TurnContext, item: Categorised, *, approximate: bool = False) -> str:
    transaction = item.transaction
    when = day(item.day, ctx.lang, today=ctx.today) if item.day else "?"
    # Where the channel's policy hides names (or the bank sent none), the category stands in.
    who = (
        transaction.counterparty_name
        or transaction.remittance
        or CATEGORY_NAMES[ctx.lang].get(item.category, item.category)
    )
    line = f"{when} · {who} · {money(transaction.amount, ctx.lang, approximate=approximate)}"
    if transaction.status.value == "pending":
        line += f" ({ctx.say('word.pending')})"
    return line


def _describe(ctx: TurnContext, outgoing: str | None) -> str:
    """'betalingen bij Albert Heijn boven € 50,00' — what the customer asked for, restated."""
    entities = ctx.entities
    what = ctx.say(
        "word.incoming"
        if outgoing == "in"
        else "word.payments"
        if outgoing
        else "word.transactions"
    )
    if entities.merchant:
        what += " " + ctx.say("word.at", merchant=entities.merchant.title())
    if entities.category:
        what += " " + ctx.say(
            "word.in_category",
            category=CATEGORY_NAMES[ctx.lang].get(entities.category, entities.category),
        )
    if entities.amount:
        shown = money(Money(entities.amount.value, entities.amount.currency), ctx.lang)
        key = {"gt": "word.above", "lt": "word.below", "approx": "word.about"}.get(
            entities.amount.op, "word.exactly"
        )
        what += " " + ctx.say(key, amount=shown)
    return what


def _follows(ctx: TurnContext) -> bool:
    """Whether the message only changes what the last list of transactions was about ("en
    de week daarvoor?", "and at Albert Heijn?"), so that it keeps what that list left out."""
    return ctx.state.last_intent == "transactions" and refers_back(ctx.text, ctx.parse.entities)


def _flow(ctx: TurnContext) -> str | None:
    """Money in, money out or both: as said, else as the list followed on."""
    said = direction(ctx.text)
    if ctx.more or (said is None and _follows(ctx)):
        return ctx.state.flow
    return said


async def _accounts(ctx: TurnContext) -> tuple[list[AccountView], list[AccountView] | None]:
    """The account list and the accounts the customer named; read only when they named one."""
    if not ctx.entities.account:
        return [], None
    disclosed = await ctx.gate.accounts(ctx.request, with_balances=False)
    accounts = list(disclosed.items)
    return accounts, matching_accounts(accounts, ctx.entities.account)


async def handle(ctx: TurnContext) -> Outcome:
    entities = ctx.entities
    accounts, wanted = await _accounts(ctx)
    if wanted is not None and not wanted:
        return which_account(ctx, accounts)
    resource_ids = {a.resource_id for a in wanted} if wanted else None
    start = entities.period.start if entities.period else None
    end = entities.period.end if entities.period else None
    merchant = entities.merchant
    disclosed = await ctx.gate.transactions(
        ctx.request,
        start=start,
        end=end,
        resource_ids=resource_ids,
        # Matched by the gate, before a channel that hides names takes them out.
        counterparty=(lambda name: merchant_matches(name, merchant)) if merchant else None,
    )
    flow = _flow(ctx)
    items = [
        item
        for item in disclosed.items
        if (entities.category is None or item.category == entities.category)
        and (entities.amount is None or amount_matches(item, entities.amount))
        and (flow is None or (flow == "in") == (item.transaction.amount.amount > 0))
    ]
    size = ctx.state.page_size if ctx.more else wanted_count(ctx.text) or PAGE
    offset = ctx.state.shown if ctx.more else 0
    page = items[offset : offset + size]
    what = _describe(ctx, flow)
    if wanted:
        what += " " + ctx.say(
            "word.on_account", name=ACCOUNT_NAMES[ctx.lang].get(wanted[0].kind, wanted[0].name)
        )
    when = (
        period(entities.period.start, entities.period.end, ctx.lang, ctx.today)
        if entities.period
        else ""
    )
    if ctx.more and not page:
        return Outcome(
            (
                Reply(
                    ctx.say("transactions.nothing_more"), ctx.buttons("balance", "spending_month")
                ),
            ),
            ctx.state,
        )
    if not page:
        text = ctx.say("transactions.none", what=what, period=when).replace(" .", ".")
        return Outcome(
            (Reply(text, ctx.buttons("latest", "spending_month")),),
            ctx.state.remember("transactions", entities, flow=flow),
        )
    if ctx.more:
        header = ctx.say("transactions.next", what=what)
    elif entities.period:
        header = ctx.say("transactions.header", what=what, period=when)
    else:
        header = ctx.say("transactions.latest", what=what)
    lines = [header, *(_line(ctx, item, approximate=disclosed.approximate) for item in page)]
    shown = offset + len(page)
    remaining = len(items) - shown
    buttons: tuple[str, ...]
    if remaining > 0:
        lines.append(ctx.say("transactions.more", count=remaining))
        buttons = (ctx.say("button.more"), *ctx.buttons("spending_month"))
    else:
        if ctx.more:
            lines.append(ctx.say("transactions.end"))
        buttons = ctx.buttons("balance", "spending_month")
    if disclosed.bank_unreachable:
        lines.append(ctx.say("stale"))
    facts = {"transactions": [item.transaction.transaction_id for item in page]}
    return Outcome(
        (Reply("\n".join(lines), buttons),),
        ctx.state.remember("transactions", entities, shown=shown, page_size=size, flow=flow),
        facts=facts,
    )
