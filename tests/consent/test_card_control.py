"""Card control against the in-process sandbox, on SQLite and PostgreSQL: the card consent
approved at the bank, block and unblock as the sandbox's truth sees them, audit records, the
sealed bank id, no card consent, and revoking the AIS consent ending card control too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from kluis.banks.cards import Card, CardControlClient
from kluis.config import Settings, load_settings
from kluis.consent.card_control import (
    active_card_consent,
    block_card,
    finish_card_link,
    list_cards,
    start_card_link,
    unblock_card,
)
from kluis.consent.lifecycle import revoke
from kluis.consent.linking import link_sandbox_customer
from kluis.errors import (
    BankUnavailable,
    ConsentError,
    ConsentNotReady,
    ConsentRevoked,
    MalformedResponse,
)
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.security import new_key
from kluis.store.card_consents import CardConsent
from kluis.store.link_requests import LinkRequestRepository
from kluis.store.models import AuditEventRow, CardConsentRow

BANK_URL = "http://sandbox.test"
CUSTOMER = "c-sanne"


@pytest.fixture
def card_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        embedded_sandbox=False,
        public_url="https://kluis.example",
        bank_retries=1,
        bank_backoff_seconds=0.0,
    )


@pytest.fixture
def bank(card_settings: Settings) -> SandboxBank:
    return SandboxBank.from_settings(card_settings)


@pytest.fixture
async def runtime(card_settings: Settings, bank: SandboxBank) -> AsyncIterator[Runtime]:
    transport = httpx.ASGITransport(app=create_sandbox_app(card_settings, bank))
    async with open_runtime(card_settings, transport) as opened:
        await link_sandbox_customer(opened, CUSTOMER, "Sanne de Vries", "nl")
        yield opened


async def _approve_card_control(runtime: Runtime, decision: str = "approve") -> CardConsent:
    approve_url = await start_card_link(runtime, CUSTOMER, psu_ip_address="127.0.0.1")
    assert approve_url.startswith(f"{BANK_URL}/sandbox/sca/card-consents/")
    response = await runtime.http.post(
        approve_url, data={"decision": decision, "psu_id": CUSTOMER}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["result"] == ["ok" if decision == "approve" else "nok"]
    async with runtime.database.session() as session:
        link = await LinkRequestRepository(session, runtime.sealer).redeem(query["state"][0])
    assert link is not None
    return await finish_card_link(runtime, link)


def _blocked_at_bank(settings: Settings, bank: SandboxBank) -> frozenset[str]:
    state = StateStore(settings.sandbox_dir).load()
    truth = build_truth(
        bank, CUSTOMER, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    return frozenset(card.card_id for card in truth.cards if card.blocked)


async def test_block_and_unblock_reach_the_bank(
    runtime: Runtime, card_settings: Settings, bank: SandboxBank
) -> None:
    await _approve_card_control(runtime)
    cards = await list_cards(runtime, CUSTOMER)
    assert cards
    assert not any(card.blocked for card in cards)
    target = cards[0]

    blocked = await block_card(runtime, CUSTOMER, target.card_id)
    assert blocked.blocked
    assert _blocked_at_bank(card_settings, bank) == {target.card_id}

    unblocked = await unblock_card(runtime, CUSTOMER, target.card_id)
    assert not unblocked.blocked
    assert _blocked_at_bank(card_settings, bank) == frozenset()

    async with runtime.database.session() as session:
        rows = (await session.scalars(select(AuditEventRow).order_by(AuditEventRow.id))).all()
    cards_rows = [(row.action, row.data_category) for row in rows if row.data_category == "cards"]
    assert cards_rows == [
        ("disclose", "cards"),
        ("card_block", "cards"),
        ("card_unblock", "cards"),
    ]


async def test_without_card_consent_nothing_is_asked(runtime: Runtime) -> None:
    for action in (
        list_cards(runtime, CUSTOMER),
        block_card(runtime, CUSTOMER, "card-1"),
        unblock_card(runtime, CUSTOMER, "card-1"),
    ):
        with pytest.raises(ConsentNotReady):
            await action


async def test_the_bank_id_is_sealed_at_rest(runtime: Runtime) -> None:
    consent = await _approve_card_control(runtime)
    async with runtime.database.session() as session:
        row = await session.scalar(select(CardConsentRow))
    assert row is not None
    assert row.status == "valid"
    assert consent.bank_card_consent_id.encode() not in row.bank_card_consent_id_sealed
    assert await active_card_consent(runtime, CUSTOMER) == consent


async def test_revoking_the_consent_ends_card_control(runtime: Runtime) -> None:
    consent = await _approve_card_control(runtime)
    await revoke(runtime, CUSTOMER)
    assert await active_card_consent(runtime, CUSTOMER) is None
    with pytest.raises(ConsentNotReady):
        await list_cards(runtime, CUSTOMER)
    with pytest.raises(ConsentError):  # the bank was told as well
        await runtime.cards.cards(consent.bank_card_consent_id)


async def test_an_unapproved_card_consent_opens_nothing(runtime: Runtime) -> None:
    identifier, approve_url = await runtime.cards.create_card_consent(
        CUSTOMER, "https://kluis.example/consent/callback?state=x"
    )
    with pytest.raises(ConsentNotReady):
        await runtime.cards.cards(identifier)
    await decide_in_sandbox(runtime.http, approve_url, CUSTOMER, "deny")
    with pytest.raises(ConsentNotReady):
        await runtime.cards.block(identifier, "card-1")


def _client(answer: httpx.Response | Exception) -> CardControlClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return CardControlClient(http, BANK_URL)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(503), BankUnavailable),
        (httpx.ConnectError("refused"), BankUnavailable),
        (httpx.Response(200, content=b"<html>"), MalformedResponse),
        (httpx.Response(200, json={"cards": [{"cardId": "x"}]}), MalformedResponse),
        (httpx.Response(401, json={"tppMessages": [{"code": "CONSENT_UNKNOWN"}]}), ConsentRevoked),
    ],
)
async def test_failures_are_mapped(
    answer: httpx.Response | Exception, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await _client(answer).cards("cc-1")


async def test_a_card_is_read() -> None:
    body = {"cardId": "c1", "resourceId": "r1", "maskedPan": "1234********5678", "blocked": True}
    card = await _client(httpx.Response(200, json=body)).block("cc-1", "c1")
    assert card == Card("c1", "r1", "1234********5678", True)
