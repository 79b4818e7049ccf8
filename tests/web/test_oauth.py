"""Alexa account linking with Kluis as the OAuth server: sign in, allow, the code comes back
to Alexa, Alexa trades it for tokens that name the customer, and refreshing rotates them;
everything a wrong client, a wrong redirect_uri, a used or expired code gets refused."""

from __future__ import annotations

import base64
import html
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from playwright.async_api import Route
from pydantic import SecretStr
from sqlalchemy import update

from kluis.channels.grants import customer_for_token, grant_hash
from kluis.cli.serve import server_for, start_server
from kluis.config import Settings, load_settings
from kluis.security import new_key
from kluis.store.models import ChannelGrantRow
from kluis.web.app import create_app
from tests.web.browser import BROWSER_MARKS, free_port, phone_page
from tests.web.support import SAME_SITE, client_of, runtime_of, sign_in

CLIENT_ID = "alexa-skill-kluis"
CLIENT_SECRET = "s3cret+with/odd=chars"
REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/M2AB3EXAMPLE"
STATE = "A2SAAEAE-state/with+odd chars"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
_NEXT = re.compile(r'name="next" value="([^"]*)"')


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    return web_settings.model_copy(
        update={"alexa_client_id": CLIENT_ID, "alexa_client_secret": SecretStr(CLIENT_SECRET)}
    )


def authorize_query(**overrides: str) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": STATE,
        "scope": "balances",
    }
    query.update(overrides)
    return {name: value for name, value in query.items() if value}


