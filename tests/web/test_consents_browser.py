"""Choosing accounts and stopping, for real: Chromium links Sanne's bank with only some
accounts ticked on the bank's page, asks her balance, then stops sharing on "Mijn
toestemmingen" and is asked to link again.

The sandbox bank and the gateway each run in uvicorn on their own loopback port. Screenshots
of the pages at phone width are kept in /tmp/kluis-consents-*.png for people to look at.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.web.browser import BROWSER_MARKS, PHONE, Servers, bank_and_gateway, phone_page
from tests.web.support import truth_of

SHOTS = Path(tempfile.gettempdir())
pytestmark = BROWSER_MARKS


@pytest.fixture
async def servers(tmp_path: Path) -> AsyncIterator[Servers]:
    async with bank_and_gateway(tmp_path) as running:
        yield running


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with phone_page() as tab:
        yield tab


async def _fits_the_phone(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


async def _shoot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"kluis-consents-{name}.png"), full_page=True)


async def test_sanne_shares_only_some_accounts_then_stops_sharing(
    servers: Servers, page: Page, tmp_path: Path
) -> None:
    truth = truth_of(servers.settings, servers.bank, "c-sanne")
    checking = next(a for a in truth.accounts if a.kind == "checking")
    savings = next(a for a in truth.accounts if a.kind == "savings")
    try:
        await page.goto(servers.url("/chat"))
        await page.get_by_role("button", name=re.compile("Sanne de Vries")).click()
        await page.get_by_label("Ik kies bij mijn bank welke rekeningen").check()
        await _shoot(page, "link-choice")
        await page.get_by_role("button", name="Koppel je bank").click()

        await expect(page.get_by_role("heading", name="Je rekeninggegevens delen?")).to_be_visible()
        savings_box = page.get_by_role("checkbox", name=re.compile("Spaarrekening"))
        await expect(savings_box).to_be_checked()
        await savings_box.uncheck()
        await _fits_the_phone(page)
        await _shoot(page, "bank-choice")
        await page.get_by_role("button", name="Toestaan").click()

        await page.wait_for_url(servers.url("/chat"))
        await _fits_the_phone(page)
        await _shoot(page, "chat")
        answers = page.locator(".message.from-kluis")
        before = await answers.count()
        message = page.get_by_label("Je bericht")
        await message.fill("wat is mijn saldo")
        await message.press("Enter")
        await expect(answers.nth(before)).to_be_visible()
        await expect(page.locator("#typing")).to_be_hidden()
        answer = "\n".join((await answers.all_inner_texts())[before:]).replace("\xa0", " ")
        assert checking.balance.format("nl") in answer
        assert savings.balance.format("nl") not in answer

        await page.get_by_role("link", name="Mijn toestemmingen").click()
        await expect(
            page.get_by_role("heading", name="Mijn toestemmingen", level=1)
        ).to_be_visible()
        await expect(page.get_by_text("Actief", exact=True)).to_be_visible()
        await expect(page.get_by_role("checkbox", name=re.compile("Spaarrekening"))).to_have_count(
            0
        )
        await _fits_the_phone(page)
        await _shoot(page, "page")

        await page.get_by_role("link", name="Stop met delen").click()
        await expect(
            page.get_by_role("heading", name="Stoppen met delen met Kluis?")
        ).to_be_visible()
        await _shoot(page, "confirm")
        await page.get_by_role("button", name="Ja, stop met delen").click()
        await expect(page.get_by_role("status")).to_contain_text("Kluis leest je bank niet meer.")
        await _fits_the_phone(page)
        await _shoot(page, "revoked")

        await page.get_by_role("link", name="Naar de chat").first.click()
        await expect(page.get_by_role("heading", name="Koppel je bank")).to_be_visible()
    except BaseException:
        await page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
        raise
