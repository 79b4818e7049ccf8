"""The web chat in-process: sign-in, linking the bank, the chat API, and how it fails."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI

from kluis.config import Settings
from kluis.dialogue.formatting import Lang
from kluis.dialogue.types import Chart, Reply, Turn
from kluis.domain import ConversationMessage
from kluis.errors import BankUnavailable
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.web.app import create_app
from kluis.web.pages import Gateway
from kluis.web.session import COOKIE_NAME
from tests.web.support import BANK_URL, PUBLIC_URL

CHAT = {"X-Kluis-Chat": "1"}
HOSTILE = '<script>alert("kluis")</script><img src=x onerror=alert(1)>'


def _client(app: FastAPI, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL, headers=headers
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, **{"Accept-Language": "en-GB,en;q=0.9"}) as http:
        yield http


@pytest.fixture
async def bank_browser(sandbox: httpx.AsyncBaseTransport) -> AsyncIterator[httpx.AsyncClient]:
    """The customer's browser on the bank's pages."""
    async with httpx.AsyncClient(transport=sandbox, base_url=BANK_URL) as http:
        yield http


def _gateway(app: FastAPI) -> Gateway:
    gateway = app.state.gateway
    assert isinstance(gateway, Gateway)
    return gateway


async def _sign_in(client: httpx.AsyncClient, customer_id: str) -> httpx.Response:
    response = await client.post("/chat/signin", data={"customer_id": customer_id})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/chat"
    return response


async def _approval_url(client: httpx.AsyncClient) -> str:
    response = await client.post("/chat/link")
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(f"{BANK_URL}/sandbox/sca/consents/")
    return location


async def _decide(
    bank_browser: httpx.AsyncClient, approval_url: str, customer_id: str, decision: str
) -> str:
    """The customer decides at the bank; returns where the bank sends them back to."""
    page = await bank_browser.get(approval_url)
    assert page.status_code == 200
    decided = await bank_browser.post(
        approval_url, data={"decision": decision, "psu_id": customer_id}
    )
    assert decided.status_code == 303
    location = decided.headers["location"]
    assert location.startswith(f"{PUBLIC_URL}/consent/callback?state=")
    return location.removeprefix(PUBLIC_URL)


async def _link(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, customer_id: str
) -> None:
    callback = await _decide(bank_browser, await _approval_url(client), customer_id, "approve")
    response = await client.get(callback)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/chat"


# --- pages before and after sign-in ---------------------------------------------------


async def test_health_and_home(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "ok"}
    home = await client.get("/")
    assert home.status_code == 303
    assert home.headers["location"] == "/chat"


@pytest.mark.parametrize(
    ("accept_language", "heading"),
    [
        ("nl-NL,nl;q=0.9,en;q=0.8", "Inloggen bij Kluis"),
        ("en-US,en;q=0.9", "Sign in to Kluis"),
        ("de-DE,en;q=0.5,nl;q=0.7", "Inloggen bij Kluis"),
        ("fr", "Sign in to Kluis"),
    ],
)
async def test_the_sign_in_page_lists_the_demo_customers_in_the_browsers_language(
    app: FastAPI, accept_language: str, heading: str
) -> None:
    async with _client(app, **{"Accept-Language": accept_language}) as http:
        page = await http.get("/chat")
    assert page.status_code == 200
    assert heading in page.text
    for name in ("Sanne de Vries", "Daan Jansen", "Emily Carter", "Oliver Hughes"):
        assert name in page.text
    assert 'value="c-sanne"' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in page.headers["content-security-policy"]


async def test_signing_in_sets_a_private_cookie_and_asks_to_link_the_bank_in_dutch(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    response = await _sign_in(client, "c-sanne")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # the public URL is http
    page = await client.get("/chat")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Koppel je bank" in page.text
    assert "Kluis kan nooit betalen" in page.text
    assert "Hallo Sanne de Vries" in page.text
    assert "Uitloggen" in page.text
    async with _gateway(app).runtime.database.session() as session:
        customer = await CustomerRepository(session).get("c-sanne")
    assert customer is not None
    assert (customer.name, customer.language) == ("Sanne de Vries", "nl")


async def test_an_english_customer_reads_english(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "c-emily")
    page = await client.get("/chat")
    assert "Link my bank" in page.text
    assert "It can never pay or move money." in page.text


async def test_signing_in_as_someone_unknown_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/signin", data={"customer_id": "c-nobody"})
    assert response.status_code == 400
    assert "could not read that request" in response.text
    assert COOKIE_NAME not in response.headers.get("set-cookie", "")


def _changed_head(text: str) -> str:
    """`text` with its first two characters replaced by two that are surely different.

    The head, not the tail: the last base64 character can carry bits a decoder ignores.
    """
    return "".join("B" if char == "A" else "A" for char in text[:2]) + text[2:]


@pytest.mark.parametrize(
    "cookie",
    [
        "tampered",
        "eyJjIjoiYy1zYW5uZSIsImUiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl",  # c-sanne, forged signature
        "",
    ],
)
async def test_a_forged_or_tampered_cookie_is_not_a_session(
    client: httpx.AsyncClient, app: FastAPI, cookie: str
) -> None:
    response = await _sign_in(client, "c-sanne")
    value = response.cookies[COOKIE_NAME]
    payload, signature = value.split(".")
    # The same signature over a changed payload must not pass, nor a changed signature.
    forgeries = (f"{_changed_head(payload)}.{signature}", f"{payload}.{_changed_head(signature)}")
    for forged in (cookie, *forgeries):
        assert forged != value
        async with _client(app) as stranger:
            stranger.cookies.set(COOKIE_NAME, forged)
            page = await stranger.get("/chat")
            assert "Sign in to Kluis" in page.text
            api = await stranger.post("/chat/api/messages", json={"text": "saldo"}, headers=CHAT)
            assert api.status_code == 401


async def test_signing_out_forgets_the_session(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "c-sanne")
    response = await client.post("/chat/signout")
    assert response.status_code == 303
    assert f'{COOKIE_NAME}=""' in response.headers["set-cookie"]
    page = await client.get("/chat")
    assert "Sign in to Kluis" in page.text


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}],
)
async def test_forms_posted_from_another_site_are_refused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    signin = await client.post("/chat/signin", data={"customer_id": "c-sanne"}, headers=headers)
    assert signin.status_code == 403
    await _sign_in(client, "c-sanne")
    link = await client.post("/chat/link", headers=headers)
    assert link.status_code == 403
    assert "Dit mag niet" in link.text
    same_site = await client.post(
        "/chat/signout", headers={"Origin": PUBLIC_URL, "Sec-Fetch-Site": "same-origin"}
    )
    assert same_site.status_code == 303


# --- linking the bank ---------------------------------------------------------------


async def test_linking_at_the_bank_opens_the_chat_with_suggestions(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    await _sign_in(client, "c-sanne")
    await _link(client, bank_browser, "c-sanne")
    page = await client.get("/chat")
    assert 'aria-live="polite"' in page.text
    assert "Hallo Sanne!" in page.text
    for chip in ("Wat is mijn saldo?", "Uitgaven deze maand", "Laatste betalingen"):
        assert chip in page.text
    assert 'for="message"' in page.text
    async with _gateway(app).runtime.database.session() as session:
        identity = await CustomerRepository(session).identity("web", "c-sanne")
    assert identity is not None
    assert identity.customer_id == "c-sanne"


async def test_a_refused_approval_says_so_and_offers_to_try_again(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient
) -> None:
    await _sign_in(client, "c-sanne")
    callback = await _decide(bank_browser, await _approval_url(client), "c-sanne", "deny")
    assert "result=nok" in callback
    page = await client.get(callback)
    assert page.status_code == 200
    assert "Je hebt geen toestemming gegeven" in page.text
    assert "Opnieuw proberen" in page.text
    assert 'action="/chat/link"' in page.text
    assert "Koppel je bank" in (await client.get("/chat")).text


async def test_a_forged_ok_does_not_link_what_the_bank_refused(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient
) -> None:
    await _sign_in(client, "c-sanne")
    callback = await _decide(bank_browser, await _approval_url(client), "c-sanne", "deny")
    page = await client.get(callback.replace("result=nok", "result=ok"))
    assert "Je hebt geen toestemming gegeven" in page.text
    assert "Koppel je bank" in (await client.get("/chat")).text


async def test_a_used_or_unknown_link_has_expired(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient
) -> None:
    await _sign_in(client, "c-sanne")
    callback = await _decide(bank_browser, await _approval_url(client), "c-sanne", "approve")
    assert (await client.get(callback)).status_code == 303
    again = await client.get(callback)
    assert again.status_code == 410
    assert "Deze link is verlopen" in again.text
    unknown = await client.get("/consent/callback?state=nothing-like-it&result=ok")
    assert unknown.status_code == 410


async def test_someone_elses_link_is_forbidden_and_stays_theirs(
    app: FastAPI, bank_browser: httpx.AsyncClient
) -> None:
    async with _client(app) as emily, _client(app) as sanne:
        await _sign_in(emily, "c-emily")
        callback = await _decide(bank_browser, await _approval_url(emily), "c-emily", "approve")
        await _sign_in(sanne, "c-sanne")
        stolen = await sanne.get(callback)
        assert stolen.status_code == 403
        assert "Deze link is niet van jou" in stolen.text
        async with _client(app) as nobody:
            assert (await nobody.get(callback)).status_code == 403
        assert (await emily.get(callback)).status_code == 303
        assert "Koppel je bank" in (await sanne.get("/chat")).text
        assert 'aria-live="polite"' in (await emily.get("/chat")).text


async def test_the_bank_being_down_is_said_politely_in_the_customers_language(
    web_settings: Settings,
) -> None:
    def unavailable(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"tppMessages": [{"code": "SERVICE_UNAVAILABLE"}]})

    application = create_app(web_settings, transport=httpx.MockTransport(unavailable))
    async with application.router.lifespan_context(application), _client(application) as http:
        await _sign_in(http, "c-sanne")
        page = await http.post("/chat/link")
    assert page.status_code == 503
    assert "Je bank antwoordt nu niet" in page.text
    assert re.search(r"Kenmerk: [0-9A-F]{8}", page.text)
    assert "503" not in page.text.replace("status_code", "")
    assert "Traceback" not in page.text


# --- the chat API -------------------------------------------------------------------


async def _linked(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, customer_id: str = "c-sanne"
) -> None:
    await _sign_in(client, customer_id)
    await _link(client, bank_browser, customer_id)


async def test_the_api_needs_our_header_and_a_session(app: FastAPI) -> None:
    async with _client(app) as http:
        assert (await http.post("/chat/api/messages", json={"text": "hoi"})).status_code == 403
        unsigned = await http.post("/chat/api/messages", json={"text": "hoi"}, headers=CHAT)
        assert unsigned.status_code == 401
        assert unsigned.json() == {"error": "You are signed out. Sign in again to continue."}
        await _sign_in(http, "c-sanne")
        without_header = await http.post("/chat/api/messages", json={"text": "hoi"})
        assert without_header.status_code == 403
        assert without_header.json() == {
            "error": "Dit mag niet. Laad de pagina opnieuw en probeer het nog eens."
        }
        cross_site = await http.post(
            "/chat/api/messages",
            json={"text": "hoi"},
            headers={**CHAT, "Origin": "https://evil.example"},
        )
        assert cross_site.status_code == 403


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"text": ""}, "Typ eerst een bericht."),
        ({"text": "   \n "}, "Typ eerst een bericht."),
        ({"text": "x" * 2001}, "Je bericht is te lang: hooguit 2.000 tekens."),
        ({"text": 42}, "Kluis kon dit verzoek niet lezen."),
        ({"message": "saldo"}, "Kluis kon dit verzoek niet lezen."),
        (["saldo"], "Kluis kon dit verzoek niet lezen."),
    ],
)
async def test_empty_oversized_or_odd_messages_get_a_clear_400(
    client: httpx.AsyncClient, body: object, error: str
) -> None:
    await _sign_in(client, "c-sanne")
    response = await client.post("/chat/api/messages", json=body, headers=CHAT)
    assert response.status_code == 400
    assert response.json() == {"error": error}


async def test_a_body_that_is_not_json_or_far_too_big_gets_a_400(
    client: httpx.AsyncClient,
) -> None:
    await _sign_in(client, "c-emily")
    broken = await client.post(
        "/chat/api/messages",
        content=b"{not json",
        headers={**CHAT, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    huge = await client.post("/chat/api/messages", json={"text": "x" * 100_000}, headers=CHAT)
    assert huge.status_code == 400
    assert huge.json() == {"error": "Your message is too long: at most 2,000 characters."}


async def test_asking_the_balance_answers_what_the_bank_holds(
    client: httpx.AsyncClient,
    bank_browser: httpx.AsyncClient,
    bank: SandboxBank,
    web_settings: Settings,
) -> None:
    await _linked(client, bank_browser)
    response = await client.post(
        "/chat/api/messages", json={"text": "wat is mijn saldo?"}, headers=CHAT
    )
    assert response.status_code == 200, response.text
    turn = response.json()
    assert set(turn) >= {"user", "intent", "replies", "handoff"}
    assert turn["intent"] == "balance"
    state = StateStore(web_settings.sandbox_dir).load()
    truth = build_truth(
        bank, "c-sanne", card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    checking = next(account for account in truth.accounts if account.kind == "checking")
    assert checking.balance.format("nl") in turn["replies"][0]["text"]
    page = await client.get("/chat")
    assert "wat is mijn saldo?" in page.text
    assert checking.balance.format("nl").replace(" ", "\xa0") in page.text
    assert "Wat is mijn saldo?" not in page.text  # no greeting chips once there is history


async def test_hostile_text_is_shown_as_text(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    await _linked(client, bank_browser)
    response = await client.post("/chat/api/messages", json={"text": HOSTILE}, headers=CHAT)
    assert response.status_code == 200
    async with _gateway(app).runtime.database.session() as session:
        recent = await ConversationRepository(session).recent("c-sanne", "web")
    assert HOSTILE in [message.text for message in recent]
    page = await client.get("/chat")
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;kluis&#34;)&lt;/script&gt;" in page.text


async def test_history_from_earlier_visits_is_shown_in_order(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient, app: FastAPI
) -> None:
    await _linked(client, bank_browser)
    start = datetime.now(UTC) - timedelta(days=1)
    async with _gateway(app).runtime.database.session() as session:
        messages = ConversationRepository(session)
        for offset, (direction, text) in enumerate(
            [("in", "eerste vraag"), ("out", "eerste antwoord"), ("in", "tweede vraag")]
        ):
            at = start + timedelta(seconds=offset)
            await messages.add(ConversationMessage("c-sanne", "web", direction, text, at))
    page = (await client.get("/chat")).text
    assert page.index("eerste vraag") < page.index("eerste antwoord") < page.index("tweede vraag")
    assert page.count('class="message from-customer"') == 2


class _Scripted:
    """A stand-in for the dialogue that answers with one prepared turn, or fails."""

    def __init__(self, turn: Turn | None = None, error: Exception | None = None) -> None:
        self.turn = turn
        self.error = error
        self.calls: list[tuple[str, str, str, str | None]] = []

    async def respond(
        self,
        customer_id: str,
        channel: str,
        text: str,
        *,
        psu_ip_address: str | None = None,
        lang: Lang | None = None,
    ) -> Turn:
        self.calls.append((customer_id, channel, text, psu_ip_address))
        if self.error is not None:
            raise self.error
        assert self.turn is not None
        return self.turn


def _use(app: FastAPI, responder: _Scripted) -> None:
    app.state.gateway = dataclasses.replace(_gateway(app), dialogue=responder)


async def test_a_chart_arrives_as_an_svg_image_with_alt_text(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    chart = Chart(
        "bar", "Uitgaven maart", ("Boodschappen", "Wonen"), (Decimal("412.3"), Decimal(950))
    )
    turn = Turn(
        user="uitgaven",
        intent="spending",
        replies=(Reply("Je gaf € 1.362,30 uit.", ("Per maand",), chart),),
        lang="nl",
    )
    responder = _Scripted(turn)
    _use(app, responder)
    await _sign_in(client, "c-sanne")
    response = await client.post("/chat/api/messages", json={"text": " uitgaven "}, headers=CHAT)
    assert response.status_code == 200
    reply = response.json()["replies"][0]
    assert reply["image"].startswith("data:image/svg+xml;base64,")
    assert reply["alt"] == "Uitgaven maart: Boodschappen € 412,30, Wonen € 950,00."
    assert reply["buttons"] == ["Per maand"]
    assert responder.calls == [("c-sanne", "web", "uitgaven", "127.0.0.1")]


async def test_failures_behind_the_api_are_polite_and_leak_nothing(app: FastAPI) -> None:
    async with _client(app, **{"Accept-Language": "en"}) as http:
        await _sign_in(http, "c-emily")
        _use(app, _Scripted(error=BankUnavailable("upstream 10.0.0.7 said 503")))
        down = await http.post("/chat/api/messages", json={"text": "balance"}, headers=CHAT)
        assert down.status_code == 503
        assert down.json()["error"] == (
            "Your bank is not answering just now. Please try again in a few minutes."
        )
        assert "10.0.0.7" not in down.text
    crashing = create_app(app.state.gateway.runtime.settings)
    async with crashing.router.lifespan_context(crashing):
        _use(crashing, _Scripted(error=RuntimeError("secret internals at line 42")))
        transport = httpx.ASGITransport(app=crashing, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
            await _sign_in(http, "c-emily")
            crash = await http.post("/chat/api/messages", json={"text": "balance"}, headers=CHAT)
    assert crash.status_code == 500
    assert crash.json()["error"] == (
        "Sorry, that did not work just now. Please try again in a moment."
    )
    assert re.fullmatch(r"[0-9A-F]{8}", crash.json()["reference"])
    assert "secret" not in crash.text


async def test_unknown_pages_are_a_polite_404(client: httpx.AsyncClient) -> None:
    page = await client.get("/nowhere")
    assert page.status_code == 404
    assert "Page not found" in page.text
    api = await client.get("/chat/api/nowhere")
    assert api.status_code == 404
    assert api.json() == {"error": "There is nothing at this address."}


async def test_the_page_assets_ship_with_the_package(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/chat.js")
    assert script.status_code == 200
    assert "X-Kluis-Chat" in script.text
    assert "innerHTML" not in script.text
    style = await client.get("/static/chat.css")
    assert style.status_code == 200
    assert "@keyframes" in style.text
