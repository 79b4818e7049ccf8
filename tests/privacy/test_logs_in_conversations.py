"""Whole conversations, in both languages, on several channels, with the bank going down:
not one log line carries an IBAN, an amount, a name, a counterparty, an e-mail address, a
phone number or the text of a message.

Kluis's own log calls carry ids and counts only, so the conversation runs with a careless
parser and a careless gate that log everything they see, as a future change might: the
redacting filter must still keep it out of the log.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from kluis.consent.gate import AccountView, DataRequest, Disclosed, Gate
from kluis.dialogue.engine import Dialogue
from kluis.dialogue.formatting import Lang
from kluis.insights.flows import Categorised
from kluis.nlu import parse
from kluis.nlu.types import Parse
from kluis.privacy.log_redaction import (
    mark_sensitive,
    redact,
    turn_secrets,
)
from kluis.runtime import Runtime
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.truth import Truth
from kluis.store.customers import CustomerRepository
from tests.linked_customers import (
    VOICE_PIN,
    iban_forms,
    linked_runtime,
    money_forms,
    sandbox_settings,
    sandbox_transport,
    set_preferences,
    truths,
)

careless = logging.getLogger("kluis.test.careless")

CONVERSATIONS: dict[str, list[tuple[str, str]]] = {
    "c-sanne": [
        ("web", "Hoi, wat is mijn saldo?"),
        ("web", "laatste 5 betalingen bij Albert Heijn"),
        ("telegram", "hoeveel gaf ik vorige maand uit aan boodschappen?"),
        ("telegram", "en de maand daarvoor?"),
        ("whatsapp", "is mijn salaris al binnen?"),
        ("alexa", "wat staat er op mijn spaarrekening?"),
        ("alexa", VOICE_PIN),
        ("terminal", "wat mag je van mij zien?"),
        ("web", "maak honderd euro over naar mijn zus"),
        ("web", "welke abonnementen heb ik?"),
        ("web", "klopt niet"),
        ("web", "maak ongedaan"),
        ("web", "zet Vattenfall onder wonen"),
        ("web", "waar geef ik het meeste uit?"),
        ("web", "en vorige maand?"),
        ("messenger", "uitgaven per maand"),
        ("telegram", "wanneer moet ik de huur betalen?"),
        ("whatsapp", "wat zijn mijn vaste inkomsten?"),
        ("web", "ik wil een medewerker spreken"),
    ],
    "c-emily": [
        ("web", "Hello, what's my balance please"),
        ("messenger", "show me my last ten transactions"),
        ("messenger", "how much did I spend on groceries last month?"),
        ("telegram", "what came in this month?"),
        ("alexa", "what's on my credit card"),
        ("alexa", "four eight two seven"),
        ("terminal", "what can you see about me?"),
        ("web", "what subscriptions do I have?"),
        ("web", "all correct"),
        ("messenger", "what stands out this month?"),
        ("web", "my card was stolen, help"),
    ],
}
AFTER_THE_BANK_WENT_DOWN = {
    "c-sanne": [("web", "wat is mijn saldo nu?"), ("telegram", "laatste betalingen graag")],
    "c-emily": [("web", "what is my balance now?"), ("messenger", "latest payments please")],
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+|00)\d{2}[\d ()-]{7,}")


def careless_parser(text: str, today: date, lang: str, fallback: Lang) -> Parse:
    careless.debug("parsing %r (hint %s)", text, lang)
    parsed = parse(text, today=today, lang=lang, fallback=fallback)
    careless.info("understood %s in %r with %s", parsed.intent, text, parsed.entities)
    return parsed


class CarelessGate(Gate):
    """A gate that logs whatever it hands out, and an error that carries data."""

    async def _name(self, customer_id: str) -> str:
        async with self._runtime.database.session() as session:
            customer = await CustomerRepository(session).get(customer_id)
        return customer.name if customer else "?"

    async def accounts(
        self, request: DataRequest, *, with_balances: bool = True
    ) -> Disclosed[list[AccountView]]:
        disclosed = await super().accounts(request, with_balances=with_balances)
        name = await self._name(request.customer_id)
        for view in disclosed.items:
            careless.debug("%s has %s at %s: %s", name, view.name, view.number, view.balance)
        return disclosed

    async def transactions(
        self,
        request: DataRequest,
        *,
        start: date | None = None,
        end: date | None = None,
        resource_ids: set[str] | None = None,
        counterparty: Callable[[str | None], bool] | None = None,
    ) -> Disclosed[list[Categorised]]:
        disclosed = await super().transactions(
            request, start=start, end=end, resource_ids=resource_ids, counterparty=counterparty
        )
        for item in disclosed.items[:20]:
            shown = item.transaction
            careless.debug(
                "paid %s %s (%s, %s)",
                shown.counterparty_name,
                shown.amount.format("nl"),
                shown.counterparty_iban,
                shown.remittance,
            )
        try:
            raise ValueError(f"cannot explain {disclosed.items[0].transaction.counterparty_name}")
        except (ValueError, IndexError):
            careless.exception("while answering %s", await self._name(request.customer_id))
        return disclosed


@dataclass(frozen=True, slots=True)
class Scene:
    dialogue: Dialogue
    runtime: Runtime
    truth: dict[str, Truth]
    bank_down: dict[str, bool]


@pytest.fixture
async def scene(tmp_path: Path, database_url: str) -> AsyncIterator[Scene]:
    settings = sandbox_settings(tmp_path, database_url)
    bank = SandboxBank.from_settings(settings)
    sandbox = sandbox_transport(settings, bank)
    bank_down = {"now": False}

    async def handler(request: httpx.Request) -> httpx.Response:
        if bank_down["now"]:
            return httpx.Response(503, json={"tppMessages": []}, request=request)
        return await sandbox.handle_async_request(request)

    async with linked_runtime(settings, httpx.MockTransport(handler)) as runtime:
        for customer in CONVERSATIONS:
            await set_preferences(runtime, customer, pin=VOICE_PIN)
        # Every question reads the bank again, so that the outage is felt.
        gate = CarelessGate(runtime, fresh_seconds=0.0)
        dialogue = Dialogue(runtime, gate=gate, parser=careless_parser)
        yield Scene(dialogue, runtime, truths(settings, bank), bank_down)


def _forbidden(truth: Truth) -> set[str]:
    name = truth.customer.name
    found = {name, *(part for part in name.split() if len(part) > 2)}
    for account in truth.accounts:
        found |= iban_forms(account.iban or "") - {""}
        if account.masked_pan:
            found.add(account.masked_pan)
        found |= money_forms(account.balance)
    for transaction in truth.transactions:
        found.add(transaction.counterparty)
        if abs(transaction.amount.amount) >= 10:  # "7.51" could be any version number
            found |= money_forms(transaction.amount) | money_forms(abs(transaction.amount))
    return found


async def test_no_log_line_carries_personal_data_or_message_text(
    scene: Scene, captured: io.StringIO
) -> None:
    sent: list[str] = []
    for customer, conversation in CONVERSATIONS.items():
        for channel, text in conversation:
            turn = await scene.dialogue.respond(customer, channel, text, psu_ip_address="::1")
            assert turn.replies
            sent.append(text)
    scene.bank_down["now"] = True
    for customer, conversation in AFTER_THE_BANK_WENT_DOWN.items():
        for channel, text in conversation:
            turn = await scene.dialogue.respond(customer, channel, text, psu_ip_address="::1")
            assert turn.replies, "an outage still gets an answer"
            sent.append(text)

    written = captured.getvalue()
    assert written.count("[redacted]") > 20, "the careless parts should have logged plenty"
    assert "kluis.test.careless" in written
    forbidden = set(sent)
    for truth in scene.truth.values():
        forbidden |= _forbidden(truth)
    leaked = sorted(secret for secret in forbidden if secret and secret in written)
    assert not leaked, f"{len(leaked)} secrets in the log, e.g. one starting {leaked[0][:3]!r}"
    assert not EMAIL.search(written), "an e-mail address in the log"
    assert not PHONE.search(written), "a phone number in the log"


def test_a_turns_secrets_are_redacted_only_during_the_turn() -> None:
    line = "reading for Sanne de Vries: 'wat is mijn saldo'"
    mark_sensitive("Sanne de Vries")  # outside a turn: nothing to add to
    assert redact(line) == line
    with turn_secrets("wat is mijn saldo"):
        mark_sensitive("SANNE DE VRIES", None, "AH")
        assert redact(line) == "reading for [redacted]: '[redacted]'"
        assert redact("AH to go") == "AH to go", "too short to be told from ordinary words"
    assert redact(line) == line


async def test_concurrent_turns_keep_their_secrets_apart() -> None:
    seen: dict[str, str] = {}
    both_marked = asyncio.Event()
    marked: set[str] = set()

    async def turn(customer: str, name: str) -> None:
        with turn_secrets(f"saldo voor {customer}"):
            mark_sensitive(name)
            marked.add(customer)
            if len(marked) == 2:
                both_marked.set()
            await both_marked.wait()
            seen[customer] = redact("Sanne de Vries and Emily Carter")

    await asyncio.gather(turn("a", "Sanne de Vries"), turn("b", "Emily Carter"))
    assert seen == {"a": "[redacted] and Emily Carter", "b": "Sanne de Vries and [redacted]"}
