"""Greetings, thanks, goodbyes, help, yes and no, and what Kluis cannot help with."""

from __future__ import annotations

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.types import Reply


def _first_name(ctx: TurnContext) -> str:
    return ctx.customer.name.split(" ")[0]


def _bank(ctx: TurnContext) -> str:
    return ctx.runtime.settings.bank_name


async def greeting(ctx: TurnContext) -> Outcome:
    text = ctx.say("greeting", name=_first_name(ctx), bank=_bank(ctx))
    buttons = ctx.buttons("balance", "spending_month", "latest")
    return Outcome((Reply(text, buttons),), ctx.state.remember("greeting", ctx.entities))


async def thanks(ctx: TurnContext) -> Outcome:
    return Outcome(
        (Reply(ctx.say("thanks"), ctx.buttons("balance", "latest")),),
        ctx.state.remember("thanks", ctx.entities),
    )


async def goodbye(ctx: TurnContext) -> Outcome:
    return Outcome((Reply(ctx.say("goodbye")),), ctx.state.remember("goodbye", ctx.entities))


async def help_(ctx: TurnContext) -> Outcome:
    text = ctx.say("help", bank=_bank(ctx))
    buttons = ctx.buttons("balance", "latest", "spending_month", "human")
    return Outcome((Reply(text, buttons),), ctx.state.remember("help", ctx.entities))


async def affirm(ctx: TurnContext) -> Outcome:
    return Outcome(
        (Reply(ctx.say("affirm"), ctx.buttons("balance", "latest")),),
        ctx.state.remember("affirm", ctx.entities),
    )


async def deny(ctx: TurnContext) -> Outcome:
    return Outcome(
        (Reply(ctx.say("deny"), ctx.buttons("help", "human")),),
        ctx.state.remember("deny", ctx.entities),
    )


async def out_of_scope(ctx: TurnContext) -> Outcome:
    return Outcome(
        (Reply(ctx.say("out_of_scope"), ctx.buttons("balance", "spending_month", "help")),),
        ctx.state.remember("out_of_scope", ctx.entities),
    )
