"""The demo's fraud alert for real: Chromium has Sanne's chat open, the sandbox clock moves
on to the night her card is tested, the gateway's rounds read the bank, and the alert
appears in the open chat; pressing "Nee, dat was ik niet" blocks her card at the bank."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from kluis.consent.card_control import link_sandbox_card_control
from kluis.consent.linking import link_sandbox_customer
from kluis.fraud.sandbox_history import seed_from_sandbox
from kluis.runtime import open_runtime
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from tests.web.browser import BROWSER_MARKS, Servers, bank_and_gateway, phone_page
from tests.web.test_chat_browser import screenshot_on_failure

pytestmark = BROWSER_MARKS
SANNE = "c-sanne"
PEOPLE = {
    SANNE: ("Sanne de Vries", "nl"),
    "c-emily": ("Emily Carter", "en"),
    "c-oliver": ("Oliver Hughes", "en"),
}


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[Servers]:
    async with bank_and_gateway(tmp_path, sync_interval_seconds=1.0) as running:
        yield running


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with phone_page() as tab:
        yield tab


async def _ready(servers: Servers) -> None:
    """Sanne linked (with card control), her history read, the engine started from the
    bank's records: what `kluis demo` does before it serves the chat."""
    async with open_runtime(servers.settings) as runtime:
        for customer_id, (name, language) in PEOPLE.items():
            await link_sandbox_customer(
                runtime, customer_id, name, language, channel="web", platform_user_id=customer_id
            )
            await runtime.syncer().sync_customer(customer_id)
        await link_sandbox_card_control(runtime, SANNE)
        # The bank's records of earlier fraud (Emily's and Oliver's cards were tested
        # before) are what the engine learns what fraud looks like from.
        assert await seed_from_sandbox(runtime, servers.bank, list(PEOPLE)) > 1000


def _blocked(servers: Servers) -> list[str]:
    state = StateStore(servers.settings.sandbox_dir).load()
    truth = build_truth(
        servers.bank, SANNE, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    return [card.card_id for card in truth.cards if card.blocked]


async def test_a_fraud_alert_appears_in_the_open_chat_and_no_blocks_the_card(
    servers: Servers, page: Page, tmp_path: Path
) -> None:
    await _ready(servers)
    async with screenshot_on_failure(page, tmp_path):
        await page.goto(servers.chat_url)
        await page.get_by_role("button", name=re.compile("Sanne de Vries")).click()
        log = page.get_by_role("log")
        await expect(page.get_by_label("Je bericht")).to_be_visible()
        assert _blocked(servers) == []

        SandboxClock(servers.settings.sandbox_dir).advance(3)
        await expect(log).to_contain_text("Was jij dit?", timeout=30_000)
        await expect(log).to_contain_text("vandaag")
        await page.get_by_role("button", name="Nee, dat was ik niet").click()
        await expect(log).to_contain_text("geblokkeerd", timeout=15_000)
        await expect(log).to_contain_text("020 123 45 67")
    assert len(_blocked(servers)) == 1
