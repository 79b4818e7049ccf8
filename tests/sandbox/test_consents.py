"""The AIS consent flow: create, approve or refuse on the bank's page, read back, delete."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from kluis.config import Settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from tests.sandbox.ais import (
    DAAN,
    SANNE,
    TPP_REDIRECT,
    account_of,
    approved_consent,
    consent_body,
    consent_headers,
    create_consent,
    decide,
    read_headers,
    request_id,
)


async def test_consent_flow_from_creation_to_valid(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    assert created.status_code == 201
    body = created.json()
    assert body["consentStatus"] == "received"
    consent_id = body["consentId"]
    sca_redirect = body["_links"]["scaRedirect"]["href"]
    assert sca_redirect.startswith("http://sandbox.test/")

    page = await client.get(sca_redirect)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text  # Sanne reads Dutch
    assert 'name="viewport"' in page.text
    assert "Sanne de Vries" in page.text
    assert 'value="approve"' in page.text
    assert 'value="deny"' in page.text
    assert "NL86 INGB 8225 9501 94" in page.text  # her checking account, as people read it
    assert "saldo" in page.text

    answer = await decide(client, sca_redirect, SANNE, "approve")
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == TPP_REDIRECT
    assert parse_qs(location.query) == {"consentId": [consent_id], "result": ["ok"]}

    status = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    assert status.json() == {"consentStatus": "valid"}


async def test_english_customer_gets_an_english_page(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, "c-emily")
    page = await client.get(created.json()["_links"]["scaRedirect"]["href"])
    assert '<html lang="en">' in page.text
    assert "Approve" in page.text
    assert "Refuse" in page.text


async def test_refusal_redirects_with_nok_and_blocks_reads(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    consent_id = created.json()["consentId"]
    answer = await decide(client, created.json()["_links"]["scaRedirect"]["href"], SANNE, "deny")
    assert answer.status_code == 303
    assert parse_qs(urlsplit(answer.headers["location"]).query)["result"] == ["nok"]
    status = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    assert status.json()["consentStatus"] == "rejected"
    read = await client.get("/v1/accounts", headers=read_headers(consent_id))
    assert read.status_code == 401
    assert read.json()["tppMessages"][0]["code"] == "CONSENT_INVALID"


async def test_nok_redirect_uri_is_used_for_a_refusal(client: httpx.AsyncClient) -> None:
    headers = {**consent_headers(SANNE), "TPP-Nok-Redirect-URI": "https://tpp.test/sorry"}
    created = await client.post("/v1/consents", headers=headers, json=consent_body())
    answer = await decide(client, created.json()["_links"]["scaRedirect"]["href"], SANNE, "deny")
    assert answer.headers["location"].startswith("https://tpp.test/sorry?consentId=")


async def test_without_redirect_uri_the_page_says_done(client: httpx.AsyncClient) -> None:
    headers = consent_headers(SANNE, redirect=None)
    created = await client.post("/v1/consents", headers=headers, json=consent_body())
    answer = await decide(client, created.json()["_links"]["scaRedirect"]["href"], SANNE, "approve")
    assert answer.status_code == 200
    assert "Klaar" in answer.text


async def test_only_the_consents_customer_can_decide(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    href = created.json()["_links"]["scaRedirect"]["href"]
    answer = await decide(client, href, DAAN, "approve")
    assert answer.status_code == 403
    assert "text/html" in answer.headers["content-type"]
    status = await client.get(
        f"/v1/consents/{created.json()['consentId']}/status", headers=request_id()
    )
    assert status.json()["consentStatus"] == "received"


async def test_a_decided_consent_cannot_be_decided_again(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    href = created.json()["_links"]["scaRedirect"]["href"]
    assert (await decide(client, href, SANNE, "approve")).status_code == 303
    again = await decide(client, href, SANNE, "deny")
    assert again.status_code == 409
    assert "al beantwoord" in again.text
    assert (await client.get(href)).status_code == 409


async def test_a_missing_decision_is_a_400_page(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    href = created.json()["_links"]["scaRedirect"]["href"]
    answer = await client.post(href, data={"psu_id": SANNE})
    assert answer.status_code == 400


async def test_unknown_approval_link_is_a_404_page(client: httpx.AsyncClient) -> None:
    answer = await client.get("/sandbox/sca/consents/nope")
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]


async def test_get_consent_reports_the_capped_valid_until(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    checking = account_of(bank, SANNE, "checking")
    access = {"balances": [{"iban": checking.iban}], "transactions": [{"iban": checking.iban}]}
    consent_id = await approved_consent(client, SANNE, consent_body(access, frequency=2))
    answer = await client.get(f"/v1/consents/{consent_id}", headers=request_id())
    assert answer.status_code == 200
    body = answer.json()
    assert body["validUntil"] == (bank.today() + timedelta(days=180)).isoformat()
    assert body["frequencyPerDay"] == 2
    assert body["recurringIndicator"] is True
    assert body["consentStatus"] == "valid"
    assert body["lastActionDate"] == bank.today().isoformat()
    assert body["access"]["balances"] == [{"iban": checking.iban}]
    assert body["access"]["accounts"] == [{"iban": checking.iban}]


async def test_delete_terminates_the_consent(client: httpx.AsyncClient) -> None:
    consent_id = await approved_consent(client, SANNE)
    deleted = await client.delete(f"/v1/consents/{consent_id}", headers=request_id())
    assert deleted.status_code == 204
    status = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    assert status.json()["consentStatus"] == "terminatedByTpp"
    read = await client.get("/v1/accounts", headers=read_headers(consent_id))
    assert read.status_code == 401
    assert read.json() == {
        "tppMessages": [
            {
                "category": "ERROR",
                "code": "CONSENT_INVALID",
                "text": "the consent is terminatedByTpp",
            }
        ]
    }


async def test_consent_expires_when_the_clock_passes_valid_until(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    until = bank.today() + timedelta(days=2)
    consent_id = await approved_consent(client, SANNE, consent_body(valid_until=until.isoformat()))
    assert (await client.get("/v1/accounts", headers=read_headers(consent_id))).status_code == 200
    bank.clock.advance(2)  # validUntil is inclusive
    assert (await client.get("/v1/accounts", headers=read_headers(consent_id))).status_code == 200
    advanced = await client.post("/sandbox/clock/advance", json={"days": 1})
    assert advanced.json() == {"today": (until + timedelta(days=1)).isoformat()}
    read = await client.get("/v1/accounts", headers=read_headers(consent_id))
    assert read.status_code == 401
    assert read.json()["tppMessages"][0]["code"] == "CONSENT_EXPIRED"
    status = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    assert status.json()["consentStatus"] == "expired"


async def test_psu_revocation_at_the_bank(client: httpx.AsyncClient) -> None:
    consent_id = await approved_consent(client, SANNE)
    assert (await client.post(f"/sandbox/consents/{consent_id}/revoke")).status_code == 204
    status = await client.get(f"/v1/consents/{consent_id}/status", headers=request_id())
    assert status.json()["consentStatus"] == "revokedByPsu"


async def test_request_id_is_echoed_on_success_and_error(client: httpx.AsyncClient) -> None:
    ok = await client.get("/sandbox/clock", headers={"X-Request-ID": "abc-123"})
    assert ok.headers["X-Request-ID"] == "abc-123"
    error = await client.get("/v1/consents/unknown", headers={"X-Request-ID": "def-456"})
    assert error.status_code == 403
    assert error.headers["X-Request-ID"] == "def-456"
    assert error.json()["tppMessages"][0]["code"] == "CONSENT_UNKNOWN"


async def test_consent_creation_refusals(client: httpx.AsyncClient, bank: SandboxBank) -> None:
    daan_iban = account_of(bank, DAAN, "checking").iban
    cases: list[tuple[dict[str, str], dict[str, object], int, str]] = [
        ({k: v for k, v in consent_headers(SANNE).items() if k != "X-Request-ID"},
         consent_body(), 400, "FORMAT_ERROR"),
        ({k: v for k, v in consent_headers(SANNE).items() if k != "PSU-IP-Address"},
         consent_body(), 400, "FORMAT_ERROR"),
        ({k: v for k, v in consent_headers(SANNE).items() if k != "PSU-ID"},
         consent_body(), 400, "FORMAT_ERROR"),
        (consent_headers("c-nobody"), consent_body(), 401, "PSU_CREDENTIALS_INVALID"),
        (consent_headers(SANNE), consent_body({"accounts": [{"iban": daan_iban}]}), 400,
         "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body(valid_until="2020-01-01"), 400, "PERIOD_INVALID"),
        (consent_headers(SANNE), consent_body(frequency=5), 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), {**consent_body(), "validUntil": 1893456000}, 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), {**consent_body(), "recurringIndicator": "yes"}, 400,
         "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body({"accounts": [{"bban": "123"}]}), 400,
         "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body({"accounts": [{"iban": "NL00X"}], "balances": []}),
         400, "FORMAT_ERROR"),
        (consent_headers(SANNE),
         consent_body({"allPsd2": "allAccounts", "accounts": [{"iban": "x"}]}), 400,
         "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body(frequency=0), 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body(frequency=2, recurring=False), 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), {"access": {"allPsd2": "allAccounts"}}, 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body({}), 400, "FORMAT_ERROR"),
        (consent_headers(SANNE), consent_body({"allPsd2": "everything"}), 400, "FORMAT_ERROR"),
        ({**consent_headers(SANNE), "TPP-Redirect-URI": "javascript:alert(1)"},
         consent_body(), 400, "FORMAT_ERROR"),
    ]  # fmt: skip
    for headers, body, status, code in cases:
        answer = await client.post("/v1/consents", headers=headers, json=body)
        assert answer.status_code == status, (headers, body, answer.text)
        messages = answer.json()["tppMessages"]
        assert messages[0]["code"] == code
        assert messages[0]["category"] == "ERROR"
        assert messages[0]["text"]
    assert (
        await client.post("/v1/consents", headers=consent_headers(SANNE), content=b"{")
    ).status_code == 400


async def test_one_off_consent_allows_one_unattended_read_a_day(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    consent_id = await approved_consent(client, SANNE, consent_body(frequency=1, recurring=False))
    checking = account_of(bank, SANNE, "checking")
    url = f"/v1/accounts/{checking.resource_id}/balances"
    assert (await client.get(url, headers=read_headers(consent_id))).status_code == 200
    assert (await client.get(url, headers=read_headers(consent_id))).status_code == 429


async def test_two_sandbox_apps_share_their_state(
    client: httpx.AsyncClient, settings: Settings, bank: SandboxBank
) -> None:
    other_app = create_sandbox_app(settings, bank)
    transport = httpx.ASGITransport(app=other_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://other.test") as other:
        first = await approved_consent(client, SANNE)
        second = await approved_consent(other, SANNE)  # saved after reading the first one
        for http in (client, other):
            for consent_id in (first, second):
                status = await http.get(f"/v1/consents/{consent_id}/status", headers=request_id())
                assert status.json() == {"consentStatus": "valid"}
