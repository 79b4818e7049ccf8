"""A bank-offered consent: the customer chooses on the bank's page which accounts to share."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import schemathesis

from kluis.config import Settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from tests.sandbox.ais import (
    SANNE,
    account_of,
    consent_body,
    create_consent,
    read_headers,
    request_id,
)
from tests.sandbox.test_openapi_conformance import BASE_URL, SPEC_PATH, Driver

BANK_OFFERED: dict[str, object] = {"accounts": [], "balances": [], "transactions": []}


async def _offered(client: httpx.AsyncClient, access: dict[str, object] | None = None) -> str:
    """A bank-offered consent awaiting approval; returns its approval page's URL."""
    created = await create_consent(client, SANNE, consent_body(access or BANK_OFFERED))
    assert created.status_code == 201, created.text
    href = created.json()["_links"]["scaRedirect"]["href"]
    assert isinstance(href, str)
    return href


def _consent_id(href: str) -> str:
    return href.rsplit("/", 1)[-1]


async def _approve(
    client: httpx.AsyncClient, href: str, accounts: list[str], *, choosing: bool = True
) -> httpx.Response:
    form: dict[str, Any] = {"decision": "approve", "psu_id": SANNE, "account": accounts}
    if choosing:
        form["choosing"] = "1"
    return await client.post(href, data=form)


async def _status(client: httpx.AsyncClient, consent_id: str) -> str:
    answer = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    status = answer.json()["consentStatus"]
    assert isinstance(status, str)
    return status


