"""Profiles: decayed counts that forget at the right pace, a robust amount history, labels."""

from __future__ import annotations

import math

import pytest

from kluis.fraud.profiles import (
    COUNTERPARTY_LIST_LIMIT,
    DAY,
    HOUR,
    RECENT_AMOUNTS,
    UNUSUAL_RATIO,
    WEEK,
    CounterpartyProfile,
    CustomerProfile,
)


def test_counts_decay_with_their_own_windows() -> None:
    customer = CustomerProfile()
    customer.add(0.0, 10.0, "t1")
    customer.add(0.0, 30.0, "t2")
    hour, day, week, month, spent, unusual = customer.activity(DAY)
    assert hour == pytest.approx(2 * math.exp(-24))
    assert day == pytest.approx(2 * math.exp(-1))
    assert week == pytest.approx(2 * math.exp(-1 / 7))
    assert month > week > day > hour
    assert spent == pytest.approx(40 * math.exp(-1))
    assert unusual == 0.0  # too little history to call anything unusual


def test_payments_far_above_the_median_count_as_unusual_for_a_week() -> None:
    customer = CustomerProfile()
    for number in range(5):
        customer.add(number * HOUR, 20.0, "t1")
    customer.add(5 * HOUR, 30.0, "t1")  # above the median, not by the unusual ratio
    assert customer.activity(5 * HOUR)[5] == 0.0
    customer.add(6 * HOUR, UNUSUAL_RATIO * 20.0, "t2")
    customer.add(6 * HOUR + 60.0, 5 * 20.0, "t3")
    assert customer.activity(6 * HOUR + 60.0)[5] == pytest.approx(2.0, rel=1e-3)
    assert customer.activity(6 * HOUR + WEEK)[5] == pytest.approx(2 * math.exp(-1), rel=1e-3)
    assert CustomerProfile.from_state(customer.to_state()).activity(7 * HOUR)[5] == (
        pytest.approx(customer.activity(7 * HOUR)[5])
    )


def test_a_customer_keeps_the_last_amounts_sorted() -> None:
    customer = CustomerProfile()
    for number in range(RECENT_AMOUNTS + 5):
        customer.add(number * HOUR, float(100 - number), "t1")
    assert list(customer.recent) == [float(100 - n) for n in range(5, RECENT_AMOUNTS + 5)]
    assert customer.ordered == sorted(customer.recent)


def test_a_very_active_customer_forgets_old_counterparties() -> None:
    customer = CustomerProfile()
    for number in range(COUNTERPARTY_LIST_LIMIT * 2):
        customer.add(number * 60.0, 5.0, f"t{number}")
    assert len(customer.counterparties) <= COUNTERPARTY_LIST_LIMIT + 1
    assert f"t{COUNTERPARTY_LIST_LIMIT * 2 - 1}" in customer.counterparties


def test_counterparty_labels_count_fraud_runs_and_shares() -> None:
    counterparty = CounterpartyProfile()
    counterparty.label(WEEK, False, 0.0)
    counterparty.label(WEEK + DAY, True, DAY)
    counterparty.label(WEEK + 2 * DAY, True, 2 * DAY)
    assert counterparty.streak == 2
    assert counterparty.streak_start == DAY
    day, week, month, labelled_week, labelled_month = counterparty.known_fraud(WEEK + 2 * DAY)
    assert day == pytest.approx(1 + math.exp(-1))
    assert labelled_month > month > 1.9
    assert labelled_week > week
    counterparty.label(WEEK + 3 * DAY, False, 3 * DAY)
    assert counterparty.streak == 0
    assert counterparty.genuine_time == 3 * DAY > counterparty.fraud_time


def test_customer_fraud_fades_over_weeks() -> None:
    customer = CustomerProfile()
    customer.label(DAY, True, 0.0)
    assert customer.known_fraud(DAY) == pytest.approx(1.0)
    assert customer.known_fraud(DAY + WEEK) == pytest.approx(math.exp(-1))
    customer.label(DAY, False, 0.0)
    assert customer.known_fraud(DAY) == pytest.approx(1.0)


def test_profiles_round_trip() -> None:
    customer = CustomerProfile()
    customer.add(10.0, 3.0, "t1")
    customer.label(20.0, True, 10.0)
    again = CustomerProfile.from_state(customer.to_state())
    assert again.to_state() == customer.to_state()
    assert again.ordered == [3.0]
    counterparty = CounterpartyProfile()
    counterparty.add(10.0)
    counterparty.label(20.0, True, 10.0)
    assert CounterpartyProfile.from_state(counterparty.to_state()).to_state() == (
        counterparty.to_state()
    )
