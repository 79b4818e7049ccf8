"""The web chat for real: Chromium signs in, links the bank at the bank, asks its balance.

The sandbox bank and the gateway each run in uvicorn on their own loopback port, as they
would in production; the answer is compared with what the sandbox bank knows.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Page, ViewportSize, async_playwright, expect

from kluis.cli.serve import server_for, start_server
from kluis.config import Settings, load_settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.security import new_key
from kluis.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Servers:
    settings: Settings
    bank: SandboxBank

    @property
    def chat_url(self) -> str:
        return f"{self.settings.public_url}/chat"


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[Servers]:
    """The sandbox bank and the gateway, each served by uvicorn on a free loopback port."""
    bank_port, gateway_port = _free_port(), _free_port()
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'kluis.db'}",
        seal_keys=[new_key()],
        bank_url=f"http://127.0.0.1:{bank_port}",
        sandbox_port=bank_port,
        public_url=f"http://127.0.0.1:{gateway_port}",
        embedded_sandbox=False,
    )
    bank = SandboxBank.from_settings(settings)
    running: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    try:
        for app, port in (
            (create_sandbox_app(settings, bank), bank_port),
            (create_app(settings), gateway_port),
        ):
            server = server_for(app, "127.0.0.1", port)
            running.append((server, await start_server(server)))
        yield Servers(settings, bank)
    finally:
        for server, task in reversed(running):
            server.should_exit = True
            await task


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    """A phone-sized Chromium page in Dutch."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = await browser.new_context(viewport=PHONE, locale="nl-NL")
            tab = await context.new_page()
            tab.set_default_timeout(15_000)
            yield tab
        finally:
            await browser.close()


@asynccontextmanager
async def screenshot_on_failure(page: Page, folder: Path) -> AsyncIterator[None]:
    """What the page showed when a step failed, in the test's tmp_path."""
    try:
        yield
    except BaseException:
        shot = folder / "failure.png"
        await page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        raise


def _checking_balance(servers: Servers, customer_id: str) -> str:
    """The checking account's balance as the bank reports it, written the Dutch way."""
    state = StateStore(servers.settings.sandbox_dir).load()
    truth = build_truth(
        servers.bank,
        customer_id,
        card_blocks=state.card_blocks,
        blocked_cards=state.blocked_card_ids(),
    )
    checking = next(account for account in truth.accounts if account.kind == "checking")
    return checking.balance.format("nl")


async def test_sanne_links_her_bank_and_asks_her_balance(
    servers: Servers, page: Page, tmp_path: Path
) -> None:
    async with screenshot_on_failure(page, tmp_path):
        await page.goto(servers.chat_url)
        await expect(page.get_by_role("heading", name="Inloggen bij Kluis")).to_be_visible()
        await page.get_by_role("button", name=re.compile("Sanne de Vries")).click()

        await page.get_by_role("button", name="Koppel je bank").click()
        await expect(page.get_by_role("heading", name="Je rekeninggegevens delen?")).to_be_visible()
        assert page.url.startswith(servers.settings.bank_url)
        await page.get_by_role("button", name="Toestaan").click()

        await page.wait_for_url(servers.chat_url)
        log = page.get_by_role("log")
        await expect(log).to_have_attribute("aria-live", "polite")
        await expect(page.get_by_role("button", name="Wat is mijn saldo?")).to_be_visible()
        message = page.get_by_label("Je bericht")
        send = page.get_by_role("button", name="Verstuur")
        for control in (message, send):
            await expect(control).to_be_in_viewport()
            box = await control.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]

        answers = page.locator(".message.from-kluis")
        before = await answers.count()
        await message.fill("wat is mijn saldo")
        await message.press("Enter")
        await expect(answers.nth(before)).to_be_visible()
        await expect(page.locator("#typing")).to_be_hidden()
        # The page keeps "€" and the figure together with a no-break space.
        answer = "\n".join((await answers.all_inner_texts())[before:]).replace("\xa0", " ")
        assert _checking_balance(servers, "c-sanne") in answer
        await expect(message).to_be_focused()
        await expect(message).to_have_value("")