async def test_the_page_offers_every_account_ticked(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    page = await client.get(await _offered(client))
    assert page.status_code == 200
    assert "Welke rekeningen mag tpp.test lezen?" in page.text
    assert "Vink uit wat je niet wilt delen." in page.text
    assert 'name="choosing" value="1"' in page.text
    for account in bank.accounts_of(SANNE):
        assert f'name="account" value="{account.resource_id}" checked' in page.text
    assert page.text.count('type="checkbox"') == len(bank.accounts_of(SANNE))
    # Each checkbox has a label naming the account.
    assert '<label for="account-1">' in page.text


async def test_an_explicit_consent_has_nothing_to_choose(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    checking = account_of(bank, SANNE, "checking")
    page = await client.get(await _offered(client, {"balances": [{"iban": checking.iban}]}))
    assert 'type="checkbox"' not in page.text
    assert "<table>" in page.text


async def test_approving_some_accounts_grants_only_those(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    checking = account_of(bank, SANNE, "checking")
    card = account_of(bank, SANNE, "credit_card")
    savings = account_of(bank, SANNE, "savings")
    href = await _offered(client)
    answer = await _approve(client, href, [checking.resource_id, card.resource_id])
    assert answer.status_code == 303
    assert "result=ok" in answer.headers["location"]
    consent_id = _consent_id(href)

    body = (await client.get(f"/v1/consents/{consent_id}", headers=request_id())).json()
    expected = [{"iban": checking.iban}, {"maskedPan": card.masked_pan}]
    assert body["access"] == {"accounts": expected, "balances": expected, "transactions": expected}
    assert body["consentStatus"] == "valid"

    listed = await client.get("/v1/accounts", headers=read_headers(consent_id, attended=True))
    assert [a["resourceId"] for a in listed.json()["accounts"]] == [checking.resource_id]
    refused = await client.get(
        f"/v1/accounts/{savings.resource_id}/balances",
        headers=read_headers(consent_id, attended=True),
    )
    assert refused.status_code == 403
    assert refused.json()["tppMessages"][0]["code"] == "CONSENT_INVALID"
    allowed = await client.get(
        f"/v1/card-accounts/{card.resource_id}/balances",
        headers=read_headers(consent_id, attended=True),
    )
    assert allowed.status_code == 200


async def test_the_choice_keeps_the_kinds_of_data_asked_for(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    savings = account_of(bank, SANNE, "savings")
    href = await _offered(client, {"accounts": [], "balances": []})
    page = await client.get(href)
    assert "transacties" not in page.text
    assert (await _approve(client, href, [savings.resource_id])).status_code == 303
    body = (await client.get(f"/v1/consents/{_consent_id(href)}", headers=request_id())).json()
    assert body["access"] == {
        "accounts": [{"iban": savings.iban}],
        "balances": [{"iban": savings.iban}],
    }


async def test_a_script_without_a_choice_approves_every_account(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    href = await _offered(client)
    assert (await _approve(client, href, [], choosing=False)).status_code == 303
    body = (await client.get(f"/v1/consents/{_consent_id(href)}", headers=request_id())).json()
    assert len(body["access"]["accounts"]) == len(bank.accounts_of(SANNE))
    assert body["access"]["balances"] == body["access"]["accounts"]


async def test_approving_with_nothing_ticked_asks_again_and_changes_nothing(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    href = await _offered(client)
    answer = await _approve(client, href, [])
    assert answer.status_code == 400
    assert "text/html" in answer.headers["content-type"]
    assert "Vink minstens één rekening aan om toe te staan, of weiger het verzoek." in answer.text
    assert 'role="alert"' in answer.text
    assert 'aria-describedby="choice-error"' in answer.text
    assert " checked" not in answer.text  # the page shows what was sent: nothing ticked
    assert await _status(client, _consent_id(href)) == "received"
    checking = account_of(bank, SANNE, "checking")
    assert (await _approve(client, href, [checking.resource_id])).status_code == 303
    assert await _status(client, _consent_id(href)) == "valid"


async def test_refusing_needs_no_account(client: httpx.AsyncClient) -> None:
    href = await _offered(client)
    answer = await client.post(href, data={"decision": "deny", "psu_id": SANNE, "choosing": "1"})
    assert answer.status_code == 303
    assert "result=nok" in answer.headers["location"]
    assert await _status(client, _consent_id(href)) == "rejected"


@pytest.mark.parametrize("foreign", ["acc-nobody", "daan"])
async def test_an_account_that_was_not_offered_is_refused(
    client: httpx.AsyncClient, bank: SandboxBank, foreign: str
) -> None:
    resource_id = bank.accounts_of("c-daan")[0].resource_id if foreign == "daan" else foreign
    href = await _offered(client)
    checking = account_of(bank, SANNE, "checking")
    answer = await _approve(client, href, [checking.resource_id, resource_id])
    assert answer.status_code == 400
    assert "Een van de gestuurde rekeningen hoort niet bij dit verzoek." in answer.text
    assert f'value="{checking.resource_id}" checked' in answer.text
    assert f'value="{resource_id}"' not in answer.text
    assert await _status(client, _consent_id(href)) == "received"


async def test_a_choice_on_a_consent_that_offers_none_is_refused(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    href = await _offered(client, {"allPsd2": "allAccounts"})
    checking = account_of(bank, SANNE, "checking")
    answer = await _approve(client, href, [checking.resource_id])
    assert answer.status_code == 400
    assert await _status(client, _consent_id(href)) == "received"


@pytest.mark.skipif(not SPEC_PATH.exists(), reason="the Berlin Group OpenAPI file is missing")
def test_the_chosen_accounts_conform_to_the_specification(
    settings: Settings, bank: SandboxBank
) -> None:
    app = create_sandbox_app(settings, bank)
    driver = Driver(schemathesis.openapi.from_path(SPEC_PATH), app)
    created = driver.call(
        "POST",
        "/v1/consents",
        headers={
            "PSU-ID": SANNE,
            "PSU-IP-Address": "192.0.2.10",
            "TPP-Redirect-URI": "https://tpp.test/callback",
        },
        body=consent_body(BANK_OFFERED),
    )
    assert created.status_code == 201
    checking = account_of(bank, SANNE, "checking")

    async def approve_checking() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
            return await _approve(
                http, created.json()["_links"]["scaRedirect"]["href"], [checking.resource_id]
            )

    assert asyncio.run(approve_checking()).status_code == 303
    by_id = {"consentId": created.json()["consentId"]}
    read = driver.call("GET", "/v1/consents/{consentId}", path_parameters=by_id)
    assert read.json()["access"]["transactions"] == [{"iban": checking.iban}]
