"""Fraud that happens to the demo customers, and how it shows on their accounts.

Each `FraudEpisode` is one incident at a fixed date. Its transactions carry
`fraud=True` and the category of what the charge looks like. Four kinds:

- card testing: a burst of tiny charges at unfamiliar web shops within minutes, mostly at
  night, then one larger charge;
- account takeover: savings emptied into checking, then one or two large transfers to a
  payee the customer never paid before, at an odd hour;
- compromised merchant: a merchant the customer really uses charges extra amounts over
  several days;
- skimmed card: the card, copied, is used far from home over a few days.

Past episodes end with the bank refunding the loss (not fraud itself); an episode may
leave that out (`refund_after_days=None`), as the ones still to come on the sandbox clock do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

from kluis.sandbox.bookkeeping import (
    CARD_PAYMENT,
    CARD_REFUND,
    CASH_WITHDRAWAL,
    ISSUED_TRANSFER,
    RECEIVED_TRANSFER,
    between,
    later,
)
from kluis.sandbox.creditors import Beneficiary
from kluis.sandbox.identifiers import BANK_NAMES, stable_rng
from kluis.sandbox.merchants import Merchant, merchant_group

if TYPE_CHECKING:
    from kluis.sandbox.bookkeeping import MonthBook
    from kluis.sandbox.model import SandboxCard

FraudKind = Literal["card_testing", "account_takeover", "compromised_merchant", "skimmed_card"]


@dataclass(frozen=True, slots=True)
class FraudEpisode:
    """One fraud incident on a customer's accounts, starting on `start` around `hour`.

    `card` is the card that is abused ("credit" falls back to the debit card for a
    customer without one). `merchant` is the compromised merchant; `payee` and
    `transfers` are where and how much an account takeover sends; `days` spreads a
    compromised merchant or skimmed card over several days.
    """

    kind: FraudKind
    start: date
    hour: float
    card: Literal["debit", "credit"] = "debit"
    merchant: Merchant | None = None
    payee: Beneficiary | None = None
    transfers: tuple[Decimal, ...] = ()
    days: int = 1
    refund_after_days: int | None = 12

    @property
    def key(self) -> str:
        """A stable name for the episode, e.g. "card_testing-20260321"."""
        return f"{self.kind}-{self.start:%Y%m%d}"

    @property
    def last_day(self) -> date:
        """The last day with fraudulent transactions."""
        return self.start + timedelta(days=self.days - 1)


TESTING_MERCHANTS: Final = (
    merchant_group(
        "testing_shops",
        "shopping",
        ("Paylio Digital Goods", "PAYLIO*DIGITALGOODS", "5999", (0.5, 1, 2), "night", 1.0),
        ("FNX Webstore", "FNX*WEBSTORE LTD", "5999", (0.5, 1, 2), "night", 1.0),
        ("Gift Now", "GIFTNOW ONLINE", "5947", (0.5, 1, 2), "night", 1.0),
    ).merchants
    + merchant_group(
        "testing_other",
        "charity",
        ("Kwik Donate", "KWIKDONATE.ORG", "8398", (0.5, 1, 2), "night", 1.0),
    ).merchants
    + merchant_group(
        "testing_games",
        "entertainment",
        ("GameCoins", "GAMECOINS TOPUP", "5734", (0.5, 1, 2), "night", 1.0),
    ).merchants
)
"""Web shops a customer never heard of, where stolen card numbers are tried out."""

CASH_OUT_MERCHANTS: Final = merchant_group(
    "cash_out",
    "shopping",
    ("Electronica Hub", "ELECTRONICAHUB.COM", "5732", (180, 480, 900), "night", 1.0),
    ("Watch Outlet", "LUXWATCH-OUTLET.COM", "5999", (150, 390, 800), "night", 1.0),
    ("Phone Deals", "PHONEDEALS24 EU", "5732", (200, 520, 950), "night", 1.0),
)
"""Where a tested card is then used for something worth reselling."""

SKIMMING_MERCHANTS: Final = (
    merchant_group(
        "skim_cash",
        "cash",
        ("Euronet ATM", "Euronet ATM Bucuresti", "6011", (150, 300, 400), "day", 1),
    ).merchants
    + merchant_group(
        "skim_shops",
        "shopping",
        ("eMAG", "eMAG Showroom Bucuresti", "5732", (120, 340, 700), "day", 1.0),
        ("Technopolis", "Technopolis Sofia", "5732", (100, 290, 650), "day", 1.0),
    ).merchants
    + merchant_group(
        "skim_food",
        "groceries",
        ("Kaufland", "Kaufland Bucuresti", "5411", (40, 120, 250), "day", 1),
    ).merchants
)
"""Far from home: where a skimmed card is used."""


def _amount(rng: random.Random, merchant: Merchant) -> int:
    return round(rng.triangular(merchant.low, merchant.high, merchant.typical))


def _card(book: MonthBook, episode: FraudEpisode) -> SandboxCard:
    cards = book.accounts
    if episode.card == "credit" and cards.credit_card is not None:
        return cards.credit_card
    return cards.debit_card


def add_fraud(book: MonthBook, episodes: tuple[FraudEpisode, ...]) -> None:
    """Write the part of every episode that falls in the book's month."""
    for episode in episodes:
        rng = stable_rng(book.seed, book.customer_id, episode.key)
        touches = episode.start <= book.last and episode.last_day >= book.first
        refund = episode.refund_after_days
        refunded_on = episode.last_day + timedelta(days=refund) if refund is not None else None
        if not touches and not (refunded_on and book.first <= refunded_on <= book.last):
            continue
        if episode.kind == "account_takeover":
            stolen = _account_takeover(book, episode, rng)
        else:
            stolen = _card_fraud(book, episode, rng)
        if refunded_on is not None and book.first <= refunded_on <= book.last and stolen:
            _refund(book, episode, refunded_on, stolen)


