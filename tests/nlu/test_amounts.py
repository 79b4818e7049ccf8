"""Amounts: currencies, Dutch and English number formats and words, operators, and the many
numbers that are not money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kluis.nlu.amounts import extract_amount
from kluis.nlu.types import Amount, AmountOp


def amount(value: str, currency: str = "EUR", op: AmountOp = "eq") -> Amount:
    return Amount(Decimal(value), currency, op)


FORMATS = [
    ("€ 12,50", "12.50"),
    ("€12.50", "12.50"),
    ("€12,5", "12.50"),
    ("12,50 euro", "12.50"),
    ("12.50 EUR", "12.50"),
    ("EUR 12,50", "12.50"),
    ("eur12", "12.00"),
    ("12€", "12.00"),
    ("12 €", "12.00"),
    ("50 euro", "50.00"),
    ("50euro", "50.00"),
    ("50 euros", "50.00"),
    ("50 euro's", "50.00"),
    ("€ 12,-", "12.00"),
    ("12,-", "12.00"),
    ("12,--", "12.00"),
    ("49,99", "49.99"),
    ("betaling van 49.99", "49.99"),
    ("1.234,56 euro", "1234.56"),
    ("€ 1.234,56", "1234.56"),
    ("1,234.56 euro", "1234.56"),
    ("1.234 euro", "1234.00"),
    ("€ 1.000.000", "1000000.00"),
    ("1k euro", "1000.00"),
    ("2,5k euro", "2500.00"),
    ("€2k", "2000.00"),
    ("3 duizend euro", "3000.00"),
    ("50 cent", "0.50"),
    ("12 euro 50", "12.50"),
    ("12 euro en 50 cent", "12.50"),
    ("0 euro", "0.00"),
    ("50 ballen", "50.00"),
    ("tien piek", "10.00"),
]


@pytest.mark.parametrize(("text", "value"), FORMATS)
def test_euro_formats(text: str, value: str) -> None:
    assert extract_amount(text) == amount(value)


WORDS = [
    ("vijftig euro", "50.00"),
    ("honderd euro", "100.00"),
    ("tweehonderdvijftig euro", "250.00"),
    ("twee honderd vijftig euro", "250.00"),
    ("twaalfhonderd euro", "1200.00"),
    ("vijfentwintig euro", "25.00"),
    ("vijf en twintig euro", "25.00"),
    ("eenentwintig euro", "21.00"),
    ("tweeëntwintig euro", "22.00"),
    ("duizend euro", "1000.00"),
    ("tweeduizend euro", "2000.00"),
    ("duizendvijfhonderd euro", "1500.00"),
    ("een euro", "1.00"),
    ("één euro", "1.00"),
    ("twaalf euro vijftig", "12.50"),
    ("fifty euros", "50.00"),
    ("two hundred fifty euro", "250.00"),
    ("two hundred and fifty euros", "250.00"),
    ("twenty-five euro", "25.00"),
    ("a hundred euros", "100.00"),
    ("a thousand euro", "1000.00"),
    ("fifteen hundred euros", "1500.00"),
    ("een tientje", "10.00"),
    ("twee tientjes", "20.00"),
    ("een vijfje", "5.00"),
    ("een briefje van 50", "50.00"),
    ("een briefje van vijftig", "50.00"),
    ("twee briefjes van 20", "40.00"),
    ("een mille", "1000.00"),
    ("a grand", "1000.00"),
    ("two grand", "2000.00"),
    ("2 grand", "2000.00"),
]


@pytest.mark.parametrize(("text", "value"), WORDS)
def test_number_words_and_slang(text: str, value: str) -> None:
    assert extract_amount(text) == amount(value)


CURRENCIES = [
    ("$20", "20.00", "USD"),
    ("$ 20", "20.00", "USD"),
    ("20$", "20.00", "USD"),
    ("20 dollar", "20.00", "USD"),
    ("20 dollars", "20.00", "USD"),
    ("USD 20", "20.00", "USD"),
    ("usd20", "20.00", "USD"),
    ("20 usd", "20.00", "USD"),
    ("20 bucks", "20.00", "USD"),
    ("US$ 20", "20.00", "USD"),
    ("twenty dollars", "20.00", "USD"),
    ("£5", "5.00", "GBP"),
    ("5 pounds", "5.00", "GBP"),
    ("5 pond", "5.00", "GBP"),
    ("vijf pond", "5.00", "GBP"),
    ("GBP 5", "5.00", "GBP"),
    ("5 quid", "5.00", "GBP"),
    ("£1,234.56", "1234.56", "GBP"),
]


@pytest.mark.parametrize(("text", "value", "currency"), CURRENCIES)
def test_currencies(text: str, value: str, currency: str) -> None:
    assert extract_amount(text) == amount(value, currency)


OPERATORS: list[tuple[str, str, str, AmountOp]] = [
    ("meer dan 50 euro", "50.00", "EUR", "gt"),
    ("meer als 50 euro", "50.00", "EUR", "gt"),
    ("more than $20", "20.00", "USD", "gt"),
    ("boven de 100 euro", "100.00", "EUR", "gt"),
    ("over 50 euros", "50.00", "EUR", "gt"),
    ("groter dan 30 euro", "30.00", "EUR", "gt"),
    ("above £10", "10.00", "GBP", "gt"),
    ("bigger than 10 euro", "10.00", "EUR", "gt"),
    ("greater than 10 euro", "10.00", "EUR", "gt"),
    ("> 20 euro", "20.00", "EUR", "gt"),
    (">20", "20.00", "EUR", "gt"),
    ("at least 100 euro", "100.00", "EUR", "gt"),
    ("minstens 100 euro", "100.00", "EUR", "gt"),
    ("50 euro of meer", "50.00", "EUR", "gt"),
    ("50 euros or more", "50.00", "EUR", "gt"),
    ("minder dan 20 euro", "20.00", "EUR", "lt"),
    ("less than 20 pounds", "20.00", "GBP", "lt"),
    ("onder de 10 euro", "10.00", "EUR", "lt"),
    ("under $15", "15.00", "USD", "lt"),
    ("below 5 euro", "5.00", "EUR", "lt"),
    ("kleiner dan 5 euro", "5.00", "EUR", "lt"),
    ("< 5 euro", "5.00", "EUR", "lt"),
    ("<5", "5.00", "EUR", "lt"),
    ("niet meer dan 30 euro", "30.00", "EUR", "lt"),
    ("maximaal 30 euro", "30.00", "EUR", "lt"),
    ("tot 30 euro", "30.00", "EUR", "lt"),
    ("30 euro of minder", "30.00", "EUR", "lt"),
    ("ongeveer 30 euro", "30.00", "EUR", "approx"),
    ("about 30 euros", "30.00", "EUR", "approx"),
    ("rond de 30 euro", "30.00", "EUR", "approx"),
    ("around $30", "30.00", "USD", "approx"),
    ("zo'n 30 euro", "30.00", "EUR", "approx"),
    ("zo’n 30 euro", "30.00", "EUR", "approx"),
    ("circa 30 euro", "30.00", "EUR", "approx"),
    ("ca. 30 euro", "30.00", "EUR", "approx"),
    ("approximately 30 euro", "30.00", "EUR", "approx"),
    ("roughly 30 quid", "30.00", "GBP", "approx"),
    ("~30 euro", "30.00", "EUR", "approx"),
    ("ongeveer vijftig euro", "50.00", "EUR", "approx"),
    ("precies 30 euro", "30.00", "EUR", "eq"),
    ("exactly 30 euro", "30.00", "EUR", "eq"),
]


@pytest.mark.parametrize(("text", "value", "currency", "op"), OPERATORS)
def test_operators(text: str, value: str, currency: str, op: AmountOp) -> None:
    assert extract_amount(text) == amount(value, currency, op)


BARE_NUMBERS_THAT_ARE_MONEY: list[tuple[str, str, AmountOp]] = [
    ("boven de 100", "100.00", "gt"),
    ("waarschuw me als mijn saldo onder de 100 komt", "100.00", "lt"),
    ("over 50", "50.00", "gt"),
    ("transactions over 50", "50.00", "gt"),
    ("betalingen boven de 250", "250.00", "gt"),
    ("meer dan 1000", "1000.00", "gt"),
    ("meer dan duizend", "1000.00", "gt"),
    ("boven de honderd", "100.00", "gt"),
    ("less than 20", "20.00", "lt"),
    ("ongeveer 30", "30.00", "approx"),
    ("een afschrijving van 80", "80.00", "eq"),
    ("a charge of 20", "20.00", "eq"),
    ("I paid 50", "50.00", "eq"),
    ("49,99 bij de jumbo", "49.99", "eq"),
]


@pytest.mark.parametrize(("text", "value", "op"), BARE_NUMBERS_THAT_ARE_MONEY)
def test_bare_numbers_that_are_money(text: str, value: str, op: AmountOp) -> None:
    assert extract_amount(text) == amount(value, "EUR", op)


NOT_AMOUNTS = [
    "een paar honderd",
    "een paar honderd euro",
    "a couple hundred",
    "a few hundred dollars",
    "enkele honderden euro's",
    "3 maart",
    "2026",
    "in 2025",
    "laatste 5 betalingen",
    "last 10 transactions",
    "show me the last 3 payments",
    "afgelopen 3 maanden",
    "de afgelopen twee weken",
    "kaart eindigend op 1234",
    "card ending in 4321",
    "14:02",
    "om 14:02",
    "meer dan 5 transacties",
    "more than 5 transactions",
    "over 3 dagen",
    "over 2 weeks",
    "minder dan 3 keer",
    "meer dan 50%",
    "meer dan 50 procent",
    "de 3e",
    "het 2de kwartaal",
    "3rd",
    "10am",
    "een",
    "een betaling",
    "one payment",
    "ik wil een kaart",
    "tien",
    "12",
    "12.5",
    "3.3",
    "06-12345678",
    "NL91ABNA0417164300",
    "1.234",
    "7-eleven",
    "five guys",
    "",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_numbers_that_are_not_money(text: str) -> None:
    assert extract_amount(text) is None


RANGES: list[tuple[str, str, str]] = [
    ("tussen 50 en 100 euro", "50.00", "EUR"),
    ("between €50 and €100", "50.00", "EUR"),
    ("van 20 tot 30 dollar", "20.00", "USD"),
    ("between 10 and 20 pounds", "10.00", "GBP"),
]


@pytest.mark.parametrize(("text", "value", "currency"), RANGES)
def test_a_range_gives_its_lower_bound(text: str, value: str, currency: str) -> None:
    assert extract_amount(text) == amount(value, currency, "gt")


IN_SENTENCES: list[tuple[str, Amount]] = [
    ("maak 20 euro over naar Piet", amount("20.00")),
    ("hoeveel betalingen boven de 50 euro vorige maand", amount("50.00", op="gt")),
    ("laatste 5 betalingen boven 20 euro", amount("20.00", op="gt")),
    ("show transactions over $100 from last week", amount("100.00", "USD", "gt")),
    ("stuur me een bericht als er meer dan 500 euro afgaat", amount("500.00", op="gt")),
    ("wie heeft er op 3 maart 12,50 afgeschreven", amount("12.50")),
    ("hoeveel euro heb ik uitgegeven bij 3 winkels boven de 40", amount("40.00", op="gt")),
    ("payment of 15 dollars on March 3", amount("15.00", "USD")),
    ("ik heb 50 euro betaald en 20 euro terug gekregen", amount("50.00")),
    ("boven de 100 maar onder de 200 euro", amount("200.00", op="lt")),
]


@pytest.mark.parametrize(("text", "expected"), IN_SENTENCES)
def test_amounts_in_sentences(text: str, expected: Amount) -> None:
    assert extract_amount(text) == expected


def test_value_always_has_two_decimals() -> None:
    found = extract_amount("meer dan 50 euro")
    assert found is not None
    assert found.to_json() == {"value": "50.00", "currency": "EUR", "op": "gt"}
    assert str(found.value) == "50.00"
