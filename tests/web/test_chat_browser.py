"""The web chat for real: Chromium signs in, links the bank at the bank, asks its balance.

The sandbox bank and the gateway each run in uvicorn on their own loopback port, as they
would in production; the answer is compared with what the sandbox bank knows.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from tests.web.browser import BROWSER_MARKS, PHONE, Servers, bank_and_gateway, phone_page

pytestmark = BROWSER_MARKS


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[Servers]:
    async with bank_and_gateway(tmp_path) as running:
        yield running


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with phone_page() as tab:
        yield tab


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


async def _sign_in_and_link(page: Page, servers: Servers) -> None:
    """Sanne signs in to the chat and lets the bank share her account data."""
    await page.goto(servers.chat_url)
    await expect(page.get_by_role("heading", name="Inloggen bij Kluis")).to_be_visible()
    await page.get_by_role("button", name=re.compile("Sanne de Vries")).click()

    await page.get_by_role("button", name="Koppel je bank").click()
    await expect(page.get_by_role("heading", name="Je rekeninggegevens delen?")).to_be_visible()
    assert page.url.startswith(servers.settings.bank_url)
    await page.get_by_role("button", name="Toestaan").click()
    await page.wait_for_url(servers.chat_url)


async def _ask(page: Page, text: str) -> str:
    """Send `text` and wait for the answer; what Kluis said, every reply together."""
    answers = page.locator(".message.from-kluis")
    before = await answers.count()
    message = page.get_by_label("Je bericht")
    await message.fill(text)
    await message.press("Enter")
    await expect(answers.nth(before)).to_be_visible()
    await expect(page.locator("#typing")).to_be_hidden()
    return "\n".join((await answers.all_inner_texts())[before:]).replace("\xa0", " ")


async def test_sanne_links_her_bank_and_asks_her_balance(
    servers: Servers, page: Page, tmp_path: Path
) -> None:
    async with screenshot_on_failure(page, tmp_path):
        await _sign_in_and_link(page, servers)
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


async def test_sanne_dismisses_a_subscription_and_sees_her_usual_month(
    servers: Servers, page: Page, tmp_path: Path
) -> None:
    async with screenshot_on_failure(page, tmp_path):
        await _sign_in_and_link(page, servers)
        overview = await _ask(page, "welke abonnementen heb ik?")
        assert "vaste lasten en abonnementen" in overview
        asked = re.search(r"Klopt (.+?), € ", overview)
        assert asked, overview
        answers = page.locator(".message.from-kluis")
        before = await answers.count()
        await page.get_by_role("button", name="Klopt niet", exact=True).last.click()
        await expect(answers.nth(before)).to_be_visible()
        said = (await answers.nth(before).inner_text()).replace("\xa0", " ")
        assert f"Goed, {asked.group(1)} laat ik voortaan weg." in said

        await _ask(page, "uitgaven per maand")
        picture = page.locator(".message.from-kluis img").last
        await expect(picture).to_be_visible()
        described = await picture.get_attribute("alt") or ""
        assert "normaal" in described
