"""What the generator knows about a customer: accounts, income, bills and habits.

A `CustomerProfile` is a plain description; `generator.generate` turns it into a history.
Amounts are `Decimal` euros. The demo customers are in `demo_profiles`; `busy_profile`
builds a customer with as many transactions a month as a benchmark needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from kluis.sandbox.creditors import (
    BASIC_FIT,
    ENECO,
    KPN,
    VITENS,
    Beneficiary,
    Creditor,
    beneficiary,
)
from kluis.sandbox.fraud_episodes import FraudEpisode
from kluis.sandbox.merchants import (
    EATING_OUT,
    GROCERIES,
    HEALTH,
    NETFLIX,
    SHOPPING,
    Merchant,
    MerchantGroup,
    transport,
)
from kluis.sandbox.merchants_abroad import Destination
from kluis.sandbox.model import AccountKind, Language

ALL_MONTHS: Final = tuple(range(1, 13))


def cents(amount: Decimal) -> int:
    """Whole cents of a euro amount with at most two decimals."""
    return int(amount * 100)


@dataclass(frozen=True, slots=True)
class PriceStep:
    """From `since` on, a recurring payment costs `amount`."""

    since: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class RecurringCharge:
    """A payment that repeats: rent, a bill, a subscription.

    How it is paid follows from `payee`: a `Creditor` collects a direct debit, a
    `Beneficiary` receives a standing order, a `Merchant` charges the card (the credit
    card when `on_credit_card` and the customer has one). It falls on `day` of each month
    in `months` (the instalments of a yearly bill are numbered by their position there),
    or every 28 days from `day` January 2025 when `every_four_weeks`. The price is the
    last `prices` step on or before the payment date. Its series id is
    "<customer id>:<key>".
    """

    key: str
    payee: Creditor | Beneficiary | Merchant
    prices: tuple[PriceStep, ...]
    day: int
    months: tuple[int, ...] = ALL_MONTHS
    every_four_weeks: bool = False
    remittance: str | None = None
    on_credit_card: bool = False

    def price_on(self, day: date) -> int:
        """The price in cents on `day` (the first step's price before it starts)."""
        amount = self.prices[0].amount
        for step in self.prices:
            if step.since <= day:
                amount = step.amount
        return cents(amount)


def steps(*pairs: tuple[str, str]) -> tuple[PriceStep, ...]:
    """Price steps from ("2025-01-01", "13.49")-style pairs."""
    return tuple(PriceStep(date.fromisoformat(since), Decimal(amount)) for since, amount in pairs)


def monthly(
    key: str,
    payee: Creditor | Beneficiary | Merchant,
    day: int,
    *prices: tuple[str, str],
    on_credit_card: bool = False,
    remittance: str | None = None,
) -> RecurringCharge:
    """A charge on `day` of every month, priced by ("since", "amount") steps."""
    return RecurringCharge(
        key, payee, steps(*prices), day, remittance=remittance, on_credit_card=on_credit_card
    )


@dataclass(frozen=True, slots=True)
class Spending:
    """One kind of card spending in a customer's mix.

    `weight` is its share of the month's card payments; `credit_card_share` is how
    often it goes on the credit card, if the customer has one.
    """

    group: MerchantGroup
    weight: float
    credit_card_share: float = 0.0


@dataclass(frozen=True, slots=True)
class Trip:
    """A holiday: travel and lodging booked ahead, and card payments while away.

    An online lodging merchant (Booking.com, Airbnb) is paid when booking, a local one
    (a hotel, a camp site) when leaving. Without lodging the customer stays with family.
    """

    key: str
    destination: Destination
    start: date
    nights: int
    booked_on: date
    flight: Merchant | None = None
    flight_price: Decimal = Decimal(0)
    lodging: Merchant | None = None
    lodging_price: Decimal = Decimal(0)
    payments_per_day: int = 3

    @property
    def end(self) -> date:
        """The day the customer comes home."""
        return self.start + timedelta(days=self.nights)


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """An account the customer holds; `card_bin` starts the number of its card."""

    kind: AccountKind
    opening_balance: Decimal
    card_bin: str = ""
    credit_limit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """A demo customer and everything that happens on their accounts month by month.

    Every customer has a checking account; `accounts` may add savings and a credit card.
    The salary arrives on `payday` (the Friday before, in a weekend) and grows by
    `yearly_raise` each January; in May a holiday allowance comes with it. Card spending
    draws `card_payments_per_month` payments (give or take `spending_variation`) from the
    `spending` mix.
    """

    customer_id: str
    name: str
    language: Language
    city: str
    bank_code: str
    accounts: tuple[AccountPlan, ...]
    employer: Beneficiary
    salary: Decimal
    payday: int
    charges: tuple[RecurringCharge, ...]
    spending: tuple[Spending, ...]
    card_payments_per_month: int
    savings_per_month: Decimal = Decimal(0)
    yearly_raise: Decimal = Decimal("0.03")
    holiday_allowance: bool = True
    atm_withdrawals_per_month: float = 1.0
    refunds_per_month: float = 0.3
    friends: tuple[str, ...] = ()
    friend_payments_per_month: float = 2.0
    trips: tuple[Trip, ...] = ()
    fraud_episodes: tuple[FraudEpisode, ...] = ()
    tax_refund: Decimal | None = None
    package_fee: Decimal = Decimal("3.40")
    spending_variation: float = 0.15

    @property
    def slug(self) -> str:
        """The customer id without its "c-" prefix, used in resource and card ids."""
        return self.customer_id.removeprefix("c-")

    def plan(self, kind: AccountKind) -> AccountPlan | None:
        """The customer's account of `kind`, if they hold one."""
        return next((plan for plan in self.accounts if plan.kind == kind), None)


def busy_profile(transactions_per_month: int = 700) -> CustomerProfile:
    """A customer with about `transactions_per_month` transactions a month, for benchmarks.

    With the default of 700, the history from January 2025 to the sandbox epoch holds a
    little over 10,000 transactions. Income grows with the card spending so the checking
    account stays in the black.
    """
    card_payments = max(transactions_per_month - 20, 1)
    salary = Decimal(card_payments * 30 + 2500)
    charges = (
        monthly("rent", beneficiary("Domstede Verhuur B.V.", "INGB", "housing"), 1,
                ("2025-01-01", "1450.00")),
        monthly("energy", ENECO, 22, ("2025-01-01", "165.00")),
        monthly("water", VITENS, 12, ("2025-01-01", "21.40")),
        monthly("telecom", KPN, 18, ("2025-01-01", "59.95")),
        monthly("netflix", NETFLIX, 9, ("2025-01-01", "13.49"), ("2025-10-01", "14.99")),
        RecurringCharge("gym", BASIC_FIT, steps(("2025-01-01", "29.99")), 6,
                        every_four_weeks=True),
    )  # fmt: skip
    return CustomerProfile(
        customer_id="c-busy",
        name="Bram Visser",
        language="nl",
        city="Utrecht",
        bank_code="INGB",
        accounts=(
            AccountPlan("checking", salary * Decimal("1.4"), card_bin="535110"),
            AccountPlan("savings", Decimal("25000.00")),
            AccountPlan("credit_card", Decimal("0.00"), "525412", Decimal("5000.00")),
        ),
        employer=beneficiary("Visser Horeca B.V.", "RABO", "income"),
        salary=salary,
        payday=25,
        charges=charges,
        spending=(
            Spending(GROCERIES, 40, 0.2),
            Spending(EATING_OUT, 30, 0.3),
            Spending(SHOPPING, 15, 0.4),
            Spending(HEALTH, 5),
            Spending(transport("Utrecht"), 10),
        ),
        card_payments_per_month=card_payments,
        savings_per_month=Decimal("500.00"),
        atm_withdrawals_per_month=2.0,
        refunds_per_month=1.0,
        friends=("Lotte Bakker", "Mark Visser"),
        spending_variation=0.03,
    )
