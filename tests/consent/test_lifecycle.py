"""The consent lifecycle against the sandbox bank, on SQLite and PostgreSQL: revoke (also with
the bank down), narrow, reminders, purge after retention, renewal."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from kluis.banks.connector import Presence
from kluis.config import Settings, load_settings
from kluis.consent.gate import DataRequest, Gate
from kluis.consent.lifecycle import (
    narrow,
    purge_ended,
    renew,
    retry_bank_deletes,
    revoke,
    send_expiry_reminders,
    supersede_previous,
)
from kluis.consent.linking import finish_link, link_sandbox_customer
from kluis.domain import Consent, ConsentStatus, ConversationMessage
from kluis.errors import ConsentError, ConsentNotReady
from kluis.privacy.check_codes import verify_check_code
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.store.consents import ConsentRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.models import (
    AccountRow,
    AuditEventRow,
    BalanceRow,
    ConsentRow,
    ConversationMessageRow,
    CustomerPreferencesRow,
    LinkRequestRow,
    ReadBudgetRow,
    SyncCursorRow,
    TransactionRow,
)

CUSTOMERS = {
    "c-sanne": ("Sanne de Vries", "nl"),
    "c-emily": ("Emily Carter", "en"),
    "c-daan": ("Daan Jansen", "nl"),
    "c-oliver": ("Oliver Hughes", "en"),
    "c-joost": ("Joost Bakker", "nl"),
}
CHECKING = "acc-sanne-checking"
SAVINGS = "acc-sanne-savings"
CARD = "acc-sanne-card"
Answer = Callable[[httpx.Request], Awaitable[httpx.Response | None]]


class BankLine(httpx.AsyncBaseTransport):
    """The sandbox bank in process, with a switch to cut the line or answer for the bank."""

    def __init__(self, app: FastAPI) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self.down = False
        self.answer: Answer | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.answer is not None:
            response = await self.answer(request)
            if response is not None:
                return response
        return await self._inner.handle_async_request(request)


@pytest.fixture
def lifecycle_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
        public_url="https://kluis.example",
        bank_retries=1,
        bank_backoff_seconds=0.0,
        circuit_failure_threshold=1000,
    )


@pytest.fixture
def line(lifecycle_settings: Settings) -> BankLine:
    bank = SandboxBank.from_settings(lifecycle_settings)
    return BankLine(create_sandbox_app(lifecycle_settings, bank))


@pytest.fixture
async def runtime(lifecycle_settings: Settings, line: BankLine) -> AsyncIterator[Runtime]:
    async with open_runtime(lifecycle_settings, line) as opened:
        yield opened


async def _link(runtime: Runtime, customer_id: str = "c-sanne") -> Consent:
    name, language = CUSTOMERS[customer_id]
    return await link_sandbox_customer(runtime, customer_id, name, language)


async def _sync(runtime: Runtime, customer_id: str = "c-sanne") -> None:
    await runtime.syncer().sync_customer(customer_id, Presence("127.0.0.1"))


async def _count(runtime: Runtime, statement: Any) -> int:
    async with runtime.database.session() as session:
        return int(await session.scalar(statement) or 0)


async def _transactions(runtime: Runtime, resource_id: str) -> int:
    return await _count(
        runtime,
        select(func.count())
        .select_from(TransactionRow)
        .join(AccountRow, AccountRow.id == TransactionRow.account_id)
        .where(AccountRow.resource_id == resource_id),
    )


async def _balances(runtime: Runtime, resource_id: str) -> int:
    return await _count(
        runtime,
        select(func.count())
        .select_from(BalanceRow)
        .join(AccountRow, AccountRow.id == BalanceRow.account_id)
        .where(AccountRow.resource_id == resource_id),
    )


async def _execute(runtime: Runtime, statement: Any) -> None:
    async with runtime.database.session() as session:
        await session.execute(statement)


async def _consent(runtime: Runtime, consent_id: int) -> Consent:
    async with runtime.database.session() as session:
        consent = await ConsentRepository(session, runtime.sealer).get(consent_id)
    assert consent is not None
    return consent


async def _pending_ids(runtime: Runtime) -> set[int]:
    async with runtime.database.session() as session:
        pending = await ConsentRepository(session, runtime.sealer).with_bank_delete_pending()
    return {consent.id for consent in pending}


def _ask(customer_id: str = "c-sanne") -> DataRequest:
    return DataRequest(customer_id=customer_id, channel="web", intent="balance")


# -- revoke ----------------------------------------------------------------------------------


async def test_revoke_ends_the_consent_here_and_at_the_bank_and_the_gate_refuses(
    runtime: Runtime,
) -> None:
    consent = await _link(runtime)
    assert (await Gate(runtime).accounts(_ask())).items
    ended = await revoke(runtime, "c-sanne")
    assert ended is not None
    assert ended.id == consent.id
    assert ended.status is ConsentStatus.TERMINATED_BY_TPP
    assert ended.ended_at is not None
    assert await runtime.bank.consent_status(consent.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )
    assert await _pending_ids(runtime) == set()
    with pytest.raises(ConsentNotReady):
        await Gate(runtime).accounts(_ask())
    with pytest.raises(ConsentNotReady):
        await Gate(runtime).transactions(_ask())
    assert await revoke(runtime, "c-sanne") is None


async def test_revoke_with_the_bank_down_ends_here_at_once_and_tells_the_bank_later(
    runtime: Runtime, line: BankLine
) -> None:
    consent = await _link(runtime)
    line.down = True
    ended = await revoke(runtime, "c-sanne")
    assert ended is not None
    assert ended.status is ConsentStatus.TERMINATED_BY_TPP
    assert await _pending_ids(runtime) == {consent.id}
    with pytest.raises(ConsentNotReady):
        await Gate(runtime).accounts(_ask())
    assert await retry_bank_deletes(runtime) == 0
    assert await _pending_ids(runtime) == {consent.id}

    line.down = False
    assert await runtime.bank.consent_status(consent.bank_consent_id) is ConsentStatus.VALID
    assert await retry_bank_deletes(runtime) == 1
    assert await runtime.bank.consent_status(consent.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )
    assert await _pending_ids(runtime) == set()
    assert await retry_bank_deletes(runtime) == 0


async def _unknown_consent(request: httpx.Request) -> httpx.Response | None:
    if request.method != "DELETE":
        return None
    body = {"tppMessages": [{"category": "ERROR", "code": "CONSENT_UNKNOWN"}]}
    return httpx.Response(403, json=body, request=request)


async def _not_found(request: httpx.Request) -> httpx.Response | None:
    if request.method != "DELETE":
        return None
    return httpx.Response(404, json={"tppMessages": []}, request=request)


async def _refused(request: httpx.Request) -> httpx.Response | None:
    if request.method != "DELETE":
        return None
    return httpx.Response(400, json={"tppMessages": [{"code": "FORMAT_ERROR"}]}, request=request)


@pytest.mark.parametrize(
    ("answer", "still_pending"),
    [(_unknown_consent, False), (_not_found, False), (_refused, True)],
    ids=["unknown at the bank", "404", "refused"],
)
async def test_a_consent_the_bank_no_longer_knows_counts_as_deleted(
    runtime: Runtime, line: BankLine, answer: Answer, still_pending: bool
) -> None:
    consent = await _link(runtime)
    line.answer = answer
    ended = await revoke(runtime, "c-sanne")
    assert ended is not None
    assert ended.status is ConsentStatus.TERMINATED_BY_TPP
    assert (consent.id in await _pending_ids(runtime)) is still_pending


# -- narrow ----------------------------------------------------------------------------------


async def test_narrow_hides_other_accounts_at_once_and_purges_them_after_retention(
    runtime: Runtime,
) -> None:
    await _link(runtime)
    await _sync(runtime)
    before = {view.resource_id for view in (await Gate(runtime).accounts(_ask())).items}
    assert before == {CHECKING, SAVINGS, CARD}

    narrowed = await narrow(runtime, "c-sanne", (CHECKING,))
    assert narrowed.restricted_to == (CHECKING,)
    gate = Gate(runtime)
    shown = await gate.accounts(_ask())
    assert [view.resource_id for view in shown.items] == [CHECKING]
    listed = await gate.transactions(_ask())
    assert listed.items
    assert {item.transaction.resource_id for item in listed.items} == {CHECKING}

    report = await purge_ended(runtime, retention_days=7)
    assert report.accounts_purged == 0
    assert await _transactions(runtime, SAVINGS) > 0

    await _execute(
        runtime,
        update(AccountRow)
        .where(AccountRow.resource_id.in_([SAVINGS, CARD]))
        .values(dropped_at=datetime.now(UTC) - timedelta(days=8)),
    )
    checking = await _transactions(runtime, CHECKING)
    report = await purge_ended(runtime, retention_days=7)
    assert report.accounts_purged == 2
    assert report.deleted.transactions > 0
    assert report.consents_purged == 0
    for dropped in (SAVINGS, CARD):
        assert await _transactions(runtime, dropped) == 0
        assert await _balances(runtime, dropped) == 0
    assert await _transactions(runtime, CHECKING) == checking
    assert await _balances(runtime, CHECKING) > 0
    assert (await purge_ended(runtime, retention_days=7)).deleted.transactions == 0


async def test_narrow_refuses_accounts_outside_the_consent_and_can_be_undone(
    runtime: Runtime,
) -> None:
    with pytest.raises(ConsentNotReady):
        await narrow(runtime, "c-sanne", (CHECKING,))
    await _link(runtime)
    await _sync(runtime)
    with pytest.raises(ConsentError):
        await narrow(runtime, "c-sanne", ("acc-daan-checking",))
    with pytest.raises(ConsentError):
        await narrow(runtime, "c-sanne", ())
    await narrow(runtime, "c-sanne", (SAVINGS,))
    widened = await narrow(runtime, "c-sanne", None)
    assert widened.restricted_to is None
    dropped = await _count(runtime, select(func.count()).where(AccountRow.dropped_at.is_not(None)))
    assert dropped == 0
    shown = await Gate(runtime).accounts(_ask())
    assert {view.resource_id for view in shown.items} == {CHECKING, SAVINGS, CARD}


async def test_an_account_stored_again_after_narrowing_is_purged_all_the_same(
    runtime: Runtime,
) -> None:
    consent = await _link(runtime)
    await _sync(runtime)
    await narrow(runtime, "c-sanne", (CHECKING,))
    # As if the savings account had been stored afresh (say, by a new consent on the same
    # connection that kept the narrowing): no date it was dropped.
    await _execute(
        runtime,
        update(AccountRow).where(AccountRow.resource_id == SAVINGS).values(dropped_at=None),
    )
    await purge_ended(runtime, retention_days=7)
    async with runtime.database.session() as session:
        marked = await session.scalar(
            select(AccountRow.dropped_at).where(AccountRow.resource_id == SAVINGS)
        )
    assert marked is not None
    assert await _transactions(runtime, SAVINGS) > 0
    await _execute(
        runtime,
        update(AccountRow)
        .where(AccountRow.resource_id.in_([SAVINGS, CARD]))
        .values(dropped_at=datetime.now(UTC) - timedelta(days=8)),
    )
    await purge_ended(runtime, retention_days=7)
    assert await _transactions(runtime, SAVINGS) == 0
    assert await _transactions(runtime, CHECKING) > 0
    assert (await _consent(runtime, consent.id)).status is ConsentStatus.VALID


# -- reminders -------------------------------------------------------------------------------


async def _ends_in(runtime: Runtime, consent: Consent, days: int) -> None:
    await _execute(
        runtime,
        update(ConsentRow)
        .where(ConsentRow.id == consent.id)
        .values(valid_until=runtime.today() + timedelta(days=days)),
    )


async def _messages(runtime: Runtime, customer_id: str) -> list[ConversationMessageRow]:
    async with runtime.database.session() as session:
        return list(
            await session.scalars(
                select(ConversationMessageRow)
                .where(ConversationMessageRow.customer_id == customer_id)
                .order_by(ConversationMessageRow.id)
            )
        )


async def test_reminders_go_once_to_consents_ending_soon_in_the_customers_language(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    consents = {customer: await _link(runtime, customer) for customer in CUSTOMERS}
    await _ends_in(runtime, consents["c-sanne"], 10)
    await _ends_in(runtime, consents["c-emily"], 14)
    await _ends_in(runtime, consents["c-daan"], 1)
    await _ends_in(runtime, consents["c-joost"], -1)  # past its day: the gate expires it
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        session.add(
            CustomerPreferencesRow(
                customer_id="c-emily",
                hide_counterparties=False,
                discreet_voice=False,
                preferred_channel="telegram",
                updated_at=now,
            )
        )
        await ConversationRepository(session).add(
            ConversationMessage("c-sanne", "messenger", "in", "wat is mijn saldo", now)
        )

    reminders = await send_expiry_reminders(runtime, days_before=14)
    sent = {reminder.customer_id: reminder for reminder in reminders}
    assert set(sent) == {"c-sanne", "c-emily", "c-daan"}
    assert {customer: r.channel for customer, r in sent.items()} == {
        "c-sanne": "messenger",
        "c-emily": "telegram",
        "c-daan": "web",
    }
    assert sent["c-sanne"].language == "nl"
    assert sent["c-emily"].language == "en"

    sanne = (await _messages(runtime, "c-sanne"))[-1]
    assert sanne.direction == "out"
    assert sanne.channel == "messenger"
    ends = runtime.today() + timedelta(days=10)
    assert f"loopt op {ends.day} " in sanne.text
    assert "verlengen" in sanne.text
    assert "https://kluis.example/consents" in sanne.text
    assert f"Controlecode: {sent['c-sanne'].check_code}" in sanne.text
    assert "nooit om wachtwoorden, pincodes of inlogcodes" in sanne.text
    emily = (await _messages(runtime, "c-emily"))[-1]
    assert emily.channel == "telegram"
    assert "ends on" in emily.text
    assert "renew" in emily.text
    assert f"Check code: {sent['c-emily'].check_code}" in emily.text
    assert "never asks you for passwords, PINs or login codes" in emily.text
    assert await _messages(runtime, "c-oliver") == []
    assert await _messages(runtime, "c-joost") == []

    code = sent["c-sanne"].check_code
    async with runtime.database.session() as session:
        verified = await verify_check_code(session, "c-sanne", f" {code.lower()} ")
        assert verified is not None
        assert (verified.kind, verified.channel) == ("consent_expiry", "messenger")
        assert await verify_check_code(session, "c-sanne", code.replace("-", " ")) is not None
        assert await verify_check_code(session, "c-emily", code) is None
        assert await verify_check_code(session, "c-sanne", "ABCD-EF") is None
    reminded = await _consent(runtime, consents["c-sanne"].id)
    assert reminded.reminder_sent_at is not None

    assert await send_expiry_reminders(runtime, days_before=14) == []
    assert len(await _messages(runtime, "c-sanne")) == 2
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith("kluis")
    )
    assert "reminders written: 3" in logged
    assert code not in logged
    assert "toestemming" not in logged
    assert "consent for me" not in logged


async def test_no_reminder_when_a_renewed_consent_already_outlasts_the_old_one(
    runtime: Runtime,
) -> None:
    old = await _link(runtime)
    await _link(runtime)  # the renewal, not yet superseding the old one
    await _ends_in(runtime, old, 5)
    assert await send_expiry_reminders(runtime, days_before=14) == []


# -- purge -----------------------------------------------------------------------------------


async def _rows(runtime: Runtime, model: Any) -> int:
    return await _count(runtime, select(func.count()).select_from(model))


async def _backdate_end(runtime: Runtime, consent_id: int, days: int) -> None:
    await _execute(
        runtime,
        update(ConsentRow)
        .where(ConsentRow.id == consent_id)
        .values(ended_at=datetime.now(UTC) - timedelta(days=days)),
    )


async def test_purge_after_retention_deletes_bank_data_but_keeps_the_audit_log(
    runtime: Runtime,
) -> None:
    consent = await _link(runtime)
    await Gate(runtime).accounts(_ask())  # an unattended refresh: counted, and audited
    assert await _rows(runtime, ReadBudgetRow) > 0
    audit = await _count(runtime, select(func.count()).select_from(AuditEventRow))
    assert audit > 0
    await revoke(runtime, "c-sanne")

    early = await purge_ended(runtime, retention_days=7)
    assert early.consents_purged == 0
    assert await _transactions(runtime, CHECKING) > 0

    await _backdate_end(runtime, consent.id, 3)
    assert (await purge_ended(runtime, retention_days=7)).consents_purged == 0
    await _backdate_end(runtime, consent.id, 8)
    report = await purge_ended(runtime, retention_days=7)
    assert report.consents_purged == 1
    assert report.accounts_purged == 3
    assert report.deleted.transactions > 0
    assert report.deleted.balances > 0
    assert report.deleted.read_budget > 0
    for model in (TransactionRow, BalanceRow, SyncCursorRow, ReadBudgetRow):
        assert await _rows(runtime, model) == 0, model.__tablename__
    assert await _count(runtime, select(func.count()).select_from(AccountRow)) == 0
    assert await _count(runtime, select(func.count()).select_from(AuditEventRow)) == audit
    async with runtime.database.session() as session:
        row = await session.get(ConsentRow, consent.id)
        assert row is not None
        assert row.purged_at is not None
    again = await purge_ended(runtime, retention_days=7)
    assert (again.consents_purged, again.deleted.transactions) == (0, 0)


async def test_purge_keeps_accounts_another_valid_consent_still_covers(runtime: Runtime) -> None:
    old = await _link(runtime)
    await _sync(runtime)
    new = await _link(runtime)
    assert new.connection_id == old.connection_id
    ended = await supersede_previous(runtime, "c-sanne", new.id)
    assert [consent.id for consent in ended] == [old.id]
    transactions = await _transactions(runtime, CHECKING)
    await _backdate_end(runtime, old.id, 30)
    report = await purge_ended(runtime, retention_days=7)
    assert report.consents_purged == 1
    assert report.deleted.transactions == 0
    assert report.accounts_purged == 0
    assert await _transactions(runtime, CHECKING) == transactions
    assert (await Gate(runtime).accounts(_ask())).items


async def test_a_consent_past_its_last_day_is_expired_and_later_purged(runtime: Runtime) -> None:
    consent = await _link(runtime)
    await _sync(runtime)
    await _ends_in(runtime, consent, -2)
    report = await purge_ended(runtime, retention_days=7)
    assert report.consents_expired == 1
    assert report.consents_purged == 0
    expired = await _consent(runtime, consent.id)
    assert expired.status is ConsentStatus.EXPIRED
    assert expired.ended_at is not None
    await _backdate_end(runtime, consent.id, 8)
    assert (await purge_ended(runtime, retention_days=7)).consents_purged == 1
    assert await _transactions(runtime, CHECKING) == 0


# -- renewal ---------------------------------------------------------------------------------


async def _approve_renewal(runtime: Runtime, approve_url: str) -> Consent:
    await decide_in_sandbox(runtime.http, approve_url, "c-sanne")
    async with runtime.database.session() as session:
        state = await session.scalar(
            select(LinkRequestRow.state).where(
                LinkRequestRow.customer_id == "c-sanne", LinkRequestRow.used_at.is_(None)
            )
        )
    assert state is not None
    return await finish_link(runtime, state)


async def test_renew_asks_for_the_same_access_and_supersede_ends_the_old_consent(
    runtime: Runtime,
) -> None:
    with pytest.raises(ConsentNotReady):
        await renew(runtime, "c-sanne", "web", psu_ip_address="192.0.2.7")
    old = await _link(runtime)
    await _sync(runtime)
    await narrow(runtime, "c-sanne", (CHECKING,))

    approve_url = await renew(runtime, "c-sanne", "web", psu_ip_address="192.0.2.7")
    assert approve_url.startswith("http://sandbox.test/")
    new = await _approve_renewal(runtime, approve_url)
    assert new.id != old.id
    assert new.access == old.access
    assert new.status is ConsentStatus.VALID

    ended = await supersede_previous(runtime, "c-sanne", new.id)
    assert [consent.id for consent in ended] == [old.id]
    assert (await _consent(runtime, old.id)).status is ConsentStatus.TERMINATED_BY_TPP
    assert await runtime.bank.consent_status(old.bank_consent_id) is (
        ConsentStatus.TERMINATED_BY_TPP
    )
    assert await runtime.bank.consent_status(new.bank_consent_id) is ConsentStatus.VALID
    renewed = await _consent(runtime, new.id)
    assert renewed.restricted_to == (CHECKING,)  # renewing never widens what Kluis sees
    shown = await Gate(runtime).accounts(_ask())
    assert [view.resource_id for view in shown.items] == [CHECKING]
    assert await supersede_previous(runtime, "c-sanne", new.id) == []
    with pytest.raises(ConsentNotReady):
        await supersede_previous(runtime, "c-emily", new.id)
    with pytest.raises(ConsentNotReady):
        await supersede_previous(runtime, "c-sanne", old.id)


async def test_renewal_works_after_the_consent_expired(runtime: Runtime) -> None:
    old = await _link(runtime)
    await _ends_in(runtime, old, -1)
    with pytest.raises(ConsentError):
        await Gate(runtime).accounts(_ask())
    approve_url = await renew(runtime, "c-sanne", "web", psu_ip_address="192.0.2.7")
    new = await _approve_renewal(runtime, approve_url)
    assert await supersede_previous(runtime, "c-sanne", new.id) == []
    assert (await Gate(runtime).accounts(_ask())).items
