"""A sandbox bank with three demo customers linked, synced, Sanne with card control, and
the fraud engine started from the bank's records: where alerts come from for real."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kluis.config import Settings, load_settings
from kluis.consent.card_control import link_sandbox_card_control
from kluis.consent.linking import link_sandbox_customer
from kluis.fraud.sandbox_history import seed_from_sandbox
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key

BANK_URL = "http://bank.test"
PEOPLE = {
    "c-sanne": ("Sanne de Vries", "nl"),
    "c-emily": ("Emily Carter", "en"),
    "c-oliver": ("Oliver Hughes", "en"),
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        embedded_sandbox=False,
        bank_retries=1,
        bank_backoff_seconds=0.0,
    )


@pytest.fixture
async def linked(settings: Settings) -> AsyncIterator[Runtime]:
    bank = SandboxBank.from_settings(settings)
    transport = httpx.ASGITransport(app=create_sandbox_app(settings, bank))
    async with open_runtime(settings, transport) as opened:
        for customer_id, (name, language) in PEOPLE.items():
            await link_sandbox_customer(
                opened, customer_id, name, language, channel="web", platform_user_id=customer_id
            )
            await opened.syncer().sync_customer(customer_id)
        await link_sandbox_card_control(opened, "c-sanne")
        assert await seed_from_sandbox(opened, bank, list(PEOPLE)) > 1000
        yield opened
