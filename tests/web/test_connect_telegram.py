"""Connecting Telegram from the web: `GET /connect/telegram` in-process, off, signed out and
signed in, the link on "Mijn toestemmingen", and the whole way to a linked chat."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from kluis.channels.grants import redeem_grant
from kluis.channels.worker import ChannelWorker
from kluis.config import Settings
from kluis.dialogue.engine import Dialogue
from kluis.store.customers import CustomerRepository
from kluis.web.app import create_app
from kluis.web.pages import Gateway
from tests.web.support import client_of, runtime_of, sign_in

BOT = "KluisBankBot"
SECRET = "connect-secret_token"
TELEGRAM_ON: dict[str, Any] = {
    "telegram_bot_token": SecretStr("7345123456:AAH-connectTestBotToken_x1"),
    "telegram_secret_token": SecretStr(SECRET),
    "telegram_api_base": "https://telegram.test",
    "telegram_bot_username": BOT,
}
DEEP_LINK = re.compile(rf"https://t\.me/{BOT}\?start=([A-Za-z0-9_-]{{1,64}})")
CHAT_ID = 81234567


@asynccontextmanager
async def running(
    settings: Settings,
    sandbox: httpx.AsyncBaseTransport,
    platform: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings, transport=sandbox, platform_transport=platform, run_worker=False
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def telegram_settings(web_settings: Settings) -> Settings:
    return web_settings.model_copy(update=TELEGRAM_ON)


@pytest.fixture
async def telegram_app(
    telegram_settings: Settings, sandbox: httpx.AsyncBaseTransport
) -> AsyncIterator[FastAPI]:
    async with running(telegram_settings, sandbox) as application:
        yield application


@pytest.fixture
async def browser(telegram_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(telegram_app, **{"Accept-Language": "en-GB,en;q=0.9"}) as http:
        yield http


async def deep_link_code(browser: httpx.AsyncClient) -> str:
    response = await browser.get("/connect/telegram")
    assert response.status_code == 303, response.text
    assert response.headers["cache-control"] == "no-store"
    found = DEEP_LINK.fullmatch(response.headers["location"])
    assert found is not None, response.headers["location"]
    return found.group(1)


# --- off ------------------------------------------------------------------------------


async def test_it_is_not_found_while_telegram_is_off(client: httpx.AsyncClient) -> None:
    response = await client.get("/connect/telegram")
    assert response.status_code == 404
    await sign_in(client, "c-sanne")
    assert (await client.get("/connect/telegram")).status_code == 404
    consents = await client.get("/consents")
    assert consents.status_code == 200
    assert "/connect/telegram" not in consents.text
    assert "Telegram</a>" not in consents.text


@pytest.mark.parametrize("username", [None, "", "bad name!", "@b"])
async def test_it_is_not_found_without_a_valid_bot_username(
    telegram_settings: Settings, sandbox: httpx.AsyncBaseTransport, username: str | None
) -> None:
    settings = telegram_settings.model_copy(update={"telegram_bot_username": username})
    async with running(settings, sandbox) as application, client_of(application) as http:
        await sign_in(http, "c-sanne")
        assert (await http.get("/connect/telegram")).status_code == 404
        assert "/connect/telegram" not in (await http.get("/consents")).text


# --- on -------------------------------------------------------------------------------


async def test_signed_out_it_asks_to_sign_in_and_comes_back(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/connect/telegram")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Sign in to Kluis" in page.text
    assert 'name="next" value="/connect/telegram"' in page.text
    assert "t.me" not in page.text
    assert await sign_in(browser, "c-sanne", next_path="/connect/telegram") == "/connect/telegram"
    await deep_link_code(browser)


async def test_signed_in_it_sends_the_browser_to_the_bot_with_a_one_time_code(
    browser: httpx.AsyncClient, telegram_app: FastAPI
) -> None:
    await sign_in(browser, "c-sanne")
    code = await deep_link_code(browser)
    other = await deep_link_code(browser)
    assert code != other
    runtime = runtime_of(telegram_app)
    assert await redeem_grant(runtime, "telegram_start", code) == ("c-sanne", None)
    assert await redeem_grant(runtime, "telegram_start", code) is None
    assert await redeem_grant(runtime, "telegram_link", other) is None  # another kind


async def test_the_bot_username_may_be_written_with_an_at(
    telegram_settings: Settings, sandbox: httpx.AsyncBaseTransport
) -> None:
    settings = telegram_settings.model_copy(update={"telegram_bot_username": f"@{BOT}"})
    async with running(settings, sandbox) as application, client_of(application) as http:
        await sign_in(http, "c-sanne")
        await deep_link_code(http)


async def test_my_consents_links_to_telegram_in_the_customers_language(
    browser: httpx.AsyncClient,
) -> None:
    await sign_in(browser, "c-sanne")
    dutch = (await browser.get("/consents")).text
    assert '<a href="/connect/telegram">Chat met ons op Telegram</a>' in dutch
    await sign_in(browser, "c-emily")
    english = (await browser.get("/consents")).text
    assert '<a href="/connect/telegram">Chat with us on Telegram</a>' in english


# --- the whole way --------------------------------------------------------------------


async def test_the_code_links_the_telegram_chat_to_the_customer(
    telegram_settings: Settings, sandbox: httpx.AsyncBaseTransport
) -> None:
    sent: list[dict[str, Any]] = []

    def telegram(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sendMessage"):
            sent.append(json.loads(request.content))
            result: object = {"message_id": len(sent)}
        else:
            result = True
        return httpx.Response(200, json={"ok": True, "result": result})

    platform = httpx.MockTransport(telegram)
    async with running(telegram_settings, sandbox, platform) as application:
        gateway = application.state.gateway
        assert isinstance(gateway, Gateway)
        assert gateway.channels is not None
        worker = ChannelWorker(gateway.channels, Dialogue(gateway.runtime))
        async with client_of(application) as http:
            await sign_in(http, "c-sanne")
            code = await deep_link_code(http)
            start = {
                "update_id": 900001,
                "message": {
                    "message_id": 1,
                    "from": {"id": CHAT_ID, "is_bot": False, "first_name": "S"},
                    "chat": {"id": CHAT_ID, "type": "private"},
                    "date": 1767225600,
                    "text": f"/start {code}",
                },
            }
            answer = await http.post(
                "/webhooks/telegram",
                json=start,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert answer.status_code == 200, answer.text
            await worker.drain()
        async with gateway.runtime.database.session() as session:
            identity = await CustomerRepository(session).identity("telegram", str(CHAT_ID))
        assert await redeem_grant(gateway.runtime, "telegram_start", code) is None  # used up
    assert identity is not None
    assert identity.customer_id == "c-sanne"
    assert [message["chat_id"] for message in sent] == [CHAT_ID]
    assert sent[0]["text"].startswith("Gelukt: dit gesprek is gekoppeld aan je bank.")
