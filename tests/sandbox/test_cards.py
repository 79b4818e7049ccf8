"""Card control: the sandbox's own API with its own consent, and blocks the truth can see."""

from __future__ import annotations

from datetime import timedelta

import httpx

from kluis.config import Settings
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from tests.sandbox.ais import SANNE, TPP_REDIRECT, decide


async def _card_consent(client: httpx.AsyncClient, psu_id: str, *, approve: bool = True) -> str:
    created = await client.post(
        "/sandbox/card-consents", headers={"PSU-ID": psu_id, "TPP-Redirect-URI": TPP_REDIRECT}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    href = body["_links"]["scaRedirect"]["href"]
    page = await client.get(href)
    assert page.status_code == 200
    answer = await decide(client, href, psu_id, "approve" if approve else "deny")
    assert answer.status_code == 303
    assert f"cardConsentId={body['cardConsentId']}" in answer.headers["location"]
    card_consent_id = body["cardConsentId"]
    assert isinstance(card_consent_id, str)
    return card_consent_id


async def test_cards_need_an_approved_card_consent(client: httpx.AsyncClient) -> None:
    assert (await client.get("/sandbox/cards")).status_code == 401
    unknown = await client.get("/sandbox/cards", headers={"Card-Consent-ID": "nope"})
    assert unknown.status_code == 401
    assert unknown.json()["tppMessages"][0]["code"] == "CONSENT_UNKNOWN"
    refused = await _card_consent(client, SANNE, approve=False)
    answer = await client.post(
        "/sandbox/cards/card-sanne-credit/block", headers={"Card-Consent-ID": refused}
    )
    assert answer.status_code == 401
    assert answer.json()["tppMessages"][0]["code"] == "CONSENT_INVALID"


async def test_list_block_and_unblock(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    card_consent_id = await _card_consent(client, SANNE)
    headers = {"Card-Consent-ID": card_consent_id}
    listed = await client.get("/sandbox/cards", headers=headers)
    assert listed.status_code == 200
    cards = listed.json()["cards"]
    assert {card["cardId"] for card in cards} == {card.card_id for card in bank.cards_of(SANNE)}
    assert all(set(card) == {"cardId", "resourceId", "maskedPan", "blocked"} for card in cards)
    assert not any(card["blocked"] for card in cards)

    credit = bank.card("card-sanne-credit")
    assert credit is not None
    blocked = await client.post(f"/sandbox/cards/{credit.card_id}/block", headers=headers)
    assert blocked.status_code == 200
    assert blocked.json() == {
        "cardId": credit.card_id,
        "resourceId": credit.resource_id,
        "maskedPan": credit.masked_pan,
        "blocked": True,
    }
    # Another process (the CLI's truth) reads the block from the state file.
    state = StateStore(settings.sandbox_dir).load()
    truth = build_truth(
        bank, SANNE, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    assert {card.card_id: card.blocked for card in truth.cards}["card-sanne-credit"] is True

    unblocked = await client.post("/sandbox/cards/card-sanne-credit/unblock", headers=headers)
    assert unblocked.json()["blocked"] is False


async def test_another_customers_card_is_unknown(client: httpx.AsyncClient) -> None:
    card_consent_id = await _card_consent(client, SANNE)
    answer = await client.post(
        "/sandbox/cards/card-daan-debit/block", headers={"Card-Consent-ID": card_consent_id}
    )
    assert answer.status_code == 404
    assert answer.json()["tppMessages"][0]["code"] == "RESOURCE_UNKNOWN"


async def test_a_blocked_card_declines_later_payments(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    card_consent_id = await _card_consent(client, SANNE)
    await client.post(
        "/sandbox/cards/card-sanne-credit/block", headers={"Card-Consent-ID": card_consent_id}
    )
    blocked_on = bank.today()
    bank.clock.advance(10)
    state = StateStore(settings.sandbox_dir).load()
    with_block = build_truth(
        bank, SANNE, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    without_block = build_truth(bank, SANNE, card_blocks={}, blocked_cards=frozenset())
    declined = {t.transaction_id for t in without_block.transactions} - {
        t.transaction_id for t in with_block.transactions
    }
    assert declined, "Sanne's credit card is used within ten days"
    for transaction in without_block.transactions:
        if transaction.transaction_id in declined:
            assert transaction.card_id == "card-sanne-credit"
            assert transaction.transaction_date > blocked_on
            assert transaction.transaction_date <= blocked_on + timedelta(days=10)


async def test_card_consent_status_and_end(client: httpx.AsyncClient) -> None:
    card_consent_id = await _card_consent(client, SANNE)
    status = await client.get(f"/sandbox/card-consents/{card_consent_id}")
    assert status.json()["cardConsentStatus"] == "valid"
    assert (await client.delete(f"/sandbox/card-consents/{card_consent_id}")).status_code == 204
    answer = await client.get("/sandbox/cards", headers={"Card-Consent-ID": card_consent_id})
    assert answer.status_code == 401
