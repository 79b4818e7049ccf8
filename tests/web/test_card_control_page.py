"""Card control on "Mijn toestemmingen" in-process: allow at the bank, back through the
callback, the cards listed, withdraw; and forms from other sites refused."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from kluis.config import Settings
from kluis.consent.card_control import active_card_consent, block_card
from kluis.sandbox.ledger import SandboxBank
from tests.web.support import (
    BANK_URL,
    PUBLIC_URL,
    SAME_SITE,
    link_all_accounts,
    runtime_of,
    truth_of,
)

CUSTOMER = "c-emily"


async def _allow_cards(client: httpx.AsyncClient, bank_browser: httpx.AsyncClient) -> str:
    """Press "Allow", approve at the bank; returns where our callback sends the browser."""
    allowed = await client.post("/consents/cards", headers=SAME_SITE)
    assert allowed.status_code == 303, allowed.text
    approval = allowed.headers["location"]
    assert approval.startswith(f"{BANK_URL}/sandbox/sca/card-consents/"), approval
    page = await bank_browser.get(approval)
    assert page.status_code == 200, page.text
    decided = await bank_browser.post(approval, data={"decision": "approve", "psu_id": CUSTOMER})
    assert decided.status_code == 303, decided.text
    back = decided.headers["location"]
    assert back.startswith(f"{PUBLIC_URL}/consent/callback?state="), back
    assert "result=ok" in back
    callback = await client.get(back.removeprefix(PUBLIC_URL))
    assert callback.status_code == 303, callback.text
    location = callback.headers["location"]
    assert isinstance(location, str)
    return location


async def test_allow_list_and_withdraw(
    app: FastAPI,
    client: httpx.AsyncClient,
    bank_browser: httpx.AsyncClient,
    web_settings: Settings,
    bank: SandboxBank,
) -> None:
    await link_all_accounts(client, bank_browser, CUSTOMER)
    before = await client.get("/consents")
    assert "Blocking cards through Kluis" in before.text
    assert 'action="/consents/cards"' in before.text

    assert await _allow_cards(client, bank_browser) == "/consents?done=cards#cards"

    runtime = runtime_of(app)
    truth = truth_of(web_settings, bank, CUSTOMER)
    target = truth.cards[0]
    await block_card(runtime, CUSTOMER, target.card_id)
    page = await client.get("/consents?done=cards")
    assert page.status_code == 200
    assert "Kluis may now block and unblock your cards." in page.text
    for card in truth.cards:
        assert card.masked_pan in page.text
    assert "blocked" in page.text
    assert 'action="/consents/cards/revoke#cards"' in page.text

    withdrawn = await client.post("/consents/cards/revoke", headers=SAME_SITE)
    assert withdrawn.status_code == 303
    assert await active_card_consent(runtime, CUSTOMER) is None
    after = await client.get("/consents?done=cards-revoked")
    assert "Kluis may no longer block your cards." in after.text
    assert 'action="/consents/cards"' in after.text


async def test_dutch_texts(client: httpx.AsyncClient, bank_browser: httpx.AsyncClient) -> None:
    await link_all_accounts(client, bank_browser, "c-sanne")
    page = await client.get("/consents")
    assert "Kaarten blokkeren via Kluis" in page.text
    assert "Toestaan" in page.text


async def test_forms_from_other_sites_are_refused(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient
) -> None:
    await link_all_accounts(client, bank_browser, CUSTOMER)
    for path in ("/consents/cards", "/consents/cards/revoke"):
        response = await client.post(path, headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
