"""Choosing alerts in chat, in Dutch and English, through the real dialogue; what the
customer chose is checked in the store."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kluis.dialogue.engine import Dialogue
from kluis.dialogue.handlers.alerts import daily_limit_in, quiet_hours_in, wants_off
from kluis.money import Money
from kluis.runtime import Runtime
from kluis.store.alerts import AlertRule, AlertRuleRepository, QuietHours


async def _rules(runtime: Runtime, customer_id: str) -> dict[str, AlertRule]:
    async with runtime.database.session() as session:
        return await AlertRuleRepository(session).rules(customer_id)


async def _quiet(runtime: Runtime, customer_id: str) -> QuietHours:
    async with runtime.database.session() as session:
        return await AlertRuleRepository(session).quiet_hours(customer_id)


async def test_a_low_balance_alert_in_one_sentence(dialogue: Dialogue, runtime: Runtime) -> None:
    turn = await dialogue.respond(
        "c-sanne", "web", "waarschuw me als mijn saldo onder de 100 euro komt"
    )
    assert turn.intent == "alerts"
    assert turn.lang == "nl"
    assert "€ 100,00" in turn.replies[0].text
    rule = (await _rules(runtime, "c-sanne"))["low_balance"]
    assert rule.enabled
    assert rule.threshold == Money(Decimal("100.00"), "EUR")


async def test_a_low_balance_alert_without_an_amount_asks_for_one(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    asked = await dialogue.respond("c-emily", "web", "warn me when my balance gets low")
    assert asked.lang == "en"
    assert "Below €100" in asked.replies[0].buttons
    assert "low_balance" not in await _rules(runtime, "c-emily")
    answered = await dialogue.respond("c-emily", "web", asked.replies[0].buttons[1])
    assert answered.intent == "alerts"
    assert "€100.00" in answered.replies[0].text
    rule = (await _rules(runtime, "c-emily"))["low_balance"]
    assert rule.enabled
    assert rule.threshold == Money(Decimal("100.00"), "EUR")


async def test_the_amount_asked_for_goes_to_the_balance_alert(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    asked = await dialogue.respond("c-sanne", "web", "waarschuw me bij een laag saldo")
    assert "Bij welk bedrag" in asked.replies[0].text
    # Understood on its own as a large-payment alert; after the question it is the answer.
    answered = await dialogue.respond("c-sanne", "web", "bij 100 euro")
    assert "€ 100,00" in answered.replies[0].text
    stored = await _rules(runtime, "c-sanne")
    assert set(stored) == {"low_balance"}
    assert stored["low_balance"].threshold == Money(Decimal("100.00"), "EUR")


async def test_a_bare_amount_after_the_question_is_its_answer(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "waarschuw me bij een laag saldo")
    answered = await dialogue.respond("c-sanne", "web", "250 euro")  # alone: a payment
    assert "€ 250,00" in answered.replies[0].text
    stored = await _rules(runtime, "c-sanne")
    assert stored["low_balance"].threshold == Money(Decimal("250.00"), "EUR")


async def test_stopping_income_alerts_by_their_dutch_name(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "stuur me een bericht als mijn salaris binnen is")
    assert (await _rules(runtime, "c-sanne"))["income"].enabled
    turn = await dialogue.respond("c-sanne", "web", "stop met salarismeldingen")
    assert "binnenkomend geld" in turn.replies[0].text
    assert not (await _rules(runtime, "c-sanne"))["income"].enabled


async def test_no_more_large_payment_alerts(dialogue: Dialogue, runtime: Runtime) -> None:
    first = await dialogue.respond("c-sanne", "web", "meld grote betalingen boven 750 euro")
    assert "€ 750,00" in first.replies[0].text
    await dialogue.respond("c-sanne", "web", "geen meldingen meer over grote betalingen")
    rule = (await _rules(runtime, "c-sanne"))["large_transaction"]
    assert not rule.enabled
    assert rule.threshold == Money(Decimal("750.00"), "EUR")  # kept for switching back on


async def test_stop_all_alerts_keeps_fraud_alerts_and_says_so(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    turn = await dialogue.respond("c-emily", "web", "stop all my alerts")
    assert "suspicious payments stay on" in turn.replies[0].text
    stored = await _rules(runtime, "c-emily")
    assert "fraud" not in stored
    assert stored
    assert not any(rule.enabled for rule in stored.values())
    listed = await dialogue.respond("c-emily", "web", "which alerts do I have?")
    text = listed.replies[0].text
    assert "These alerts are on: suspicious payments (always on)." in text
    assert "duplicate charges" in text.split("Off:")[1]


async def test_stop_without_a_kind_asks_which_with_buttons(dialogue: Dialogue) -> None:
    turn = await dialogue.respond("c-sanne", "web", "ik wil minder meldingen, zet ze uit")
    assert turn.replies[0].text == "Welke meldingen wil je uitzetten?"
    buttons = turn.replies[0].buttons
    assert "Stop meldingen over dubbele afschrijvingen" in buttons
    assert "Stop saldomeldingen" not in buttons  # not on, so nothing to stop
    assert buttons[-1] == "Stop alle meldingen"


async def test_a_stop_button_from_an_alert_stops_that_kind(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "Stop meldingen over prijsverhogingen")
    stored = await _rules(runtime, "c-sanne")
    assert set(stored) == {"price_increase"}
    assert not stored["price_increase"].enabled


async def test_asking_to_stop_fraud_alerts_explains_kindly(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    turn = await dialogue.respond("c-emily", "web", "stop fraud alerts")
    assert "protect your money" in turn.replies[0].text
    assert "fraud" not in await _rules(runtime, "c-emily")


async def test_the_list_in_dutch_with_thresholds_and_defaults(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "waarschuw me als mijn saldo onder de 50 euro komt")
    turn = await dialogue.respond("c-sanne", "web", "welke meldingen heb ik aan?")
    text = turn.replies[0].text
    assert "laag saldo (onder € 50,00)" in text
    assert "verdachte betalingen (altijd aan)" in text
    assert "Uit: grote betalingen en binnenkomend geld." in text
    assert "Tussen 22:00 en 07:30" in text
    assert "hoogstens 5 per dag" in text
    assert "Stop alle meldingen" in turn.replies[0].buttons


async def test_quiet_hours_in_dutch_and_english(dialogue: Dialogue, runtime: Runtime) -> None:
    turn = await dialogue.respond("c-sanne", "web", "geen meldingen tussen 22 en 7 uur")
    assert "tussen 22:00 en 07:00" in turn.replies[0].text
    assert await _quiet(runtime, "c-sanne") == QuietHours("22:00", "07:00", None)
    english = await dialogue.respond("c-emily", "web", "no alerts between 11pm and 6:30am")
    assert "between 23:00 and 06:30" in english.replies[0].text
    assert await _quiet(runtime, "c-emily") == QuietHours("23:00", "06:30", None)
    assert not await _rules(runtime, "c-sanne")  # no rule switched off along the way


async def test_a_daily_limit_is_not_a_stop(dialogue: Dialogue, runtime: Runtime) -> None:
    await dialogue.respond("c-sanne", "web", "geen meldingen tussen 23 en 7 uur")
    turn = await dialogue.respond("c-sanne", "web", "niet meer dan 2 meldingen per dag")
    assert "hoogstens 2 meldingen per dag" in turn.replies[0].text
    assert await _quiet(runtime, "c-sanne") == QuietHours("23:00", "07:00", 2)
    assert not await _rules(runtime, "c-sanne")
    english = await dialogue.respond("c-emily", "web", "at most 1 alert a day")
    assert "at most 1 alert a day" in english.replies[0].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("geen meldingen tussen 22 en 7 uur", ("22:00", "07:00")),
        ("geen meldingen tussen 22:30 en 07:15", ("22:30", "07:15")),
        ("no alerts between 10pm and 7am", ("22:00", "07:00")),
        ("no alerts between 10 and 7", ("22:00", "07:00")),
        ("quiet hours from 23.00 to 6.30", ("23:00", "06:30")),
        ("geen meldingen na 10 uur 's avonds", ("22:00", None)),
        ("no notifications at night please", (None, None)),
        ("van 9 tot 17 uur geen berichtjes", ("09:00", "17:00")),
        ("maximaal 3 meldingen per dag", None),
        ("tussen 25 en 7 uur", None),
        ("meld betalingen van 5 tot 20 euro", None),
        ("alert me about payments from 20 euros", None),
    ],
)
def test_quiet_hours_are_read_from_what_people_write(
    text: str, expected: tuple[str | None, str | None] | None
) -> None:
    assert quiet_hours_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("maximaal 3 meldingen per dag", 3),
        ("niet meer dan drie berichten per dag", 3),
        ("max 10 alerts per day", 10),
        ("at most five notifications a day", 5),
        ("geen meldingen tussen 22 en 7 uur", None),
    ],
)
def test_daily_limits_are_read_with_numbers_in_words(text: str, expected: int | None) -> None:
    assert daily_limit_in(text) == expected


@pytest.mark.parametrize(
    ("text", "sub", "expected"),
    [
        ("stop low balance alerts", "low_balance", True),
        ("zet salarismeldingen uit", "", True),
        ("zet salarismeldingen aan", "stop", False),
        ("waarschuw me als mijn saldo onder de 100 euro komt", "low_balance", False),
        ("I don't want income alerts anymore", "stop", True),
    ],
)
def test_switching_off_is_read_from_the_words_first(text: str, sub: str, expected: bool) -> None:
    assert wants_off(text, sub) is expected


async def test_switching_a_default_kind_back_on_and_do_not_disturb(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-emily", "web", "stop duplicate charge alerts")
    assert not (await _rules(runtime, "c-emily"))["duplicate_charge"].enabled
    turn = await dialogue.respond(
        "c-emily", "web", "please switch duplicate charge alerts on again"
    )
    assert turn.intent == "alerts"
    assert "alerts about duplicate charges are on" in turn.replies[0].text
    assert (await _rules(runtime, "c-emily"))["duplicate_charge"].enabled
    quiet = await dialogue.respond("c-sanne", "web", "niet storen tussen 23 en 8 uur aub")
    assert quiet.intent == "alerts"
    assert await _quiet(runtime, "c-sanne") == QuietHours("23:00", "08:00", None)