def _card_fraud(book: MonthBook, episode: FraudEpisode, rng: random.Random) -> int:
    """Write the episode's card charges in this month; return the episode's whole loss."""
    card = _card(book, episode)
    charges: list[tuple[date, time, Merchant, int]] = []
    if episode.kind == "card_testing":
        at = between(rng, episode.hour, episode.hour + 0.5)
        for _ in range(rng.randint(3, 8)):
            shop = rng.choice(TESTING_MERCHANTS)
            charges.append((episode.start, at, shop, rng.randint(50, 200)))
            at = later(at, rng.uniform(0.3, 4))
        big = rng.choice(CASH_OUT_MERCHANTS.merchants)
        charges.append((episode.start, later(at, rng.uniform(8, 40)), big, _amount(rng, big)))
    else:
        for offset in range(episode.days):
            on = episode.start + timedelta(days=offset)
            for _ in range(rng.randint(1, 2)):
                if episode.kind == "compromised_merchant" and episode.merchant is not None:
                    shop = episode.merchant
                    spent = round(shop.typical * rng.uniform(1.3, 3.2))
                else:
                    shop = rng.choice(SKIMMING_MERCHANTS)
                    spent = _amount(rng, shop)
                start = episode.hour if offset == 0 else max(episode.hour - 2, 0)
                at = between(rng, start, min(start + 3, 23.9))
                charges.append((on, at, shop, spent))
    for on, at, shop, spent in charges:
        if not book.first <= on <= book.last:
            continue
        chosen = book.choose_card(card == book.accounts.credit_card, spent)
        code = CASH_WITHDRAWAL if shop.category == "cash" else CARD_PAYMENT
        book.card_payment(
            chosen, on, at, spent, shop.counterparty(0, ""), shop.mcc, shop.category,
            booking_delay=rng.randint(1, 2), fraud=True, code=code,
        )  # fmt: skip
    return sum(spent for *_, spent in charges)


def _account_takeover(book: MonthBook, episode: FraudEpisode, rng: random.Random) -> int:
    """Empty savings into checking and send it on to a new payee; return the amount sent."""
    accounts = book.accounts
    at = between(rng, episode.hour, episode.hour + 0.4)
    sent = sum(int(amount * 100) for amount in episode.transfers)
    if not book.first <= episode.start <= book.last:
        return sent
    savings = accounts.savings
    if savings is not None:
        available = book.lowest_balance_from(savings.resource_id, episode.start, at)
        drained = available - available % 1000
        if drained > 0:
            book.own_transfer(
                savings, accounts.checking, episode.start, at, drained, "", fraud=True
            )
    payee = episode.payee
    for amount in episode.transfers:
        if payee is None:
            break
        at = later(at, rng.uniform(3, 25))
        book.record(
            accounts.checking, episode.start, at, -int(amount * 100), payee.name,
            ISSUED_TRANSFER, payee.category, counterparty_iban=payee.iban,
            remittance=rng.choice(("Spoedbetaling", "Veilige rekening", "Overboeking", None)),
            end_to_end_id=book.reference("NOTPROVIDED"), fraud=True,
        )  # fmt: skip
    return sent


def _refund(book: MonthBook, episode: FraudEpisode, on: date, stolen: int) -> None:
    accounts = book.accounts
    english = accounts.customer.language == "en"
    iban = accounts.checking.iban or ""
    bank = BANK_NAMES.get(iban[4:8], "Bank")
    text = (
        f"Refund of unauthorised transactions of {episode.start:%d-%m-%Y}"
        if english
        else f"Terugboeking onterechte transacties van {episode.start:%d-%m-%Y}"
    )
    at = time(10, 15)
    if episode.kind == "account_takeover":
        book.record(
            accounts.checking, on, at, stolen, bank, RECEIVED_TRANSFER, "other",
            counterparty_iban=None, remittance=text, end_to_end_id=book.reference("REF"),
        )  # fmt: skip
        return
    card = _card(book, episode)
    book.card_payment(
        card, on, at, -stolen, bank, "6012", "other",
        booking_delay=0, remittance=text, code=CARD_REFUND,
    )  # fmt: skip
