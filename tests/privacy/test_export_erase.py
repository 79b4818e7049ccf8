"""Export and erasure, on SQLite and PostgreSQL: the export holds everything and no secret;
erasure leaves no row that mentions the customer, even with the bank down; the CLI."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

from kluis.banks.connector import Presence
from kluis.cli.main import app
from kluis.config import Settings, load_settings
from kluis.consent.gate import DataRequest, Gate
from kluis.consent.lifecycle import retry_bank_deletes, revoke
from kluis.consent.linking import link_sandbox_customer, start_link
from kluis.domain import Consent, ConsentStatus, ConversationMessage
from kluis.fraud import live
from kluis.money import Money
from kluis.privacy.check_codes import issue_check_code
from kluis.privacy.erase import erase_customer
from kluis.privacy.export import UnknownCustomer, export_customer
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.store.alerts import AlertRuleRepository
from kluis.store.card_consents import CardConsentRepository
from kluis.store.conversation_states import ConversationStateRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.handoffs import HandoffRepository
from kluis.store.models import (
    AccountRow,
    BankConnectionRow,
    Base,
    CardConsentRow,
    ConsentRow,
    CustomerPreferencesRow,
    CustomerRow,
    ErasureLogRow,
    LinkRequestRow,
    LinkTokenRow,
    PendingBankDeleteRow,
)

SANNE = "c-sanne"
TELEGRAM_USER = "tg-424242"
TOKEN_HASH = "f" * 64


class BankLine(httpx.AsyncBaseTransport):
    """The sandbox bank in process, with a switch to cut the line."""

    def __init__(self, app: FastAPI) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self._inner.handle_async_request(request)


@pytest.fixture
def privacy_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
        bank_retries=1,
        bank_backoff_seconds=0.0,
        circuit_failure_threshold=1000,
    )


@pytest.fixture
def line(privacy_settings: Settings) -> BankLine:
    return BankLine(
        create_sandbox_app(privacy_settings, SandboxBank.from_settings(privacy_settings))
    )


@pytest.fixture
async def runtime(privacy_settings: Settings, line: BankLine) -> AsyncIterator[Runtime]:
    async with open_runtime(privacy_settings, line) as opened:
        yield opened


async def _populate(runtime: Runtime) -> Consent:
    """Sanne, with something in every table Kluis has; Emily beside her, to be kept."""
    consent = await link_sandbox_customer(
        runtime, SANNE, "Sanne de Vries", "nl", channel="telegram", platform_user_id=TELEGRAM_USER
    )
    await link_sandbox_customer(runtime, "c-emily", "Emily Carter", "en")
    for customer in (SANNE, "c-emily"):
        await runtime.syncer().sync_customer(customer, Presence("127.0.0.1"))
    await Gate(runtime).accounts(DataRequest(SANNE, "telegram", "balance"))
    await start_link(runtime, SANNE, "web", psu_ip_address="127.0.0.1")  # a request in flight
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        messages = ConversationRepository(session)
        await messages.add(ConversationMessage(SANNE, "telegram", "in", "wat is mijn saldo", now))
        await messages.add(ConversationMessage(SANNE, "telegram", "out", "Op je rekening…", now))
        await ConversationStateRepository(session).put(SANNE, "telegram", {"last": "balance"})
        await HandoffRepository(session).open(SANNE, "telegram", "support", {"topic": "card"})
        await issue_check_code(session, SANNE, "telegram", "consent_expiry")
        session.add(
            CustomerPreferencesRow(
                customer_id=SANNE,
                hide_counterparties=True,
                discreet_voice=False,
                voice_pin_hash=b"\x01pin-hash-bytes",
                voice_pin_salt=b"\x02pin-salt-bytes",
                preferred_channel="telegram",
                updated_at=now,
            )
        )
        session.add(
            LinkTokenRow(
                token_hash=TOKEN_HASH,
                channel="telegram",
                platform_user_id=TELEGRAM_USER,
                created_at=now,
                expires_at=now + timedelta(minutes=10),
                used_at=now,
            )
        )
        await CardConsentRepository(session, runtime.sealer).add(
            SANNE, consent.connection_id, "card-consent-secret", "valid"
        )
    return consent


async def _secrets(runtime: Runtime, consent: Consent) -> list[str]:
    """Every credential and sealed value Kluis holds for Sanne, in the forms it could leak."""
    found = [consent.bank_consent_id, "card-consent-secret", TOKEN_HASH]
    async with runtime.database.session() as session:
        sealed: list[bytes] = list(
            await session.scalars(
                select(ConsentRow.bank_consent_id_sealed).where(ConsentRow.customer_id == SANNE)
            )
        )
        requests = list(
            await session.scalars(select(LinkRequestRow).where(LinkRequestRow.customer_id == SANNE))
        )
        sealed += [row.bank_consent_id_sealed for row in requests]
        found += [row.state for row in requests]
        found += [
            runtime.sealer.open(row.bank_consent_id_sealed, context=f"link:{row.state}")
            for row in requests
        ]
        sealed += list(await session.scalars(select(CardConsentRow.bank_card_consent_id_sealed)))
        preferences = await session.get(CustomerPreferencesRow, SANNE)
        assert preferences is not None
        assert preferences.voice_pin_hash is not None
        assert preferences.voice_pin_salt is not None
        sealed += [preferences.voice_pin_hash, preferences.voice_pin_salt]
    for blob in sealed:
        found += [
            blob.hex(),
            base64.b64encode(blob).decode(),
            base64.urlsafe_b64encode(blob).decode(),
        ]
        found.append(blob.decode("latin-1"))
    return found


async def test_the_export_holds_everything_and_no_secret(runtime: Runtime) -> None:
    consent = await _populate(runtime)
    async with runtime.database.session() as session:
        await AlertRuleRepository(session).set(
            SANNE,
            "low_balance",
            enabled=True,
            threshold=Money.parse("100", "EUR"),
            now=datetime.now(UTC),
        )
    data = await export_customer(runtime, SANNE)
    text = json.dumps(data, ensure_ascii=False)
    assert data["customer"]["name"] == "Sanne de Vries"
    for key in (
        "channel_identities",
        "link_tokens",
        "bank_connections",
        "consents",
        "consent_requests",
        "card_consents",
        "accounts",
        "balances",
        "transactions",
        "audit_events",
        "conversation_messages",
        "conversation_states",
        "handoffs",
        "proactive_messages",
    ):
        assert data[key], key
    assert data["channel_identities"][0]["platform_user_id"] == TELEGRAM_USER
    assert {row["account"] for row in data["accounts"]} == {
        "acc-sanne-checking",
        "acc-sanne-savings",
        "acc-sanne-card",
    }
    assert len(data["transactions"]) > 1000
    first = data["transactions"][0]
    assert set(first["amount"]) == {"value", "currency"}
    assert data["consents"][0]["status"] == "valid"
    assert data["consents"][0]["access"] == {
        "all_accounts": True,
        "accounts": [],
        "balances": [],
        "transactions": [],
    }
    assert [(rule["kind"], rule["enabled"]) for rule in data["alert_rules"]] == [
        ("low_balance", True)
    ]
    assert data["alert_rules"][0]["threshold"]["value"] == "100.00"
    assert data["alerts"] == []  # none given: her history teaches the engine, asks nothing
    assert data["preferences"]["voice_pin"] == {"set": True}
    assert data["preferences"]["hide_counterparties"] is True
    assert "wat is mijn saldo" in text
    assert "c-emily" not in text
    assert "Emily Carter" not in text
    for secret in await _secrets(runtime, consent):
        assert secret not in text
    with pytest.raises(UnknownCustomer):
        await export_customer(runtime, "c-nobody")


async def _needles(runtime: Runtime) -> list[str]:
    async with runtime.database.session() as session:
        ibans = list(
            await session.scalars(
                select(AccountRow.iban)
                .join(BankConnectionRow, BankConnectionRow.id == AccountRow.connection_id)
                .where(BankConnectionRow.customer_id == SANNE, AccountRow.iban.is_not(None))
            )
        )
    assert len(ibans) == 2
    return [SANNE, "Sanne de Vries", TELEGRAM_USER, *[iban for iban in ibans if iban]]


def _mentions(value: Any, needles: list[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bytes):
        text = value.decode("latin-1")
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return [needle for needle in needles if needle in text]


async def _scan(runtime: Runtime, needles: list[str]) -> list[str]:
    """Every table, every row, every column: where does a needle still appear?"""
    hits: list[str] = []
    async with runtime.database.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    hits += [
                        f"{table.name}.{column.name}: {needle}"
                        for needle in _mentions(value, needles)
                    ]
    return hits


async def _count(runtime: Runtime, model: Any, *where: Any) -> int:
    async with runtime.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_erasure_leaves_no_row_about_the_customer_only_anonymous_counts(
    runtime: Runtime,
) -> None:
    consent = await _populate(runtime)
    async with runtime.database.session() as session:
        await AlertRuleRepository(session).set(
            SANNE, "low_balance", enabled=True, threshold=None, now=datetime.now(UTC)
        )
    needles = await _needles(runtime)
    assert await _scan(runtime, needles)
    emily_before = await _scan(runtime, ["c-emily"])
    assert SANNE in (await live.load(runtime)).engine.customers  # her habits, from the sync

    report = await erase_customer(runtime, SANNE)
    assert SANNE not in (await live.load(runtime)).engine.customers
    assert report.counts["alert_rules"] == 1
    assert report.found
    assert report.bank_deletes_pending == 0
    counts = report.counts
    assert counts["customers"] == 1
    assert counts["consents"] == 1
    assert counts["accounts"] == 3
    assert counts["transactions"] > 1000
    for kind in (
        "audit_events",
        "events",
        "conversation_messages",
        "conversation_states",
        "handoffs",
        "preferences",
        "proactive_messages",
        "channel_identities",
        "link_tokens",
        "consent_requests",
        "card_consents",
        "read_budget",
    ):
        assert counts[kind] >= 1, kind
    assert await runtime.bank.consent_status(consent.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )

    assert await _scan(runtime, needles) == []
    assert await _scan(runtime, ["c-emily"]) == emily_before
    assert await _count(runtime, CustomerRow) == 1
    async with runtime.database.session() as session:
        log = list(await session.scalars(select(ErasureLogRow)))
    assert len(log) == 1
    assert log[0].counts == dict(counts)
    assert set(log[0].counts) == set(counts)

    again = await erase_customer(runtime, SANNE)
    assert not again.found
    assert again.total == 0
    assert await _count(runtime, ErasureLogRow) == 1


async def test_erasure_with_the_bank_down_keeps_only_the_bank_delete_it_still_owes(
    runtime: Runtime, line: BankLine
) -> None:
    consent = await link_sandbox_customer(runtime, SANNE, "Sanne de Vries", "nl")
    await runtime.syncer().sync_customer(SANNE, Presence("127.0.0.1"))
    needles = await _needles(runtime)
    line.down = True
    report = await erase_customer(runtime, SANNE)
    assert report.found
    assert report.bank_deletes_pending == 1
    assert await _scan(runtime, needles) == []
    assert await _scan(runtime, [consent.bank_consent_id]) == []  # sealed, not in clear
    assert await _count(runtime, PendingBankDeleteRow) == 1
    assert await retry_bank_deletes(runtime) == 0

    line.down = False
    assert await runtime.bank.consent_status(consent.bank_consent_id) is ConsentStatus.VALID
    assert await retry_bank_deletes(runtime) == 1
    assert await runtime.bank.consent_status(consent.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )
    assert await _count(runtime, PendingBankDeleteRow) == 0
    assert not (await erase_customer(runtime, SANNE)).found


async def test_a_revoked_then_erased_customer_still_gets_the_bank_told(
    runtime: Runtime, line: BankLine
) -> None:
    """A revoke the bank missed, then an erasure: the owed delete survives the erasure."""
    consent = await link_sandbox_customer(runtime, SANNE, "Sanne de Vries", "nl")
    line.down = True
    assert await revoke(runtime, SANNE) is not None
    report = await erase_customer(runtime, SANNE)
    assert report.bank_deletes_pending == 1
    assert await _count(runtime, ConsentRow) == 0
    line.down = False
    assert await retry_bank_deletes(runtime) == 1
    assert await runtime.bank.consent_status(consent.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )


# -- the command line ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    port = _free_port()
    return {
        "KLUIS_DATA_DIR": str(tmp_path / "data"),
        "KLUIS_SANDBOX_PORT": str(port),
        "KLUIS_BANK_URL": f"http://127.0.0.1:{port}",
        "KLUIS_PUBLIC_URL": f"http://127.0.0.1:{_free_port()}",
        "COLUMNS": "200",
    }


runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        ["privacy"],
        ["privacy", "export"],
        ["privacy", "erase"],
        ["consent"],
        ["consent", "list"],
        ["consent", "revoke"],
        ["consent", "maintain"],
    ],
)
def test_the_privacy_and_consent_commands_explain_themselves(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_consent_and_privacy_commands_from_link_to_erasure(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert runner.invoke(app, ["link", "--customer", "c-emily"], env=env).exit_code == 0
    assert runner.invoke(app, ["sync", "--quiet"], env=env).exit_code == 0

    listed = runner.invoke(app, ["consent", "list", "--customer", "c-emily"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "valid" in listed.output
    assert "all accounts" in listed.output

    exported = runner.invoke(app, ["privacy", "export", "--customer", "c-emily"], env=env)
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert data["customer"]["name"] == "Emily Carter"
    assert data["transactions"]
    target = tmp_path / "emily.json"
    written = runner.invoke(
        app, ["privacy", "export", "-c", "c-emily", "--output", str(target)], env=env
    )
    assert written.exit_code == 0, written.output
    assert json.loads(target.read_text(encoding="utf-8"))["customer"]["id"] == "c-emily"

    revoked = runner.invoke(app, ["consent", "revoke", "--customer", "c-emily"], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert "The bank has deleted the consent too." in revoked.output
    nothing = runner.invoke(app, ["consent", "revoke", "--customer", "c-emily"], env=env)
    assert "nothing to revoke" in nothing.output

    kept = runner.invoke(app, ["consent", "maintain"], env=env)
    assert kept.exit_code == 0, kept.output
    assert "data purged for 0 ended consents" in kept.output
    purged = runner.invoke(app, ["consent", "maintain", "--retention-days", "0"], env=env)
    assert purged.exit_code == 0, purged.output
    assert "data purged for 1 ended consents and 3 accounts" in purged.output

    refused = runner.invoke(app, ["privacy", "erase", "--customer", "c-emily"], env=env)
    assert refused.exit_code == 2
    assert "--yes" in refused.output
    erased = runner.invoke(app, ["privacy", "erase", "--customer", "c-emily", "--yes"], env=env)
    assert erased.exit_code == 0, erased.output
    assert "Erased c-emily" in erased.output
    assert "customers: 1" in erased.output
    again = runner.invoke(app, ["privacy", "erase", "-c", "c-emily", "--yes"], env=env)
    assert again.exit_code == 0
    assert "nothing to erase" in again.output
    unknown = runner.invoke(app, ["privacy", "export", "--customer", "c-emily"], env=env)
    assert unknown.exit_code == 1
    assert "holds nothing" in unknown.output
