"""Connecting a chat app from the web: a customer signed in here opens the bank's bot,
already linked.

    GET /connect/telegram   signed in: a one-time code, then 303 to
                            https://t.me/<bot>?start=<code>; Telegram opens the bot, which
                            receives `/start <code>` and links the chat to the customer
                            (`ChannelWorker._start`). Signed out: the demo sign-in, which
                            comes back here. 404 while the Telegram channel is off.

The code is worth one link, for 15 minutes (`kluis.channels.grants`); it only ever travels in
the redirect the customer's own browser follows, which is never cached.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kluis.channels.grants import issue_grant
from kluis.config import Settings
from kluis.web.link import sign_in_page
from kluis.web.pages import GatewayDependency, signed_in_customer, visitor_texts

router = APIRouter(include_in_schema=False)

TELEGRAM_PATH = "/connect/telegram"
# Telegram usernames: 5 to 32 letters, digits and underscores, starting with a letter.
_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")


def telegram_bot(settings: Settings) -> str | None:
    """The bot's username when customers can be sent to it: the Telegram channel is on and
    a valid username is configured; None otherwise."""
    if not settings.channel_enabled("telegram") or not settings.telegram_bot_username:
        return None
    username = settings.telegram_bot_username.strip().removeprefix("@")
    return username if _BOT_USERNAME.fullmatch(username) else None


@router.get(TELEGRAM_PATH)
async def connect_telegram(request: Request, parts: GatewayDependency) -> Response:
    bot = telegram_bot(parts.runtime.settings)
    if bot is None:
        raise HTTPException(status_code=404)
    customer = await signed_in_customer(request, parts)
    if customer is None:
        return sign_in_page(request, await visitor_texts(request), next_path=TELEGRAM_PATH)
    code = await issue_grant(parts.runtime, "telegram_start", "telegram", customer.id)
    return RedirectResponse(
        f"https://t.me/{bot}?start={code}",
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )
