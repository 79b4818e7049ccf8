"""The clock, the remembered state and the ledger over them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from kluis.errors import SandboxError
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.generator import SANDBOX_EPOCH
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import (
    BlockPeriod,
    ConsentGrant,
    ConsentRecord,
    ReadKey,
    SandboxState,
    StateStore,
)


def test_clock_starts_at_the_epoch_and_moves_forward(tmp_path: Path) -> None:
    clock = SandboxClock(tmp_path)
    assert clock.today() == SANDBOX_EPOCH
    assert clock.advance(3) == SANDBOX_EPOCH + timedelta(days=3)
    assert json.loads((tmp_path / "clock.json").read_text()) == {"today": "2026-03-21"}
    with pytest.raises(SandboxError):
        clock.advance(-1)


def test_clock_sees_another_process_move_it(tmp_path: Path) -> None:
    server_clock = SandboxClock(tmp_path)
    assert server_clock.today() == SANDBOX_EPOCH
    SandboxClock(tmp_path).advance(1)
    assert server_clock.today() == date(2026, 3, 19)
    SandboxClock(tmp_path).advance(1)  # possibly within the same mtime tick
    assert server_clock.today() == date(2026, 3, 20)


def test_unreadable_clock_is_a_sandbox_error(tmp_path: Path) -> None:
    (tmp_path / "clock.json").write_text("not json")
    with pytest.raises(SandboxError):
        SandboxClock(tmp_path).today()


def test_state_round_trip_and_forgetting(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    assert store.load() == SandboxState()
    state = SandboxState()
    day = date(2026, 3, 18)
    state.consents["c1"] = ConsentRecord(
        consent_id="c1", psu_id="c-sanne", scope="allPsd2", grant=ConsentGrant(details=("a",)),
        recurring=True, valid_until=day, frequency_per_day=4, created=day, last_action=day,
    )  # fmt: skip
    old = ReadKey(consent_id="c1", resource_id="a", kind="details", day=day)
    new = ReadKey(consent_id="c1", resource_id="a", kind="details", day=day + timedelta(days=1))
    state.count_read(old)
    state.count_read(new)
    state.block_card("card-1", day)
    state.forget_before(day + timedelta(days=1))
    store.save(state)
    loaded = store.load()
    assert loaded == state
    assert loaded.read_count(old) == 0
    assert loaded.read_count(new) == 1
    assert loaded.blocked_card_ids() == frozenset({"card-1"})
    loaded.unblock_card("card-1", day + timedelta(days=2))
    assert loaded.blocked_card_ids() == frozenset()


def test_block_periods_decline_payments_strictly_between() -> None:
    period = BlockPeriod(blocked_on=date(2026, 3, 18), unblocked_on=date(2026, 3, 21))
    assert not period.declines(date(2026, 3, 18))
    assert period.declines(date(2026, 3, 19))
    assert period.declines(date(2026, 3, 20))
    assert not period.declines(date(2026, 3, 21))
    assert BlockPeriod(blocked_on=date(2026, 3, 18)).declines(date(2027, 1, 1))


def test_ledger_grows_as_the_clock_passes_its_horizon(tmp_path: Path) -> None:
    clock = SandboxClock(tmp_path)
    bank = SandboxBank(20260318, clock, horizon_days=5)
    first = bank.data()
    assert first.until == SANDBOX_EPOCH + timedelta(days=5)
    checking = "acc-sanne-checking"
    before = {entry.record.transaction_id: entry.status for entry in bank.entries(checking)}
    clock.advance(10)
    assert bank.data().until == clock.today() + timedelta(days=5)
    after = {entry.record.transaction_id: entry.status for entry in bank.entries(checking)}
    assert set(before) < set(after)  # nothing vanished, new ones arrived
    assert all(after[identifier] == "booked" for identifier in before)


def test_balances_of_an_unknown_account(bank: SandboxBank) -> None:
    with pytest.raises(SandboxError):
        bank.balances("acc-nobody")
