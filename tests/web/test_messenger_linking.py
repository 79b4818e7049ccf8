"""Messenger's Log In button in the browser: the link page opened with Messenger's
`redirect_uri`, sign-in, the bank's decision, and back to Messenger with our authorisation
code (or without it when the answer was no); the `linked` webhook that follows links the
chat. Any return address that is not Facebook's or Messenger's own is ignored."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from kluis.channels.worker import ChannelWorker
from kluis.config import Settings, load_settings
from kluis.consent.link_tokens import issue_link_token
from kluis.dialogue.engine import Dialogue
from kluis.security import new_key
from kluis.store.customers import CustomerRepository
from kluis.store.models import ChannelGrantRow, LinkRequestRow
from kluis.web.app import create_app
from kluis.web.link import platform_return_uri, with_query
from kluis.web.pages import Gateway
from tests.channels.drivers.messenger import (
    APP_SECRET,
    PAGE_TOKEN,
    TIMESTAMP,
    VERIFY_TOKEN,
    envelope,
    event,
    signature,
)
from tests.web.support import BANK_URL, PUBLIC_URL, SAME_SITE, decide, runtime_of, sign_in
from tests.web.support import to_the_bank as bank_approval

PSID = "7120348869531204"
RETURN = (
    "https://www.facebook.com/messenger_platform/account_linking/"
    "?account_linking_token=ARTd9Q7kXvZ2mLw4pN8sYc1rB6hJ0uFgTeQ5aKzW3oVx"
)


@dataclass
class Graph:
    """The Graph API stand-in: what Kluis sent to Messenger."""

    bodies: list[Any] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        number = len(self.bodies)
        return httpx.Response(200, json={"recipient_id": PSID, "message_id": f"m_{number}"})

    def texts_to(self, user: str) -> list[str]:
        return [
            body["message"]["text"]
            for body in self.bodies
            if body["recipient"]["id"] == user and "text" in body.get("message", {})
        ]


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """The web tests' settings with Messenger switched on."""
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        public_url=PUBLIC_URL,
        embedded_sandbox=False,
        bank_retries=1,
        bank_backoff_seconds=0.0,
        messenger_app_secret=APP_SECRET,
        messenger_verify_token=VERIFY_TOKEN,
        messenger_page_token=PAGE_TOKEN,
        messenger_api_base="https://graph.test/v23.0",
    )


@pytest.fixture
def graph() -> Graph:
    return Graph()


@pytest.fixture
async def app(
    web_settings: Settings, sandbox: httpx.AsyncBaseTransport, graph: Graph
) -> AsyncIterator[FastAPI]:
    application = create_app(
        web_settings,
        transport=sandbox,
        platform_transport=httpx.MockTransport(graph.handle),
        run_worker=False,
    )
    async with application.router.lifespan_context(application):
        yield application


def worker_of(app: FastAPI) -> ChannelWorker:
    gateway = app.state.gateway
    assert isinstance(gateway, Gateway)
    assert gateway.channels is not None
    assert isinstance(gateway.dialogue, Dialogue)
    return ChannelWorker(gateway.channels, gateway.dialogue)


async def messenger_opens(
    app: FastAPI, return_uri: str = RETURN, channel: str = "messenger"
) -> str:
    """The URL Messenger's Log In button opens: our link with its two parameters added."""
    url = await issue_link_token(runtime_of(app), channel, PSID)
    linking_token = quote("ARTd9Q7kXvZ2mLw4pN8sYc1rB6hJ0uFgTeQ5aKzW3oVx", safe="")
    back = quote(return_uri, safe="")
    return f"{urlsplit(url).path}?account_linking_token={linking_token}&redirect_uri={back}"


async def signed_in_page(client: httpx.AsyncClient, opened: str, customer_id: str) -> str:
    """Open the link signed out, sign in from its page; the path sign-in came back to."""
    page = await client.get(opened)
    assert page.status_code == 200
    assert "You came here from a chat." in page.text
    next_path = html.unescape(page.text.split('name="next" value="', 1)[1].split('"', 1)[0])
    assert next_path.startswith("/link/")
    back = await sign_in(client, customer_id, next_path=next_path)
    assert back == next_path
    return back


async def linked_customer(app: FastAPI, user: str = PSID) -> str | None:
    async with runtime_of(app).database.session() as session:
        identity = await CustomerRepository(session).identity("messenger", user)
    return identity.customer_id if identity else None


