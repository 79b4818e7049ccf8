"""`kluis.nlu.parse`: the contract's examples, sub-intents, the reply language, hostile input."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kluis.nlu import Parse, parse
from kluis.nlu.types import INTENTS

TODAY = date(2026, 3, 18)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wat is mijn saldo", "balance"),
        ("how much is in my savings", "balance"),
        ("laatste 5 betalingen", "transactions"),
        ("did Netflix charge me this month", "transactions"),
        ("hoeveel gaf ik uit aan boodschappen", "spending"),
        ("spent more than last month?", "spending"),
        ("is mijn salaris binnen", "income"),
        ("how much did I earn in March", "income"),
        ("welke abonnementen heb ik", "recurring"),
        ("what bills are due next week", "recurring.upcoming"),
        ("blokkeer mijn pas", "card_freeze"),
        ("I lost my card", "card_freeze"),
        ("my card was stolen", "card_freeze"),
        ("deblokkeer mijn kaart", "card_unfreeze"),
        ("ik herken deze afschrijving niet", "report_fraud"),
        ("someone used my card", "report_fraud"),
        ("I don't recognise this payment", "report_fraud"),
        ("waarschuw me als mijn saldo onder de 100 komt", "alerts.low_balance"),
        ("wat mag je van mij zien", "consent.scope"),
        ("stop sharing my data", "consent.revoke"),
        ("wie heeft mijn gegevens bekeken", "consent.log"),
        ("alleen mijn betaalrekening nog", "consent.revoke"),
        ("maak 20 euro over naar Piet", "payment"),
        ("pay my phone bill", "payment"),
        ("set up a direct debit", "payment"),
        ("mijn app doet het niet", "support"),
        ("how do I change my address", "support"),
        ("mag ik een medewerker", "human"),
        ("call me", "human"),
        ("wat kun je allemaal", "help"),
        ("hoi", "greeting"),
        ("good morning", "greeting"),
        ("dankjewel", "thanks"),
        ("doei", "goodbye"),
        ("ja", "affirm"),
        ("klopt", "affirm"),
        ("that was me", "affirm"),
        ("ja dat was ik", "affirm"),
        ("nee", "deny"),
        ("dat was ik niet", "deny"),
        ("nee dat was ik niet", "deny"),
        ("that wasn't me", "deny"),
        ("wat voor weer wordt het", "out_of_scope"),
    ],
)
def test_the_contract_examples_get_their_intent(text: str, intent: str) -> None:
    result = parse(text, today=TODAY)
    assert result.intent == intent, result
    assert 0.0 <= result.confidence <= 1.0


def test_the_contract_output_object() -> None:
    result = parse("hoeveel heb ik vorige maand bij de Appie uitgegeven?", today=TODAY)
    assert isinstance(result, Parse)
    output = result.to_json()
    assert output["text"] == "hoeveel heb ik vorige maand bij de Appie uitgegeven?"
    assert output["lang"] == "nl"
    assert output["intent"] == "spending"
    assert output["confidence"] > 0.8
    assert output["entities"]["period"] == {"start": "2026-02-01", "end": "2026-02-28"}
    assert output["entities"]["merchant"] == "albert heijn"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("hoeveel staat er op mijn zichtrekening", "nl"),
        ("what's on my current account", "en"),
        ("how much is in my checking", "en"),
        ("hoeveel spent ik last month bij de appie", "nl"),
        ("what's my saldo", "en"),
        ("hey whats my balance on savings", "en"),
        ("blokeer mn pas", "nl"),
        ("mijn bankkaart is gestolen", "nl"),
    ],
)
def test_the_reply_language_follows_the_grammar_of_the_sentence(text: str, lang: str) -> None:
    assert parse(text, today=TODAY).lang == lang


def test_a_forced_language_wins_and_an_unsure_one_falls_back() -> None:
    assert parse("what's my balance", today=TODAY, lang="nl").lang == "nl"
    assert parse("wat is mijn saldo", today=TODAY, lang="en").lang == "en"
    assert parse("50", today=TODAY).lang == "nl"
    assert parse("50", today=TODAY, fallback="en").lang == "en"
    with pytest.raises(ValueError, match="lang must be one of"):
        parse("saldo", today=TODAY, lang="de")


def test_typos_informal_and_flemish_forms_are_understood() -> None:
    assert parse("saldoo", today=TODAY).intent == "balance"
    assert parse("blokeer mn pas", today=TODAY).intent == "card_freeze"
    assert parse("hoeveel heb ik nog op m'n rekening", today=TODAY).intent == "balance"
    assert parse("is mijn wedde al gestort", today=TODAY).intent == "income"


def test_today_defaults_to_the_local_date() -> None:
    result = parse("wat heb ik vandaag uitgegeven")
    assert result.entities.period is not None
    assert result.entities.period.start == date.today()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\t\r\n",
        "x" * 10_000,
        "saldo " * 2_000,
        "\x00\x01\x02\x1b[31m",
        "😀😀😀",
        "👍",
        "你好，我的余额是多少",
        "كم رصيدي في الحساب",
        "Какой у меня баланс",
        "\ud800",
        "\ufeff\u200b\u202e",
        "???!!!...",
    ],
)
def test_hostile_input_is_out_of_scope_with_low_confidence(text: str) -> None:
    result = parse(text, today=TODAY)
    assert result.intent == "out_of_scope"
    assert result.confidence < 0.5
    assert result.text == text
    assert result.to_json()["entities"] == {}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_valid_parse(text: str) -> None:
    result = parse(text, today=TODAY)
    assert result.intent.split(".", 1)[0] in INTENTS
    assert result.lang in {"nl", "en"}
    assert 0.0 <= result.confidence <= 1.0


def test_one_parse_is_fast_once_loaded() -> None:
    texts = ["wat is mijn saldo", "hoeveel spent ik last month bij de appie", "I lost my card"]
    parse(texts[0], today=TODAY)
    durations = []
    for _ in range(100):
        for text in texts:
            started = time.perf_counter()
            parse(text, today=TODAY)
            durations.append(time.perf_counter() - started)
    durations.sort()
    assert durations[int(0.99 * len(durations))] < 0.02


@pytest.mark.parametrize("text", ["blorp fnargle wibble", "qwx zzkv prrt", "zorbly quantex flim"])
def test_gibberish_is_out_of_scope(text: str) -> None:
    assert parse(text, today=date(2026, 3, 18)).intent == "out_of_scope"
