"""'Gekoppelde chats' on "Mijn toestemmingen": the chats listed with their ids masked, unlinking
one (identity, contact, grants, Alexa's tokens, Messenger's unlink API, also when Messenger
fails), ending an Alexa link made in the Alexa app, and forms that are refused."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from kluis.channels.grants import customer_for_token, issue_grant, redeem_grant
from kluis.channels.identity import seal_user, user_key
from kluis.config import Settings
from kluis.dialogue.formatting import day
from kluis.domain import ChannelIdentity
from kluis.runtime import Runtime
from kluis.store.channel_contacts import ContactRepository
from kluis.store.customers import CustomerRepository
from kluis.web.app import create_app
from kluis.web.linked_chats import tail
from kluis.web.oauth import issue_tokens
from kluis.web.session import COOKIE_NAME
from tests.web.support import SAME_SITE, client_of, runtime_of, sign_in

GRAPH = "https://graph.messenger.test/v23.0"
PAGE_TOKEN = "EAAG-page-token-for-unlink-tests"
MESSENGER_ON: dict[str, Any] = {
    "messenger_app_secret": SecretStr("unlink-app-secret"),
    "messenger_verify_token": SecretStr("unlink-verify-token"),
    "messenger_page_token": SecretStr(PAGE_TOKEN),
    "messenger_api_base": GRAPH,
    "channel_backoff_seconds": 0.0,
}
PSID = "7120348869531204"
TELEGRAM_CHAT = "81234567"
WHATSAPP_NUMBER = "31612345678"
ALEXA_USER = "amzn1.ask.account.AGF7QZ4XH2LMN3PQRSTU9VW"
DIALOGFLOW_USER = "projects-kluis-sessions-5d1f0a77c9e4"
HOSTILE_SITES = [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]
IDENTITY_FIELD = re.compile(r'name="identity" value="(\d+)"')


@dataclass
class Graph:
    """Messenger's Graph API stand-in: what Kluis asked of it, and how it answers."""

    status: int = 200
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(self.status, json={"error": {"code": 2, "message": "down"}})
        return httpx.Response(200, json={"result": "unlink account success"})

    def unlinks(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/v23.0/me/unlink_accounts"]


@pytest.fixture
def graph() -> Graph:
    return Graph()


@pytest.fixture
def messenger_settings(web_settings: Settings) -> Settings:
    return web_settings.model_copy(update=MESSENGER_ON)


@asynccontextmanager
async def _started(
    settings: Settings, sandbox: httpx.AsyncBaseTransport, graph: Graph
) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings,
        transport=sandbox,
        platform_transport=httpx.MockTransport(graph.handle),
        run_worker=False,
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def messenger_app(
    messenger_settings: Settings, sandbox: httpx.AsyncBaseTransport, graph: Graph
) -> AsyncIterator[FastAPI]:
    async with _started(messenger_settings, sandbox, graph) as application:
        yield application


@pytest.fixture
async def quiet_app(
    web_settings: Settings, sandbox: httpx.AsyncBaseTransport, graph: Graph
) -> AsyncIterator[FastAPI]:
    """Messenger off, but the platform stand-in there to notice any call all the same."""
    async with _started(web_settings, sandbox, graph) as application:
        yield application


@pytest.fixture
async def browser(messenger_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(messenger_app, **{"Accept-Language": "en-GB,en;q=0.9"}) as http:
        yield http


async def _link(runtime: Runtime, customer_id: str, channel: str, user_id: str) -> None:
    """Link a chat as the worker does: the identity, and the contact naming the customer."""
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        await CustomerRepository(session).link_identity(channel, user_id, customer_id)
        await ContactRepository(session).touch(
            channel,
            user_key(runtime, channel, user_id),
            seal_user(runtime, user_id),
            now,
            inbound_at=now,
            customer_id=customer_id,
        )


async def _identities(runtime: Runtime, customer_id: str) -> list[ChannelIdentity]:
    async with runtime.database.session() as session:
        return await CustomerRepository(session).identities(customer_id)


async def _contact_customer(runtime: Runtime, channel: str, user_id: str) -> str | None:
    async with runtime.database.session() as session:
        contact = await ContactRepository(session).get(channel, user_key(runtime, channel, user_id))
    assert contact is not None
    return contact.customer_id


async def _page(http: httpx.AsyncClient) -> str:
    page = await http.get("/consents")
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def _chats_section(page: str) -> str:
    start = page.index('<section class="panel" id="chats"')
    return page[start : page.index("</section>", start)]


async def _identity_field(http: httpx.AsyncClient, channel_name: str) -> str:
    """The form value the page gives the unlink button of the chat named `channel_name`."""
    section = _chats_section(await _page(http))
    for item in section.split("<li>")[1:]:
        if f">{channel_name}<" in item:
            found = IDENTITY_FIELD.search(item)
            assert found is not None, item
            return found.group(1)
    raise AssertionError(f"{channel_name} is not listed")


async def _unlink(http: httpx.AsyncClient, identity: str) -> httpx.Response:
    return await http.post("/consents/chats/unlink", data={"identity": identity}, headers=SAME_SITE)


# --- what the section shows ---------------------------------------------------------


def test_a_platform_id_is_never_shown_whole() -> None:
    assert tail(PSID) == "1204"
    assert tail("123456") == "456"
    assert tail("42") == "2"
    assert tail("7") == ""


async def test_the_section_lists_every_linked_chat_masked(
    browser: httpx.AsyncClient, messenger_app: FastAPI
) -> None:
    await sign_in(browser, "c-sanne")
    runtime = runtime_of(messenger_app)
    linked = [
        ("messenger", PSID),
        ("whatsapp", WHATSAPP_NUMBER),
        ("telegram", TELEGRAM_CHAT),
        ("alexa", ALEXA_USER),
        ("dialogflow", DIALOGFLOW_USER),
        ("web", "c-sanne"),
        ("terminal", "c-sanne"),
    ]
    for channel, user in linked:
        await _link(runtime, "c-sanne", channel, user)
    page = await _page(browser)
    chats = _chats_section(page)
    assert "Gekoppelde chats" in chats
    for name in ("Messenger", "WhatsApp", "Telegram", "Alexa", "Spraakassistent"):
        assert f">{name}<" in chats
    for _, user in linked[:5]:
        assert user not in page
        assert f"eindigend op {user[-4:]}" in chats
    assert "Web-chat" not in chats
    assert "Terminal" not in chats
    assert chats.count("Ontkoppelen</button>") == 5
    today = day(datetime.now(UTC).date(), "nl", with_year=True)
    assert chats.count(today) == 5
    assert "Alexa-accountkoppeling</dt><dd>Niet actief" in chats
    await issue_tokens(runtime, "c-sanne")
    assert "Alexa-accountkoppeling</dt><dd>Actief" in _chats_section(await _page(browser))


async def test_without_chats_the_section_says_so(browser: httpx.AsyncClient) -> None:
    await sign_in(browser, "c-emily")
    chats = _chats_section(await _page(browser))
    assert "Linked chats" in chats
    assert "You have not linked a chat app yet." in chats
    assert "<form" not in chats


# --- unlinking ----------------------------------------------------------------------


async def test_unlinking_a_chat_removes_the_link_the_contact_and_the_open_codes(
    browser: httpx.AsyncClient, messenger_app: FastAPI, graph: Graph
) -> None:
    await sign_in(browser, "c-sanne")
    runtime = runtime_of(messenger_app)
    await _link(runtime, "c-sanne", "telegram", TELEGRAM_CHAT)
    await _link(runtime, "c-sanne", "whatsapp", WHATSAPP_NUMBER)
    code = await issue_grant(runtime, "telegram_start", "telegram", "c-sanne")
    answer = await _unlink(browser, await _identity_field(browser, "Telegram"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/consents?done=unlinked-telegram#chats"
    assert [i.channel for i in await _identities(runtime, "c-sanne")] == ["whatsapp"]
    assert await _contact_customer(runtime, "telegram", TELEGRAM_CHAT) is None
    assert await _contact_customer(runtime, "whatsapp", WHATSAPP_NUMBER) == "c-sanne"
    assert await redeem_grant(runtime, "telegram_start", code) is None
    assert graph.requests == []  # only Messenger is told
    page = await browser.get(answer.headers["location"])
    chats = _chats_section(html.unescape(page.text))
    assert "Telegram is niet meer gekoppeld." in chats
    assert ">Telegram<" not in chats
    assert ">WhatsApp<" in chats


async def test_unlinking_alexa_ends_its_account_link(
    browser: httpx.AsyncClient, messenger_app: FastAPI
) -> None:
    await sign_in(browser, "c-sanne")
    runtime = runtime_of(messenger_app)
    await _link(runtime, "c-sanne", "alexa", ALEXA_USER)
    tokens = await issue_tokens(runtime, "c-sanne")
    access, refresh = str(tokens["access_token"]), str(tokens["refresh_token"])
    assert await customer_for_token(runtime, "alexa_access", access) == "c-sanne"
    answer = await _unlink(browser, await _identity_field(browser, "Alexa"))
    assert answer.headers["location"] == "/consents?done=unlinked-alexa#chats"
    assert await _identities(runtime, "c-sanne") == []
    assert await _contact_customer(runtime, "alexa", ALEXA_USER) is None
    assert await customer_for_token(runtime, "alexa_access", access) is None
    assert await redeem_grant(runtime, "alexa_refresh", refresh) is None
    page = html.unescape((await browser.get(answer.headers["location"])).text)
    assert "Alexa is niet meer gekoppeld." in page
    assert "Alexa ontkoppelen" not in page


async def test_an_alexa_link_made_in_the_alexa_app_is_listed_and_can_be_ended(
    browser: httpx.AsyncClient, messenger_app: FastAPI
) -> None:
    await sign_in(browser, "c-emily")
    runtime = runtime_of(messenger_app)
    tokens = await issue_tokens(runtime, "c-emily")
    access, refresh = str(tokens["access_token"]), str(tokens["refresh_token"])
    chats = _chats_section(await _page(browser))
    assert "You linked Alexa to Kluis in the Alexa app." in chats
    assert "Alexa account link</dt><dd>Active" in chats
    assert 'action="/consents/chats/alexa/unlink#chats"' in chats
    assert "Unlink Alexa</button>" in chats
    answer = await browser.post("/consents/chats/alexa/unlink", headers=SAME_SITE)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/consents?done=unlinked-alexa#chats"
    assert await customer_for_token(runtime, "alexa_access", access) is None
    assert await redeem_grant(runtime, "alexa_refresh", refresh) is None
    chats = _chats_section(html.unescape((await browser.get(answer.headers["location"])).text))
    assert "Alexa is no longer linked." in chats
    assert "Unlink Alexa" not in chats
    again = await browser.post("/consents/chats/alexa/unlink", headers=SAME_SITE)
    assert again.status_code == 400
    assert "That chat is not linked to you (any more). Nothing was changed." in again.text


async def test_unlinking_messenger_tells_messenger(
    browser: httpx.AsyncClient, messenger_app: FastAPI, graph: Graph
) -> None:
    await sign_in(browser, "c-emily")
    runtime = runtime_of(messenger_app)
    await _link(runtime, "c-emily", "messenger", PSID)
    answer = await _unlink(browser, await _identity_field(browser, "Messenger"))
    assert answer.status_code == 303
    [call] = graph.unlinks()
    assert call.method == "POST"
    assert str(call.url) == f"{GRAPH}/me/unlink_accounts"
    assert json.loads(call.content) == {"psid": PSID}
    assert call.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert await _identities(runtime, "c-emily") == []
    assert await _contact_customer(runtime, "messenger", PSID) is None
    page = html.unescape((await browser.get(answer.headers["location"])).text)
    assert "Messenger is no longer linked." in page


async def test_messenger_failing_does_not_stop_the_unlink(
    browser: httpx.AsyncClient,
    messenger_app: FastAPI,
    graph: Graph,
    caplog: pytest.LogCaptureFixture,
) -> None:
    graph.status = 500
    await sign_in(browser, "c-sanne")
    runtime = runtime_of(messenger_app)
    await _link(runtime, "c-sanne", "messenger", PSID)
    with caplog.at_level(logging.INFO):
        answer = await _unlink(browser, await _identity_field(browser, "Messenger"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/consents?done=unlinked-messenger#chats"
    assert len(graph.unlinks()) == 2  # tried again once, then given up
    assert await _identities(runtime, "c-sanne") == []
    assert await _contact_customer(runtime, "messenger", PSID) is None
    assert "messenger was not told of an unlink: http_500:2" in caplog.text
    assert PSID not in caplog.text
    assert PAGE_TOKEN not in caplog.text


async def test_with_messenger_off_messenger_is_not_called(quiet_app: FastAPI, graph: Graph) -> None:
    async with client_of(quiet_app) as http:
        await sign_in(http, "c-sanne")
        runtime = runtime_of(quiet_app)
        await _link(runtime, "c-sanne", "messenger", PSID)
        answer = await _unlink(http, await _identity_field(http, "Messenger"))
    assert answer.status_code == 303
    assert graph.requests == []
    assert await _identities(runtime, "c-sanne") == []


# --- what is refused ----------------------------------------------------------------


@pytest.mark.parametrize("headers", HOSTILE_SITES)
async def test_an_unlink_posted_from_another_site_is_refused(
    browser: httpx.AsyncClient, messenger_app: FastAPI, graph: Graph, headers: dict[str, str]
) -> None:
    await sign_in(browser, "c-sanne")
    runtime = runtime_of(messenger_app)
    await _link(runtime, "c-sanne", "messenger", PSID)
    await issue_tokens(runtime, "c-sanne")
    identity = await _identity_field(browser, "Messenger")
    for path, form in (
        ("/consents/chats/unlink", {"identity": identity}),
        ("/consents/chats/alexa/unlink", {}),
    ):
        answer = await browser.post(path, data=form, headers=headers)
        assert answer.status_code == 403
        assert "Dit mag niet" in answer.text
    assert [i.channel for i in await _identities(runtime, "c-sanne")] == ["messenger"]
    assert await _contact_customer(runtime, "messenger", PSID) == "c-sanne"
    assert "Alexa-accountkoppeling</dt><dd>Actief" in _chats_section(await _page(browser))
    assert graph.requests == []


async def test_another_customers_chat_cannot_be_unlinked(
    messenger_app: FastAPI, graph: Graph
) -> None:
    runtime = runtime_of(messenger_app)
    async with client_of(messenger_app) as emily, client_of(messenger_app) as sanne:
        await sign_in(emily, "c-emily")
        await sign_in(sanne, "c-sanne")
        await _link(runtime, "c-emily", "messenger", PSID)
        await _link(runtime, "c-sanne", "telegram", TELEGRAM_CHAT)
        emilys = await _identity_field(emily, "Messenger")
        for forged in (emilys, "999999", "-1", "1 OR 1=1", "", "１"):
            answer = await _unlink(sanne, forged)
            assert answer.status_code == 400
            assert "Die chat is niet (meer) aan je gekoppeld. Er is niets veranderd." in (
                html.unescape(answer.text)
            )
    assert [i.platform_user_id for i in await _identities(runtime, "c-emily")] == [PSID]
    assert [i.platform_user_id for i in await _identities(runtime, "c-sanne")] == [TELEGRAM_CHAT]
    assert await _contact_customer(runtime, "messenger", PSID) == "c-emily"
    assert graph.requests == []


async def test_a_stranger_cannot_unlink(messenger_app: FastAPI) -> None:
    runtime = runtime_of(messenger_app)
    async with client_of(messenger_app) as owner:
        await sign_in(owner, "c-sanne")
        await _link(runtime, "c-sanne", "telegram", TELEGRAM_CHAT)
        identity = await _identity_field(owner, "Telegram")
    async with client_of(messenger_app) as stranger:
        stranger.cookies.set(COOKIE_NAME, "forged.value")
        for path in ("/consents/chats/unlink", "/consents/chats/alexa/unlink"):
            answer = await stranger.post(path, data={"identity": identity}, headers=SAME_SITE)
            assert answer.status_code == 303
            assert answer.headers["location"] == "/chat"
    assert len(await _identities(runtime, "c-sanne")) == 1


# --- in the customer's language -----------------------------------------------------


async def test_dutch_and_english_customers_read_their_own_language(
    browser: httpx.AsyncClient, messenger_app: FastAPI
) -> None:
    runtime = runtime_of(messenger_app)
    await sign_in(browser, "c-sanne")
    await _link(runtime, "c-sanne", "whatsapp", WHATSAPP_NUMBER)
    dutch = _chats_section(await _page(browser))
    for text in (
        "Gekoppelde chats",
        "In deze chats beantwoordt Kluis je vragen over je geld.",
        "Gekoppeld sinds",
        "eindigend op 5678",
        "Ontkoppelen</button>",
    ):
        assert text in dutch
    await sign_in(browser, "c-emily")
    await _link(runtime, "c-emily", "whatsapp", "447700900123")
    english = _chats_section(await _page(browser))
    for text in (
        "Linked chats",
        "In these chats Kluis answers your questions about your money.",
        "Linked since",
        "ending in 0123",
        "Unlink</button>",
    ):
        assert text in english
    assert "Ontkoppelen" not in english
    answer = await _unlink(browser, await _identity_field(browser, "WhatsApp"))
    page = html.unescape((await browser.get(answer.headers["location"])).text)
    assert "WhatsApp is no longer linked. Kluis will not answer questions about your money" in page
    await sign_in(browser, "c-sanne")
    done = html.unescape((await browser.get("/consents?done=unlinked-whatsapp")).text)
    assert "WhatsApp is niet meer gekoppeld. Kluis beantwoordt daar geen vragen" in done
    unknown = await _page(browser)
    assert "niet meer gekoppeld" not in unknown
    assert "niet meer gekoppeld" not in html.unescape(
        (await browser.get("/consents?done=unlinked-web")).text
    )
