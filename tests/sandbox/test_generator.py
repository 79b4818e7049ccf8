"""The synthetic history: deterministic, prefix-stable, reconciled and realistic."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from schwifty import IBAN

from kluis.domain import CATEGORIES
from kluis.sandbox.generator import (
    DEMO_PROFILES,
    HISTORY_START,
    SANDBOX_EPOCH,
    busy_profile,
    generate,
)
from kluis.sandbox.identifiers import creditor_identifier_is_valid
from kluis.sandbox.model import SandboxAccount, SandboxData, SandboxTransaction

SEED = 20260318
HORIZON = SANDBOX_EPOCH + timedelta(days=400)
DUTCH_GROCERS = ("Albert Heijn", "AH to go", "Jumbo", "Lidl", "ALDI", "PLUS", "Dirk vd Broek")
US_MERCHANTS = ("Amazon.com", "Etsy.com", "Starbucks Store", "Walmart", "Target", "Lyft", "Costco")


@pytest.fixture(scope="module")
def data() -> SandboxData:
    return generate(SEED, HORIZON)


def _of(data: SandboxData, customer_id: str) -> list[SandboxTransaction]:
    owned = {a.resource_id for a in data.accounts if a.customer_id == customer_id}
    return [t for t in data.transactions if t.resource_id in owned]


def _accounts(data: SandboxData) -> dict[str, SandboxAccount]:
    return {account.resource_id: account for account in data.accounts}


def test_same_seed_gives_identical_data(data: SandboxData) -> None:
    assert generate(SEED, HORIZON) == data


def test_another_seed_gives_other_amounts_but_the_same_customers(data: SandboxData) -> None:
    other = generate(SEED + 1, HORIZON)
    assert other.customers == data.customers
    assert other.accounts == data.accounts
    assert [t.amount for t in other.transactions[:200]] != [
        t.amount for t in data.transactions[:200]
    ]


@pytest.mark.parametrize(
    "cut", [date(2025, 1, 1), date(2025, 8, 13), date(2026, 2, 28), SANDBOX_EPOCH]
)
def test_history_is_prefix_stable(data: SandboxData, cut: date) -> None:
    shorter = generate(SEED, cut)
    assert shorter.transactions == tuple(t for t in data.transactions if t.transaction_date <= cut)
    assert shorter.accounts == data.accounts
    assert shorter.cards == data.cards
    assert shorter.customers == data.customers
    assert shorter.until == cut


def test_nothing_before_the_history_starts() -> None:
    assert generate(SEED, HISTORY_START - timedelta(days=1)).transactions == ()


def test_transactions_are_sorted_with_unique_bank_style_ids(data: SandboxData) -> None:
    keys = [(t.transaction_date, t.time_of_day, t.transaction_id) for t in data.transactions]
    assert keys == sorted(keys)
    ids = [t.transaction_id for t in data.transactions]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Z0-9]{1,35}", identifier) for identifier in ids)


def test_amounts_are_two_decimal_euros_and_categories_are_known(data: SandboxData) -> None:
    for t in data.transactions:
        assert isinstance(t.amount, Decimal)
        assert t.amount.as_tuple().exponent == -2
        assert t.amount != 0
        assert t.currency == "EUR"
        assert t.category in CATEGORIES
        assert t.recurring is None or t.recurring.startswith("c-")


def test_there_are_the_demo_customers_in_both_languages(data: SandboxData) -> None:
    languages = [customer.language for customer in data.customers]
    assert languages.count("nl") == 4
    assert languages.count("en") == 2
    assert [c.id for c in data.customers] == [p.customer_id for p in DEMO_PROFILES]
    assert all(account.currency == "EUR" for account in data.accounts)
    kinds = defaultdict(set)
    for account in data.accounts:
        kinds[account.customer_id].add(account.kind)
    assert all("checking" in held for held in kinds.values())
    assert sum("savings" in held for held in kinds.values()) >= 4
    assert sum("credit_card" in held for held in kinds.values()) >= 2


def test_ibans_and_creditor_ids_are_valid(data: SandboxData) -> None:
    for account in data.accounts:
        if account.kind == "credit_card":
            assert account.iban is None
            assert account.masked_pan is not None
            assert re.fullmatch(r"\d{6}\*{6}\d{4}", account.masked_pan)
            assert account.credit_limit is not None
        else:
            assert account.iban is not None
            assert IBAN(account.iban).bic is not None
    counterparties = {t.counterparty_iban for t in data.transactions if t.counterparty_iban}
    for number in counterparties:
        IBAN(number)  # raises if the check digits or the format are wrong
    creditors = {t.creditor_id for t in data.transactions if t.creditor_id}
    assert creditors
    for creditor_id in creditors:
        assert re.fullmatch(r"NL\d{2}ZZZ\d{12}", creditor_id)
        assert creditor_identifier_is_valid(creditor_id)


def test_balances_reconcile_and_stay_within_bounds(data: SandboxData) -> None:
    accounts = _accounts(data)
    balance = {key: account.opening_balance for key, account in accounts.items()}
    negative_days: dict[str, set[date]] = defaultdict(set)
    for t in data.transactions:
        balance[t.resource_id] += t.amount
        account = accounts[t.resource_id]
        if account.kind == "savings":
            assert balance[t.resource_id] >= 0, t
        elif account.kind == "credit_card":
            assert account.credit_limit is not None
            assert balance[t.resource_id] >= -account.credit_limit, t
        elif balance[t.resource_id] < 0:
            negative_days[t.resource_id].add(t.transaction_date)
    days = (HORIZON - HISTORY_START).days
    for resource_id, account in accounts.items():
        total = sum(
            (t.amount for t in data.transactions if t.resource_id == resource_id), Decimal(0)
        )
        assert account.opening_balance + total == balance[resource_id]
        if account.kind == "checking":
            assert len(negative_days[resource_id]) < days * 0.05


def test_history_covers_more_than_a_year(data: SandboxData) -> None:
    for customer in data.customers:
        months = {t.transaction_date.strftime("%Y-%m") for t in _of(data, customer.id)}
        assert len(months) >= 12 + (HORIZON.year - 2026) * 12
        assert min(months) == "2025-01"


def test_salary_and_housing_arrive_every_month(data: SandboxData) -> None:
    for profile in DEMO_PROFILES:
        own = _of(data, profile.customer_id)
        salaries = [t for t in own if t.recurring == f"{profile.customer_id}:salary"]
        housing = [t for t in own if t.category == "housing"]
        whole_months = (HORIZON.year - 2025) * 12 + HORIZON.month - 1
        salary_months = {t.transaction_date.strftime("%Y-%m") for t in salaries}
        assert len(salary_months - {HORIZON.strftime("%Y-%m")}) == whole_months
        assert len({t.transaction_date.strftime("%Y-%m") for t in housing}) == whole_months + 1
        word = "Salaris" if profile.language == "nl" else "Salary"
        assert all(t.amount > 0 and t.category == "income" for t in salaries)
        assert all((t.remittance or "").startswith(word) for t in salaries)
        assert all(t.bank_transaction_code == "PMNT-RCDT-ESCT" for t in salaries)
        assert all(t.counterparty_iban and t.end_to_end_id for t in salaries)
        assert all(t.recurring and t.amount < 0 for t in housing)
        assert {t.bank_transaction_code for t in housing} <= {"PMNT-ICDT-STDO", "PMNT-IDDT-ESDD"}


def test_card_payments_look_like_card_payments(data: SandboxData) -> None:
    cards = {card.card_id: card for card in data.cards}
    payments = [t for t in data.transactions if t.bank_transaction_code == "PMNT-CCRD-POSD"]
    for t in payments:
        assert t.card_id in cards
        assert cards[t.card_id].resource_id == t.resource_id
        assert t.mcc is not None
        assert re.fullmatch(r"\d{4}", t.mcc)
        assert 1 <= (t.booking_date - t.transaction_date).days <= 2
    transfers = [t for t in data.transactions if t.bank_transaction_code.startswith("PMNT-I")]
    transfers += [t for t in data.transactions if t.bank_transaction_code == "PMNT-RCDT-ESCT"]
    assert all(t.booking_date == t.transaction_date for t in transfers)
    assert all(t.end_to_end_id for t in transfers)
    times = {t.time_of_day.hour for t in payments}
    assert len(times) > 12


def test_dutch_groceries_and_us_merchants(data: SandboxData) -> None:
    groceries = [t for t in data.transactions if t.category == "groceries" and t.mcc == "5411"]
    assert any(re.fullmatch(r"Albert Heijn \d{4} Utrecht", t.counterparty_name) for t in groceries)
    names = {t.counterparty_name.split(" ")[0] for t in groceries}
    assert sum(any(g.startswith(n) for g in DUTCH_GROCERS) for n in names) >= 5
    emily = _of(data, "c-emily")
    us = [t for t in emily if t.counterparty_name.startswith(US_MERCHANTS)]
    assert len(us) >= 20
    assert any("USD" in (t.remittance or "") for t in us)


def test_direct_debits_carry_mandates(data: SandboxData) -> None:
    debits = [t for t in data.transactions if t.bank_transaction_code == "PMNT-IDDT-ESDD"]
    for category in ("utilities", "telecom", "insurance"):
        assert any(t.category == category for t in debits)
    for t in debits:
        assert t.amount < 0
        assert t.creditor_id
        assert t.mandate_id
        assert t.remittance
        assert t.end_to_end_id
        assert t.recurring is not None
    assert any(re.search(r"energie 20\d\d-\d\d klantnr \d+", t.remittance or "") for t in debits)


def test_subscriptions_recur_and_some_get_dearer(data: SandboxData) -> None:
    netflix = [t for t in data.transactions if t.recurring == "c-sanne:netflix"]
    assert {t.amount for t in netflix} == {Decimal("-13.49"), Decimal("-14.99")}
    assert netflix[0].amount == Decimal("-13.49")
    assert netflix[-1].amount == Decimal("-14.99")
    assert all(t.category == "subscriptions" and t.mcc == "4899" for t in netflix)
    series: dict[str, set[Decimal]] = defaultdict(set)
    for t in data.transactions:
        if t.category == "subscriptions" and t.recurring:
            series[t.recurring].add(t.amount)
    assert len(series) >= 10
    assert sum(len(amounts) > 1 for amounts in series.values()) >= 5


def test_cash_and_refunds(data: SandboxData) -> None:
    cash = [t for t in data.transactions if t.category == "cash"]
    assert cash
    assert all(t.mcc == "6011" and t.bank_transaction_code == "PMNT-CCRD-CWDL" for t in cash)
    refunds = [
        t
        for t in data.transactions
        if t.bank_transaction_code == "PMNT-CCRD-RIMB" and t.category != "other"
    ]
    assert len(refunds) >= 10
    for refund in refunds:
        assert refund.amount > 0
        bought = [
            t
            for t in data.transactions
            if t.card_id == refund.card_id
            and t.counterparty_name == refund.counterparty_name
            and t.amount < 0
            and t.transaction_date <= refund.transaction_date
        ]
        assert bought
        assert refund.category == bought[0].category


def test_own_transfers_have_two_legs_that_cancel(data: SandboxData) -> None:
    accounts = _accounts(data)
    legs: dict[str, list[SandboxTransaction]] = defaultdict(list)
    for t in data.transactions:
        if t.end_to_end_id and t.end_to_end_id.startswith("OWN"):
            legs[t.end_to_end_id].append(t)
    assert len(legs) >= 100
    for pair in legs.values():
        assert len(pair) == 2
        first, second = pair
        assert first.amount + second.amount == 0
        assert first.transaction_date == second.transaction_date
        assert first.category == second.category == "transfers"
        owners = {accounts[t.resource_id].customer_id for t in pair}
        assert len(owners) == 1
        assert first.counterparty_iban == accounts[second.resource_id].iban
        assert second.counterparty_iban == accounts[first.resource_id].iban
    repayments = [pair for pair in legs.values() if "card-repayment" in (pair[0].recurring or "")]
    assert repayments
    assert all(any(accounts[t.resource_id].kind == "credit_card" for t in p) for p in repayments)
    savings = [pair for pair in legs.values() if (pair[0].recurring or "").endswith(":savings")]
    assert savings
    assert all(any(t.bank_transaction_code == "PMNT-ICDT-STDO" for t in pair) for pair in savings)


def test_tikkies_and_yearly_items(data: SandboxData) -> None:
    tikkies = [t for t in data.transactions if t.counterparty_name == "Tikkie"]
    assert any(t.amount > 0 for t in tikkies)
    assert any(t.amount < 0 for t in tikkies)
    assert all((t.remittance or "").startswith("Tikkie ID ") for t in tikkies)
    yearly = [t for t in data.transactions if t.recurring == "c-daan:car-insurance"]
    assert [t.transaction_date.strftime("%Y-%m") for t in yearly] == [
        "2025-03",
        "2026-03",
        "2027-03",
    ]
    travel = [t for t in data.transactions if t.category == "travel"]
    assert {t.resource_id.split("-")[1] for t in travel} >= {"sanne", "emily", "oliver"}


def test_fraud_episodes_of_every_kind(data: SandboxData) -> None:
    fraud = [t for t in data.transactions if t.fraud]
    by_day: dict[tuple[str, date], list[SandboxTransaction]] = defaultdict(list)
    for t in fraud:
        by_day[(t.resource_id, t.transaction_date)].append(t)
    testing = [
        burst
        for burst in by_day.values()
        if sum(t.amount >= Decimal("-2.00") for t in burst) >= 3
        and any(t.amount < Decimal("-100") for t in burst)
    ]
    assert len(testing) >= 3
    takeovers = [
        t
        for t in fraud
        if t.bank_transaction_code == "PMNT-ICDT-ESCT"
        and t.amount <= Decimal("-1000")
        and not (t.end_to_end_id or "").startswith("OWN")
    ]
    assert len(takeovers) >= 2
    for takeover in takeovers:
        earlier = [
            t
            for t in data.transactions
            if t.counterparty_iban == takeover.counterparty_iban
            and t.transaction_date < takeover.transaction_date
        ]
        assert not earlier, "the payee is new"
    genuine = {(t.card_id, t.counterparty_name) for t in data.transactions if not t.fraud}
    compromised = [t for t in fraud if t.card_id and (t.card_id, t.counterparty_name) in genuine]
    assert len({t.transaction_date for t in compromised}) >= 3
    owners = {account.resource_id: account.customer_id for account in data.accounts}
    assert len({owners[t.resource_id] for t in fraud}) >= 5
    soon = SANDBOX_EPOCH + timedelta(days=10)
    assert any(SANDBOX_EPOCH < t.transaction_date <= soon for t in fraud)
    assert any(t.transaction_date < SANDBOX_EPOCH - timedelta(days=90) for t in fraud)


def test_the_busy_profile_has_ten_thousand_transactions() -> None:
    busy = generate(SEED, SANDBOX_EPOCH, [busy_profile(700)])
    assert len(busy.transactions) >= 10_000
    accounts = _accounts(busy)
    balance = {key: account.opening_balance for key, account in accounts.items()}
    for t in busy.transactions:
        balance[t.resource_id] += t.amount
        if accounts[t.resource_id].kind == "savings":
            assert balance[t.resource_id] >= 0
    assert busy.customers[0].id == "c-busy"
