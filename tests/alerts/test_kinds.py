"""The catalogue of alert kinds: defaults, the customer's choices over them, and the words
that name each kind."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kluis.alerts.kinds import (
    DEFAULT_DAILY_LIMIT,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    KINDS,
    effective_rules,
    kinds_named,
)
from kluis.money import Money
from kluis.store.alerts import AlertRule

NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)


def euro(value: str) -> Money:
    return Money(Decimal(value), "EUR")


def test_the_bank_defaults() -> None:
    rules = effective_rules({})
    on = sorted(name for name, rule in rules.items() if rule.enabled)
    assert on == [
        "duplicate_charge",
        "fraud",
        "new_recurring",
        "price_increase",
        "upcoming_overdraft",
    ]
    assert rules["large_transaction"].threshold == euro("500")
    assert rules["low_balance"].threshold is None
    assert not any(rule.chosen for rule in rules.values())
    assert (DEFAULT_QUIET_START, DEFAULT_QUIET_END, DEFAULT_DAILY_LIMIT) == ("22:00", "07:30", 5)


def test_only_fraud_is_urgent_and_cannot_be_stopped() -> None:
    assert [name for name, kind in KINDS.items() if kind.urgent] == ["fraud"]
    assert [name for name, kind in KINDS.items() if not kind.can_stop] == ["fraud"]
    assert KINDS["fraud"].topic == "fraud"
    assert KINDS["low_balance"].topic == "balance"
    assert KINDS["income"].topic == "income"
    assert KINDS["large_transaction"].topic == "payment"


def test_the_customers_choices_win_except_for_fraud() -> None:
    stored = {
        "fraud": AlertRule("fraud", False, None, NOW),
        "duplicate_charge": AlertRule("duplicate_charge", False, None, NOW),
        "large_transaction": AlertRule("large_transaction", True, euro("250"), NOW),
        "retired_kind": AlertRule("retired_kind", True, None, NOW),
    }
    rules = effective_rules(stored)
    assert rules["fraud"].enabled
    assert not rules["duplicate_charge"].enabled
    assert rules["duplicate_charge"].chosen
    assert rules["large_transaction"].threshold == euro("250")
    assert "retired_kind" not in rules


def test_a_balance_alert_without_an_amount_stays_off() -> None:
    without = effective_rules({"low_balance": AlertRule("low_balance", True, None, NOW)})
    assert not without["low_balance"].enabled
    switched_off = effective_rules(
        {"large_transaction": AlertRule("large_transaction", False, None, NOW)}
    )
    assert switched_off["large_transaction"].threshold == euro("500")  # kept for later
    assert not switched_off["large_transaction"].enabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stop met salarismeldingen", ("income",)),
        ("geen meldingen meer over grote betalingen", ("large_transaction",)),
        ("waarschuw me als mijn saldo onder de 100 euro komt", ("low_balance",)),
        ("Stop meldingen over een dreigend tekort", ("upcoming_overdraft",)),
        ("no more price increase alerts", ("price_increase",)),
        ("stop telling me about new subscriptions", ("new_recurring",)),
        ("zet saldo- en salarismeldingen uit", ("low_balance", "income")),
        ("I was charged twice, tell me next time", ("duplicate_charge",)),
        ("stop fraud alerts", ("fraud",)),
        ("stop alle meldingen", ()),
        ("wat zijn mijn uitgaven", ()),
    ],
)
def test_kinds_are_named_as_customers_say_them(text: str, expected: tuple[str, ...]) -> None:
    assert kinds_named(text) == expected


def test_every_kind_has_names_in_both_languages_and_a_stop_button_when_it_can_stop() -> None:
    for kind in KINDS.values():
        assert set(kind.names) == {"nl", "en"}
        assert set(kind.stop_button) == ({"nl", "en"} if kind.can_stop else set())
