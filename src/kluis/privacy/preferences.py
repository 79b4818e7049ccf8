"""How a customer wants Kluis to disclose, and the voice PIN that opens voice answers.

The customer sets these on the web page: hide counterparty names on messengers, a discreet
voice (rounded amounts, no names), the channel for messages Kluis starts, and a voice PIN of
four to six digits. Only a salted scrypt hash of the PIN is kept. Five wrong voice PINs in a
row lock voice disclosures until the customer sets the PIN again on the web page.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypedDict, Unpack

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.errors import VoicePinLocked
from kluis.security import constant_time_equals
from kluis.store.customers import preferences_row
from kluis.store.models import CustomerPreferencesRow

MAX_VOICE_PIN_FAILURES = 5
PIN_LENGTHS = range(4, 7)
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SALT_BYTES = 16
_HASH_BYTES = 32
_SEQUENCE = "0123456789"


@dataclass(frozen=True, slots=True)
class Preferences:
    """A customer's disclosure preferences. The PIN itself is never part of them."""

    hide_counterparties: bool = False
    discreet_voice: bool = False
    voice_pin_set: bool = False
    preferred_channel: str | None = None
    voice_pin_locked: bool = False


class PreferenceChanges(TypedDict, total=False):
    """What `update_preferences` may change."""

    hide_counterparties: bool
    discreet_voice: bool
    preferred_channel: str | None


def _preferences(row: CustomerPreferencesRow | None) -> Preferences:
    if row is None:
        return Preferences()
    return Preferences(
        hide_counterparties=bool(row.hide_counterparties),
        discreet_voice=bool(row.discreet_voice),
        voice_pin_set=row.voice_pin_hash is not None,
        preferred_channel=row.preferred_channel,
        voice_pin_locked=(row.voice_pin_failures or 0) >= MAX_VOICE_PIN_FAILURES,
    )


async def get_preferences(session: AsyncSession, customer_id: str) -> Preferences:
    """The customer's preferences; the defaults when they never set any."""
    return _preferences(await session.get(CustomerPreferencesRow, customer_id))


async def update_preferences(
    session: AsyncSession, customer_id: str, **changes: Unpack[PreferenceChanges]
) -> Preferences:
    """Change some preferences; the others stay as they were."""
    unknown = set(changes) - set(PreferenceChanges.__annotations__)
    if unknown:
        raise ValueError(f"unknown preference: {', '.join(sorted(unknown))}")
    channel = changes.get("preferred_channel")
    if channel is not None and (not channel or len(channel) > 32):
        raise ValueError("a preferred channel is a channel name of at most 32 characters")
    row = await preferences_row(session, customer_id, datetime.now(UTC))
    if "hide_counterparties" in changes:
        row.hide_counterparties = bool(changes["hide_counterparties"])
    if "discreet_voice" in changes:
        row.discreet_voice = bool(changes["discreet_voice"])
    if "preferred_channel" in changes:
        row.preferred_channel = channel
    row.updated_at = datetime.now(UTC)
    await session.flush()
    return _preferences(row)


def _is_trivial(pin: str) -> bool:
    """One digit repeated, a run up or down (1234, 8765, 7890), or a short pattern repeated
    (1212, 123123): the first codes anyone standing next to the speaker would try."""
    if len(set(pin)) == 1:
        return True
    if pin in _SEQUENCE * 2 or pin in _SEQUENCE[::-1] * 2:
        return True
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size) for size in (2, 3))


def validate_voice_pin(pin: str) -> None:
    """Raise ValueError, with a message for the customer, when `pin` cannot be a voice PIN."""
    if not (pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
        raise ValueError("a voice PIN is 4 to 6 digits, and nothing else")
    if _is_trivial(pin):
        raise ValueError(
            "that voice PIN is too easy to guess (the same digit, digits in a row, or a "
            "repeated pattern); choose another"
        )


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_HASH_BYTES
    )


async def set_voice_pin(session: AsyncSession, customer_id: str, pin: str) -> None:
    """Set (or reset) the voice PIN; this also lifts a lock after too many wrong tries."""
    validate_voice_pin(pin)
    salt = secrets.token_bytes(_SALT_BYTES)
    hashed = await asyncio.to_thread(_hash, pin, salt)
    row = await preferences_row(session, customer_id, datetime.now(UTC))
    row.voice_pin_hash = hashed
    row.voice_pin_salt = salt
    row.voice_pin_failures = 0
    row.updated_at = datetime.now(UTC)
    await session.flush()


async def check_voice_pin(session: AsyncSession, customer_id: str, pin: str) -> bool:
    """Whether `pin` is the customer's voice PIN.

    False when it is wrong or no PIN is set. Every wrong try counts; a right one starts the
    count again. Raises VoicePinLocked when voice is locked (before comparing anything)."""
    row = await session.get(CustomerPreferencesRow, customer_id)
    if row is None or row.voice_pin_hash is None or row.voice_pin_salt is None:
        return False
    if (row.voice_pin_failures or 0) >= MAX_VOICE_PIN_FAILURES:
        raise VoicePinLocked("voice disclosures are locked after too many wrong voice PINs")
    candidate = await asyncio.to_thread(_hash, pin, row.voice_pin_salt)
    # Charge the try before comparing, atomically, so that tries made at the same time
    # cannot slip past the limit.
    table = CustomerPreferencesRow
    charged = await session.scalar(
        update(table)
        .where(
            table.customer_id == customer_id,
            table.voice_pin_failures < MAX_VOICE_PIN_FAILURES,
        )
        .values(voice_pin_failures=table.voice_pin_failures + 1)
        .returning(table.voice_pin_failures)
        .execution_options(synchronize_session=False)
    )
    if charged is None:
        raise VoicePinLocked("voice disclosures are locked after too many wrong voice PINs")
    if not constant_time_equals(candidate, row.voice_pin_hash):
        await session.refresh(row)
        return False
    await session.execute(
        update(table)
        .where(table.customer_id == customer_id)
        .values(voice_pin_failures=0)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(row)
    return True
