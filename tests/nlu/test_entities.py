"""All entities together: which extractor gets a word, raw spans, hostile input and speed."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kluis.nlu.entities import extract_entities
from kluis.nlu.types import Amount, Entities, Language, Period

WED = date(2026, 3, 18)


def entities(text: str, lang: Language = "nl") -> Entities:
    return extract_entities(text, WED, lang)


def test_the_contract_example() -> None:
    found = entities("hoeveel heb ik vorige maand bij de Appie uitgegeven?")
    assert found.to_json() == {
        "period": {"start": "2026-02-01", "end": "2026-02-28"},
        "merchant": "albert heijn",
        "period_text": "vorige maand",
        "merchant_text": "Appie",
    }


EXAMPLES: list[tuple[str, Language, dict[str, Any]]] = [
    (
        "hoeveel spent ik last month bij de appie",
        "nl",
        {"period": ("2026-02-01", "2026-02-28"), "merchant": "albert heijn"},
    ),
    (
        "hoeveel gaf ik uit aan boodschappen in de afgelopen 3 maanden",
        "nl",
        {"period": ("2025-12-19", "2026-03-18"), "category": "groceries"},
    ),
    (
        "laatste 5 betalingen boven 20 euro",
        "nl",
        {"amount": ("20.00", "EUR", "gt")},
    ),
    (
        "did Netflix charge me this month",
        "en",
        {"period": ("2026-03-01", "2026-03-18"), "merchant": "netflix"},
    ),
    (
        "how much is in my savings",
        "en",
        {"account": "savings"},
    ),
    (
        "waarschuw me als mijn saldo onder de 100 komt",
        "nl",
        {"amount": ("100.00", "EUR", "lt")},
    ),
    (
        "maak 20 euro over naar Piet",
        "nl",
        {"amount": ("20.00", "EUR", "eq"), "merchant": "piet"},
    ),
    (
        "transactions over $100 at walmart since march 3",
        "en",
        {
            "period": ("2026-03-03", "2026-03-18"),
            "amount": ("100.00", "USD", "gt"),
            "merchant": "walmart",
        },
    ),
    (
        "hoeveel heb ik op 3 maart bij de bakker van Dam betaald",
        "nl",
        {"period": ("2026-03-03", "2026-03-03"), "merchant": "bakker van dam"},
    ),
    (
        "uitgaven aan uit eten vorig jaar met mijn creditcard",
        "nl",
        {
            "period": ("2025-01-01", "2025-12-31"),
            "category": "eating_out",
            "account": "credit_card",
        },
    ),
    (
        "hoeveel ging er naar mijn spaarrekening sinds januari",
        "nl",
        {"period": ("2026-01-01", "2026-03-18"), "account": "savings"},
    ),
    (
        "uber",
        "en",
        {"merchant": "uber", "category": "transport"},
    ),
    (
        "how much at new york pizza last week",
        "en",
        {"period": ("2026-03-09", "2026-03-15"), "merchant": "new york pizza"},
    ),
    (
        "bij café Brüll gisteren ongeveer dertig euro",
        "nl",
        {
            "period": ("2026-03-17", "2026-03-17"),
            "amount": ("30.00", "EUR", "approx"),
            "merchant": "café brüll",
            "category": "eating_out",
        },
    ),
    (
        "how much did I spend on gas last weekend",
        "en",
        {"period": ("2026-03-14", "2026-03-15"), "category": "fuel"},
    ),
    (
        "hoeveel betaal ik voor gas per maand",
        "nl",
        {"category": "utilities"},
    ),
    (
        "meer dan 50 euro uitgegeven op 12-03-2026 bij de jumbo",
        "nl",
        {
            "period": ("2026-03-12", "2026-03-12"),
            "amount": ("50.00", "EUR", "gt"),
            "merchant": "jumbo",
        },
    ),
    (
        "tussen 1 en 15 maart meer dan 2000 euro",
        "nl",
        {"period": ("2026-03-01", "2026-03-15"), "amount": ("2000.00", "EUR", "gt")},
    ),
    (
        "spending 2025 over 50",
        "en",
        {"period": ("2025-01-01", "2025-12-31"), "amount": ("50.00", "EUR", "gt")},
    ),
    (
        "what bills are due in the next 7 days on my checking account",
        "en",
        {"period": ("2026-03-18", "2026-03-24"), "account": "checking"},
    ),
    (
        "wat is mijn saldo",
        "nl",
        {},
    ),
    (
        "hoi",
        "nl",
        {},
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), EXAMPLES)
def test_utterances(text: str, lang: Language, expected: dict[str, Any]) -> None:
    found = entities(text, lang)
    period = expected.get("period")
    assert found.period == (
        None
        if period is None
        else Period(date.fromisoformat(period[0]), date.fromisoformat(period[1]))
    )
    amount = expected.get("amount")
    assert found.amount == (
        None if amount is None else Amount(Decimal(amount[0]), amount[1], amount[2])
    )
    assert found.merchant == expected.get("merchant")
    assert found.category == expected.get("category")
    assert found.account == expected.get("account")


def test_a_date_is_not_an_amount() -> None:
    found = entities("3 maart 2026")
    assert found.amount is None
    assert found.period == Period(date(2026, 3, 3), date(2026, 3, 3))


def test_a_category_word_is_not_a_merchant() -> None:
    found = entities("hoeveel heb ik aan boodschappen uitgegeven")
    assert found.category == "groceries"
    assert found.merchant is None


def test_an_account_word_is_not_a_merchant() -> None:
    found = entities("hoeveel heb ik naar mijn spaarrekening overgemaakt")
    assert found.account == "savings"
    assert found.merchant is None


def test_spans_keep_the_customers_own_writing() -> None:
    found = entities("Hoeveel   bij de  APPIE   in Maart voor MEER DAN €50?")
    assert found.spans == {
        "period": "Maart",
        "amount": "€50",
        "merchant": "APPIE",
    }
    found = entities("Café  Brüll:  ca. 30,- op mijn Vakantie-rekening")
    assert found.spans["amount"] == "30,-"
    assert found.spans["account"] == "Vakantie"
    assert found.account == "vakantie"


def test_mixed_language_and_no_punctuation() -> None:
    found = entities("hoeveel spent ik last month bij de appie aan groceries meer dan 50 euro")
    assert found.period == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert found.merchant == "albert heijn"
    assert found.category == "groceries"
    assert found.amount == Amount(Decimal("50.00"), "EUR", "gt")


def test_both_languages_whatever_the_reply_language() -> None:
    for lang in ("nl", "en"):
        assert entities("vorige maand", lang).period == entities("last month", lang).period


HOSTILE = [
    "",
    " ",
    "\x00\x01\x02",
    "\x00vorige\x00maand\x00",
    "💸💸💸",
    "🏦 vorige maand 🏦",
    "\ud800\udfff lone surrogates",
    "部分的な日本語のテキスト",
    "مرحبا بالعالم",
    "Привет, мир",
    "\u202evorige maand\u202c",
    "a" * 10_000,
    "vorige maand " * 1000,
    "1 " * 5000,
    "€" * 5000,
    "tussen " * 2000,
    "van 1 tot " * 1000,
    "3/3/3/3/3/3/3/3/3/3/3/3/3/3/3/3/3/3",
    "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1",
    "99999999999999999999999999999 euro",
    "de afgelopen 999 jaar",
    "bij " * 3000,
    "één" * 3000,
    "tweehonderd" * 500,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises_and_stays_fast(text: str) -> None:
    started = time.perf_counter()
    found = extract_entities(text, WED, "nl")
    assert time.perf_counter() - started < 0.5
    assert isinstance(found, Entities)
    if found.period is not None:
        assert found.period.start <= found.period.end


def test_control_characters_separate_words_and_format_characters_vanish() -> None:
    assert entities("\x00vorige\x00maand\x00").period == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert entities("vorige\u200b maand bij de ap\u00adpie").merchant == "albert heijn"


def test_only_the_first_thousand_characters_are_read() -> None:
    assert entities("x" * 1000 + " vorige maand").period is None
    assert entities("x" * 900 + " vorige maand").period is not None


FRAGMENTS = [
    "vorige maand", "deze week", "sinds", "tussen", "en", "tot", "van", "3", "31", "12",
    "maart", "may", "2025", "/", "-", ".", ",", "€", "$", "euro", "meer dan", "onder de",
    "bij de", "appie", "at", "did", "charge me", "aan", "boodschappen", "mijn", "spaarrekening",
    "rekening", "pot", "afgelopen", "laatste", "dagen", "weken", "geleden", "next", "weekend",
    "q4", "half jaar", "twee", "honderd", "tientje", "een paar", "naar", "overgemaakt", "'",
    "&", "\x00", "🏦", "é", "ﬁ", "İ", "\u200b", " ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_entities_with_ordered_periods(text: str) -> None:
    found = extract_entities(text, WED, "en")
    if found.period is not None:
        assert found.period.start <= found.period.end
    collapsed = " ".join(text[:1000].split())
    for raw in found.spans.values():
        assert raw in collapsed


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_banking_fragments_never_break_the_extractors(text: str, today: date) -> None:
    found = extract_entities(text, today, "nl")
    if found.period is not None:
        assert found.period.start <= found.period.end
    if found.amount is not None:
        assert found.amount.value == found.amount.value.quantize(Decimal("0.01"))
        assert found.amount.currency in ("EUR", "USD", "GBP")
    if found.merchant is not None:
        assert found.merchant == found.merchant.lower()


TYPICAL = [
    "hoeveel heb ik vorige maand bij de Appie uitgegeven?",
    "did Netflix charge me more than 20 dollars this month",
    "laatste 5 betalingen boven de 50 euro op mijn betaalrekening",
    "how much did I spend on groceries in the past 30 days",
    "tussen 1 en 15 maart bij de bakker van Dam",
]


@pytest.mark.parametrize("text", TYPICAL)
def test_a_typical_utterance_takes_well_under_a_millisecond(text: str) -> None:
    extract_entities(text, WED, "nl")
    best = float("inf")
    for _ in range(30):
        started = time.perf_counter()
        extract_entities(text, WED, "nl")
        best = min(best, time.perf_counter() - started)
    assert best < 0.001
