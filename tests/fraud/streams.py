"""Small synthetic transaction streams for the fraud tests: regular customers, and one
counterparty where every transaction is fraud after a given day."""

from __future__ import annotations

import random

from kluis.fraud.profiles import DAY, HOUR
from kluis.fraud.records import Transaction

START = 1_522_540_800.0  # 2018-04-01T00:00:00Z


def stream(days: int, *, seed: int = 7, compromised_from: int = 10) -> list[Transaction]:
    """About 200 transactions a day from 40 customers at 60 counterparties; from day
    `compromised_from` on, everything at counterparty `t0` is fraud, and so is an amount
    twenty times a customer's usual one."""
    chance = random.Random(seed)
    usual = {f"c{number}": chance.uniform(10, 90) for number in range(40)}
    transactions = []
    for day in range(days):
        for number in range(200):
            customer = chance.choice(list(usual))
            counterparty = f"t{chance.randrange(60)}"
            amount = round(chance.gauss(usual[customer], usual[customer] / 4), 2)
            big = chance.random() < 0.01
            amount = abs(amount) * (20 if big else 1)
            fraud = big or (counterparty == "t0" and day >= compromised_from)
            moment = START + day * DAY + number * (DAY / 200) + chance.uniform(0, HOUR / 20)
            transactions.append(
                Transaction(
                    f"d{day}n{number}", moment, customer, counterparty, amount, "EUR", fraud
                )
            )
    return transactions
