"""The sync against the sandbox bank, on SQLite and PostgreSQL: the store ends with exactly
the bank's set, whatever happened on the way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from kluis.banks.connector import Presence
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.domain import ConsentStatus
from kluis.errors import (
    BankUnavailable,
    ConsentExpired,
    ConsentNotReady,
    ConsentRevoked,
    MalformedResponse,
    RateLimited,
)
from kluis.events.types import TransactionsArrived
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth
from kluis.security import new_key
from kluis.store.accounts import AccountRepository
from kluis.store.consents import ConsentRepository
from kluis.store.transactions import TransactionRepository

CUSTOMER = "c-sanne"
Snapshot = dict[str, tuple[str, str, str]]


class ControlledTransport(httpx.AsyncBaseTransport):
    """The sandbox app in process, with a switch to make the bank fail the way banks do."""

    def __init__(self, app: FastAPI) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self.requests = 0
        self.fail_after: int | None = None
        self.failure: Callable[[httpx.Request], Awaitable[httpx.Response]] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.failure is not None and (
            self.fail_after is None or self.requests > self.fail_after
        ):
            return await self.failure(request)
        return await self._inner.handle_async_request(request)


async def _refuse_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def _time_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


async def _broken_json(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=b'{"transactions": {"booked": [', request=request)


async def _access_exceeded(request: httpx.Request) -> httpx.Response:
    body = {"tppMessages": [{"category": "ERROR", "code": "ACCESS_EXCEEDED", "text": "limit"}]}
    return httpx.Response(429, json=body, request=request)


async def _server_error(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, json={"tppMessages": []}, request=request)


@pytest.fixture
def bank_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
        bank_backoff_seconds=0.0,
    )


@pytest.fixture
def bank(bank_settings: Settings) -> SandboxBank:
    return SandboxBank.from_settings(bank_settings)


@pytest.fixture
def transport(bank_settings: Settings, bank: SandboxBank) -> ControlledTransport:
    return ControlledTransport(create_sandbox_app(bank_settings, bank))


@pytest.fixture
async def runtime(
    bank_settings: Settings, transport: ControlledTransport
) -> AsyncIterator[Runtime]:
    async with open_runtime(bank_settings, transport) as opened:
        await link_sandbox_customer(opened, CUSTOMER, "Sanne de Vries", "nl")
        yield opened


def truth(settings: Settings, bank: SandboxBank) -> Truth:
    state = StateStore(settings.sandbox_dir).load()
    return build_truth(
        bank, CUSTOMER, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )


def truth_snapshot(settings: Settings, bank: SandboxBank) -> Snapshot:
    return {
        item.transaction_id: (item.resource_id, item.status, item.amount.to_api())
        for item in truth(settings, bank).transactions
    }


async def stored_snapshot(runtime: Runtime) -> Snapshot:
    snapshot: Snapshot = {}
    async with runtime.database.session() as session:
        for account_id, account in await AccountRepository(session).for_customer(CUSTOMER):
            for stored in await TransactionRepository(session).for_account(account_id):
                item = stored.transaction
                assert item.transaction_id not in snapshot, "a transaction was stored twice"
                snapshot[item.transaction_id] = (
                    account.resource_id,
                    item.status.value,
                    item.amount.to_api(),
                )
    return snapshot


async def test_first_sync_stores_exactly_the_banks_transactions_and_balances(
    runtime: Runtime, bank_settings: Settings, bank: SandboxBank
) -> None:
    report = await runtime.syncer().sync_customer(CUSTOMER)
    expected = truth_snapshot(bank_settings, bank)
    assert report.inserted == len(expected) > 1000
    assert await stored_snapshot(runtime) == expected
    balances = {a.resource_id: a.balance for a in truth(bank_settings, bank).accounts}
    async with runtime.database.session() as session:
        accounts = AccountRepository(session)
        for account_id, account in await accounts.for_customer(CUSTOMER):
            stored = {b.balance_type: b.amount for b in await accounts.balances(account_id)}
            assert stored["expected"] == balances[account.resource_id]


async def test_syncing_again_changes_nothing(runtime: Runtime) -> None:
    await runtime.syncer().sync_customer(CUSTOMER)
    before = await stored_snapshot(runtime)
    again = await runtime.syncer().sync_customer(CUSTOMER)
    assert (again.inserted, again.updated, again.removed) == (0, 0, 0)
    assert await stored_snapshot(runtime) == before


async def test_time_passes_new_transactions_arrive_and_pending_ones_get_booked(
    runtime: Runtime, bank_settings: Settings, bank: SandboxBank
) -> None:
    arrived: list[TransactionsArrived] = []

    async def collect(payload: dict[str, Any]) -> None:
        arrived.append(TransactionsArrived.from_payload(payload))

    runtime.bus.subscribe(TransactionsArrived.KIND, collect)
    await runtime.syncer().sync_customer(CUSTOMER)
    pending_before = {k for k, v in (await stored_snapshot(runtime)).items() if v[1] == "pending"}
    assert pending_before, "the sandbox should have card payments waiting to be booked"
    arrived.clear()
    bank.clock.advance(4)
    report = await runtime.syncer().sync_customer(CUSTOMER)
    after = await stored_snapshot(runtime)
    assert after == truth_snapshot(bank_settings, bank)
    assert report.inserted > 0
    booked_now = {k for k in pending_before if after.get(k, ("", "", ""))[1] == "booked"}
    assert booked_now, "pending payments should have been booked under the same id"
    announced_new = {i for event in arrived for i in event.inserted}
    announced_changed = {i for event in arrived for i in event.updated}
    assert len(announced_new) == report.inserted
    assert booked_now <= announced_changed


async def test_a_sync_killed_halfway_ends_with_exactly_the_banks_set_when_run_again(
    runtime: Runtime, transport: ControlledTransport, bank_settings: Settings, bank: SandboxBank
) -> None:
    await runtime.syncer().sync_customer(CUSTOMER)
    bank.clock.advance(30)
    transport.fail_after = transport.requests + 6
    transport.failure = _refuse_connection
    with pytest.raises(BankUnavailable):
        await runtime.syncer().sync_customer(CUSTOMER)
    transport.failure = None
    await runtime.syncer().sync_customer(CUSTOMER)
    assert await stored_snapshot(runtime) == truth_snapshot(bank_settings, bank)


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (_refuse_connection, BankUnavailable),
        (_time_out, BankUnavailable),
        (_server_error, BankUnavailable),
        (_broken_json, MalformedResponse),
        (_access_exceeded, RateLimited),
    ],
)
async def test_a_failing_bank_gives_a_clear_error_and_keeps_what_was_stored(
    runtime: Runtime,
    transport: ControlledTransport,
    bank: SandboxBank,
    failure: Callable[[httpx.Request], Awaitable[httpx.Response]],
    error: type[Exception],
) -> None:
    await runtime.syncer().sync_customer(CUSTOMER)
    before = await stored_snapshot(runtime)
    bank.clock.advance(3)
    transport.fail_after = transport.requests + 2
    transport.failure = failure
    with pytest.raises(error) as raised:
        await runtime.syncer().sync_customer(CUSTOMER)
    assert "bank" in str(raised.value)
    assert await stored_snapshot(runtime) == before


async def test_an_expired_consent_stops_the_sync_and_is_remembered(
    runtime: Runtime, bank: SandboxBank
) -> None:
    await runtime.syncer().sync_customer(CUSTOMER)
    before = await stored_snapshot(runtime)
    bank.clock.advance(200)
    with pytest.raises(ConsentExpired):
        await runtime.syncer().sync_customer(CUSTOMER)
    assert await stored_snapshot(runtime) == before
    async with runtime.database.session() as session:
        consents = await ConsentRepository(session, runtime.sealer).for_customer(CUSTOMER)
    assert consents[0].status is ConsentStatus.EXPIRED
    with pytest.raises(ConsentNotReady):
        await runtime.syncer().sync_customer(CUSTOMER)


async def test_a_consent_deleted_at_the_bank_is_revoked_here(runtime: Runtime) -> None:
    await runtime.syncer().sync_customer(CUSTOMER)
    async with runtime.database.session() as session:
        consent = await ConsentRepository(session, runtime.sealer).active_for_customer(CUSTOMER)
    assert consent is not None
    await runtime.bank.delete_consent(consent.bank_consent_id)
    with pytest.raises(ConsentRevoked):
        await runtime.syncer().sync_customer(CUSTOMER)
    async with runtime.database.session() as session:
        assert (
            await ConsentRepository(session, runtime.sealer).active_for_customer(CUSTOMER) is None
        )


async def test_four_unattended_syncs_a_day_then_kluis_itself_refuses(
    runtime: Runtime, transport: ControlledTransport, bank: SandboxBank
) -> None:
    for _ in range(4):
        await runtime.syncer().sync_customer(CUSTOMER)
    requests = transport.requests
    with pytest.raises(RateLimited) as raised:
        await runtime.syncer().sync_customer(CUSTOMER)
    assert raised.value.retry_after is not None
    assert raised.value.retry_after > 0
    assert transport.requests == requests, "the bank must not be asked for a read it must refuse"
    await runtime.syncer().sync_customer(CUSTOMER, Presence(psu_ip_address="192.0.2.10"))
    bank.clock.advance(1)
    await runtime.syncer().sync_customer(CUSTOMER)


async def test_the_bank_recovering_within_the_retries_is_invisible(
    runtime: Runtime, transport: ControlledTransport, bank_settings: Settings, bank: SandboxBank
) -> None:
    failures = iter([True, True])

    async def flaky(request: httpx.Request) -> httpx.Response:
        if next(failures, False):
            return httpx.Response(502, request=request)
        transport.failure = None
        return await httpx.ASGITransport(
            app=create_sandbox_app(bank_settings, bank)
        ).handle_async_request(request)

    transport.failure = flaky
    transport.fail_after = None
    await runtime.syncer().sync_customer(CUSTOMER)
    assert await stored_snapshot(runtime) == truth_snapshot(bank_settings, bank)


@asynccontextmanager
async def serve_on_loopback(app: Any) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_sync_over_real_http_on_loopback(tmp_path: Path, database_url: str) -> None:
    base = load_settings(data_dir=tmp_path / "data", seal_keys=[new_key()])
    bank = SandboxBank.from_settings(base)
    async with serve_on_loopback(create_sandbox_app(base, bank)) as url:
        settings = base.model_copy(
            update={"bank_url": url, "database_url": database_url, "embedded_sandbox": False}
        )
        async with open_runtime(settings) as runtime:
            await link_sandbox_customer(runtime, CUSTOMER, "Sanne de Vries", "nl")
            await runtime.syncer().sync_customer(CUSTOMER)
            assert await stored_snapshot(runtime) == truth_snapshot(settings, bank)


async def test_a_slow_bank_times_out_with_a_clear_error(tmp_path: Path, database_url: str) -> None:
    base = load_settings(data_dir=tmp_path / "data", seal_keys=[new_key()])
    sandbox = create_sandbox_app(base, SandboxBank.from_settings(base))
    slow = {"on": False}

    async def slow_down(scope: Any, receive: Any, send: Any) -> None:
        if slow["on"] and scope["type"] == "http" and "/transactions" in scope["path"]:
            await asyncio.sleep(2)
        await sandbox(scope, receive, send)

    async with serve_on_loopback(slow_down) as url:
        settings = base.model_copy(
            update={
                "bank_url": url,
                "database_url": database_url,
                "embedded_sandbox": False,
                "bank_timeout_seconds": 0.3,
                "bank_retries": 2,
                "bank_backoff_seconds": 0.0,
            }
        )
        async with open_runtime(settings) as runtime:
            await link_sandbox_customer(runtime, CUSTOMER, "Sanne de Vries", "nl")
            slow["on"] = True
            with pytest.raises(BankUnavailable, match="in time"):
                await runtime.syncer().sync_customer(CUSTOMER)
            assert await stored_snapshot(runtime) == {}