def basic(client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> dict[str, str]:
    pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return {**FORM, "Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def returned(response: httpx.Response) -> dict[str, list[str]]:
    """The query Alexa's redirect_uri gets back, after checking it goes there."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    return parse_qs(urlsplit(location).query)


async def allow(client: httpx.AsyncClient, customer_id: str = "c-emily", **query: str) -> str:
    """Sign in and allow linking; returns the code Alexa gets."""
    await sign_in(client, customer_id)
    form = {**authorize_query(**query), "decision": "allow"}
    answer = returned(await client.post("/oauth/authorize", data=form, headers=SAME_SITE))
    assert answer["state"] == [STATE]
    (code,) = answer["code"]
    return code


async def exchange(client: httpx.AsyncClient, code: str, **form: str) -> httpx.Response:
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    body.update(form)
    return await client.post("/oauth/token", content=urlencode(body), headers=basic())


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    body = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    return await client.post("/oauth/token", content=urlencode(body), headers=FORM)


def assert_refused(response: httpx.Response, error: str, status_code: int = 400) -> None:
    assert response.status_code == status_code, response.text
    assert response.json() == {"error": error}
    assert response.headers["cache-control"] == "no-store"
    assert "location" not in response.headers


async def test_linking_alexa_from_sign_in_to_refreshed_tokens(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signin = await client.get("/oauth/authorize", params=authorize_query())
    assert signin.status_code == 200
    assert "Sign in to Kluis" in signin.text
    assert "Alexa would like to link to Kluis." in signin.text
    next_path = html.unescape(_NEXT.findall(signin.text)[0])
    assert await sign_in(client, "c-emily", next_path=next_path) == next_path

    page = await client.get(next_path)
    assert page.status_code == 200
    assert "Link Alexa to Kluis" in page.text
    assert "Hello Emily Carter." in page.text
    assert "Alexa only says amounts after you have said your voice PIN." in page.text
    assert "in the Alexa app, or on My consents" in page.text
    assert (
        "form-action 'self' https://pitangui.amazon.com;"
        in (page.headers["content-security-policy"])
    )
    fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
    assert fields == authorize_query()

    allowed = await client.post(
        "/oauth/authorize", data={**fields, "decision": "allow"}, headers=SAME_SITE
    )
    answer = returned(allowed)
    assert answer["state"] == [STATE]
    (code,) = answer["code"]

    tokens = await exchange(client, code)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["cache-control"] == "no-store"
    assert tokens.headers["pragma"] == "no-cache"
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    runtime = runtime_of(app)
    assert await customer_for_token(runtime, "alexa_access", body["access_token"]) == "c-emily"
    assert await customer_for_token(runtime, "alexa_access", code) is None

    renewed = await refresh(client, body["refresh_token"])
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()
    assert fresh["refresh_token"] != body["refresh_token"]
    assert fresh["access_token"] != body["access_token"]
    assert await customer_for_token(runtime, "alexa_access", fresh["access_token"]) == "c-emily"
    assert_refused(await refresh(client, body["refresh_token"]), "invalid_grant")
    assert (await refresh(client, fresh["refresh_token"])).status_code == 200


async def test_the_page_speaks_the_customers_language(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-sanne")
    page = await client.get("/oauth/authorize", params=authorize_query())
    assert page.status_code == 200
    assert "Koppel Alexa aan Kluis" in page.text
    assert "Alexa koppelen" in page.text
    assert "Annuleren" in page.text


async def test_cancelling_tells_alexa_access_was_denied(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-emily")
    form = {**authorize_query(), "decision": "deny"}
    answer = returned(await client.post("/oauth/authorize", data=form, headers=SAME_SITE))
    assert answer == {"error": ["access_denied"], "state": [STATE]}


async def test_the_redirect_uri_keeps_its_own_query(client: httpx.AsyncClient) -> None:
    redirect_uri = REDIRECT_URI + "?region=eu&x=a%20b"
    await sign_in(client, "c-emily")
    form = {**authorize_query(redirect_uri=redirect_uri), "decision": "allow"}
    allowed = await client.post("/oauth/authorize", data=form, headers=SAME_SITE)
    assert allowed.status_code == 303
    location = allowed.headers["location"]
    assert location.startswith(redirect_uri + "&code=")
    answer = parse_qs(urlsplit(location).query)
    assert answer["region"] == ["eu"]
    assert answer["x"] == ["a b"]
    assert answer["state"] == [STATE]
    tokens = await exchange(client, answer["code"][0], redirect_uri=redirect_uri)
    assert tokens.status_code == 200, tokens.text


@pytest.mark.parametrize(
    "query",
    [
        authorize_query(client_id="someone-else"),
        authorize_query(client_id=""),
        authorize_query(redirect_uri=""),
        authorize_query(redirect_uri="https://evil.example/api/skill/link/M2AB3EXAMPLE"),
        authorize_query(redirect_uri="https://pitangui.amazon.com.evil.example/api/skill/link/"),
        authorize_query(redirect_uri="https://pitangui.amazon.com/api/other/"),
        authorize_query(redirect_uri="http://pitangui.amazon.com/api/skill/link/M2AB3EXAMPLE"),
        authorize_query(redirect_uri="https://pitangui.amazon.com/api/skill/link/../../evil"),
        authorize_query(redirect_uri="https://pitangui.amazon.com/api/skill/link/%2e%2e/x"),
        authorize_query(redirect_uri=REDIRECT_URI + "#fragment"),
        authorize_query(redirect_uri=REDIRECT_URI + "/" + "x" * 300),
    ],
)
async def test_a_wrong_client_or_redirect_uri_is_never_redirected_to(
    client: httpx.AsyncClient, app: FastAPI, query: dict[str, str]
) -> None:
    for signed_in in (False, True):
        page = await client.get("/oauth/authorize", params=query)
        assert page.status_code == 400
        assert "location" not in page.headers
        assert "This link request cannot be used" in page.text
        posted = await client.post(
            "/oauth/authorize", data={**query, "decision": "allow"}, headers=SAME_SITE
        )
        assert posted.status_code == 400
        assert "location" not in posted.headers
        if not signed_in:
            await sign_in(client, "c-emily")


async def test_a_repeated_parameter_is_never_redirected_to(client: httpx.AsyncClient) -> None:
    query = urlencode([*authorize_query().items(), ("redirect_uri", "https://evil.example/")])
    page = await client.get(f"/oauth/authorize?{query}")
    assert page.status_code == 400
    assert "location" not in page.headers


async def test_another_response_type_goes_back_to_alexa_with_an_error(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/oauth/authorize", params=authorize_query(response_type="token"))
    assert returned(page) == {"error": ["unsupported_response_type"], "state": [STATE]}
    missing = await client.get("/oauth/authorize", params=authorize_query(response_type=""))
    assert returned(missing) == {"error": ["invalid_request"], "state": [STATE]}


async def test_deciding_while_signed_out_asks_to_sign_in_first(client: httpx.AsyncClient) -> None:
    form = {**authorize_query(), "decision": "allow"}
    posted = await client.post("/oauth/authorize", data=form, headers=SAME_SITE)
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/oauth/authorize?")
    assert parse_qs(urlsplit(location).query) == {
        name: [value] for name, value in authorize_query().items()
    }


async def test_a_decision_posted_from_another_site_is_refused(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-emily")
    form = {**authorize_query(), "decision": "allow"}
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        posted = await client.post("/oauth/authorize", data=form, headers=headers)
        assert posted.status_code == 403
        assert "location" not in posted.headers


async def test_an_unknown_decision_is_a_bad_request(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-emily")
    form = {**authorize_query(), "decision": "maybe"}
    posted = await client.post("/oauth/authorize", data=form, headers=SAME_SITE)
    assert posted.status_code == 400
    assert "location" not in posted.headers


async def test_a_code_works_once(client: httpx.AsyncClient) -> None:
    code = await allow(client)
    assert (await exchange(client, code)).status_code == 200
    assert_refused(await exchange(client, code), "invalid_grant")


async def test_a_code_only_works_with_its_own_redirect_uri(client: httpx.AsyncClient) -> None:
    code = await allow(client)
    other = "https://layla.amazon.com/api/skill/link/M2AB3EXAMPLE"
    assert_refused(await exchange(client, code, redirect_uri=other), "invalid_grant")
    # A code tried with the wrong redirect_uri is used up.
    assert_refused(await exchange(client, code), "invalid_grant")


async def test_an_expired_code_is_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    code = await allow(client)
    async with runtime_of(app).database.session() as session:
        await session.execute(
            update(ChannelGrantRow)
            .where(ChannelGrantRow.token_hash == grant_hash(code))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert_refused(await exchange(client, code), "invalid_grant")


async def test_unknown_codes_and_refresh_tokens_are_refused(client: httpx.AsyncClient) -> None:
    assert_refused(await exchange(client, "not-a-code"), "invalid_grant")
    assert_refused(await exchange(client, "?" * 10), "invalid_grant")
    assert_refused(await refresh(client, "not-a-refresh-token"), "invalid_grant")


async def test_an_access_token_is_no_refresh_token(client: httpx.AsyncClient) -> None:
    tokens = (await exchange(client, await allow(client))).json()
    assert_refused(await refresh(client, tokens["access_token"]), "invalid_grant")


@pytest.mark.parametrize(
    ("headers", "credentials"),
    [
        pytest.param(basic(), {}, id="basic, form-encoded as RFC 6749 asks"),
        pytest.param(
            {
                **FORM,
                "Authorization": "Basic "
                + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode(),
            },
            {},
            id="basic, as typed",
        ),
        pytest.param(basic(), {"client_id": CLIENT_ID}, id="basic, client_id in the form too"),
        pytest.param(
            FORM, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, id="in the form"
        ),
    ],
)
async def test_the_client_may_authenticate_by_basic_or_in_the_form(
    client: httpx.AsyncClient, headers: dict[str, str], credentials: dict[str, str]
) -> None:
    code = await allow(client)
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    answer = await client.post(
        "/oauth/token", content=urlencode({**body, **credentials}), headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"access_token", "token_type", "expires_in", "refresh_token"}


@pytest.mark.parametrize(
    ("headers", "credentials"),
    [
        pytest.param(basic(client_secret="wrong"), {}, id="wrong secret by basic"),
        pytest.param(basic(client_id="someone-else"), {}, id="wrong client by basic"),
        pytest.param(
            FORM, {"client_id": CLIENT_ID, "client_secret": "wrong"}, id="wrong secret in form"
        ),
        pytest.param(FORM, {"client_id": CLIENT_ID}, id="no secret"),
        pytest.param(FORM, {}, id="no credentials"),
        pytest.param({**FORM, "Authorization": "Basic %%%"}, {}, id="basic not base64"),
        pytest.param(
            {**FORM, "Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
            {},
            id="basic without colon",
        ),
    ],
)
async def test_a_client_that_cannot_prove_itself_gets_nothing(
    client: httpx.AsyncClient, headers: dict[str, str], credentials: dict[str, str]
) -> None:
    code = await allow(client)
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    answer = await client.post(
        "/oauth/token", content=urlencode({**body, **credentials}), headers=headers
    )
    assert_refused(answer, "invalid_client", 401)
    assert answer.headers["www-authenticate"].startswith("Basic ")
    # The code was not used up by a client that failed to authenticate.
    assert (await exchange(client, code)).status_code == 200


async def test_two_ways_of_authenticating_at_once_are_refused(client: httpx.AsyncClient) -> None:
    code = await allow(client)
    answer = await exchange(client, code, client_secret=CLIENT_SECRET)
    assert_refused(answer, "invalid_request")
    other = await exchange(client, code, client_id="someone-else")
    assert_refused(other, "invalid_request")


async def test_other_grant_types_are_unsupported(client: httpx.AsyncClient) -> None:
    for grant_type in ("password", "client_credentials", "implicit"):
        answer = await client.post(
            "/oauth/token", content=urlencode({"grant_type": grant_type}), headers=basic()
        )
        assert_refused(answer, "unsupported_grant_type")


@pytest.mark.parametrize(
    "body",
    [
        {"code": "abc", "redirect_uri": REDIRECT_URI},
        {"grant_type": "authorization_code", "redirect_uri": REDIRECT_URI},
        {"grant_type": "authorization_code", "code": "abc"},
        {"grant_type": "refresh_token"},
        {"grant_type": "refresh_token", "refresh_token": ""},
    ],
)
async def test_missing_parameters_are_an_invalid_request(
    client: httpx.AsyncClient, body: dict[str, str]
) -> None:
    answer = await client.post("/oauth/token", content=urlencode(body), headers=basic())
    assert_refused(answer, "invalid_request")


async def test_a_token_request_must_be_a_form_of_single_values(
    client: httpx.AsyncClient,
) -> None:
    code = await allow(client)
    as_json = await client.post(
        "/oauth/token",
        json={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        headers={"Authorization": basic()["Authorization"]},
    )
    assert_refused(as_json, "invalid_request")
    twice = f"grant_type=authorization_code&code={code}&code={code}&redirect_uri=x"
    assert_refused(
        await client.post("/oauth/token", content=twice, headers=basic()), "invalid_request"
    )
    huge = urlencode({"grant_type": "authorization_code", "code": "x" * 10_000})
    assert_refused(
        await client.post("/oauth/token", content=huge, headers=basic()), "invalid_request"
    )
    assert (await exchange(client, code)).status_code == 200


async def test_codes_and_tokens_never_reach_the_log(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = await allow(client)
    tokens = (await exchange(client, code)).json()
    await refresh(client, tokens["refresh_token"])
    await refresh(client, tokens["refresh_token"])
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "alexa tokens issued" in logged
    for value in (code, tokens["access_token"], tokens["refresh_token"], CLIENT_SECRET, STATE):
        assert value not in logged


@pytest.fixture
async def linking_off(
    web_settings: Settings, sandbox: httpx.AsyncBaseTransport
) -> AsyncIterator[httpx.AsyncClient]:
    settings = web_settings.model_copy(update={"alexa_client_id": None})
    application = create_app(settings, transport=sandbox)
    async with (
        application.router.lifespan_context(application),
        client_of(application) as http,
    ):
        yield http


async def test_linking_is_off_without_a_client_id(linking_off: httpx.AsyncClient) -> None:
    await sign_in(linking_off, "c-emily")
    page = await linking_off.get("/oauth/authorize", params=authorize_query())
    assert page.status_code == 404
    posted = await linking_off.post(
        "/oauth/authorize", data={**authorize_query(), "decision": "allow"}, headers=SAME_SITE
    )
    assert posted.status_code == 404
    token = await linking_off.post("/oauth/token", content="grant_type=x", headers=basic())
    assert token.status_code == 404


@pytest.fixture
async def served_gateway(tmp_path: Path) -> AsyncIterator[str]:
    """The gateway in uvicorn on a loopback port, with Alexa linking on; its URL."""
    port = free_port()
    settings = load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url="http://127.0.0.1:9",
        public_url=f"http://127.0.0.1:{port}",
        embedded_sandbox=False,
        alexa_client_id=CLIENT_ID,
        alexa_client_secret=CLIENT_SECRET,
    )
    server = server_for(create_app(settings), "127.0.0.1", port)
    task = await start_server(server)
    try:
        yield settings.public_url
    finally:
        server.should_exit = True
        await task


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
async def test_chromium_follows_the_link_button_back_to_alexa(served_gateway: str) -> None:
    """The page's security policy lets its form lead on to Alexa's redirect_uri."""
    reached: list[str] = []

    async def alexa(route: Route) -> None:
        reached.append(route.request.url)
        await route.fulfill(status=200, content_type="text/plain", body="Alexa")

    async with phone_page() as page:
        await page.route("https://pitangui.amazon.com/**", alexa)
        await page.goto(f"{served_gateway}/oauth/authorize?{urlencode(authorize_query())}")
        await page.get_by_role("button", name=re.compile("Sanne de Vries")).click()
        await page.get_by_role("heading", name="Koppel Alexa aan Kluis").wait_for()
        await page.get_by_role("button", name="Alexa koppelen").click()
        await page.wait_for_url(f"{REDIRECT_URI}?**")
    (url,) = reached
    answer = parse_qs(urlsplit(url).query)
    assert answer["state"] == [STATE]
    assert len(answer["code"][0]) >= 32
