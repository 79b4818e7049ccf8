"""Steps many web tests take: sign in, go to the bank, decide there, come back."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from kluis.config import Settings
from kluis.runtime import Runtime
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth
from kluis.web.pages import Gateway

BANK_URL = "http://sandbox.test"
PUBLIC_URL = "http://127.0.0.1:8080"
CHAT = {"X-Kluis-Chat": "1"}
SAME_SITE = {"Origin": PUBLIC_URL, "Sec-Fetch-Site": "same-origin"}


def client_of(app: FastAPI, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL, headers=headers
    )


def runtime_of(app: FastAPI) -> Runtime:
    gateway = app.state.gateway
    assert isinstance(gateway, Gateway)
    return gateway.runtime


async def sign_in(client: httpx.AsyncClient, customer_id: str, next_path: str = "") -> str:
    """Sign in as a demo customer; returns where the page sends the browser next."""
    form = {"customer_id": customer_id}
    if next_path:
        form["next"] = next_path
    response = await client.post("/chat/signin", data=form, headers=SAME_SITE)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert isinstance(location, str)
    return location


async def to_the_bank(client: httpx.AsyncClient, path: str, form: dict[str, str]) -> str:
    """Post a form that sends the customer to the bank; returns the approval page's URL."""
    response = await client.post(path, data=form, headers=SAME_SITE)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert isinstance(location, str)
    assert location.startswith(f"{BANK_URL}/sandbox/sca/consents/"), location
    return location


async def decide(
    bank_browser: httpx.AsyncClient,
    approval_url: str,
    customer_id: str,
    decision: str = "approve",
    *,
    accounts: list[str] | None = None,
) -> str:
    """The customer decides on the bank's page (ticking `accounts` when given); returns the
    path of our callback the bank sends them back to."""
    page = await bank_browser.get(approval_url)
    assert page.status_code == 200, page.text
    form: dict[str, Any] = {"decision": decision, "psu_id": customer_id}
    if accounts is not None:
        form.update(choosing="1", account=accounts)
    decided = await bank_browser.post(approval_url, data=form)
    assert decided.status_code == 303, decided.text
    location = decided.headers["location"]
    assert location.startswith(f"{PUBLIC_URL}/consent/callback?state="), location
    path = location.removeprefix(PUBLIC_URL)
    assert isinstance(path, str)
    return path


async def link_all_accounts(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, customer_id: str
) -> None:
    """Sign in and link every account through the chat's own "link my bank"."""
    await sign_in(client, customer_id)
    approval = await to_the_bank(client, "/chat/link", {"accounts": "all"})
    back = await client.get(await decide(bank_browser, approval, customer_id))
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/chat"


def truth_of(settings: Settings, bank: SandboxBank, customer_id: str) -> Truth:
    state = StateStore(settings.sandbox_dir).load()
    return build_truth(
        bank, customer_id, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )


def account_of(bank: SandboxBank, customer_id: str, kind: str) -> SandboxAccount:
    return next(account for account in bank.accounts_of(customer_id) if account.kind == kind)