async def grants(app: FastAPI) -> list[ChannelGrantRow]:
    async with runtime_of(app).database.session() as session:
        return list(await session.scalars(select(ChannelGrantRow)))


async def link_request(app: FastAPI) -> LinkRequestRow:
    async with runtime_of(app).database.session() as session:
        rows = list(await session.scalars(select(LinkRequestRow)))
    assert len(rows) == 1
    return rows[0]


async def post_webhook(client: httpx.AsyncClient, body: bytes) -> None:
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(body)}
    response = await client.post("/webhooks/messenger", content=body, headers=headers)
    assert response.status_code == 200, response.text


def linked_event(user: str, code: str, moment: int = TIMESTAMP) -> bytes:
    linking = {"status": "linked", "authorization_code": code}
    return envelope(event(user, moment, account_linking=linking))


# -- the whole flow ----------------------------------------------------------------------


async def test_the_log_in_button_returns_to_messenger_with_a_code_that_links_the_chat(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI, graph: Graph
) -> None:
    opened = await messenger_opens(app)
    path = await signed_in_page(client, opened, "c-emily")
    assert parse_qs(urlsplit(path).query) == {"redirect_uri": [RETURN]}  # nothing else kept

    page = await client.get(path)
    assert page.status_code == 200
    assert "Link Messenger to your bank" in page.text
    assert f'action="{html.escape(path)}"' in page.text
    assert f'href="{html.escape(RETURN)}">Back to the chat</a>' in page.text

    approval = await bank_approval(client, path, {"accounts": "all"})
    assert (await link_request(app)).return_uri == RETURN
    back = await client.get(await decide(bank_browser, approval, "c-emily"))
    assert back.status_code == 303
    location = back.headers["location"]
    assert location.startswith(f"{RETURN}&authorization_code=")
    query = parse_qs(urlsplit(location).query)
    assert query["account_linking_token"] == ["ARTd9Q7kXvZ2mLw4pN8sYc1rB6hJ0uFgTeQ5aKzW3oVx"]
    (code,) = query["authorization_code"]
    (grant,) = await grants(app)
    assert (grant.kind, grant.customer_id, grant.platform_user_id) == (
        "messenger_link",
        "c-emily",
        PSID,
    )
    assert code not in grant.token_hash  # only its hash is stored

    # Messenger then tells Kluis, signed, and the worker welcomes the customer there.
    await post_webhook(client, linked_event(PSID, code))
    await worker_of(app).drain()
    assert await linked_customer(app) == "c-emily"
    assert graph.texts_to(PSID) == [
        "Done: this chat is now linked to your bank. Ask me, for example, 'what's my "
        "balance?' or 'what did I spend this month?'."
    ]
    used = (await grants(app))[0]
    assert used.used_at is not None


async def test_the_code_links_no_other_messenger_user(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI, graph: Graph
) -> None:
    path = await signed_in_page(client, await messenger_opens(app), "c-emily")
    approval = await bank_approval(client, path, {"accounts": "all"})
    back = await client.get(await decide(bank_browser, approval, "c-emily"))
    (code,) = parse_qs(urlsplit(back.headers["location"]).query)["authorization_code"]
    stranger = "5501928374650192"
    await post_webhook(client, linked_event(stranger, code))
    await worker_of(app).drain()
    assert await linked_customer(app, stranger) is None
    assert graph.texts_to(stranger) == []


