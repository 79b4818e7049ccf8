"""One-time link tokens on SQLite and PostgreSQL: stored as a hash, redeemed once, for 15
minutes; and a link that asks the bank for a bank-offered consent for a chat user."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select, update

from kluis.banks.berlingroup.models import access_to_api
from kluis.config import Settings, load_settings
from kluis.consent.link_tokens import (
    LINK_TOKEN_LIFETIME,
    issue_link_token,
    peek_link_token,
    redeem_link_token,
)
from kluis.consent.linking import start_link
from kluis.domain import ConsentAccess
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.security import new_key
from kluis.store.customers import CustomerRepository
from kluis.store.link_requests import LinkRequestRepository
from kluis.store.models import LinkRequestRow, LinkTokenRow

PUBLIC_URL = "https://kluis.example"
USER = ("telegram", "7700123")


@pytest.fixture
def token_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        public_url=f"{PUBLIC_URL}/",
        embedded_sandbox=False,
    )


@pytest.fixture
async def runtime(token_settings: Settings) -> AsyncIterator[Runtime]:
    bank = SandboxBank.from_settings(token_settings)
    transport = httpx.ASGITransport(app=create_sandbox_app(token_settings, bank))
    async with open_runtime(token_settings, transport) as opened:
        yield opened


def _token(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_URL
    assert parts.path.startswith("/link/")
    return parts.path.removeprefix("/link/")


async def _expire(runtime: Runtime, token: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    async with runtime.database.session() as session:
        await session.execute(
            update(LinkTokenRow)
            .where(LinkTokenRow.token_hash == digest)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def test_only_a_hash_of_the_token_is_stored(runtime: Runtime) -> None:
    token = _token(await issue_link_token(runtime, *USER))
    assert len(token) >= 40
    async with runtime.database.session() as session:
        rows = list(await session.scalars(select(LinkTokenRow)))
    assert len(rows) == 1
    row = rows[0]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.channel, row.platform_user_id)
    assert (row.channel, row.platform_user_id, row.used_at) == (*USER, None)
    lifetime = row.expires_at - row.created_at
    assert lifetime == LINK_TOKEN_LIFETIME


async def test_a_token_names_its_chat_user_once(runtime: Runtime) -> None:
    first = _token(await issue_link_token(runtime, *USER))
    second = _token(await issue_link_token(runtime, "messenger", "psid-1"))
    assert first != second
    assert await peek_link_token(runtime, first) == USER  # looking does not use it up
    assert await redeem_link_token(runtime, first) == USER
    assert await redeem_link_token(runtime, first) is None
    assert await peek_link_token(runtime, first) is None
    assert await redeem_link_token(runtime, second) == ("messenger", "psid-1")


async def test_an_expired_token_is_refused(runtime: Runtime) -> None:
    token = _token(await issue_link_token(runtime, *USER))
    await _expire(runtime, token)
    assert await peek_link_token(runtime, token) is None
    assert await redeem_link_token(runtime, token) is None


@pytest.mark.parametrize("token", ["", "unknown", "a/b", "ä" * 10, "x" * 129, "' OR 1=1 --"])
async def test_unknown_or_malformed_tokens_are_refused(runtime: Runtime, token: str) -> None:
    await issue_link_token(runtime, *USER)
    assert await peek_link_token(runtime, token) is None
    assert await redeem_link_token(runtime, token) is None


def test_an_empty_access_asks_the_bank_to_offer_the_accounts() -> None:
    assert access_to_api(ConsentAccess()) == {"accounts": [], "balances": [], "transactions": []}


async def test_a_link_can_ask_for_a_bank_offered_consent_for_a_chat_user(
    runtime: Runtime, token_settings: Settings
) -> None:
    async with runtime.database.session() as session:
        await CustomerRepository(session).ensure("c-sanne", "Sanne de Vries", "nl")
    approve_url = await start_link(
        runtime,
        "c-sanne",
        "web",
        psu_ip_address="192.0.2.10",
        access=ConsentAccess(),
        identity=USER,
    )
    consent_id = approve_url.rsplit("/", 1)[-1]
    asked = StateStore(token_settings.sandbox_dir).load().consents[consent_id]
    assert asked.scope == "bankOffered"
    async with runtime.database.session() as session:
        state = await session.scalar(select(LinkRequestRow.state))
        assert state is not None
        request = await LinkRequestRepository(session, runtime.sealer).get(state)
    assert request is not None
    assert request.identity == USER
    assert request.bank_consent_id == consent_id


async def test_a_plain_link_keeps_all_accounts_and_no_chat_user(
    runtime: Runtime, token_settings: Settings
) -> None:
    async with runtime.database.session() as session:
        await CustomerRepository(session).ensure("c-sanne", "Sanne de Vries", "nl")
    approve_url = await start_link(runtime, "c-sanne", "web", psu_ip_address="192.0.2.10")
    asked = StateStore(token_settings.sandbox_dir).load().consents[approve_url.rsplit("/", 1)[-1]]
    assert asked.scope == "allPsd2"
    async with runtime.database.session() as session:
        state = await session.scalar(select(LinkRequestRow.state))
        assert state is not None
        request = await LinkRequestRepository(session, runtime.sealer).get(state)
    assert request is not None
    assert request.identity is None
