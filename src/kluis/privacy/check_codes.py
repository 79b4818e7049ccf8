"""Check codes: how a customer tells a real message from Kluis from an impostor's.

Every message Kluis starts on its own (a reminder, an alert) carries a short code such as
`7Q3F-M2`. The customer can ask "is dit bericht echt?" or look it up on the web page; a code
Kluis never sent is the sign of a fake. The alphabet leaves out characters people mix up
(0/O, 1/I/L), and reading the code back ignores case, spaces and dashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.errors import StorageError
from kluis.security import constant_time_equals
from kluis.store.models import ProactiveMessageRow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
_SPLIT = 4
_ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class ProactiveMessage:
    """A message Kluis sent on its own, as a verified check code reveals it."""

    kind: str
    channel: str
    sent_at: datetime


def normalise(code: str) -> str:
    """`7q3f m2`, `7Q3F-M2` and ` 7q3fm2 ` all read as `7Q3FM2`: letters and digits only."""
    return "".join(char for char in code if char.isascii() and char.isalnum()).upper()


def _formatted(compact: str) -> str:
    return f"{compact[:_SPLIT]}-{compact[_SPLIT:]}"


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


async def issue_check_code(session: AsyncSession, customer_id: str, channel: str, kind: str) -> str:
    """Record a proactive message to the customer and return its check code, unique among
    the customer's codes."""
    used = set(
        await session.scalars(
            select(ProactiveMessageRow.check_code).where(
                ProactiveMessageRow.customer_id == customer_id
            )
        )
    )
    for _ in range(_ATTEMPTS):
        code = _formatted(_new_code())
        if code not in used:
            break
    else:  # 31**6 codes: only a customer with hundreds of millions of messages gets here
        raise StorageError("no unused check code could be found")
    session.add(
        ProactiveMessageRow(
            customer_id=customer_id,
            channel=channel,
            kind=kind,
            check_code=code,
            sent_at=datetime.now(UTC),
        )
    )
    await session.flush()
    return code


async def verify_check_code(
    session: AsyncSession, customer_id: str, code: str
) -> ProactiveMessage | None:
    """The message Kluis sent this customer with `code`, or None: then it was not Kluis."""
    compact = normalise(code)
    if len(compact) != LENGTH or any(char not in ALPHABET for char in compact):
        return None
    rows = await session.scalars(
        select(ProactiveMessageRow)
        .where(ProactiveMessageRow.customer_id == customer_id)
        .order_by(ProactiveMessageRow.sent_at.desc(), ProactiveMessageRow.id.desc())
    )
    found: ProactiveMessage | None = None
    for row in rows:
        # Compare every code, in constant time, so the answer's timing reveals nothing.
        if constant_time_equals(normalise(row.check_code), compact) and found is None:
            found = ProactiveMessage(kind=row.kind, channel=row.channel, sent_at=row.sent_at)
    return found
