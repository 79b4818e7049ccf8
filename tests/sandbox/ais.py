"""Steps of the AIS flow that many sandbox tests take: ask for a consent, approve it, read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

import httpx

from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.model import SandboxAccount

TPP_REDIRECT = "https://tpp.test/callback"
ALL_ACCOUNTS: dict[str, object] = {"allPsd2": "allAccounts"}

# Sanne has checking, savings and a credit card; Daan has no credit card.
SANNE = "c-sanne"
DAAN = "c-daan"


def request_id() -> dict[str, str]:
    return {"X-Request-ID": str(uuid.uuid4())}


def consent_body(
    access: Mapping[str, object] | None = None,
    *,
    valid_until: str = "9999-12-31",
    frequency: int = 4,
    recurring: bool = True,
) -> dict[str, object]:
    return {
        "access": ALL_ACCOUNTS if access is None else access,
        "recurringIndicator": recurring,
        "validUntil": valid_until,
        "frequencyPerDay": frequency,
        "combinedServiceIndicator": False,
    }


def consent_headers(psu_id: str, *, redirect: str | None = TPP_REDIRECT) -> dict[str, str]:
    headers = {**request_id(), "PSU-ID": psu_id, "PSU-IP-Address": "192.0.2.10"}
    if redirect is not None:
        headers["TPP-Redirect-URI"] = redirect
    return headers


async def create_consent(
    client: httpx.AsyncClient, psu_id: str, body: dict[str, object] | None = None
) -> httpx.Response:
    return await client.post(
        "/v1/consents", headers=consent_headers(psu_id), json=body or consent_body()
    )


async def decide(
    client: httpx.AsyncClient, sca_redirect: str, psu_id: str, decision: str
) -> httpx.Response:
    return await client.post(sca_redirect, data={"decision": decision, "psu_id": psu_id})


async def approved_consent(
    client: httpx.AsyncClient, psu_id: str, body: dict[str, object] | None = None
) -> str:
    """A consent the customer approved; returns its id."""
    created = await create_consent(client, psu_id, body)
    assert created.status_code == 201, created.text
    answer = await decide(
        client, created.json()["_links"]["scaRedirect"]["href"], psu_id, "approve"
    )
    assert answer.status_code == 303, answer.text
    consent_id = created.json()["consentId"]
    assert isinstance(consent_id, str)
    return consent_id


def read_headers(consent_id: str, *, attended: bool = False) -> dict[str, str]:
    """Headers of an AIS read; attended reads carry the customer's IP address."""
    headers = {**request_id(), "Consent-ID": consent_id}
    if attended:
        headers["PSU-IP-Address"] = "192.0.2.10"
    return headers


def account_of(bank: SandboxBank, psu_id: str, kind: str) -> SandboxAccount:
    """The customer's account of this kind."""
    return next(account for account in bank.accounts_of(psu_id) if account.kind == kind)


def family(account: SandboxAccount) -> str:
    return "card-accounts" if account.kind == "credit_card" else "accounts"


async def all_pages(
    client: httpx.AsyncClient, url: str, consent_id: str, *, attended: bool = False
) -> list[dict[str, Any]]:
    """Every page of a transaction query, following `_links.next`."""
    pages: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url is not None:
        response = await client.get(next_url, headers=read_headers(consent_id, attended=attended))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        pages.append(body)
        report = body.get("transactions") or body["cardTransactions"]
        link = report["_links"].get("next")
        next_url = link["href"] if link else None
    return pages


def iso(day: date) -> str:
    return day.isoformat()
