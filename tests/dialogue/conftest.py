"""A linked customer talking to Kluis over the embedded sandbox, and the bank's truth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.dialogue.engine import Dialogue
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth
from kluis.security import new_key

CUSTOMERS = {"c-sanne": ("Sanne de Vries", "nl"), "c-emily": ("Emily Carter", "en")}


@pytest.fixture
def chat_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
    )


@pytest.fixture
def bank(chat_settings: Settings) -> SandboxBank:
    return SandboxBank.from_settings(chat_settings)


@pytest.fixture
async def runtime(chat_settings: Settings, bank: SandboxBank) -> AsyncIterator[Runtime]:
    transport = httpx.ASGITransport(app=create_sandbox_app(chat_settings, bank))
    async with open_runtime(chat_settings, transport) as opened:
        for customer_id, (name, language) in CUSTOMERS.items():
            await link_sandbox_customer(opened, customer_id, name, language)
        yield opened


@pytest.fixture
def dialogue(runtime: Runtime) -> Dialogue:
    return Dialogue(runtime)


@pytest.fixture
def truth(chat_settings: Settings, bank: SandboxBank) -> dict[str, Truth]:
    state = StateStore(chat_settings.sandbox_dir).load()
    return {
        customer: build_truth(
            bank, customer, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
        )
        for customer in CUSTOMERS
    }
