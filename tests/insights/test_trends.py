"""The usual month, what stands out, monthly totals and top merchants, on hand-made payments."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from kluis.domain import BookingStatus, Transaction
from kluis.insights.flows import Categorised
from kluis.insights.trends import (
    Month,
    Usual,
    by_merchant,
    covered_from,
    is_unusual,
    median_amount,
    merchant_key,
    merchant_name,
    monthly_spending,
    months_before,
    months_between,
    top_merchants,
    unusual,
    usual_month,
)
from kluis.money import Money

_ids = itertools.count()


def paid(
    day: date, amount: str, category: str, name: str | None = "Shop", *, own: bool = False
) -> Categorised:
    transaction = Transaction(
        resource_id="acc-1",
        transaction_id=f"tx-{next(_ids)}",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal(amount), "EUR"),
        booking_date=day,
        counterparty_name=name,
    )
    return Categorised(transaction, category, own)


def history(groceries: list[str], *, year: int = 2025, first_month: int = 9) -> list[Categorised]:
    """One grocery payment a month (Sep, Oct, ...) and rent of € 900 each month."""
    items: list[Categorised] = []
    for offset, amount in enumerate(groceries):
        month = first_month + offset
        day = date(year + (month - 1) // 12, (month - 1) % 12 + 1, 10)
        items.append(paid(day, f"-{amount}", "groceries", "Albert Heijn 1234 Utrecht"))
        items.append(paid(day.replace(day=1), "-900", "housing", "Verhuur B.V."))
    return items


def test_months_before_and_between_are_whole_calendar_months() -> None:
    before = months_before(date(2026, 3, 18), 3)
    assert [m.start for m in before] == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert before[-1].end == date(2026, 2, 28)
    between = months_between(date(2025, 11, 16), date(2026, 1, 3))
    assert [m.start.month for m in between] == [11, 12, 1]
    assert Month.of(date(2024, 2, 10)).end == date(2024, 2, 29)
    assert Month.of(date(2026, 3, 31)).until(date(2026, 3, 18)) == (
        date(2026, 3, 1),
        date(2026, 3, 18),
    )


def test_the_median_is_the_middle_amount() -> None:
    assert median_amount([Decimal(3), Decimal(1), Decimal(100)]) == Decimal("3.00")
    assert median_amount([Decimal(1), Decimal(2)]) == Decimal("1.50")
    assert median_amount([]) == Decimal(0)


def test_monthly_spending_leaves_out_transfers_and_counts_refunds() -> None:
    items = [
        paid(date(2026, 1, 5), "-100", "shopping"),
        paid(date(2026, 1, 9), "20", "shopping"),  # a refund
        paid(date(2026, 1, 9), "-500", "transfers"),
        paid(date(2026, 1, 9), "-300", "groceries", own=True),
        paid(date(2026, 2, 3), "-40", "groceries"),
        paid(date(2026, 3, 20), "-70", "groceries"),
    ]
    months = months_between(date(2026, 1, 1), date(2026, 3, 31))
    totals = monthly_spending(items, months, today=date(2026, 3, 18))
    assert [t.amount for t in totals] == [Decimal(80), Decimal(40), Decimal(0)]
    groceries = monthly_spending(items, months, category="groceries")
    assert [t.amount for t in groceries] == [Decimal(0), Decimal(40), Decimal(70)]


def test_the_usual_month_is_the_median_of_six_whole_months() -> None:
    items = history(["200", "210", "190", "800", "205", "195", "999"])  # Sep .. Mar
    usual = usual_month(items, Month.of(date(2026, 3, 18)), history_start=date(2025, 9, 1))
    assert usual is not None
    assert [m.start.month for m in usual.months] == [9, 10, 11, 12, 1, 2]
    # One expensive December does not make usual; the median of 190..800 is 202.50.
    assert usual.categories["groceries"] == Decimal("202.50")
    assert usual.categories["housing"] == Decimal("900.00")
    assert usual.total == Money(Decimal("1102.50"), "EUR")
    assert usual.merchants[merchant_key("Albert Heijn 77 Utrecht") or ""] == Decimal("202.50")


def test_a_month_without_a_category_counts_as_zero_for_it() -> None:
    items = history(["200"] * 6)
    items.append(paid(date(2025, 10, 4), "-300", "travel", "KLM"))
    usual = usual_month(items, Month.of(date(2026, 3, 1)), history_start=date(2025, 9, 1))
    assert usual is not None
    assert usual.categories["travel"] == Decimal(0)


def test_too_short_a_history_has_no_usual_month() -> None:
    items = history(["200", "210"], first_month=1, year=2026)
    start = covered_from(items, date(2025, 9, 1))
    # The history starts after the months asked for: its first month may be partial.
    assert start == date(2026, 2, 1)
    assert usual_month(items, Month.of(date(2026, 3, 5)), history_start=start) is None


def test_history_read_from_its_first_month_covers_that_month() -> None:
    items = [paid(date(2025, 9, 3), "-10", "groceries")]
    assert covered_from(items, date(2025, 9, 1)) == date(2025, 9, 1)
    assert covered_from([], date(2025, 9, 1)) == date.max


@pytest.mark.parametrize(
    ("amount", "usual", "flagged"),
    [
        ("261", "200", True),  # € 61 over: more than € 50 and more than 30 % (€ 60)
        ("251", "200", False),  # more than € 50 over, but not more than 30 %
        ("140", "90", False),  # exactly € 50 over is not "more than"
        ("1301", "1000", True),
        ("1299", "1000", False),  # € 299 over, but not 30 % of a large usual
        ("60", "0", True),  # new spending of more than € 50
        ("49", "0", False),
    ],
)
def test_the_unusual_rule(amount: str, usual: str, flagged: bool) -> None:
    assert is_unusual(Decimal(amount), Decimal(usual)) is flagged


def _usual(categories: dict[str, str], merchants: dict[str, str]) -> Usual:
    return Usual(
        (),
        Money(Decimal(0), "EUR"),
        {key: Decimal(value) for key, value in categories.items()},
        {key: Decimal(value) for key, value in merchants.items()},
    )


def test_unusual_names_categories_then_merchants_whose_category_is_up() -> None:
    usual = _usual(
        {"groceries": "400", "travel": "0", "eating_out": "150"},
        {"albert heijn utrecht": "250", "jumbo": "150", "cafe": "150"},
    )
    month = [
        paid(date(2026, 2, 2), "-640", "travel", "Hotel"),
        paid(date(2026, 2, 3), "-420", "groceries", "Albert Heijn 12 Utrecht"),
        paid(date(2026, 2, 4), "-60", "groceries", "Jumbo"),
        paid(date(2026, 2, 5), "-160", "eating_out", "Cafe"),
    ]
    found = unusual(month, usual)
    assert [(f.kind, f.label) for f in found] == [
        ("category", "travel"),
        ("merchant", "Albert Heijn Utrecht"),
    ]
    assert found[0].usual == Money(Decimal(0), "EUR")
    assert found[1].excess == Decimal(170)
    # Albert Heijn up, Jumbo down by as much: the money moved between supermarkets.
    moved = [
        paid(date(2026, 2, 3), "-390", "groceries", "Albert Heijn 12 Utrecht"),
        paid(date(2026, 2, 4), "-10", "groceries", "Jumbo"),
    ]
    assert unusual(moved, usual) == []


def test_merchants_group_branches_and_hidden_names_belong_to_none() -> None:
    assert merchant_name("Albert Heijn 9837 Utrecht") == "Albert Heijn Utrecht"
    assert merchant_key("ALBERT HEIJN 8876 UTRECHT") == merchant_key("Albert Heijn 9837 Utrecht")
    assert merchant_name(None) is None
    assert merchant_name("1234 5678") is None
    items = [
        paid(date(2026, 3, 1), "-30", "groceries", "Albert Heijn 9837 Utrecht"),
        paid(date(2026, 3, 2), "-20", "groceries", "Albert Heijn 8876 Utrecht"),
        paid(date(2026, 3, 2), "-25", "groceries", "ALBERT HEIJN 8876 UTRECHT"),
        paid(date(2026, 3, 3), "-900", "housing", "Verhuur B.V."),
        paid(date(2026, 3, 3), "-70", "eating_out", None),
        paid(date(2026, 3, 4), "-15", "eating_out", "Cafe"),
        paid(date(2026, 3, 4), "5", "eating_out", "Cafe"),
    ]
    merchants = by_merchant(items)
    assert [(m.name, m.total.amount, m.count) for m in merchants] == [
        ("Verhuur B.V.", Decimal(900), 1),
        ("Albert Heijn Utrecht", Decimal(75), 3),
        ("Cafe", Decimal(10), 1),
    ]
    assert [m.name for m in top_merchants(items, 1)] == ["Verhuur B.V."]
    shops = top_merchants(items, 5, shops_only=True)
    assert [m.name for m in shops] == ["Albert Heijn Utrecht", "Cafe"]
    assert top_merchants([paid(date(2026, 3, 3), "-70", "eating_out", None)], 5) == []
