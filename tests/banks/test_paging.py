"""Property: whatever the page size and the window, the client reads every transaction the
bank holds in that window exactly once, pending and booked as the bank says."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.connector import ConsentRequest, Presence, TransactionQuery
from kluis.config import load_settings
from kluis.domain import AccountKind, ConsentAccess
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth

CUSTOMER = "c-joost"
PRESENT = Presence(psu_ip_address="192.0.2.10")
BASE = "http://sandbox.test"


@cache
def _world() -> tuple[httpx.ASGITransport, SandboxBank, Path]:
    folder = Path(tempfile.mkdtemp(prefix="kluis-paging-"))
    configured = load_settings(data_dir=folder)
    bank = SandboxBank.from_settings(configured)
    return httpx.ASGITransport(app=create_sandbox_app(configured, bank)), bank, folder


async def _read(page_size: int, date_from: date, kind: AccountKind) -> list[tuple[str, str]]:
    transport, bank, _ = _world()
    async with httpx.AsyncClient(transport=transport) as http:
        client = BerlinGroupClient(http, BASE, page_size=page_size)
        created = await client.create_consent(
            ConsentRequest(
                psu_id=CUSTOMER,
                access=ConsentAccess(all_accounts=True),
                valid_until=bank.today() + timedelta(days=90),
                frequency_per_day=4,
                recurring=True,
                redirect_uri="https://kluis.test/callback",
                psu_ip_address="192.0.2.10",
            )
        )
        assert created.sca_redirect is not None
        await decide_in_sandbox(http, created.sca_redirect, CUSTOMER)
        accounts = await client.accounts(created.consent_id, PRESENT)
        account = next(a for a in accounts if a.kind is kind)
        seen: list[tuple[str, str]] = []
        query = TransactionQuery(date_from=date_from, booking_status="both")
        async for page in client.transactions(created.consent_id, account, query, PRESENT):
            assert len(page.transactions) <= page_size
            seen.extend((t.transaction_id, t.status.value) for t in page.transactions)
        return seen


def _expected(date_from: date, kind: AccountKind) -> set[tuple[str, str]]:
    _, bank, folder = _world()
    state = StateStore(load_settings(data_dir=folder).sandbox_dir).load()
    truth = build_truth(
        bank, CUSTOMER, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    resource = next(a.resource_id for a in truth.accounts if a.kind == kind.value)
    return {
        (t.transaction_id, t.status)
        for t in truth.transactions
        if t.resource_id == resource
        and (t.booking_date if t.status == "booked" else t.transaction_date) >= date_from
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page_size=st.integers(min_value=1, max_value=1000),
    days_back=st.integers(min_value=0, max_value=500),
    kind=st.sampled_from([AccountKind.CHECKING, AccountKind.CREDIT_CARD]),
)
def test_every_transaction_in_the_window_arrives_exactly_once(
    page_size: int, days_back: int, kind: AccountKind
) -> None:
    _, bank, _ = _world()
    date_from = bank.today() - timedelta(days=days_back)
    seen = asyncio.run(_read(page_size, date_from, kind))
    assert len(seen) == len(set(seen)), "a transaction was served twice"
    assert set(seen) == _expected(date_from, kind)