async def test_saying_no_at_the_bank_returns_to_messenger_without_a_code(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    path = await signed_in_page(client, await messenger_opens(app), "c-sanne")
    approval = await bank_approval(client, path, {"accounts": "all"})
    back = await client.get(await decide(bank_browser, approval, "c-sanne", "deny"))
    assert back.status_code == 303
    assert back.headers["location"] == RETURN
    assert await grants(app) == []
    assert await linked_customer(app) is None


async def test_a_consent_the_bank_does_not_confirm_returns_without_a_code(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    path = await signed_in_page(client, await messenger_opens(app), "c-sanne")
    await bank_approval(client, path, {"accounts": "all"})
    state = (await link_request(app)).state
    # Back "approved" while the bank never saw an approval (a forged or stale redirect).
    back = await client.get(f"/consent/callback?state={state}&result=ok")
    assert back.status_code == 303
    assert back.headers["location"] == RETURN
    assert await grants(app) == []
    assert await linked_customer(app) is None


async def test_signing_in_on_the_link_post_keeps_the_return_address(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    opened = await messenger_opens(app)
    page = await client.get(opened)
    next_path = html.unescape(page.text.split('name="next" value="', 1)[1].split('"', 1)[0])
    # The form posted in another tab after signing out: back to the page, address kept.
    posted = await client.post(next_path, data={"accounts": "all"}, headers=SAME_SITE)
    assert posted.status_code == 303
    assert posted.headers["location"] == next_path


# -- return addresses that are not Meta's ------------------------------------------------


@pytest.mark.parametrize(
    "return_uri",
    [
        "https://evil.example/messenger_platform/account_linking/",
        "http://www.facebook.com/messenger_platform/account_linking/",
        "https://facebook.com.evil.example/",
        "https://notfacebook.com/",
        "https://www.facebook.com@evil.example/",
        "https://evil.example\\@www.facebook.com/",
        "javascript:alert(document.domain)//www.facebook.com/",
        "//www.facebook.com/messenger_platform/",
    ],
)
async def test_another_return_address_is_ignored_and_the_link_works_as_usual(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI, return_uri: str
) -> None:
    path = await signed_in_page(client, await messenger_opens(app, return_uri), "c-sanne")
    assert "?" not in path
    page = await client.get(path)
    assert "Back to the chat" not in page.text
    approval = await bank_approval(client, path, {"accounts": "all"})
    assert (await link_request(app)).return_uri is None
    done = await client.get(await decide(bank_browser, approval, "c-sanne"))
    assert done.status_code == 200
    assert "Je bank is gekoppeld. Je kunt terug naar Messenger." in done.text
    assert await linked_customer(app) == "c-sanne"
    assert await grants(app) == []


async def test_a_return_address_added_to_the_form_post_is_checked_too(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    url = await issue_link_token(runtime_of(app), "messenger", PSID)
    path = urlsplit(url).path
    await sign_in(client, "c-sanne")
    evil = quote("https://evil.example/", safe="")
    approval = await bank_approval(client, f"{path}?redirect_uri={evil}", {"accounts": "all"})
    assert (await link_request(app)).return_uri is None
    done = await client.get(await decide(bank_browser, approval, "c-sanne", "deny"))
    assert done.status_code == 200
    assert "Je hebt geen toestemming gegeven" in done.text


async def test_a_return_address_on_another_chats_link_is_ignored(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    opened = await messenger_opens(app, channel="telegram")
    path = await signed_in_page(client, opened, "c-sanne")
    assert "?" not in path
    approval = await bank_approval(client, path, {"accounts": "all"})
    done = await client.get(await decide(bank_browser, approval, "c-sanne"))
    assert done.status_code == 200
    assert "Je kunt terug naar Telegram." in done.text
    assert await grants(app) == []


@pytest.mark.parametrize(
    "return_uri",
    [
        RETURN,
        "https://facebook.com/messenger_platform/account_linking/?account_linking_token=x",
        "https://m.facebook.com/messenger_platform/account_linking/",
        "https://www.messenger.com/account_linking/?token=x",
        "https://messenger.com:443/",
        "https://WWW.FACEBOOK.COM/x",
    ],
)
def test_meta_pages_are_accepted(return_uri: str) -> None:
    assert platform_return_uri(return_uri) == return_uri


@pytest.mark.parametrize(
    "return_uri",
    [
        "",
        "https://www.facebook.com:8443/",
        "https://www.facebook.com/ x",
        "https://www.facebook.com/\nLocation: https://evil.example/",
        "https://www.facebook.com/" + "a" * 1024,
        "https://[::1/",
        "ftp://www.facebook.com/",
        "https://facebook.com./",
    ],
)
def test_other_addresses_are_refused(return_uri: str) -> None:
    assert platform_return_uri(return_uri) is None


def test_a_code_is_added_to_the_query_it_keeps() -> None:
    assert with_query(RETURN, authorization_code="c0de") == f"{RETURN}&authorization_code=c0de"
    assert (
        with_query("https://www.messenger.com/linked#done", authorization_code="c0de")
        == "https://www.messenger.com/linked?authorization_code=c0de#done"
    )
