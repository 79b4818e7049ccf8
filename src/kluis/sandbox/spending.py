"""Card spending: everyday purchases, cash, refunds and holidays.

`Habits` fixes, once per customer and seed, which merchants a customer favours and
which branches they go to, so "Albert Heijn 1234 Utrecht" comes back month after month.
The functions write one month of card activity into a `MonthBook`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, time, timedelta
from itertools import accumulate

from kluis.domain import as_category
from kluis.sandbox.bookkeeping import CARD_REFUND, CASH_WITHDRAWAL, MonthBook, clock
from kluis.sandbox.identifiers import stable_int, stable_rng
from kluis.sandbox.merchants import DUTCH_CITIES, GELDMAAT, ONLINE_SHOPS, Merchant
from kluis.sandbox.merchants_abroad import UNITS_PER_EURO
from kluis.sandbox.model import SandboxCard, SandboxTransaction
from kluis.sandbox.profiles import CustomerProfile, Spending, Trip, cents

_HOME_SHARE = 0.88
"""How often a purchase in a shop is in the customer's own city."""
_ATM_AMOUNTS = (20, 50, 50, 70, 100, 100, 150, 200)
_REFUNDABLE_LABELS = frozenset(shop.counterparty(0, "") for shop in ONLINE_SHOPS)
"""Statement labels of the web shops customers send things back to."""


def time_for(merchant: Merchant, rng: random.Random) -> time:
    """A realistic time of day to pay `merchant`."""
    hours = merchant.hours
    roll = rng.random()
    if hours == "morning":
        value = rng.triangular(7, 11.5, 8.5)
    elif hours == "meal":
        value = (
            rng.triangular(11.5, 14.5, 12.7) if roll < 0.35 else rng.triangular(17.5, 22.5, 19.3)
        )
    elif hours == "evening":
        value = rng.triangular(16.5, 23.8, 19.5)
    elif hours == "night":
        value = rng.triangular(20, 24, 23) if roll < 0.7 else rng.uniform(0, 3)
    elif hours == "online":
        value = rng.triangular(6, 24, 21)
    elif hours == "commute":
        if roll < 0.45:
            value = rng.triangular(6.5, 9.5, 8)
        elif roll < 0.9:
            value = rng.triangular(16, 19, 17.5)
        else:
            value = rng.uniform(10, 22)
    else:
        value = rng.triangular(8.5, 21.5, 16.5)
    return clock(value)


class Habits:
    """Which merchants a customer favours, fixed per seed, and where they shop."""

    def __init__(self, seed: int, profile: CustomerProfile) -> None:
        self.seed = seed
        self.profile = profile
        self.mix = profile.spending
        self.mix_weights = list(accumulate(spending.weight for spending in profile.spending))
        self._weights: dict[str, list[float]] = {}
        for spending in profile.spending:
            self._weights[spending.group.key] = list(
                accumulate(self._liking(shop) for shop in spending.group.merchants)
            )

    def _liking(self, merchant: Merchant) -> float:
        fraction = stable_int(self.seed, self.profile.customer_id, "likes", merchant.name) / 2**64
        return merchant.popularity * (0.2 + 1.8 * fraction * fraction)

    def pick(self, rng: random.Random, spending: Spending) -> Merchant:
        """A merchant of the group, favourites more often."""
        weights = self._weights[spending.group.key]
        return rng.choices(spending.group.merchants, cum_weights=weights)[0]

    def counterparty(self, rng: random.Random, merchant: Merchant, city: str | None = None) -> str:
        """The statement label of a purchase: mostly the customer's usual branch."""
        if not merchant.local:
            return merchant.counterparty(0, "")
        customer_id = self.profile.customer_id
        if city is None and merchant.cities:
            home = self.profile.city
            cities = merchant.cities
            index = stable_int(self.seed, customer_id, merchant.name) % len(cities)
            city = home if home in cities else cities[index]
        elif city is None:
            city = self.profile.city if rng.random() < _HOME_SHARE else rng.choice(DUTCH_CITIES)
        branch = 0 if rng.random() < 0.75 else rng.randint(1, 2)
        store = stable_int(self.seed, customer_id, merchant.name, city, branch) % 9000 + 1000
        return merchant.counterparty(store, city)


def exchange_rate(seed: int, currency: str, month: date) -> float:
    """What one euro buys in `currency` this month: the usual rate, drifting a little."""
    usual = UNITS_PER_EURO.get(currency, 1.0)
    if currency == "EUR":
        return 1.0
    drift = stable_rng(seed, "fx", currency, f"{month:%Y-%m}").uniform(-0.03, 0.03)
    return round(usual * (1 + drift), 4)


def _foreign(book: MonthBook, merchant: Merchant, local: int) -> tuple[int, str | None]:
    """The euro amount of a purchase in the merchant's currency, and the bank's FX note."""
    if merchant.currency == "EUR":
        return local, None
    rate = exchange_rate(book.seed, merchant.currency, book.first)
    original = f"{merchant.currency} {local / 100:.2f}"
    note = f"{original} rate {rate:.4f}"
    if book.accounts.customer.language == "nl":
        note = f"{original} koers {rate:.4f}"
    return round(local / rate), note


def _price(rng: random.Random, merchant: Merchant) -> int:
    """A purchase price: around the typical one, now and then much more, within the range."""
    price = round(merchant.typical * rng.lognormvariate(0, 0.5))
    return min(max(price, merchant.low), merchant.high)


def away_days(book: MonthBook, trips: Sequence[Trip]) -> set[int]:
    """The days of this month the customer spends on holiday."""
    days: set[int] = set()
    for trip in trips:
        on = trip.start
        while on < trip.end:
            if book.first <= on <= book.last:
                days.add(on.day)
            on += timedelta(days=1)
    return days


