"""One-time link tokens that take a chat user (Telegram, Messenger, ...) to the web page where
they sign in and approve a consent at their bank; the chat identity is then theirs.

    url = await issue_link_token(runtime, "telegram", "123456")   # sent in the chat
    identity = await redeem_link_token(runtime, token)            # ("telegram", "123456") once

The token travels only in the link; the database keeps its SHA-256, so a copy of the database
cannot be turned into working links. A token works once, for 15 minutes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from kluis.runtime import Runtime
from kluis.security import new_token
from kluis.store.link_tokens import LinkTokenRepository

LINK_TOKEN_LIFETIME = timedelta(minutes=15)
_MAX_TOKEN_CHARS = 128


def token_hash(token: str) -> str:
    """How a token is stored and looked up: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _plausible(token: str) -> bool:
    """Cheap refusal of what `new_token` never makes, before touching the database."""
    return 0 < len(token) <= _MAX_TOKEN_CHARS and all(
        char.isascii() and (char.isalnum() or char in "-_") for char in token
    )


def link_url(runtime: Runtime, token: str) -> str:
    return f"{runtime.settings.public_url.rstrip('/')}/link/{token}"


async def issue_link_token(runtime: Runtime, channel: str, platform_user_id: str) -> str:
    """A new one-time link for this chat user; returns the URL `{public_url}/link/{token}`."""
    token = new_token()
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        await LinkTokenRepository(session).add(
            token_hash(token),
            channel,
            platform_user_id,
            created_at=now,
            expires_at=now + LINK_TOKEN_LIFETIME,
        )
    return link_url(runtime, token)


async def peek_link_token(runtime: Runtime, token: str) -> tuple[str, str] | None:
    """The (channel, platform user) a token still works for, without using it up."""
    if not _plausible(token):
        return None
    async with runtime.database.session() as session:
        return await LinkTokenRepository(session).usable(token_hash(token), datetime.now(UTC))


async def redeem_link_token(runtime: Runtime, token: str) -> tuple[str, str] | None:
    """The (channel, platform user) the token was issued for, once; None when the token is
    unknown, used before or expired."""
    if not _plausible(token):
        return None
    async with runtime.database.session() as session:
        return await LinkTokenRepository(session).redeem(token_hash(token), datetime.now(UTC))
