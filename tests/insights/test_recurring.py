"""Recurring payments: payees, cadences, typical amounts and the next date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kluis.domain import BookingStatus, Transaction
from kluis.insights.recurring import (
    by_payee,
    detect,
    next_date,
    payee_key,
    series_of,
    similar_amounts,
)
from kluis.money import Money

_counter = iter(range(1, 1_000_000))


def charge(
    day: date,
    amount: str,
    name: str | None = "Netflix International B.V.",
    *,
    creditor: str | None = None,
    mandate: str | None = None,
) -> Transaction:
    return Transaction(
        resource_id="acc-1",
        transaction_id=f"tx-{next(_counter)}",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal(amount), "EUR"),
        booking_date=day,
        counterparty_name=name,
        creditor_id=creditor,
        mandate_id=mandate,
    )


def monthly(
    start: date,
    count: int,
    amount: str,
    name: str = "Netflix International B.V.",
    creditor: str | None = None,
) -> list[Transaction]:
    days = [start]
    for _ in range(count - 1):
        days.append(next_date(days[-1], "monthly"))
    return [charge(day, amount, name, creditor=creditor) for day in days]


def test_payee_key_prefers_the_creditor_id_and_drops_numbers_from_names() -> None:
    named = charge(date(2026, 1, 5), "-9.99", "ALBERT HEIJN 1234 UTRECHT")
    assert payee_key(named) == "name:albert heijn utrecht"
    collected = charge(date(2026, 1, 5), "-9.99", "Vitens N.V.", creditor="nl98 zzz 123")
    assert payee_key(collected) == "creditor:NL98ZZZ123"
    assert payee_key(charge(date(2026, 1, 5), "-1.00", None)) is None
    assert payee_key(charge(date(2026, 1, 5), "-1.00", "#123 456")) is None


@pytest.mark.parametrize(
    ("last", "cadence", "expected"),
    [
        (date(2026, 1, 31), "monthly", date(2026, 2, 28)),
        (date(2024, 1, 31), "monthly", date(2024, 2, 29)),
        (date(2026, 12, 15), "monthly", date(2027, 1, 15)),
        (date(2026, 11, 30), "quarterly", date(2027, 2, 28)),
        (date(2026, 3, 3), "weekly", date(2026, 3, 10)),
        (date(2024, 2, 29), "yearly", date(2025, 2, 28)),
    ],
)
def test_next_date_keeps_the_day_of_the_month_where_it_can(
    last: date, cadence: str, expected: date
) -> None:
    assert next_date(last, cadence) == expected  # type: ignore[arg-type]


def test_a_monthly_subscription_is_found_with_its_price_and_next_date() -> None:
    charges = monthly(date(2025, 10, 14), 5, "-13.49")
    series = series_of("name:netflix international b v", charges)
    assert series is not None
    assert series.cadence == "monthly"
    assert series.typical == Money(Decimal("13.49"), "EUR")
    assert series.next_date == date(2026, 3, 14)
    assert len(series.transactions) == 5
    assert series.expects(date(2026, 3, 16))
    assert not series.expects(date(2026, 3, 25))
    assert series.is_active(date(2026, 3, 1))
    assert not series.is_active(date(2026, 5, 1))
    assert series.due_within(date(2026, 3, 12), 3)
    assert not series.due_within(date(2026, 3, 1), 3)


def test_two_charges_are_not_a_series_but_three_are() -> None:
    charges = monthly(date(2026, 1, 2), 3, "-20.00", name="Sportschool Fit")
    assert series_of("gym", charges[:2]) is None
    assert series_of("gym", charges) is not None


def test_a_yearly_direct_debit_needs_two_charges_a_yearly_card_payment_three() -> None:
    debit = [
        charge(date(2025, 2, 1), "-89.00", "Verzekeraar", creditor="NL01ZZZ1", mandate="M-1"),
        charge(date(2026, 2, 2), "-89.00", "Verzekeraar", creditor="NL01ZZZ1", mandate="M-1"),
    ]
    series = series_of("creditor:NL01ZZZ1", debit)
    assert series is not None
    assert series.cadence == "yearly"
    assert series.direct_debit
    card = [charge(date(2025, 2, 1), "-89.00", "Shop"), charge(date(2026, 2, 2), "-89.00", "Shop")]
    assert series_of("name:shop", card) is None


def test_irregular_payments_to_one_payee_are_not_recurring() -> None:
    days = [date(2026, 1, 3), date(2026, 1, 19), date(2026, 2, 2), date(2026, 3, 20)]
    charges = [charge(day, "-40.00", "Bol.com") for day in days]
    assert series_of("name:bol com", charges) is None


def test_an_odd_extra_purchase_does_not_hide_the_subscription() -> None:
    charges = monthly(date(2025, 11, 1), 4, "-2.99", name="Apple")
    charges.append(charge(date(2026, 1, 17), "-49.99", "Apple"))
    series = series_of("name:apple", charges)
    assert series is not None
    assert series.typical == Money(Decimal("2.99"), "EUR")
    assert len(series.transactions) == 4


def test_a_new_price_after_a_steady_one_is_the_amount_expected_next() -> None:
    charges = monthly(date(2025, 11, 14), 4, "-312.80", name="Zorgverzekeraar")
    charges.append(charge(date(2026, 3, 14), "-329.40", "Zorgverzekeraar"))
    series = series_of("name:zorgverzekeraar", charges)
    assert series is not None
    assert series.typical == Money(Decimal("329.40"), "EUR")
    # A bill that varies from month to month keeps its median.
    varying = [
        charge(date(2025, 12, 1) + timedelta(days=30 * index), amount, "Telco")
        for index, amount in enumerate(["-30.00", "-33.00", "-31.00", "-34.00"])
    ]
    varied = series_of("name:telco", varying)
    assert varied is not None
    assert varied.typical == Money(Decimal("33.00"), "EUR")


def test_amounts_that_vary_too_much_are_not_one_series() -> None:
    amounts = ["-20.00", "-45.00", "-80.00", "-31.00"]
    days = [date(2026, 1, 1) + timedelta(days=30 * index) for index in range(4)]
    charges = [charge(day, amount, "Energie") for day, amount in zip(days, amounts, strict=True)]
    assert series_of("name:energie", charges) is None


def test_similar_amounts_allow_fifteen_percent_or_a_euro() -> None:
    euro = "EUR"
    assert similar_amounts(Money(Decimal("100"), euro), Money(Decimal("-114"), euro))
    assert not similar_amounts(Money(Decimal("100"), euro), Money(Decimal("120"), euro))
    assert similar_amounts(Money(Decimal("2.00"), euro), Money(Decimal("2.99"), euro))
    assert not similar_amounts(Money(Decimal("2.00"), euro), Money(Decimal("2.00"), "USD"))


def test_detect_splits_directions_and_sorts_by_next_date() -> None:
    rent = monthly(date(2025, 12, 1), 4, "-950.00", name="Woonstichting", creditor="NL02ZZZ2")
    gym = monthly(date(2025, 12, 20), 4, "-29.00", name="Sportschool")
    salary = monthly(date(2025, 12, 24), 4, "2450.00", name="Werkgever B.V.")
    found = detect([*gym, *rent, *salary])
    assert [series.payee for series in found] == ["creditor:NL02ZZZ2", "name:sportschool"]
    assert found[0].direct_debit
    assert not found[1].direct_debit
    incoming = detect([*gym, *rent, *salary], direction="in")
    assert [series.payee for series in incoming] == ["name:werkgever b v"]


def test_by_payee_leaves_out_undated_and_nameless_transactions() -> None:
    undated = Transaction("acc-1", "x", BookingStatus.PENDING, Money(Decimal("-5"), "EUR"))
    nameless = charge(date(2026, 1, 1), "-5.00", None)
    named = charge(date(2026, 1, 1), "-5.00", "Kiosk")
    assert by_payee([undated, nameless, named]) == {"name:kiosk": [named]}


def test_weekly_payments_are_weekly() -> None:
    charges = [
        charge(date(2026, 1, 5) + timedelta(days=7 * i), "-25.00", "Schoonmaak") for i in range(4)
    ]
    series = series_of("name:schoonmaak", charges)
    assert series is not None
    assert series.cadence == "weekly"
    assert series.next_date == date(2026, 2, 2)


def test_a_rhythm_among_as_many_other_visits_to_the_shop_is_chance() -> None:
    shop = "Lidl 7989 Groningen"
    # Three similar amounts a month apart, and between them the everyday visits.
    rhythm = monthly(date(2025, 10, 5), 3, "-45.48", shop)
    visits = [
        charge(date(2025, 10, 12), "-12.10", shop),
        charge(date(2025, 10, 27), "-81.30", shop),
        charge(date(2025, 11, 14), "-8.45", shop),
    ]
    assert series_of("name:lidl groningen", sorted(rhythm + visits, key=_booked)) is None
    # Two stray payments among three monthly ones leave a series.
    fewer = sorted(rhythm + visits[:2], key=_booked)
    assert series_of("name:lidl groningen", fewer) is not None


def test_a_schedule_is_a_series_whatever_else_goes_to_the_payee() -> None:
    own = "J. Bakker"
    savings = [
        Transaction(
            resource_id="acc-1",
            transaction_id=f"tx-{next(_counter)}",
            status=BookingStatus.BOOKED,
            amount=Money(Decimal("-300.00"), "EUR"),
            booking_date=day,
            counterparty_name=own,
            bank_transaction_code="PMNT-ICDT-STDO",
        )
        for day in (date(2025, 10, 26), date(2025, 11, 26), date(2025, 12, 26))
    ]
    # Payments by hand of about the same size (credit-card repayments, own name too).
    others = [charge(date(2025, 11, day), "-290.00", own) for day in (3, 10, 17, 24)]
    found = series_of("name:j bakker", sorted(savings + others, key=_booked))
    assert found is not None
    assert found.transactions == tuple(savings)
    netflix = monthly(date(2025, 9, 1), 4, "-13.49", creditor="NL12ZZZ345")
    extra = [charge(date(2025, 10, day), "-4.99", creditor="NL12ZZZ345") for day in (3, 9, 20, 25)]
    assert series_of("creditor:NL12ZZZ345", sorted(netflix + extra, key=_booked)) is not None


def _booked(item: Transaction) -> date:
    return item.booking_date or date.min
