"""Conversations under each channel's disclosure policy: the voice PIN, masked numbers on
messengers, hidden names, and the discreet voice."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kluis.dialogue.engine import Dialogue
from kluis.dialogue.formatting import money
from kluis.dialogue.state import ConversationState
from kluis.dialogue.voice_pin import PIN_PLACEHOLDER, spoken_pin
from kluis.money import Money
from kluis.privacy.policy import round_amount
from kluis.privacy.preferences import MAX_VOICE_PIN_FAILURES
from kluis.runtime import Runtime
from kluis.sandbox.truth import Truth
from kluis.store.conversation_states import ConversationStateRepository
from kluis.store.conversations import ConversationRepository
from tests.linked_customers import VOICE_PIN, iban_forms, money_forms, set_preferences

SANNE, EMILY = "c-sanne", "c-emily"


def _checking(truth: Truth) -> Money:
    return next(a.balance for a in truth.accounts if a.kind == "checking")


def _says_an_amount(text: str) -> bool:
    return "€" in text


async def test_alexa_asks_for_the_voice_pin_before_a_balance(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    turn = await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    text = turn.replies[0].text
    assert text.startswith("Zeg eerst je spraakcode van vier tot zes cijfers.")
    assert "pincode" in text, "it says it will never ask for the bank's PIN"
    assert not _says_an_amount(text)
    answered = await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    assert answered.intent == "balance"
    spoken = answered.replies[0].text
    assert spoken.startswith("Dank je, je spraakcode klopt.")
    assert _checking(truth[SANNE]).format("nl") in spoken
    for account in truth[SANNE].accounts:
        for form in iban_forms(account.iban or account.masked_pan or "-"):
            assert form not in spoken, "voice says no account numbers"
    again = await dialogue.respond(SANNE, "alexa", "en mijn spaarrekening?")
    assert _says_an_amount(again.replies[0].text), "the PIN holds for the conversation"


async def test_spoken_digits_in_english_open_the_answer(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, EMILY, pin=VOICE_PIN)
    asked = await dialogue.respond(EMILY, "alexa", "what's my balance")
    assert "voice code" in asked.replies[0].text
    assert "bank PIN" in asked.replies[0].text
    turn = await dialogue.respond(EMILY, "alexa", "four eight two seven")
    assert _checking(truth[EMILY]).format("en") in turn.replies[0].text


async def test_a_wrong_pin_says_no_amount_and_five_lock_voice(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    wrong = await dialogue.respond(SANNE, "alexa", "een twee drie vijf")
    assert "klopt niet" in wrong.replies[0].text
    assert not _says_an_amount(wrong.replies[0].text)
    for _ in range(MAX_VOICE_PIN_FAILURES - 1):
        last = await dialogue.respond(SANNE, "alexa", "9182")
    assert "opnieuw in" in last.replies[0].text, "locked: set it again on the web page"
    right = await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    assert not _says_an_amount(right.replies[0].text)
    asked = await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    assert "opnieuw in" in asked.replies[0].text
    assert not _says_an_amount(asked.replies[0].text)
    await set_preferences(runtime, SANNE, pin="58203")
    await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    opened = await dialogue.respond(SANNE, "alexa", "5 8 2 0 3")
    assert _checking(truth[SANNE]).format("nl") in opened.replies[0].text


async def test_voice_without_a_pin_set_says_where_to_set_one(dialogue: Dialogue) -> None:
    turn = await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    text = turn.replies[0].text
    assert "Mijn toestemmingen" in text
    assert not _says_an_amount(text)
    follow = await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    assert not _says_an_amount(follow.replies[0].text)


async def test_the_spoken_pin_is_never_stored_or_echoed(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    await dialogue.respond(SANNE, "alexa", "laatste betalingen")
    wrong = await dialogue.respond(SANNE, "alexa", "9182")
    right = await dialogue.respond(SANNE, "alexa", "vier acht twee zeven")
    assert wrong.user == right.user == PIN_PLACEHOLDER
    async with runtime.database.session() as session:
        stored = await ConversationRepository(session).recent(SANNE, "alexa", 20)
        state = await ConversationStateRepository(session).get(SANNE, "alexa")
    texts = " ".join(message.text for message in stored)
    for digits in (VOICE_PIN, "9182", "vier acht"):
        assert digits not in texts
        assert digits not in str(state)


async def test_the_pin_is_asked_again_after_the_conversation_went_quiet(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    async with runtime.database.session() as session:
        states = ConversationStateRepository(session)
        state = ConversationState.from_json(await states.get(SANNE, "alexa"))
        assert state.voice_pin_ok
        earlier = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        state = ConversationState.from_json({**state.to_json(), "voice_pin_until": earlier})
        await states.put(SANNE, "alexa", state.to_json())
    turn = await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    assert "spraakcode" in turn.replies[0].text
    assert not _says_an_amount(turn.replies[0].text)


async def test_the_pin_on_one_channel_opens_nothing_on_another(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    turn = await dialogue.respond(SANNE, "dialogflow", "wat is mijn saldo?")
    assert not _says_an_amount(turn.replies[0].text)


async def test_telegram_shows_only_masked_account_numbers(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    turn = await dialogue.respond(SANNE, "telegram", "wat mag je van mij zien?")
    text = turn.replies[0].text
    assert "••••" in text
    for account in truth[SANNE].accounts:
        number = account.iban or account.masked_pan or ""
        assert number[-4:] in text
        for form in iban_forms(number):
            assert form not in text
        if account.iban:
            assert account.iban[4:8] not in text.replace(account.iban[-4:], "")


async def test_hidden_counterparties_show_categories_instead(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    turn = await dialogue.respond(SANNE, "telegram", "laatste 10 betalingen")
    text = turn.replies[0].text
    assert turn.intent == "transactions"
    assert len(text.splitlines()) > 5
    names = {t.counterparty for t in truth[SANNE].transactions}
    leaked = [name for name in names if name and name in text]
    assert not leaked, f"{len(leaked)} counterparty names shown"
    web = await dialogue.respond(SANNE, "web", "laatste 10 betalingen")
    assert any(name in web.replies[0].text for name in names), "the web chat shows names"


async def test_a_search_by_name_works_while_names_are_hidden(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    web = await dialogue.respond(SANNE, "web", "betalingen bij Albert Heijn")
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    hidden = await dialogue.respond(SANNE, "telegram", "betalingen bij Albert Heijn")
    web_lines = web.replies[0].text.splitlines()
    hidden_lines = hidden.replies[0].text.splitlines()
    assert len(web_lines) == len(hidden_lines) > 2
    assert "boodschappen" in hidden.replies[0].text
    assert not any("Albert Heijn" in line for line in hidden_lines[1:])


async def test_a_discreet_voice_says_about_and_rounds(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN, discreet_voice=True)
    await dialogue.respond(SANNE, "alexa", "wat is mijn saldo?")
    turn = await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    text = turn.replies[0].text
    exact = _checking(truth[SANNE])
    assert "ongeveer" in text
    assert money(round_amount(exact), "nl", approximate=True) in text
    for form in money_forms(exact):
        assert form not in text
    spending = await dialogue.respond(SANNE, "alexa", "hoeveel gaf ik uit vorige maand?")
    said = spending.replies[0].text
    assert spending.intent == "spending"
    assert "ongeveer" in said
    assert not re.search(r"\d,\d\d\b", said), "no cents in a discreet answer"


@pytest.mark.parametrize(
    ("said", "pin"),
    [
        ("4827", "4827"),
        ("4 8 2 7", "4827"),
        ("vier acht twee zeven", "4827"),
        ("één twee drie vier vijf", "12345"),
        ("four eight two seven", "4827"),
        ("my code is 4827.", "4827"),
        ("mijn spraakcode is nul negen acht zes", "0986"),
        ("wat is mijn saldo", None),
        ("4827 euro", None),
        ("12", None),
        ("", None),
    ],
)
def test_hearing_a_spoken_pin(said: str, pin: str | None) -> None:
    assert spoken_pin(said) == pin


@pytest.mark.parametrize(
    ("amount", "lang", "written"),
    [
        ("1234.56", "nl", "ongeveer € 1.200"),
        ("1234.56", "en", "about €1,200"),
        ("312.40", "nl", "ongeveer € 310"),
        ("-49.99", "en", "about -€50"),
    ],
)
def test_approximate_amounts_are_said_to_be_approximate(
    amount: str, lang: str, written: str
) -> None:
    assert money(
        Money(Decimal(amount), "EUR"), "en" if lang == "en" else "nl", approximate=True
    ) == (written)
