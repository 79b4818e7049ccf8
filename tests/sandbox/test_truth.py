"""The truth: the contract's JSON shape, only what exists today, amounts as strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kluis.errors import SandboxError
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.truth import build_truth

TRANSACTION_KEYS = {
    "transactionId", "resourceId", "bookingDate", "status", "amount", "currency",
    "counterparty", "category", "recurring", "fraud",
}  # fmt: skip


def test_truth_json_has_the_contract_keys(bank: SandboxBank) -> None:
    truth = build_truth(bank, "c-sanne", card_blocks={}, blocked_cards=frozenset()).to_json()
    assert {"customer", "today", "accounts", "transactions", "cards"} <= set(truth)
    assert truth["customer"] == {"id": "c-sanne", "name": "Sanne de Vries", "language": "nl"}
    assert truth["today"] == "2026-03-18"
    accounts = truth["accounts"]
    assert isinstance(accounts, list)
    for account in accounts:
        assert {"resourceId", "type", "iban", "maskedPan", "currency", "name", "balance"} <= set(
            account
        )
        assert account["type"] in {"checking", "savings", "credit_card"}
        assert set(account["balance"]) == {"amount", "currency"}
        assert isinstance(account["balance"]["amount"], str)
        Decimal(account["balance"]["amount"])
    card_account = next(account for account in accounts if account["type"] == "credit_card")
    assert card_account["iban"] is None
    assert card_account["maskedPan"]
    assert Decimal(card_account["balance"]["amount"]) < 0
    transactions = truth["transactions"]
    assert isinstance(transactions, list)
    assert transactions
    for item in transactions:
        assert set(item) >= TRANSACTION_KEYS
        assert item["status"] in {"booked", "pending"}
        assert isinstance(item["amount"], str)
        assert isinstance(item["fraud"], bool)
        assert item["recurring"] is None or isinstance(item["recurring"], str)
    assert {item["status"] for item in transactions} == {"booked", "pending"}
    cards = truth["cards"]
    assert isinstance(cards, list)
    assert all({"cardId", "resourceId", "blocked"} <= set(card) for card in cards)


def test_truth_holds_only_what_exists_today(bank: SandboxBank) -> None:
    today = bank.today()
    truth = build_truth(bank, "c-daan", card_blocks={}, blocked_cards=frozenset())
    assert truth.transactions
    assert all(item.transaction_date <= today for item in truth.transactions)
    assert all(
        (item.status == "pending") == (item.booking_date > today) for item in truth.transactions
    )
    later = bank.data().transactions
    assert any(item.transaction_date > today for item in later)  # generated ahead, not shown


def test_truth_balance_is_booked_plus_pending(bank: SandboxBank) -> None:
    truth = build_truth(bank, "c-emily", card_blocks={}, blocked_cards=frozenset())
    for account in truth.accounts:
        opening = bank.account(account.resource_id)
        assert opening is not None
        total = sum(
            (
                item.amount.amount
                for item in truth.transactions
                if item.resource_id == account.resource_id
            ),
            opening.opening_balance,
        )
        assert account.balance.amount == total


def test_unknown_customer(bank: SandboxBank) -> None:
    with pytest.raises(SandboxError):
        build_truth(bank, "c-nobody", card_blocks={}, blocked_cards=frozenset())
