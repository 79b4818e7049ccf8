"""The gate applies each channel's disclosure policy, and audits every disclosure it makes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kluis.config import Settings
from kluis.consent.gate import DataRequest, Gate
from kluis.errors import VoicePinLocked, VoicePinRequired
from kluis.privacy.policy import round_amount
from kluis.privacy.preferences import MAX_VOICE_PIN_FAILURES, check_voice_pin
from kluis.runtime import Runtime
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.truth import Truth
from kluis.store.audit import AuditRepository
from tests.linked_customers import (
    VOICE_PIN,
    iban_forms,
    linked_runtime,
    sandbox_settings,
    sandbox_transport,
    set_preferences,
    truths,
)

SANNE = "c-sanne"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return sandbox_settings(tmp_path, database_url)


@pytest.fixture
def bank(settings: Settings) -> SandboxBank:
    return SandboxBank.from_settings(settings)


@pytest.fixture
async def runtime(settings: Settings, bank: SandboxBank) -> AsyncIterator[Runtime]:
    async with linked_runtime(settings, sandbox_transport(settings, bank), [SANNE]) as opened:
        yield opened


@pytest.fixture
def gate(runtime: Runtime) -> Gate:
    return Gate(runtime)


@pytest.fixture
def truth(settings: Settings, bank: SandboxBank) -> Truth:
    return truths(settings, bank)[SANNE]


def _ask(channel: str, intent: str = "balance", *, pin: bool = False) -> DataRequest:
    return DataRequest(SANNE, channel, intent, voice_pin_ok=pin)


async def _audit_count(runtime: Runtime) -> int:
    async with runtime.database.session() as session:
        return len(await AuditRepository(session).recent(SANNE, limit=1000))


async def test_the_web_chat_shows_whole_ibans(gate: Gate, truth: Truth) -> None:
    disclosed = await gate.accounts(_ask("web"))
    numbers = {view.resource_id: view.number for view in disclosed.items}
    for account in truth.accounts:
        if account.iban:
            assert numbers[account.resource_id].replace(" ", "") == account.iban
    assert not disclosed.approximate


@pytest.mark.parametrize("channel", ["messenger", "whatsapp", "telegram"])
async def test_messengers_get_only_the_last_four_digits(
    gate: Gate, truth: Truth, channel: str
) -> None:
    disclosed = await gate.accounts(_ask(channel))
    numbers = {view.resource_id: view.number for view in disclosed.items}
    for account in truth.accounts:
        full = account.iban or account.masked_pan
        assert full is not None
        assert numbers[account.resource_id] == f"•••• {full[-4:]}"
        for form in iban_forms(full):
            assert form not in numbers[account.resource_id]
    balances = {view.resource_id: view.balance for view in disclosed.items}
    assert all(balances[a.resource_id] == a.balance for a in truth.accounts)


async def test_hidden_counterparties_keep_amounts_and_categories(
    gate: Gate, runtime: Runtime
) -> None:
    full = await gate.transactions(_ask("web", "transactions"))
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    hidden = await gate.transactions(_ask("telegram", "transactions"))
    assert len(hidden.items) == len(full.items) > 20
    by_id = {item.transaction.transaction_id: item for item in full.items}
    for item in hidden.items:
        shown = item.transaction
        original = by_id[shown.transaction_id]
        assert shown.counterparty_name is None
        assert shown.counterparty_iban is None
        assert shown.remittance is None
        assert shown.amount == original.transaction.amount
        assert item.category == original.category
        assert item.own_transfer == original.own_transfer
    again = await gate.transactions(_ask("web", "transactions"))
    assert any(item.transaction.counterparty_name for item in again.items), (
        "hiding is a view: the stored data keeps its names"
    )


async def test_a_search_by_name_still_finds_payments_whose_names_are_hidden(
    gate: Gate, runtime: Runtime, truth: Truth
) -> None:
    wanted = next(t.counterparty for t in truth.transactions if t.amount.amount < 0)

    def named(name: str | None) -> bool:
        return name == wanted

    full = await gate.transactions(_ask("web", "transactions"), counterparty=named)
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    hidden = await gate.transactions(_ask("messenger", "transactions"), counterparty=named)
    assert full.items
    assert [i.transaction.transaction_id for i in hidden.items] == [
        i.transaction.transaction_id for i in full.items
    ]
    assert all(item.transaction.counterparty_name is None for item in hidden.items)


@pytest.mark.parametrize("channel", ["alexa", "dialogflow"])
async def test_voice_without_the_pin_discloses_nothing_and_records_nothing(
    gate: Gate, runtime: Runtime, channel: str
) -> None:
    before = await _audit_count(runtime)
    with pytest.raises(VoicePinRequired) as no_pin_yet:
        await gate.accounts(_ask(channel))
    assert not no_pin_yet.value.pin_set, "no PIN set: nothing to ask for"
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    with pytest.raises(VoicePinRequired) as asked:
        await gate.transactions(_ask(channel, "transactions"))
    assert asked.value.pin_set
    assert await _audit_count(runtime) == before


async def test_voice_with_the_pin_says_amounts_but_no_account_numbers(
    gate: Gate, runtime: Runtime, truth: Truth
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    disclosed = await gate.accounts(_ask("alexa", pin=True))
    assert all(view.number == "" for view in disclosed.items)
    balances = {view.resource_id: view.balance for view in disclosed.items}
    assert all(balances[a.resource_id] == a.balance for a in truth.accounts)
    assert not disclosed.approximate
    transactions = await gate.transactions(_ask("alexa", "transactions", pin=True))
    assert any(item.transaction.counterparty_name for item in transactions.items)


async def test_a_locked_voice_pin_stops_voice_even_mid_conversation(
    gate: Gate, runtime: Runtime
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    async with runtime.database.session() as session:
        for _ in range(MAX_VOICE_PIN_FAILURES):
            await check_voice_pin(session, SANNE, "9182")
    before = await _audit_count(runtime)
    with pytest.raises(VoicePinLocked):
        await gate.accounts(_ask("alexa", pin=True))
    assert await _audit_count(runtime) == before
    assert (await gate.accounts(_ask("web"))).items, "other channels are not locked"


async def test_a_discreet_voice_gets_rounded_amounts_and_no_names(
    gate: Gate, runtime: Runtime, truth: Truth
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN, discreet_voice=True)
    disclosed = await gate.accounts(_ask("alexa", pin=True))
    assert disclosed.approximate
    for view in disclosed.items:
        exact = next(a.balance for a in truth.accounts if a.resource_id == view.resource_id)
        assert view.approximate
        assert view.balance == round_amount(exact)
    transactions = await gate.transactions(_ask("alexa", "transactions", pin=True))
    assert transactions.approximate
    exact_amounts = {t.transaction_id: t.amount for t in truth.transactions}
    for item in transactions.items:
        shown = item.transaction
        assert shown.counterparty_name is None
        assert shown.amount == round_amount(exact_amounts[shown.transaction_id])


async def test_every_disclosure_is_audited_with_who_what_where_why_and_when(
    gate: Gate, runtime: Runtime
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    consent = await gate.consent(SANNE)
    started = datetime.now(UTC) - timedelta(seconds=1)
    asked = [
        (_ask("web", "balance"), "balances", "full"),
        (_ask("telegram", "consent"), "balances", "messenger"),
        (_ask("alexa", "transactions", pin=True), "transactions", "voice"),
        (_ask("whatsapp", "spending"), "transactions", "messenger"),
    ]
    disclosed_accounts: list[set[str]] = []
    for request, category, _ in asked:
        if category == "balances":
            views = await gate.accounts(request)
            disclosed_accounts.append({view.resource_id for view in views.items})
        else:
            items = await gate.transactions(request)
            disclosed_accounts.append({item.transaction.resource_id for item in items.items})
    async with runtime.database.session() as session:
        records = list(reversed(await AuditRepository(session).recent(SANNE, limit=10)))
    assert len(records) == len(asked)
    for record, (request, category, policy), accounts in zip(
        records, asked, disclosed_accounts, strict=True
    ):
        assert record.customer_id == SANNE
        assert record.action == "disclose"
        assert record.channel == request.channel
        assert record.intent == request.intent
        assert record.data_category == category
        assert record.consent_id == consent.id
        assert accounts <= set(record.accounts)
        assert record.detail == {"policy": policy}
        at = record.at if record.at.tzinfo else record.at.replace(tzinfo=UTC)  # SQLite
        assert started <= at <= datetime.now(UTC)
