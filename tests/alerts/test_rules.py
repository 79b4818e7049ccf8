"""The alert rules over plain data: what each finds, what it leaves alone, and what its
alert says under each disclosure policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kluis.alerts.candidates import AlertCandidate
from kluis.alerts.kinds import KINDS, effective_rules, kinds_named
from kluis.alerts.rules import AccountFacts, evaluate
from kluis.dialogue.formatting import Lang
from kluis.domain import Account, AccountKind, BookingStatus, StoredTransaction, Transaction
from kluis.insights.flows import OwnAccounts
from kluis.insights.recurring import next_date
from kluis.insights.rules import CategoryRule
from kluis.money import Money
from kluis.nlu import parse
from kluis.privacy.policy import ALERT_PREVIEW, FULL, DisclosurePolicy
from kluis.store.alerts import AlertRule

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)
MESSENGER_HIDDEN = replace(
    FULL, name="messenger", show_full_numbers=False, hide_counterparties=True
)
DISCREET = replace(FULL, name="voice_discreet", round_amounts=True, hide_counterparties=True)
OWN_SAVINGS = "NL12KLUI0123456789"
LANGS: tuple[Lang, ...] = ("nl", "en")


def euro(value: str) -> Money:
    return Money(Decimal(value), "EUR")


_ids = iter(range(1, 1_000_000))


def tx(
    day: date,
    amount: str,
    name: str | None = "Coolblue",
    *,
    iban: str | None = None,
    creditor: str | None = None,
    mandate: str | None = None,
    remittance: str | None = None,
    code: str | None = None,
    mcc: str | None = None,
    status: BookingStatus = BookingStatus.BOOKED,
) -> Transaction:
    return Transaction(
        resource_id="acc-1",
        transaction_id=f"tx-{next(_ids)}",
        status=status,
        amount=euro(amount),
        booking_date=day if status is BookingStatus.BOOKED else None,
        transaction_date=day,
        counterparty_name=name,
        counterparty_iban=iban,
        creditor_id=creditor,
        mandate_id=mandate,
        remittance=remittance,
        bank_transaction_code=code,
        merchant_category_code=mcc,
    )


def stored(transactions: Sequence[Transaction]) -> list[StoredTransaction]:
    return [StoredTransaction(item, 7, NOW, NOW) for item in transactions]


def rules(**chosen: tuple[bool, str | None]) -> dict[str, AlertRule]:
    return {
        kind: AlertRule(kind, on, euro(amount) if amount else None, NOW)
        for kind, (on, amount) in chosen.items()
    }


def facts(
    new: Sequence[Transaction],
    history: Sequence[Transaction] = (),
    *,
    before: str | None = "1000.00",
    after: str | None = "1000.00",
    kind: AccountKind = AccountKind.CHECKING,
    chosen: dict[str, AlertRule] | None = None,
) -> AccountFacts:
    own = OwnAccounts.of(
        [
            Account("acc-1", AccountKind.CHECKING, "EUR", iban="NL91KLUI0417164300"),
            Account("acc-2", AccountKind.SAVINGS, "EUR", iban=OWN_SAVINGS),
        ]
    )
    return AccountFacts(
        customer_id="c-1",
        account_id=7,
        account_kind=kind,
        currency="EUR",
        new=stored(new),
        history=stored([*history, *new]),
        balance_before=euro(before) if before else None,
        balance_after=euro(after) if after else None,
        today=TODAY,
        rules=effective_rules(chosen or {}),
        own=own,
    )


def of_kind(candidates: list[AlertCandidate], kind: str) -> list[AlertCandidate]:
    return [candidate for candidate in candidates if candidate.kind == kind]


def monthly(
    first: date,
    count: int,
    amount: str,
    name: str,
    creditor: str | None = None,
    mandate: str | None = None,
) -> list[Transaction]:
    days = [first]
    while len(days) < count:
        days.append(next_date(days[-1], "monthly"))
    return [tx(day, amount, name, creditor=creditor, mandate=mandate) for day in days]


# low balance


def test_low_balance_fires_when_the_balance_crosses_the_threshold() -> None:
    chosen = rules(low_balance=(True, "100"))
    found = evaluate(facts([tx(TODAY, "-80.00")], before="150.00", after="70.00", chosen=chosen))
    (alert,) = of_kind(found, "low_balance")
    assert alert.dedupe_key == "7:2026-03-16"
    assert alert.topic == "balance"
    assert not alert.urgent
    assert alert.account_id == 7
    message = alert.compose("nl", FULL)
    assert "€ 100,00" in message.text
    assert "€ 70,00" in message.text
    assert "betaalrekening" in message.text
    assert "Stop saldomeldingen" in message.buttons
    english = alert.compose("en", FULL)
    assert "€100.00" in english.text
    assert "€70.00" in english.text
    assert "Stop balance alerts" in english.buttons


@pytest.mark.parametrize(
    ("before", "after"),
    [("90.00", "50.00"), ("150.00", "120.00"), (None, "50.00"), ("150.00", "100.00")],
)
def test_low_balance_is_quiet_unless_it_crosses_now(before: str | None, after: str) -> None:
    chosen = rules(low_balance=(True, "100"))
    found = evaluate(facts([tx(TODAY, "-1.00")], before=before, after=after, chosen=chosen))
    assert not of_kind(found, "low_balance")


def test_low_balance_needs_the_customer_to_ask_and_a_current_account() -> None:
    payment = [tx(TODAY, "-80.00")]
    assert not of_kind(evaluate(facts(payment, before="150", after="70")), "low_balance")
    chosen = rules(low_balance=(True, "100"))
    savings = facts(payment, before="150", after="70", kind=AccountKind.SAVINGS, chosen=chosen)
    assert not of_kind(evaluate(savings), "low_balance")
    switched_off = rules(low_balance=(False, "100"))
    assert not of_kind(
        evaluate(facts(payment, before="150", after="70", chosen=switched_off)), "low_balance"
    )


def test_a_threshold_in_another_currency_does_not_apply() -> None:
    chosen = {"low_balance": AlertRule("low_balance", True, Money(Decimal(100), "GBP"), NOW)}
    found = evaluate(facts([tx(TODAY, "-80.00")], before="150.00", after="70.00", chosen=chosen))
    assert not of_kind(found, "low_balance")


def test_lock_screen_and_rounded_forms_of_a_low_balance_alert() -> None:
    chosen = rules(low_balance=(True, "100"))
    found = evaluate(facts([tx(TODAY, "-80.00")], before="150.00", after="71.60", chosen=chosen))
    (alert,) = of_kind(found, "low_balance")
    private = alert.compose("nl", ALERT_PREVIEW).text
    assert "€" not in private
    assert "71" not in private
    assert "ongeveer € 72" in alert.compose("nl", DISCREET).text


# large payments


def test_large_payments_from_the_default_threshold_once_switched_on() -> None:
    payment = tx(TODAY, "-649.00", "Coolblue")
    assert not of_kind(evaluate(facts([payment])), "large_transaction")
    chosen = rules(large_transaction=(True, None))
    (alert,) = of_kind(evaluate(facts([payment], chosen=chosen)), "large_transaction")
    assert alert.dedupe_key == f"7:{payment.transaction_id}"
    full = alert.compose("nl", FULL)
    assert "€ 649,00" in full.text
    assert "Coolblue" in full.text
    assert full.buttons[0] == "Ik herken deze betaling niet"
    hidden = alert.compose("en", MESSENGER_HIDDEN).text
    assert "€649.00" in hidden
    assert "Coolblue" not in hidden
    private = alert.compose("en", ALERT_PREVIEW).text
    assert "649" not in private
    assert "Coolblue" not in private


def test_large_payments_leave_out_small_ones_money_in_and_own_transfers() -> None:
    chosen = rules(large_transaction=(True, "250"))
    small = tx(TODAY, "-249.99")
    incoming = tx(TODAY, "900.00", "Werkgever")
    to_savings = tx(TODAY, "-1000.00", "S. de Vries", iban=OWN_SAVINGS)
    old = tx(TODAY - timedelta(days=30), "-900.00")
    exactly = tx(TODAY, "-250.00")
    found = of_kind(
        evaluate(facts([small, incoming, to_savings, old, exactly], chosen=chosen)),
        "large_transaction",
    )
    assert [alert.dedupe_key for alert in found] == [f"7:{exactly.transaction_id}"]


def test_a_long_bank_id_is_hashed_in_the_dedupe_key() -> None:
    payment = replace(tx(TODAY, "-900.00"), transaction_id="x" * 100)
    chosen = rules(large_transaction=(True, None))
    (alert,) = of_kind(evaluate(facts([payment], chosen=chosen)), "large_transaction")
    assert len(alert.dedupe_key) <= 40
    assert "xxxx" not in alert.dedupe_key


# income


def test_income_alerts_for_salary_not_for_own_transfers_or_refunds() -> None:
    salary = tx(TODAY, "2450.00", "Werkgever B.V.", remittance="Salaris maart")
    own = tx(TODAY, "300.00", "S. de Vries", iban=OWN_SAVINGS, remittance="Salaris apart")
    friend = tx(TODAY, "12.50", "Jan Jansen", remittance="Pizza")
    chosen = rules(income=(True, None))
    assert not of_kind(evaluate(facts([salary, own, friend])), "income")
    (alert,) = of_kind(evaluate(facts([salary, own, friend], chosen=chosen)), "income")
    assert alert.topic == "income"
    assert alert.dedupe_key == f"7:{salary.transaction_id}"
    text = alert.compose("nl", FULL).text
    assert "€ 2.450,00" in text
    assert "Werkgever B.V." in text
    assert "B.V.." not in text
    assert "Werkgever" not in alert.compose("nl", MESSENGER_HIDDEN).text


# duplicate charges


def test_the_same_charge_twice_within_a_day_is_a_duplicate() -> None:
    first = tx(TODAY - timedelta(days=1), "-59.95", "Zalando")
    second = tx(TODAY, "-59.95", "Zalando")
    (alert,) = of_kind(evaluate(facts([second], [first])), "duplicate_charge")
    text = alert.compose("nl", FULL).text
    assert "Zalando" in text
    assert "twee keer € 59,95" in text
    assert "15 mrt" in text
    assert "Zalando" not in alert.compose("nl", MESSENGER_HIDDEN).text
    again = of_kind(evaluate(facts([first, second])), "duplicate_charge")
    assert [item.dedupe_key for item in again] == [alert.dedupe_key]


@pytest.mark.parametrize(
    ("name", "amount", "gap", "mcc"),
    [
        ("Starbucks", "-4.20", 0, "5814"),  # two coffees
        ("Albert Heijn", "-23.10", 0, "5411"),  # groceries
        ("NS Reizigers", "-12.40", 0, None),  # two train tickets
        ("Zalando", "-59.95", 3, None),  # three days apart
    ],
)
def test_legitimate_repeats_are_not_duplicates(
    name: str, amount: str, gap: int, mcc: str | None
) -> None:
    first = tx(TODAY - timedelta(days=gap), amount, name, mcc=mcc)
    second = tx(TODAY, amount, name, mcc=mcc)
    assert not of_kind(evaluate(facts([second], [first])), "duplicate_charge")


def test_a_refunded_duplicate_and_a_switched_off_rule_give_nothing() -> None:
    first = tx(TODAY - timedelta(days=1), "-59.95", "Zalando")
    second = tx(TODAY, "-59.95", "Zalando")
    refund = tx(TODAY, "59.95", "Zalando")
    assert not of_kind(evaluate(facts([second, refund], [first])), "duplicate_charge")
    off = rules(duplicate_charge=(False, None))
    assert not of_kind(evaluate(facts([second], [first], chosen=off)), "duplicate_charge")


def test_a_pending_entry_and_its_booked_twin_are_not_a_duplicate() -> None:
    pending = tx(TODAY, "-59.95", "Zalando", status=BookingStatus.PENDING)
    booked = tx(TODAY, "-59.95", "Zalando")
    assert not of_kind(evaluate(facts([booked], [pending])), "duplicate_charge")


def test_three_equal_charges_give_two_alerts() -> None:
    charges = [tx(TODAY, "-30.00", "Ticketmaster") for _ in range(3)]
    found = of_kind(evaluate(facts(charges)), "duplicate_charge")
    assert len({alert.dedupe_key for alert in found}) == 2


# subscriptions


def test_a_price_increase_on_the_due_date_is_reported_once() -> None:
    history = monthly(date(2025, 11, 14), 4, "-13.49", name="Netflix")
    raised = tx(date(2026, 3, 14), "-15.99", "Netflix")
    (alert,) = of_kind(evaluate(facts([raised], history)), "price_increase")
    text = alert.compose("nl", FULL).text
    assert "€ 15,99" in text
    assert "€ 13,49" in text
    assert "per maand" in text
    assert "Netflix" not in alert.compose("en", MESSENGER_HIDDEN).text
    assert "a month" in alert.compose("en", FULL).text
    later = tx(date(2026, 4, 14), "-15.99", "Netflix")
    assert not of_kind(evaluate(facts([later], [*history, raised])), "price_increase")


@pytest.mark.parametrize("amount", ["-13.49", "-13.70", "-12.99"])
def test_the_same_price_or_a_small_change_is_no_increase(amount: str) -> None:
    history = monthly(date(2025, 11, 14), 4, "-13.49", name="Netflix")
    charge = tx(date(2026, 3, 14), amount, "Netflix")
    assert not of_kind(evaluate(facts([charge], history)), "price_increase")


def test_an_extra_purchase_off_the_due_date_is_no_price_increase() -> None:
    history = monthly(date(2025, 11, 1), 4, "-9.99", name="Spotify")
    extra = tx(date(2026, 3, 14), "-14.99", "Spotify")
    assert not of_kind(evaluate(facts([extra], history)), "price_increase")


def test_a_third_regular_charge_announces_a_new_recurring_payment() -> None:
    earlier = monthly(date(2026, 1, 15), 2, "-29.00", name="Basic-Fit")
    third = tx(date(2026, 3, 15), "-29.00", "Basic-Fit")
    (alert,) = of_kind(evaluate(facts([third], earlier)), "new_recurring")
    assert alert.dedupe_key.startswith("7:")
    assert "basic" not in alert.dedupe_key.lower()
    text = alert.compose("nl", FULL).text
    assert "Basic-Fit" in text
    assert "€ 29,00" in text
    assert "per maand" in text
    assert not of_kind(evaluate(facts([third], earlier[:1])), "new_recurring")
    fourth = tx(date(2026, 4, 15), "-29.00", "Basic-Fit")
    assert not of_kind(evaluate(facts([fourth], [*earlier, third])), "new_recurring")


def test_a_dismissed_series_gives_no_price_increase_or_new_recurring_alert() -> None:
    history = monthly(date(2025, 11, 14), 4, "-13.49", name="Netflix")
    raised = tx(date(2026, 3, 14), "-15.99", "Netflix")
    dismissed = frozenset({"name:netflix"})
    assert of_kind(evaluate(facts([raised], history)), "price_increase")
    assert not of_kind(
        evaluate(replace(facts([raised], history), dismissed=dismissed)), "price_increase"
    )
    earlier = monthly(date(2026, 1, 15), 2, "-29.00", name="Basic-Fit")
    third = tx(date(2026, 3, 15), "-29.00", "Basic-Fit")
    gone = replace(facts([third], earlier), dismissed=frozenset({"name:basic fit"}))
    assert not of_kind(evaluate(gone), "new_recurring")


def test_a_first_sync_of_a_year_announces_no_old_subscriptions() -> None:
    year = monthly(date(2025, 4, 15), 12, "-29.00", name="Basic-Fit")
    assert not of_kind(evaluate(facts(year, before=None)), "new_recurring")


def test_groceries_every_week_are_no_new_subscription() -> None:
    weeks = [
        tx(TODAY - timedelta(days=7 * i), "-50.00", "Albert Heijn", mcc="5411") for i in range(3)
    ]
    assert not of_kind(evaluate(facts(weeks[:1], weeks[1:])), "new_recurring")


# upcoming direct debits


def _rent(amount: str = "-950.00") -> list[Transaction]:
    return monthly(
        date(2025, 12, 18), 3, amount, name="Woonstichting", creditor="NL02ZZZ2", mandate="M-9"
    )


def test_a_direct_debit_due_soon_that_the_balance_does_not_cover() -> None:
    (alert,) = of_kind(
        evaluate(facts([tx(TODAY, "-5.00")], _rent(), after="400.00")), "upcoming_overdraft"
    )
    assert alert.dedupe_key.endswith(":2026-03-18")
    text = alert.compose("nl", FULL).text
    assert "18 mrt" in text
    assert "€ 950,00" in text
    assert "€ 400,00" in text
    assert "Woonstichting" in text
    private = alert.compose("nl", ALERT_PREVIEW).text
    assert "950" not in private
    assert "Woonstichting" not in private


def test_no_overdraft_warning_when_covered_or_not_due_or_no_mandate() -> None:
    assert not of_kind(
        evaluate(facts([tx(TODAY, "-5.00")], _rent(), after="2000.00")), "upcoming_overdraft"
    )
    later = monthly(
        date(2025, 12, 24), 3, "-950.00", "Woonstichting", creditor="NL02ZZZ2", mandate="M-9"
    )
    assert not of_kind(
        evaluate(facts([tx(TODAY, "-5.00")], later, after="10.00")), "upcoming_overdraft"
    )
    card = monthly(date(2025, 12, 18), 3, "-950.00", name="Verhuurder")
    assert not of_kind(
        evaluate(facts([tx(TODAY, "-5.00")], card, after="10.00")), "upcoming_overdraft"
    )


def test_debits_due_together_are_added_up() -> None:
    rent = _rent("-500.00")
    energy = monthly(
        date(2025, 12, 17), 3, "-120.00", name="Energie", creditor="NL03ZZZ3", mandate="M-3"
    )
    found = of_kind(
        evaluate(facts([tx(TODAY, "-5.00")], [*rent, *energy], after="550.00")),
        "upcoming_overdraft",
    )
    assert len(found) == 1  # energy alone fits, rent after it does not
    text = found[0].compose("en", FULL).text
    assert "€500.00" in text
    assert "€620.00" in text


# buttons are chat input


@pytest.mark.parametrize("kind", [name for name, kind in KINDS.items() if kind.can_stop])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_stop_button_is_read_as_stopping_its_kind(kind: str, lang: Lang) -> None:
    label = KINDS[kind].stop_button[lang]
    parsed = parse(label, today=TODAY)
    assert parsed.intent == "alerts.stop"
    assert parsed.lang == lang
    assert kinds_named(label) == (kind,)


def test_every_alert_composes_in_both_languages_under_every_policy() -> None:
    chosen = rules(low_balance=(True, "100"), large_transaction=(True, "50"), income=(True, None))
    first = tx(TODAY - timedelta(days=1), "-59.95", "Zalando")
    new = [
        tx(TODAY, "-59.95", "Zalando"),
        tx(TODAY, "2450.00", "Werkgever B.V.", remittance="Salaris"),
        tx(date(2026, 3, 14), "-15.99", "Netflix"),
    ]
    history = [first, *monthly(date(2025, 11, 14), 4, "-13.49", name="Netflix"), *_rent()]
    found = evaluate(facts(new, history, before="500.00", after="60.00", chosen=chosen))
    assert {alert.kind for alert in found} == {
        "low_balance",
        "large_transaction",
        "income",
        "duplicate_charge",
        "price_increase",
        "upcoming_overdraft",
    }
    policies: list[DisclosurePolicy] = [FULL, MESSENGER_HIDDEN, DISCREET, ALERT_PREVIEW]
    for alert in found:
        for policy in policies:
            for lang in LANGS:
                message = alert.compose(lang, policy)
                assert message.text
                assert "{" not in message.text
                assert message.buttons
                if policy.lock_screen_safe:
                    assert "€" not in message.text
                if policy.hide_counterparties:
                    assert not any(n in message.text for n in ("Zalando", "Netflix", "Werkgever"))


def test_duplicates_follow_the_customers_own_corrections() -> None:
    # The customer put their canteen (unknown to Kluis by name) under eating out: two lunches
    # there on one day are everyday spending, not a duplicate charge.
    first = tx(TODAY, "-12.50", "De Werf B.V.")
    second = tx(TODAY, "-12.50", "De Werf B.V.")
    assert of_kind(evaluate(facts([second], [first])), "duplicate_charge")
    corrected = replace(
        facts([second], [first]),
        corrections=(CategoryRule.of("De Werf B.V.", "eating_out"),),
    )
    assert not of_kind(evaluate(corrected), "duplicate_charge")
