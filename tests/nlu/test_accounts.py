"""Accounts: the three kinds by their Dutch, Flemish and English names, and accounts the
customer named himself."""

from __future__ import annotations

import pytest

from kluis.nlu.accounts import extract_account

KINDS = [
    ("betaalrekening", "checking"),
    ("saldo betaalrekening", "checking"),
    ("mijn lopende rekening", "checking"),
    ("current account", "checking"),
    ("my checking", "checking"),
    ("checking?", "checking"),
    ("tell me what's in checking and savings", "checking"),
    ("checking account", "checking"),
    ("balance of my chequing account", "checking"),
    ("zichtrekening", "checking"),
    ("hoofdrekening", "checking"),
    ("main account", "checking"),
    ("van de betaal naar de spaar", "checking"),
    ("mijn betaal", "checking"),
    ("betaalrekeing", "checking"),
    ("spaarrekening", "savings"),
    ("wat staat er op mijn spaarrekening", "savings"),
    ("spaargeld", "savings"),
    ("sparen", "savings"),
    ("mijn spaar", "savings"),
    ("spaar?", "savings"),
    ("savings", "savings"),
    ("how much is in my savings", "savings"),
    ("savings account", "savings"),
    ("spaarpot", "savings"),
    ("spaarrekning", "savings"),
    ("SPAARREKENING", "savings"),
    ("creditcard", "credit_card"),
    ("credit card", "credit_card"),
    ("kredietkaart", "credit_card"),
    ("visa", "credit_card"),
    ("mijn Visa", "credit_card"),
    ("mastercard", "credit_card"),
    ("cc", "credit_card"),
    ("blokkeer mijn creditcard", "credit_card"),
    ("amex", "credit_card"),
]


@pytest.mark.parametrize(("text", "account"), KINDS)
def test_account_kinds(text: str, account: str) -> None:
    assert extract_account(text) == account


OWN_NAMES = [
    ("op mijn vakantie-rekening", "vakantie"),
    ("op mijn vakantie rekening", "vakantie"),
    ("mijn vakantierekening", "vakantie"),
    ("my holiday account", "holiday"),
    ("the holiday account", "holiday"),
    ("de vakantiepot", "vakantiepot"),
    ("hoeveel zit er in mijn Vakantiepot?", "vakantiepot"),
    ("vakantiepot", "vakantiepot"),
    ("mijn buffer-rekening", "buffer"),
    ("my holiday pot", "holiday pot"),
    ("mijn gezamenlijke rekening", "gezamenlijke"),
    ("my joint account", "joint"),
    ("mijn Café-rekening", "café"),
]


@pytest.mark.parametrize(("text", "account"), OWN_NAMES)
def test_accounts_by_their_own_name(text: str, account: str) -> None:
    assert extract_account(text) == account


NOT_ACCOUNTS = [
    "ik betaal",
    "ik spaar voor een auto",
    "betaal de rekening",
    "de rekening van KPN",
    "mijn telefoonrekening",
    "mijn energierekening",
    "my bank account",
    "mijn bankrekening",
    "my other account",
    "welke rekening",
    "all my accounts",
    "jackpot",
    "home depot",
    "mijn wasmachine is kapot",
    "thanks for checking that",
    "I'm checking my balance",
    "I sent money to the wrong account number",
    "wat is mijn rekeningnummer",
    "de despot",
    "wat is mijn saldo",
    "",
]


@pytest.mark.parametrize("text", NOT_ACCOUNTS)
def test_not_accounts(text: str) -> None:
    assert extract_account(text) is None


def test_the_first_of_two_accounts_is_returned() -> None:
    text = "van mijn betaalrekening naar mijn spaarrekening"
    assert extract_account(text) == "checking"
