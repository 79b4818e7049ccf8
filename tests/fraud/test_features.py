"""Features: every index inside its own range, and the buckets a person would expect."""

from __future__ import annotations

from kluis.fraud.features import (
    AMOUNT,
    HOUR,
    RATIO,
    SEEN,
    SIZE,
    SPACE,
    STREAK,
    describe,
)
from kluis.fraud.profiles import DAY, CounterpartyProfile, CustomerProfile
from tests.fraud.streams import START, stream


def _ranges() -> list[tuple[int, int]]:
    return sorted(SPACE.names.values())


def test_one_index_per_feature_each_in_its_own_range() -> None:
    customers: dict[str, CustomerProfile] = {}
    counterparties: dict[str, CounterpartyProfile] = {}
    for transaction in stream(12):
        customer = customers.get(transaction.customer)
        counterparty = counterparties.get(transaction.counterparty)
        features = describe(
            transaction.timestamp,
            transaction.amount,
            customer,
            counterparty,
            transaction.counterparty,
        )
        assert len(features) == len(SPACE.names)
        for index, (start, bins) in zip(features, _ranges(), strict=True):
            assert start <= index < start + bins
        customers.setdefault(transaction.customer, CustomerProfile()).add(
            transaction.timestamp, transaction.amount, transaction.counterparty
        )
        counterparties.setdefault(transaction.counterparty, CounterpartyProfile()).add(
            transaction.timestamp
        )
        if transaction.label:
            counterparties[transaction.counterparty].label(
                transaction.timestamp, True, transaction.timestamp
            )
    assert max(start + bins for start, bins in _ranges()) == SIZE


def test_a_stranger_gets_the_no_history_buckets() -> None:
    features = describe(START + 3600 * 13, 250.0, None, None, "t1")
    assert features[2] == HOUR + 13
    assert features[5] == RATIO
    assert features[13] == SEEN
    assert features[1] > AMOUNT + 60


def test_amount_against_the_customer_and_counterparty_fraud_move_their_buckets() -> None:
    customer = CustomerProfile()
    for number in range(10):
        customer.add(START + number * DAY, 20.0 + number, "t1")
    moment = START + 11 * DAY
    usual = describe(moment, 25.0, customer, None, "t1")
    unusual = describe(moment, 250.0, customer, None, "t2")
    assert unusual[5] - RATIO >= usual[5] - RATIO + 12
    assert usual[13] > SEEN + 1
    assert unusual[13] == SEEN + 1
    counterparty = CounterpartyProfile()
    clean = describe(moment, 25.0, customer, counterparty, "t1")
    for day in range(3):
        counterparty.label(moment - DAY + day, True, moment - 8 * DAY + day)
    compromised = describe(moment, 25.0, customer, counterparty, "t1")
    position = list(SPACE.names).index("counterparty's confirmed frauds in a row")
    assert clean[position] == STREAK
    assert compromised[position] > STREAK
