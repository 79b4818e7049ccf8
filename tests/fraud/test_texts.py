"""The "was this you?" alert as the customer reads it, per language and channel policy."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kluis.alerts.candidates import AlertCandidate, AlertMessage
from kluis.domain import BookingStatus, Transaction
from kluis.fraud.texts import fraud_alert_composer
from kluis.money import Money
from kluis.privacy.policy import FULL, policy_for
from kluis.privacy.preferences import Preferences

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 3, 21)


def payment(amount: str, name: str, hour: int, day: int = 21) -> tuple[Transaction, datetime]:
    transaction = Transaction(
        resource_id="card-1",
        transaction_id=f"t-{amount}",
        status=BookingStatus.PENDING,
        amount=Money.parse(f"-{amount}", "EUR"),
        counterparty_name=name,
        masked_pan="492910******1234",
    )
    return transaction, datetime(2026, 3, day, hour, 2, tzinfo=AMSTERDAM)


def test_one_payment_in_dutch_and_english() -> None:
    compose = fraud_alert_composer([payment("89.99", "Coolblue", 14)], TODAY)
    assert compose("nl", FULL).text.startswith("Was jij dit? € 89,99 bij Coolblue, vandaag 14:02.")
    english = compose("en", FULL)
    assert english.text.startswith("Was this you? €89.99 at Coolblue, today 14:02.")
    assert english.buttons == ("Yes, that was me", "No, that wasn't me")
    assert "PIN" in english.text


def test_a_burst_is_one_question_naming_five_and_counting_the_rest() -> None:
    payments = [payment(f"{n}.00", f"Shop {n}", 2) for n in range(1, 8)]
    text = fraud_alert_composer(payments, TODAY)("nl", FULL).text
    assert text.startswith("Was jij dit? Deze 7 betalingen")
    assert text.count("• ") == 6
    assert "en nog 2 andere" in text


def test_names_hidden_and_amounts_rounded_where_the_policy_says() -> None:
    compose = fraud_alert_composer([payment("123.45", "Juwelier Jansen", 3, day=19)], TODAY)
    hidden = compose("nl", policy_for("telegram", Preferences(hide_counterparties=True)))
    assert "Juwelier" not in hidden.text
    assert "bij een winkel of ontvanger" in hidden.text
    assert "19 mrt om 03:02" in hidden.text
    discreet = compose("en", policy_for("alexa", Preferences(discreet_voice=True)))
    assert "about €120" in discreet.text


def test_only_urgent_alerts_are_bundled() -> None:
    def compose(lang: str, policy: object) -> AlertMessage:
        return AlertMessage("x")

    single = AlertCandidate("c-1", "fraud", "a", "fraud", compose, urgent=True)
    with pytest.raises(ValueError, match="urgent"):
        AlertCandidate("c-1", "large_transaction", "b", "payment", compose, bundled=(single,))
