"""A chat's one-time link in the browser: sign in, choose accounts, approve at the bank, and
the chat user is linked; used, expired and unknown links are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from kluis.consent.link_tokens import issue_link_token, token_hash
from kluis.sandbox.ledger import SandboxBank
from kluis.store.consents import ConsentRepository
from kluis.store.customers import CustomerRepository
from kluis.store.models import LinkTokenRow
from tests.web.support import (
    CHAT,
    PUBLIC_URL,
    SAME_SITE,
    account_of,
    decide,
    runtime_of,
    sign_in,
    to_the_bank,
)

TELEGRAM_USER = ("telegram", "7700123")


async def _link_path(app: FastAPI) -> str:
    url = await issue_link_token(runtime_of(app), *TELEGRAM_USER)
    assert url.startswith(f"{PUBLIC_URL}/link/")
    return urlsplit(url).path


async def _identity(app: FastAPI) -> str | None:
    async with runtime_of(app).database.session() as session:
        identity = await CustomerRepository(session).identity(*TELEGRAM_USER)
    return identity.customer_id if identity else None


async def test_a_chat_link_signs_in_lets_choose_at_the_bank_and_links_the_chat_user(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI, bank: SandboxBank
) -> None:
    path = await _link_path(app)
    signin = await client.get(path)
    assert signin.status_code == 200
    assert "Sign in to Kluis" in signin.text
    assert "You came here from a chat." in signin.text
    assert f'name="next" value="{path}"' in signin.text
    assert await sign_in(client, "c-sanne", next_path=path) == path

    page = await client.get(path)
    assert page.status_code == 200
    assert "Koppel Telegram aan je bank" in page.text
    assert "Je komt hier vanuit Telegram." in page.text
    assert "Kluis kan nooit betalen of geld overmaken." in page.text
    assert 'name="accounts" value="all" checked' in page.text
    assert "Ik kies bij mijn bank welke rekeningen" in page.text

    approval = await to_the_bank(client, path, {"accounts": "choose"})
    bank_page = await bank_browser.get(approval)
    assert bank_page.text.count('type="checkbox"') == len(bank.accounts_of("c-sanne"))
    checking = account_of(bank, "c-sanne", "checking")
    assert await _identity(app) is None  # nothing linked before the bank says yes
    callback = await decide(bank_browser, approval, "c-sanne", accounts=[checking.resource_id])
    done = await client.get(callback)
    assert done.status_code == 200
    assert "Je bank is gekoppeld. Je kunt terug naar Telegram." in done.text
    assert await _identity(app) == "c-sanne"

    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        consent = await ConsentRepository(session, runtime.sealer).active_for_customer("c-sanne")
    assert consent is not None
    assert not consent.access.all_accounts
    assert consent.access.transactions == (checking.iban,)
    answer = await client.post("/chat/api/messages", json={"text": "saldo"}, headers=CHAT)
    assert "Spaarrekening" not in answer.text


async def test_a_link_works_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    path = await _link_path(app)
    await sign_in(client, "c-sanne")
    await to_the_bank(client, path, {"accounts": "all"})
    for again in (await client.get(path), await client.post(path, headers=SAME_SITE)):
        assert again.status_code == 410
        assert "Deze link werkt niet meer" in again.text
        assert "vraag in de chat om een nieuwe" in again.text.lower()


async def test_an_expired_link_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    path = await _link_path(app)
    token = path.rsplit("/", 1)[-1]
    async with runtime_of(app).database.session() as session:
        await session.execute(
            update(LinkTokenRow)
            .where(LinkTokenRow.token_hash == token_hash(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    await sign_in(client, "c-sanne")
    assert (await client.get(path)).status_code == 410
    assert (await client.post(path, data={"accounts": "all"}, headers=SAME_SITE)).status_code == 410


@pytest.mark.parametrize("token", ["unknown-token", "a.b", "x" * 200, "%2e%2e"])
async def test_an_unknown_or_malformed_link_is_refused_before_sign_in(
    client: httpx.AsyncClient, token: str
) -> None:
    page = await client.get(f"/link/{token}")
    assert page.status_code == 410
    assert "This link no longer works" in page.text
    assert "Sign in" not in page.text


async def test_a_refusal_at_the_bank_links_nothing(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    path = await _link_path(app)
    await sign_in(client, "c-sanne")
    approval = await to_the_bank(client, path, {"accounts": "all"})
    page = await client.get(await decide(bank_browser, approval, "c-sanne", "deny"))
    assert "Je hebt geen toestemming gegeven" in page.text
    assert await _identity(app) is None


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/", "//evil.example/link/x", "/chat/../link", "/consents/../x", "/"],
)
async def test_sign_in_only_returns_to_our_own_pages(
    client: httpx.AsyncClient, next_path: str
) -> None:
    assert await sign_in(client, "c-sanne", next_path=next_path) == "/chat"


@pytest.mark.parametrize(
    "headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]
)
async def test_a_link_posted_from_another_site_is_refused_and_stays_usable(
    client: httpx.AsyncClient, app: FastAPI, headers: dict[str, str]
) -> None:
    path = await _link_path(app)
    await sign_in(client, "c-sanne")
    refused = await client.post(path, data={"accounts": "all"}, headers=headers)
    assert refused.status_code == 403
    assert (await client.get(path)).status_code == 200


async def test_the_chats_own_link_offers_the_same_choice(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, bank: SandboxBank
) -> None:
    await sign_in(client, "c-sanne")
    page = await client.get("/chat")
    assert 'name="accounts" value="choose"' in page.text
    assert "Alle rekeningen die je bij Kluis Sandbox Bank hebt." in page.text
    approval = await to_the_bank(client, "/chat/link", {"accounts": "choose"})
    savings = account_of(bank, "c-sanne", "savings")
    callback = await decide(bank_browser, approval, "c-sanne", accounts=[savings.resource_id])
    back = await client.get(callback)
    assert back.headers["location"] == "/chat"
    consents = await client.get("/consents")
    assert "Spaarrekening" in consents.text
    assert "Betaalrekening" not in consents.text.split('id="log"')[0]
