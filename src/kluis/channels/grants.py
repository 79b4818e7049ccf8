"""One-time codes that tie a platform identity to a customer, stored as hashes.

    code = await issue_grant(runtime, "telegram_start", "telegram", customer_id)
    who = await redeem_grant(runtime, "telegram_start", code)  # (customer, user) once

Kinds: `messenger_link` (the authorisation code Messenger hands back on its account-linking
webhook), `telegram_start` (the code in a `t.me/<bot>?start=` deep link), `alexa_code`,
`alexa_access` and `alexa_refresh` (Alexa account linking's OAuth code and tokens).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from kluis.runtime import Runtime
from kluis.security import new_token
from kluis.store.grants import GrantRepository

LIFETIMES = {
    "messenger_link": timedelta(minutes=15),
    "telegram_start": timedelta(minutes=15),
    "alexa_code": timedelta(minutes=5),
    "alexa_access": timedelta(hours=1),
    "alexa_refresh": timedelta(days=180),
}
_MAX_CHARS = 128


def grant_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible(token: str) -> bool:
    """What `new_token` could have made: URL-safe characters, not too long."""
    return 0 < len(token) <= _MAX_CHARS and all(
        char.isascii() and (char.isalnum() or char in "-_") for char in token
    )


async def issue_grant(
    runtime: Runtime,
    kind: str,
    channel: str,
    customer_id: str,
    *,
    platform_user_id: str | None = None,
    nbytes: int = 24,
) -> str:
    token = new_token(nbytes)
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        await GrantRepository(session).add(
            grant_hash(token),
            kind=kind,
            channel=channel,
            customer_id=customer_id,
            platform_user_id=platform_user_id,
            now=now,
            expires_at=now + LIFETIMES[kind],
        )
    return token


async def redeem_grant(runtime: Runtime, kind: str, token: str) -> tuple[str, str | None] | None:
    """(customer id, platform user id) for an unused, unexpired code, used up now."""
    if not plausible(token):
        return None
    async with runtime.database.session() as session:
        return await GrantRepository(session).redeem(grant_hash(token), kind, datetime.now(UTC))


async def customer_for_token(runtime: Runtime, kind: str, token: str) -> str | None:
    """The customer a still-valid, reusable token (an access token) belongs to."""
    if not plausible(token):
        return None
    async with runtime.database.session() as session:
        row = await GrantRepository(session).valid(grant_hash(token), kind, datetime.now(UTC))
        return row.customer_id if row is not None else None
