"""What each channel may show: numbers, names, amounts, and what a lock screen may say."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError, fields
from datetime import date
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kluis.domain import Account, AccountKind, BookingStatus, Transaction
from kluis.money import Money
from kluis.privacy.policy import (
    ALERT_PREVIEW,
    FULL,
    AlertTopic,
    lock_screen_preview,
    policy_for,
    round_amount,
)
from kluis.privacy.preferences import Preferences

IBAN = "NL86INGB8225950194"
CHECKING = Account("acc-1", AccountKind.CHECKING, "EUR", name="Betaalrekening", iban=IBAN)
CARD = Account("card-1", AccountKind.CREDIT_CARD, "EUR", masked_pan="525412******3241")
PAYMENT = Transaction(
    resource_id="acc-1",
    transaction_id="t-1",
    status=BookingStatus.BOOKED,
    amount=Money(Decimal("-1234.56"), "EUR"),
    booking_date=date(2026, 3, 17),
    counterparty_name="Jan de Boer",
    counterparty_iban="NL91ABNA0417164300",
    creditor_id="NL98ZZZ999999999999",
    remittance="Huur maart Jan de Boer",
    masked_pan="525412******3241",
)
PLAIN = Preferences()
HIDING = Preferences(hide_counterparties=True)
DISCREET = Preferences(discreet_voice=True, voice_pin_set=True)


@pytest.mark.parametrize("channel", ["web", "terminal"])
def test_the_banks_own_chat_shows_everything_whatever_the_preferences(channel: str) -> None:
    for preferences in (PLAIN, HIDING, DISCREET):
        policy = policy_for(channel, preferences)
        assert policy is FULL
        assert policy.account_number(CHECKING) == "NL86 INGB 8225 9501 94"
        assert policy.account_number(CARD) == "525412******3241"
        assert policy.transaction(PAYMENT) == PAYMENT
        assert not policy.needs_voice_pin


@pytest.mark.parametrize("channel", ["messenger", "whatsapp", "telegram"])
def test_messengers_mask_numbers_to_the_last_four(channel: str) -> None:
    policy = policy_for(channel, PLAIN)
    assert policy.name == "messenger"
    assert policy.account_number(CHECKING) == "•••• 0194"
    assert policy.account_number(CARD) == "•••• 3241"
    shown = policy.transaction(PAYMENT)
    assert shown.counterparty_name == "Jan de Boer"
    assert shown.counterparty_iban == "•••• 4300"
    assert shown.masked_pan == "•••• 3241"
    assert shown.amount == PAYMENT.amount
    assert not policy.needs_voice_pin


@pytest.mark.parametrize("channel", ["messenger", "whatsapp", "telegram"])
def test_messengers_leave_out_names_when_the_customer_asked(channel: str) -> None:
    policy = policy_for(channel, HIDING)
    shown = policy.transaction(PAYMENT)
    assert policy.hide_counterparties
    for field in ("counterparty_name", "counterparty_iban", "remittance", "creditor_id"):
        assert getattr(shown, field) is None, field
    assert shown.amount == PAYMENT.amount
    assert shown.transaction_id == PAYMENT.transaction_id


def test_hiding_builds_a_new_transaction_and_never_changes_the_original() -> None:
    shown = policy_for("telegram", HIDING).transaction(PAYMENT)
    assert shown is not PAYMENT
    assert PAYMENT.counterparty_name == "Jan de Boer"
    with pytest.raises(FrozenInstanceError):
        shown.counterparty_name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("channel", ["alexa", "dialogflow"])
def test_voice_says_no_numbers_and_needs_the_voice_pin(channel: str) -> None:
    policy = policy_for(channel, PLAIN)
    assert policy.name == "voice"
    assert policy.needs_voice_pin
    assert policy.account_number(CHECKING) == ""
    assert policy.account_number(CARD) == ""
    assert policy.transaction(PAYMENT).amount == PAYMENT.amount
    assert policy.transaction(PAYMENT).counterparty_name == "Jan de Boer"


def test_discreet_voice_rounds_amounts_and_leaves_out_names() -> None:
    policy = policy_for("alexa", DISCREET)
    assert policy.name == "voice_discreet"
    assert policy.round_amounts
    assert policy.hide_counterparties
    assert policy.needs_voice_pin
    shown = policy.transaction(PAYMENT)
    assert shown.amount == Money(Decimal("-1200"), "EUR")
    assert shown.counterparty_name is None
    assert shown.remittance is None
    assert policy.amount(Money(Decimal("312.40"), "EUR")) == Money(Decimal("310"), "EUR")


def test_voice_honours_hidden_names_without_discreet_mode() -> None:
    policy = policy_for("alexa", HIDING)
    assert policy.hide_counterparties
    assert not policy.round_amounts


def test_an_unknown_channel_gets_masked_numbers_and_no_names() -> None:
    policy = policy_for("carrier-pigeon", PLAIN)
    assert policy.name == "restricted"
    assert policy.account_number(CHECKING) == "•••• 0194"
    assert policy.transaction(PAYMENT).counterparty_name is None


@pytest.mark.parametrize("channel", ["web", "telegram", "alexa", "unknown"])
def test_alert_previews_carry_no_amounts_names_or_numbers(channel: str) -> None:
    policy = policy_for(channel, PLAIN, purpose="alert_preview")
    assert policy is ALERT_PREVIEW
    assert policy.lock_screen_safe
    assert not policy.shows_amounts
    assert policy.account_number(CHECKING) == ""
    assert policy.account_number(CARD) == ""
    shown = policy.transaction(PAYMENT)
    assert shown.counterparty_name is None
    assert shown.remittance is None


@pytest.mark.parametrize("topic", get_args(AlertTopic))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_lock_screen_previews_are_safe_to_show_to_anyone(topic: AlertTopic, lang: str) -> None:
    text = lock_screen_preview(topic, lang)
    assert text
    assert not re.search(r"\d", text), "no amount, date or number on a lock screen"
    assert "€" not in text
    assert "Jan" not in text


def test_lock_screen_previews_speak_the_customers_language() -> None:
    assert lock_screen_preview("payment", "nl") != lock_screen_preview("payment", "en")
    assert "betaling" in lock_screen_preview("payment", "nl")


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("12.34", "12"),
        ("4.35", "4"),
        ("4.99", "5"),
        ("99.49", "99"),
        ("99.50", "100"),
        ("123.45", "120"),
        ("994.99", "990"),
        ("995.00", "1000"),
        ("1234.56", "1200"),
        ("1250.00", "1300"),
        ("10352.29", "10400"),
        ("-12.50", "-13"),
        ("-1234.56", "-1200"),
        ("0.00", "0"),
    ],
)
def test_discreet_rounding_to_euros_tens_and_hundreds(amount: str, rounded: str) -> None:
    assert round_amount(Money(Decimal(amount), "EUR")) == Money(Decimal(rounded), "EUR")


@given(st.decimals(min_value=-(10**7), max_value=10**7, places=2))
def test_rounding_is_close_keeps_the_sign_and_rounding_twice_changes_nothing(
    value: Decimal,
) -> None:
    once = round_amount(Money(value, "EUR"))
    assert round_amount(once) == once
    assert abs(once.amount - value) <= (5 if abs(value) < 995 else 50)
    assert once.amount == 0 or (once.amount > 0) == (value > 0)


def test_the_policy_is_frozen_and_names_every_decision() -> None:
    names = {field.name for field in fields(FULL)}
    assert {
        "show_full_numbers",
        "mask_numbers",
        "hide_counterparties",
        "needs_voice_pin",
        "round_amounts",
        "lock_screen_safe",
    } <= names
    with pytest.raises(FrozenInstanceError):
        FULL.mask_numbers = True  # type: ignore[misc]
