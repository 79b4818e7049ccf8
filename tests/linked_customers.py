"""Linked sandbox customers over the in-process sandbox bank, and the bank's truth about them.

Plain helpers (not fixtures), so that tests in any folder can build the same world the
dialogue tests use: Sanne (Dutch) and Emily (English), each with a valid consent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.money import Money
from kluis.privacy.masking import group_iban
from kluis.privacy.preferences import set_voice_pin, update_preferences
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth
from kluis.security import new_key

CUSTOMERS = {"c-sanne": ("Sanne de Vries", "nl"), "c-emily": ("Emily Carter", "en")}
VOICE_PIN = "4827"


def sandbox_settings(tmp_path: Path, database_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
        bank_backoff_seconds=0.0,
    )


def sandbox_transport(settings: Settings, bank: SandboxBank) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_sandbox_app(settings, bank))


@asynccontextmanager
async def linked_runtime(
    settings: Settings,
    transport: httpx.AsyncBaseTransport,
    customers: Iterable[str] = CUSTOMERS,
) -> AsyncIterator[Runtime]:
    """A runtime whose customers have each linked the sandbox bank."""
    async with open_runtime(settings, transport) as runtime:
        for customer_id in customers:
            name, language = CUSTOMERS[customer_id]
            await link_sandbox_customer(runtime, customer_id, name, language)
        yield runtime


def truths(settings: Settings, bank: SandboxBank) -> dict[str, Truth]:
    state = StateStore(settings.sandbox_dir).load()
    return {
        customer: build_truth(
            bank, customer, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
        )
        for customer in CUSTOMERS
    }


async def set_preferences(
    runtime: Runtime,
    customer_id: str,
    *,
    pin: str | None = None,
    hide_counterparties: bool | None = None,
    discreet_voice: bool | None = None,
) -> None:
    """What the customer would set on the web page."""
    async with runtime.database.session() as session:
        if pin is not None:
            await set_voice_pin(session, customer_id, pin)
        if hide_counterparties is not None:
            await update_preferences(session, customer_id, hide_counterparties=hide_counterparties)
        if discreet_voice is not None:
            await update_preferences(session, customer_id, discreet_voice=discreet_voice)


def iban_forms(iban: str) -> set[str]:
    """An IBAN as it could be written: compact and in groups of four."""
    compact = iban.replace(" ", "")
    return {compact, group_iban(compact)}


def money_forms(amount: Money) -> set[str]:
    """An amount as a reply could write it: nl, en, and as the API string."""
    return {amount.format("nl"), amount.format("en"), amount.to_api()}