def add_card_spending(
    book: MonthBook, habits: Habits, home_days: Sequence[int]
) -> list[SandboxTransaction]:
    """The month's everyday card payments; returns them (refunds are drawn from them)."""
    profile = habits.profile
    rng = book.rng("cards")
    variation = profile.spending_variation
    count = round(profile.card_payments_per_month * (1 + rng.uniform(-variation, variation)))
    first, purchases = book.first, []
    for _ in range(count):
        spending = rng.choices(habits.mix, cum_weights=habits.mix_weights)[0]
        merchant = habits.pick(rng, spending)
        amount, note = _foreign(book, merchant, _price(rng, merchant))
        card = book.choose_card(rng.random() < spending.credit_card_share, amount)
        purchases.append(
            book.card_payment(
                card, first.replace(day=rng.choice(home_days)), time_for(merchant, rng), amount,
                habits.counterparty(rng, merchant), merchant.mcc, merchant.category,
                booking_delay=1 if rng.random() < 0.7 else 2, remittance=note,
            )
        )  # fmt: skip
    return purchases


def add_cash(book: MonthBook, habits: Habits, home_days: Sequence[int]) -> None:
    """Cash machine withdrawals with the debit card."""
    rng = book.rng("cash")
    rate = habits.profile.atm_withdrawals_per_month
    for _ in range(int(rate) + (rng.random() < rate % 1)):
        amount = rng.choice(_ATM_AMOUNTS) * 100
        book.card_payment(
            book.accounts.debit_card, book.first.replace(day=rng.choice(home_days)),
            time_for(GELDMAAT, rng), amount, habits.counterparty(rng, GELDMAAT), GELDMAAT.mcc,
            "cash", booking_delay=rng.randint(0, 1), code=CASH_WITHDRAWAL,
        )  # fmt: skip


def add_refunds(book: MonthBook, habits: Habits, purchases: Sequence[SandboxTransaction]) -> None:
    """Web shops refund something the customer sent back, a few days after buying it."""
    rng = book.rng("refunds")
    rate = habits.profile.refunds_per_month
    count = int(rate) + (rng.random() < rate % 1)
    candidates = [
        purchase
        for purchase in purchases
        if purchase.counterparty_name in _REFUNDABLE_LABELS and purchase.transaction_date.day < 26
    ]
    for purchase in rng.sample(candidates, min(count, len(candidates))):
        spent = -cents(purchase.amount)
        refund = spent if rng.random() < 0.7 else round(spent * rng.uniform(0.3, 0.8))
        on = min(purchase.transaction_date + timedelta(days=rng.randint(2, 9)), book.last)
        card = _card(book, purchase.card_id)
        book.card_payment(
            card, on, clock(rng.uniform(7, 18)), -refund, purchase.counterparty_name,
            purchase.mcc or "5999", as_category(purchase.category), booking_delay=rng.randint(1, 2),
            code=CARD_REFUND,
        )  # fmt: skip


def _card(book: MonthBook, card_id: str | None) -> SandboxCard:
    credit = book.accounts.credit_card
    return credit if credit is not None and credit.card_id == card_id else book.accounts.debit_card


def _quote(rng: random.Random, price: int) -> int:
    """A booked price: the profile's figure give or take ten per cent."""
    return round(price * rng.uniform(0.9, 1.1))


def add_trips(book: MonthBook, habits: Habits) -> None:
    """Holiday bookings, and card payments abroad on the days away."""
    profile = habits.profile
    for trip in profile.trips:
        rng = book.rng(f"trip:{trip.key}")
        destination = trip.destination
        cities = destination.cities
        city = cities[stable_int(book.seed, profile.customer_id, trip.key) % len(cities)]
        lodging = trip.lodging
        if book.first <= trip.booked_on <= book.last:
            booked_at = clock(rng.uniform(19, 23))
            if trip.flight is not None:
                price = _quote(rng, cents(trip.flight_price))
                _pay(book, rng, trip.flight, trip.booked_on, booked_at, price, city)
            if lodging is not None and not lodging.local:
                price = _quote(rng, cents(trip.lodging_price))
                _pay(book, rng, lodging, trip.booked_on, booked_at, price, city)
        if lodging is not None and lodging.local and book.first <= trip.end <= book.last:
            price = _quote(rng, cents(trip.lodging_price))
            _pay(book, rng, lodging, trip.end, clock(rng.uniform(9, 11)), price, city)
        shops = destination.merchants.merchants
        weights = list(accumulate(shop.popularity for shop in shops))
        on = trip.start
        while on < trip.end:
            if book.first <= on <= book.last:
                for _ in range(max(trip.payments_per_day + rng.randint(-1, 1), 0)):
                    shop = rng.choices(shops, cum_weights=weights)[0]
                    amount, note = _foreign(book, shop, _price(rng, shop))
                    _pay(book, rng, shop, on, time_for(shop, rng), amount, city, note)
            on += timedelta(days=1)


def _pay(
    book: MonthBook,
    rng: random.Random,
    merchant: Merchant,
    on: date,
    at: time,
    amount: int,
    city: str,
    note: str | None = None,
) -> None:
    card = book.choose_card(True, amount)
    store = stable_int(book.seed, book.customer_id, merchant.name, city) % 9000 + 1000
    book.card_payment(
        card, on, at, amount, merchant.counterparty(store, city), merchant.mcc, merchant.category,
        booking_delay=rng.randint(1, 2), remittance=note,
    )  # fmt: skip
