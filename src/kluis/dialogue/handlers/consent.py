"""'Wat mag je van mij zien?', 'wie heeft mijn gegevens bekeken?', 'stop met delen',
'alleen mijn betaalrekening nog', 'koppel mijn bank', 'is dit bericht echt?'."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from kluis.consent import lifecycle
from kluis.consent.access_log import AccessRecord, access_log
from kluis.dialogue.accounts import matching_accounts
from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import day
from kluis.dialogue.texts import ACCOUNT_NAMES, BANK_PHONE, join_list
from kluis.dialogue.types import Reply
from kluis.domain import BANK_TIME_ZONE
from kluis.privacy.check_codes import verify_check_code

LOG_ENTRIES = 5
# Questions whose reason the access log can name ("omdat je vroeg naar je saldo").
REASONS = frozenset({"balance", "transactions", "spending", "income", "consent"})
_CODE = re.compile(r"\b([A-Z0-9]{4}[- ]?[A-Z0-9]{2,4})\b", re.IGNORECASE)
_GENUINE = re.compile(
    r"(is (dit|deze|het) (bericht|sms|mail|melding)s? (wel )?echt|"
    r"echt van (jullie|kluis|de bank)|is this (message|text|email|alert) (real|genuine)|"
    r"did (you|kluis) send|really from (you|kluis|the bank)|controlecode|check code)",
    re.IGNORECASE,
)

DATA_WORDS = {
    "nl": {"balances": "je saldo", "transactions": "je transacties", "accounts": "je rekeningen"},
    "en": {
        "balances": "your balance",
        "transactions": "your transactions",
        "accounts": "your accounts",
    },
}
CHANNEL_WORDS = {
    "nl": {
        "web": "web-chat",
        "terminal": "terminal",
        "messenger": "Messenger",
        "whatsapp": "WhatsApp",
        "telegram": "Telegram",
        "alexa": "Alexa",
        "dialogflow": "spraakassistent",
    },
    "en": {
        "web": "web chat",
        "terminal": "terminal",
        "messenger": "Messenger",
        "whatsapp": "WhatsApp",
        "telegram": "Telegram",
        "alexa": "Alexa",
        "dialogflow": "voice assistant",
    },
}


def asks_if_genuine(text: str) -> bool:
    """The customer wants to know whether a message claiming to be from Kluis is real."""
    return _GENUINE.search(text) is not None


def _when(ctx: TurnContext, at: datetime) -> str:
    local = at.astimezone(BANK_TIME_ZONE)
    return f"{day(local.date(), ctx.lang)} {local:%H:%M}"


def _record(ctx: TurnContext, record: AccessRecord) -> str:
    names = ACCOUNT_NAMES[ctx.lang]
    what = DATA_WORDS[ctx.lang].get(record.data_category, record.data_category)
    accounts = join_list([names.get(kind, kind) for kind in record.account_kinds], ctx.lang)
    channel = CHANNEL_WORDS[ctx.lang].get(record.channel or "", record.channel or "?")
    reason = ctx.say(f"log.reason.{record.intent}") if record.intent in REASONS else ""
    line = f"{_when(ctx, record.at)} · {channel} · {what}"
    if accounts:
        line += f" ({accounts})"
    return f"{line}{reason}"


async def scope(ctx: TurnContext) -> Outcome:
    """What Kluis may read: which data of which accounts, until when, how often."""
    granted = await ctx.gate.consent(ctx.customer.id)
    disclosed = await ctx.gate.accounts(ctx.request, with_balances=False)
    names = ACCOUNT_NAMES[ctx.lang]
    accounts = [
        f"{names.get(a.kind, a.name)}{f' ({a.number})' if a.number else ''}"
        for a in disclosed.items
    ]
    bank = ctx.runtime.settings.bank_name
    text = ctx.say(
        "consent.scope",
        bank=bank,
        what=ctx.say("consent.what"),
        accounts=join_list(accounts, ctx.lang),
        until=day(granted.valid_until, ctx.lang, with_year=True),
        times=granted.frequency_per_day,
    )
    text += " " + ctx.say("consent.manage", bank=bank)
    return Outcome(
        (Reply(text, ctx.buttons("human", "balance")),), ctx.state.remember("consent", ctx.entities)
    )


async def access(ctx: TurnContext) -> Outcome:
    records = await access_log(ctx.runtime, ctx.customer.id, limit=LOG_ENTRIES * 4)
    if not records:
        text = ctx.say("log.empty")
    else:
        lines = [ctx.say("log.header"), *(_record(ctx, r) for r in records[:LOG_ENTRIES])]
        lines.append(ctx.say("log.more"))
        text = "\n".join(lines)
    return Outcome(
        (Reply(text, ctx.buttons("balance", "help")),), ctx.state.remember("consent", ctx.entities)
    )


async def revoke_or_narrow(ctx: TurnContext) -> Outcome:
    if ctx.entities.account:
        disclosed = await ctx.gate.accounts(ctx.request, with_balances=False)
        keep = matching_accounts(list(disclosed.items), ctx.entities.account)
        if keep:
            await lifecycle.narrow(ctx.runtime, ctx.customer.id, tuple(a.resource_id for a in keep))
            names = ACCOUNT_NAMES[ctx.lang]
            kept = join_list([names.get(a.kind, a.name) for a in keep], ctx.lang)
            text = ctx.say(
                "consent.narrowed",
                accounts=kept,
                days=ctx.runtime.settings.revoked_data_retention_days,
            )
            return Outcome(
                (Reply(text, ctx.buttons("balance")),), ctx.state.remember("consent", ctx.entities)
            )
    state = replace(ctx.state.remember("consent", ctx.entities), pending="revoke")
    buttons = (ctx.say("button.revoke_yes"), ctx.say("button.revoke_no"))
    return Outcome((Reply(ctx.say("consent.revoke_confirm"), buttons),), state)


async def confirm_revoke(ctx: TurnContext, yes: bool) -> Outcome:
    state = replace(ctx.state, pending=None)
    if not yes:
        return Outcome((Reply(ctx.say("consent.revoke_kept"), ctx.buttons("balance")),), state)
    ended = await lifecycle.revoke(ctx.runtime, ctx.customer.id)
    key = "consent.revoked" if ended is not None else "consent.nothing_to_revoke"
    text = ctx.say(key, days=ctx.runtime.settings.revoked_data_retention_days)
    return Outcome((Reply(text),), state)


async def connect(ctx: TurnContext) -> Outcome:
    """Linking, renewing or choosing accounts happens on the bank's and Kluis's web pages,
    never by typing anything secret into a chat."""
    url = f"{ctx.runtime.settings.public_url.rstrip('/')}/consents"
    return Outcome(
        (Reply(ctx.say("consent.connect", url=url)),), ctx.state.remember("consent", ctx.entities)
    )


async def genuine(ctx: TurnContext) -> Outcome:
    match = _CODE.search(ctx.text.upper())
    if match is None:
        return Outcome((Reply(ctx.say("genuine.ask_code")),), ctx.state)
    async with ctx.runtime.database.session() as session:
        message = await verify_check_code(session, ctx.customer.id, match.group(1))
    if message is None:
        text = ctx.say("genuine.no", phone=BANK_PHONE)
    else:
        channel = CHANNEL_WORDS[ctx.lang].get(message.channel, message.channel)
        text = ctx.say("genuine.yes", when=_when(ctx, message.sent_at), channel=channel)
    return Outcome((Reply(text),), ctx.state)


async def handle(ctx: TurnContext) -> Outcome:
    """The consent intent's sub-intents; what the assistant may see is the default."""
    sub = ctx.parse.intent.partition(".")[2]
    if sub == "log":
        return await access(ctx)
    if sub == "revoke":
        return await revoke_or_narrow(ctx)
    if sub == "connect":
        return await connect(ctx)
    return await scope(ctx)
