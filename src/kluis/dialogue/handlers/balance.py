"""'Wat is mijn saldo?': the balance of one account, or of checking with the others beside it."""

from __future__ import annotations

from kluis.consent.gate import AccountView
from kluis.dialogue.accounts import matching_accounts
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import money
from kluis.dialogue.handlers.clarify import which_account
from kluis.dialogue.texts import ACCOUNT_NAMES, join_list
from kluis.dialogue.types import Reply
from kluis.money import Money, total

TOTAL_WORDS = ("totaal", "total", "samen", "altogether", "in all")


def account_name(ctx: TurnContext, account: AccountView) -> str:
    """'betaalrekening' / 'savings account', or the account's own name for other kinds."""
    return ACCOUNT_NAMES[ctx.lang].get(account.kind, account.name)


def _sentence(ctx: TurnContext, account: AccountView, balance: Money) -> str:
    name = account_name(ctx, account)
    about = account.approximate
    if account.kind == "credit_card":
        owed = -balance if balance.amount < 0 else balance
        return ctx.say("balance.card", name=name, amount=money(owed, ctx.lang, approximate=about))
    return ctx.say("balance.one", name=name, amount=money(balance, ctx.lang, approximate=about))


def _short(ctx: TurnContext, account: AccountView, balance: Money) -> str:
    """'spaarrekening € 10.352,29', or 'creditcard € 195,46 open' for what is owed."""
    name = account_name(ctx, account)
    about = account.approximate
    if account.kind == "credit_card" and balance.amount <= 0:
        return ctx.say(
            "balance.owed", name=name, amount=money(-balance, ctx.lang, approximate=about)
        )
    return f"{name} {money(balance, ctx.lang, approximate=about)}"


async def handle(ctx: TurnContext) -> Outcome:
    disclosed = await ctx.gate.accounts(ctx.request)
    balances = [(a, a.balance) for a in disclosed.items if a.balance is not None]
    if not balances:
        return Outcome((Reply(ctx.say("balance.none")),), ctx.state)
    accounts = [account for account, _ in balances]
    wanted = matching_accounts(accounts, ctx.entities.account)
    if ctx.entities.account and not wanted:
        return which_account(ctx, accounts)
    lines: list[str] = []
    if wanted:
        lines.extend(_sentence(ctx, a, b) for a, b in balances if a in wanted)
    else:
        main, main_balance = next(
            ((a, b) for a, b in balances if a.kind == "checking"), balances[0]
        )
        lines.append(_sentence(ctx, main, main_balance))
        others = [_short(ctx, a, b) for a, b in balances if a is not main]
        if others:
            lines.append(ctx.say("balance.others", list=join_list(others, ctx.lang)))
        amounts = [b for _, b in balances]
        same_currency = all(amount.currency == amounts[0].currency for amount in amounts)
        if same_currency and any(word in ctx.text.lower() for word in TOTAL_WORDS):
            summed = total(amounts, amounts[0].currency)
            shown = money(summed, ctx.lang, approximate=disclosed.approximate)
            lines.append(ctx.say("balance.total", amount=shown))
    if disclosed.bank_unreachable:
        lines.append(ctx.say("stale"))
    buttons = ctx.buttons("latest", "spending_month")
    if not wanted and any(a.kind == "savings" for a in accounts):
        buttons = (*buttons, ctx.say("button.savings"))
    facts = {"balances": {a.resource_id: b.to_api() for a, b in balances}}
    return Outcome(
        (Reply(" ".join(lines), buttons),),
        ctx.state.remember("balance", ctx.entities),
        facts=facts,
    )
