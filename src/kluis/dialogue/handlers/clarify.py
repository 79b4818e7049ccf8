"""Asking back when it matters: which account did the customer mean?"""

from __future__ import annotations

from dataclasses import replace

from kluis.consent.gate import AccountView
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.texts import ACCOUNT_NAMES
from kluis.dialogue.types import Reply


def which_account(ctx: TurnContext, accounts: list[AccountView]) -> Outcome:
    """Offer the customer's accounts as buttons; the answer repeats the question for it."""
    names = ACCOUNT_NAMES[ctx.lang]
    buttons = tuple(names.get(account.kind, account.name) for account in accounts)
    state = replace(ctx.state.remember(ctx.intent, ctx.entities), pending="account")
    return Outcome((Reply(ctx.say("clarify.account"), buttons),), state)
