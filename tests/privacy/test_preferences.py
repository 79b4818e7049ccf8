"""Disclosure preferences and the voice PIN: its rules, its hash, and the lock after five."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kluis.errors import VoicePinLocked
from kluis.privacy.preferences import (
    MAX_VOICE_PIN_FAILURES,
    Preferences,
    check_voice_pin,
    get_preferences,
    set_voice_pin,
    update_preferences,
)
from kluis.store.customers import CustomerRepository
from kluis.store.database import Database
from kluis.store.models import CustomerPreferencesRow

CUSTOMER = "c-1"
PIN = "4827"


@pytest.fixture
async def customer(database: Database) -> str:
    async with database.session() as session:
        await CustomerRepository(session).ensure(CUSTOMER, "Sanne de Vries", "nl")
        await CustomerRepository(session).ensure("c-2", "Emily Carter", "en")
    return CUSTOMER


async def test_a_customer_who_set_nothing_gets_the_defaults(
    database: Database, customer: str
) -> None:
    async with database.session() as session:
        assert await get_preferences(session, customer) == Preferences()


async def test_preferences_change_one_at_a_time(database: Database, customer: str) -> None:
    async with database.session() as session:
        changed = await update_preferences(session, customer, hide_counterparties=True)
        assert changed.hide_counterparties
        assert not changed.discreet_voice
    async with database.session() as session:
        changed = await update_preferences(
            session, customer, discreet_voice=True, preferred_channel="telegram"
        )
    async with database.session() as session:
        stored = await get_preferences(session, customer)
    assert stored == Preferences(
        hide_counterparties=True, discreet_voice=True, preferred_channel="telegram"
    )
    async with database.session() as session:
        cleared = await update_preferences(session, customer, preferred_channel=None)
    assert cleared.preferred_channel is None
    assert cleared.hide_counterparties


async def test_an_unknown_preference_is_refused(database: Database, customer: str) -> None:
    async with database.session() as session:
        with pytest.raises(ValueError, match="unknown preference"):
            await update_preferences(session, customer, voice_pin_hash=b"x")  # type: ignore[call-arg]


@pytest.mark.parametrize("pin", ["4827", "58203", "730914"])
async def test_four_to_six_digits_make_a_voice_pin(
    database: Database, customer: str, pin: str
) -> None:
    async with database.session() as session:
        await set_voice_pin(session, customer, pin)
    async with database.session() as session:
        assert (await get_preferences(session, customer)).voice_pin_set
        assert await check_voice_pin(session, customer, pin)


@pytest.mark.parametrize("pin", ["", "482", "4827301", "48a7", "48 27", "١٢٣٤٥", "-4827"])
async def test_anything_but_four_to_six_digits_is_refused(
    database: Database, customer: str, pin: str
) -> None:
    async with database.session() as session:
        with pytest.raises(ValueError, match="4 to 6 digits"):
            await set_voice_pin(session, customer, pin)
        assert not (await get_preferences(session, customer)).voice_pin_set


@pytest.mark.parametrize(
    "pin", ["0000", "1111", "99999", "1234", "4321", "123456", "654321", "7890", "1212", "123123"]
)
async def test_codes_anyone_would_try_first_are_refused(
    database: Database, customer: str, pin: str
) -> None:
    async with database.session() as session:
        with pytest.raises(ValueError, match="too easy to guess"):
            await set_voice_pin(session, customer, pin)


async def test_only_a_salted_hash_is_stored_never_the_digits(
    database: Database, customer: str
) -> None:
    async with database.session() as session:
        await set_voice_pin(session, customer, PIN)
        await set_voice_pin(session, "c-2", PIN)
    async with database.session() as session:
        rows = {
            row.customer_id: row for row in await session.scalars(select(CustomerPreferencesRow))
        }
    first, second = rows[customer], rows["c-2"]
    assert first.voice_pin_hash is not None
    assert first.voice_pin_salt is not None
    assert len(first.voice_pin_hash) == 32
    assert len(first.voice_pin_salt) == 16
    assert first.voice_pin_hash != second.voice_pin_hash, "the same PIN hashes apart (salt)"
    for row in (first, second):
        for column in CustomerPreferencesRow.__table__.columns:
            value = getattr(row, column.key)
            raw = value if isinstance(value, bytes) else str(value).encode()
            assert PIN.encode() not in raw, column.key


async def test_a_wrong_pin_is_refused_and_no_pin_set_opens_nothing(
    database: Database, customer: str
) -> None:
    async with database.session() as session:
        assert not await check_voice_pin(session, customer, PIN)
        await set_voice_pin(session, customer, PIN)
        assert not await check_voice_pin(session, customer, "4828")
        assert await check_voice_pin(session, customer, PIN)


async def test_five_wrong_pins_in_a_row_lock_voice_until_the_pin_is_set_again(
    database: Database, customer: str
) -> None:
    async with database.session() as session:
        await set_voice_pin(session, customer, PIN)
    for _ in range(MAX_VOICE_PIN_FAILURES):
        async with database.session() as session:
            assert not await check_voice_pin(session, customer, "9182")
    async with database.session() as session:
        assert (await get_preferences(session, customer)).voice_pin_locked
        with pytest.raises(VoicePinLocked):
            await check_voice_pin(session, customer, PIN)
    async with database.session() as session:
        await set_voice_pin(session, customer, "58203")
    async with database.session() as session:
        assert not (await get_preferences(session, customer)).voice_pin_locked
        assert not await check_voice_pin(session, customer, PIN), "the old PIN is gone"
        assert await check_voice_pin(session, customer, "58203")


async def test_a_right_pin_starts_the_count_again(database: Database, customer: str) -> None:
    async with database.session() as session:
        await set_voice_pin(session, customer, PIN)
        for _ in range(MAX_VOICE_PIN_FAILURES - 1):
            assert not await check_voice_pin(session, customer, "9182")
        assert await check_voice_pin(session, customer, PIN)
        for _ in range(MAX_VOICE_PIN_FAILURES - 1):
            assert not await check_voice_pin(session, customer, "9182")
        assert not (await get_preferences(session, customer)).voice_pin_locked
        assert await check_voice_pin(session, customer, PIN)


async def test_the_lock_is_per_customer(database: Database, customer: str) -> None:
    async with database.session() as session:
        await set_voice_pin(session, customer, PIN)
        await set_voice_pin(session, "c-2", PIN)
        for _ in range(MAX_VOICE_PIN_FAILURES):
            await check_voice_pin(session, customer, "9182")
        assert await check_voice_pin(session, "c-2", PIN)
        assert (await get_preferences(session, customer)).voice_pin_locked
        assert not (await get_preferences(session, "c-2")).voice_pin_locked
