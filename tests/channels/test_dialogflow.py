"""The Dialogflow CX channel: HTTP Basic credentials, reading each kind of WebhookRequest,
the WebhookResponse for every case (and its 64 KiB limit), and conversations through the
webhook of the real web app, including an answer slower than Dialogflow waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from starlette.responses import JSONResponse

from kluis.channels import dialogflow
from kluis.channels.base import Forbidden, InboundMessage, MalformedWebhook, Unauthorized
from kluis.channels.dialogflow import MAX_RESPONSE_BYTES, DialogflowChannel
from kluis.channels.platform_api import PlatformAPI
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.dialogue.types import Reply, Turn
from kluis.runtime import Runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.store.inbox import InboxRepository
from kluis.web.app import create_app
from tests.channels.drivers.dialogflow import (
    AGENT,
    DRIVER,
    PASSWORD,
    SESSION_ID,
    USERNAME,
    basic,
    encode,
    webhook_request,
)
from tests.web.support import BANK_URL, client_of, runtime_of

USER = "kluis-user-5c0e9a4b"
STRANGER = "kluis-user-unknown"
SESSION = f"{AGENT}/sessions/{SESSION_ID}"


@pytest.fixture
def channel(tmp_path: Path) -> DialogflowChannel:
    settings = load_settings(
        data_dir=tmp_path / "data", seal_keys=[new_key()], **DRIVER.settings("")
    )
    return DialogflowChannel(settings, PlatformAPI(httpx.AsyncClient()))


def parsed(channel: DialogflowChannel, data: dict[str, Any]) -> InboundMessage:
    return channel.parse(encode(data))


def texts(response: dict[str, Any]) -> list[str]:
    return [
        text
        for message in response["fulfillmentResponse"]["messages"]
        if "text" in message
        for text in message["text"]["text"]
    ]


def chips(response: dict[str, Any]) -> list[list[str]]:
    return [
        [option["text"] for option in item["options"]]
        for message in response["fulfillmentResponse"]["messages"]
        if "payload" in message
        for row in message["payload"]["richContent"]
        for item in row
        if item["type"] == "chips"
    ]


def turn(*replies: Reply, lang: str = "nl", handoff: bool = False) -> Turn:
    return Turn(user="vraag", intent="balance", replies=replies, handoff=handoff, lang=lang)


# --- verifying ---------------------------------------------------------------------------------


async def test_the_configured_credentials_pass(channel: DialogflowChannel) -> None:
    await channel.verify(b"{}", DRIVER.genuine(b"{}"))
    await channel.verify(b"{}", {"authorization": basic(USERNAME, PASSWORD)})
    await channel.verify(b"{}", {"Authorization": "basic " + basic(USERNAME, PASSWORD)[6:]})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": f"Bearer {PASSWORD}"},
        {"Authorization": PASSWORD},
        {"X-Api-Key": PASSWORD},
    ],
)
async def test_no_basic_credentials_is_unauthorized(
    channel: DialogflowChannel, headers: dict[str, str]
) -> None:
    with pytest.raises(Unauthorized) as rejected:
        await channel.verify(b"{}", headers)
    assert rejected.value.status == 401


@pytest.mark.parametrize(
    "authorization",
    [
        basic("someone-else", PASSWORD),
        basic(USERNAME, "wrong-password"),
        basic(USERNAME, PASSWORD + "x"),
        basic(USERNAME.upper(), PASSWORD),
        basic(PASSWORD, USERNAME),
        basic("", ""),
        "Basic " + "not base64!",
        "Basic " + "ZGlhbG9nZmxvdw==",  # "dialogflow": no colon, so no password
    ],
)
async def test_wrong_credentials_are_forbidden(
    channel: DialogflowChannel, authorization: str
) -> None:
    with pytest.raises(Forbidden) as rejected:
        await channel.verify(b"{}", {"Authorization": authorization})
    assert rejected.value.status == 403


async def test_both_parts_are_always_compared(
    channel: DialogflowChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def recording(left: str | bytes, right: str | bytes) -> bool:
        assert isinstance(left, bytes)
        assert isinstance(right, bytes)
        compared.append((left, right))
        return left == right

    monkeypatch.setattr(dialogflow, "constant_time_equals", recording)
    with pytest.raises(Forbidden):
        await channel.verify(b"{}", {"Authorization": basic("someone-else", "wrong")})
    assert compared == [(b"someone-else", USERNAME.encode()), (b"wrong", PASSWORD.encode())]


async def test_without_configured_credentials_nothing_passes(settings: Settings) -> None:
    unconfigured = DialogflowChannel(settings, PlatformAPI(httpx.AsyncClient()))
    for authorization in (basic("", ""), basic(USERNAME, PASSWORD)):
        with pytest.raises(Forbidden):
            await unconfigured.verify(b"{}", {"Authorization": authorization})


def test_the_time_budget_is_the_setting(settings: Settings) -> None:
    quick = settings.model_copy(update={"dialogflow_answer_seconds": 2.5})
    assert DialogflowChannel(quick, PlatformAPI(httpx.AsyncClient())).answer_seconds == 2.5


# --- parsing -----------------------------------------------------------------------------------


def test_parse_typed_text(channel: DialogflowChannel) -> None:
    inbound = parsed(
        channel, webhook_request("resp-1", user_id=USER, text="wat is mijn saldo?", tag="saldo")
    )
    assert inbound == InboundMessage(
        channel="dialogflow",
        event_id="resp-1",
        user_id=USER,
        kind="message",
        text="wat is mijn saldo?",
        locale="nl",
        extra={"tag": "saldo", "session": SESSION},
    )
    assert inbound.language == "nl"


@pytest.mark.parametrize(
    ("said", "text"),
    [
        ({"transcript": "what's my balance"}, "what's my balance"),
        ({"dtmfDigits": "4827"}, "4827"),
        ({"text": "saldo", "transcript": "iets anders"}, "saldo"),
        ({"text": "", "transcript": "gesproken"}, "gesproken"),
        ({"triggerEvent": "sys.no-match-default"}, ""),
        ({"triggerEvent": "WELCOME"}, ""),
        ({"triggerIntent": f"{AGENT}/intents/00000000-0000-0000-0000-000000000000"}, ""),
        ({}, ""),
    ],
)
def test_parse_what_was_said_keyed_or_triggered(
    channel: DialogflowChannel, said: dict[str, str], text: str
) -> None:
    inbound = parsed(channel, webhook_request("resp-2", user_id=USER, language="en-GB", **said))
    assert inbound.text == text
    assert inbound.kind == "message"
    assert inbound.language == "en"


def test_parse_ignores_fields_it_does_not_know(channel: DialogflowChannel) -> None:
    data = webhook_request("resp-3", user_id=USER, text="hoi")
    data.update(sentimentAnalysisResult={"score": 0.3, "magnitude": 0.3}, somethingNew=[1, 2])
    data["sessionInfo"]["parameters"]["pin_verified"] = True
    assert parsed(channel, data).text == "hoi"


def test_the_person_is_the_kluis_user_parameter_first(channel: DialogflowChannel) -> None:
    data = webhook_request("r", user_id=USER, text="hoi")
    data["payload"] = {"userId": "web-user-1", "telephony": {"caller_id": "+31612345678"}}
    assert parsed(channel, data).user_id == USER


@pytest.mark.parametrize("kluis_user", [None, 31612345678, "", {"id": "x"}])
def test_then_the_payload_user_id(channel: DialogflowChannel, kluis_user: Any) -> None:
    data = webhook_request("r", user_id=kluis_user, text="hoi")
    data["payload"] = {"userId": "web-user-1", "telephony": {"caller_id": "+31612345678"}}
    assert parsed(channel, data).user_id == "web-user-1"


def test_then_the_caller_id_on_the_phone(channel: DialogflowChannel) -> None:
    data = webhook_request("r", transcript="saldo")
    data["payload"] = {"telephony": {"caller_id": "+31612345678"}}
    assert parsed(channel, data).user_id == "+31612345678"


def test_then_the_session(channel: DialogflowChannel) -> None:
    data = webhook_request("r", text="hoi", session_id="d1e2f3a4b5c6")
    data["payload"] = {"userId": 5, "telephony": "not an object"}
    assert parsed(channel, data).user_id == "d1e2f3a4b5c6"
    assert parsed(channel, data).extra["session"] == f"{AGENT}/sessions/d1e2f3a4b5c6"


def _without(key: str, part: str | None = None) -> bytes:
    data = webhook_request("r", user_id=USER, text="hoi")
    if part is None:
        del data[key]
    else:
        del data[part][key]
    return encode(data)


def _with(**fields: Any) -> bytes:
    return encode({**webhook_request("r", user_id=USER, text="hoi"), **fields})


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"text"',
        b"{}",
        _without("detectIntentResponseId"),
        _with(detectIntentResponseId=""),
        _with(detectIntentResponseId=12),
        _with(text=5),
        _with(transcript=["a"]),
        _with(text=None, dtmfDigits=4827),
        _with(triggerEvent={"name": "WELCOME"}),
        _with(languageCode=31),
        _with(sessionInfo="projects/x/sessions/y"),
        _with(sessionInfo={"session": 7, "parameters": {}}),
        _with(sessionInfo={"session": "projects/x/sessions/y", "parameters": ["kluis_user"]}),
        _with(fulfillmentInfo="tag"),
        _with(fulfillmentInfo={"tag": 3}),
        _with(payload="caller"),
        # Nobody to answer: no parameter, no payload, no session.
        encode({"detectIntentResponseId": "r", "text": "hoi", "languageCode": "nl"}),
        _with(sessionInfo={"session": "", "parameters": {}}),
    ],
)
def test_parse_refuses_what_is_not_a_webhook_request(
    channel: DialogflowChannel, body: bytes
) -> None:
    with pytest.raises(MalformedWebhook) as refused:
        channel.parse(body)
    assert refused.value.status == 400


# --- rendering ---------------------------------------------------------------------------------


def test_render_the_answer_with_chips(channel: DialogflowChannel) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, text="saldo"))
    answer = turn(
        Reply("Zeg eerst je spraakcode."),
        Reply("Wil je nog iets weten?", buttons=("Laatste betalingen", "Uitgaven")),
    )
    response = channel.render(inbound, answer, linked=True)
    assert response == {
        "fulfillmentResponse": {
            "messages": [
                {"text": {"text": ["Zeg eerst je spraakcode."]}},
                {"text": {"text": ["Wil je nog iets weten?"]}},
                {
                    "payload": {
                        "richContent": [
                            [
                                {
                                    "type": "chips",
                                    "options": [
                                        {"text": "Laatste betalingen"},
                                        {"text": "Uitgaven"},
                                    ],
                                }
                            ]
                        ]
                    }
                },
            ],
            "mergeBehavior": "REPLACE",
        },
        "sessionInfo": {"parameters": {"kluis_linked": True, "kluis_handoff": False}},
    }
    assert DRIVER.spoken(response) == "Zeg eerst je spraakcode.\nWil je nog iets weten?"


def test_render_tells_the_agent_about_a_handoff(channel: DialogflowChannel) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, text="medewerker"))
    response = channel.render(inbound, turn(Reply("Ik zet je door."), handoff=True), linked=True)
    assert response["sessionInfo"]["parameters"] == {"kluis_linked": True, "kluis_handoff": True}
    assert chips(response) == []


@pytest.mark.parametrize(
    ("language", "start", "words"),
    [
        ("nl", "Hallo! Ik ben de digitale assistent van Kluis Sandbox Bank.", "webchat"),
        ("en-US", "Hello! I'm the digital assistant of Kluis Sandbox Bank.", "web chat"),
        ("de", "Hallo! Ik ben de digitale assistent van Kluis Sandbox Bank.", "gekoppeld"),
    ],
)
def test_render_asks_someone_not_linked_to_link_first(
    channel: DialogflowChannel, language: str, start: str, words: str
) -> None:
    for said in ({"text": "wat is mijn saldo?"}, {"triggerEvent": "WELCOME"}):
        inbound = parsed(channel, webhook_request("r", user_id=STRANGER, language=language, **said))
        response = channel.render(inbound, None, linked=False)
        (text,) = texts(response)
        assert text.startswith(start)
        assert words in text
        assert "€" not in text
        assert response["sessionInfo"]["parameters"] == {
            "kluis_linked": False,
            "kluis_handoff": False,
        }


@pytest.mark.parametrize(
    ("language", "welcome"),
    [("nl", "Welkom terug! Waarmee kan ik je helpen?"), ("en", "Welcome back! How can I help?")],
)
def test_render_welcomes_a_linked_customer(
    channel: DialogflowChannel, language: str, welcome: str
) -> None:
    inbound = parsed(
        channel, webhook_request("r", user_id=USER, language=language, triggerEvent="WELCOME")
    )
    response = channel.render(inbound, None, linked=True)
    assert texts(response) == [welcome]
    assert response["sessionInfo"]["parameters"]["kluis_linked"] is True


@pytest.mark.parametrize(
    ("language", "moment"),
    [
        ("nl", "Een moment, ik zoek het nog uit. Vraag het zo nog eens."),
        ("en", "One moment, I'm still looking into it. Please ask me again shortly."),
    ],
)
def test_render_a_slow_answer_asks_for_a_moment(
    channel: DialogflowChannel, language: str, moment: str
) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, language=language, text="saldo"))
    assert texts(channel.render(inbound, None, linked=True)) == [moment]


def test_render_speaks_the_language_of_the_turn(channel: DialogflowChannel) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, language="nl", text="hi"))
    response = channel.render(inbound, turn(Reply("Hello Emily."), lang="en"), linked=False)
    assert texts(response)[0].startswith("Hello! I'm the digital assistant")


def _sizes(response: dict[str, Any]) -> list[int]:
    """The response's size however it is written: as the web app sends it, or plain."""
    return [
        len(JSONResponse(response).body),
        len(json.dumps(response).encode()),
        len(json.dumps(response, ensure_ascii=False).encode()),
    ]


@pytest.mark.parametrize("piece", ["abc def ", "één ", "💶 ", '\u2028"\\ '])
def test_render_stays_within_64_kib(channel: DialogflowChannel, piece: str) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, text="alle betalingen"))
    long = "Je betalingen: " + piece * 40_000
    answer = turn(Reply("Kort."), Reply(long, buttons=("Meer", piece * 5000)), Reply("Klaar."))
    response = channel.render(inbound, answer, linked=True)
    assert max(_sizes(response)) <= MAX_RESPONSE_BYTES
    kept = texts(response)
    assert kept[0] == "Kort."
    assert kept[-1] == "Klaar."
    assert kept[1].startswith("Je betalingen: " + piece.rstrip(" "))
    assert kept[1].endswith("…")
    assert len(json.dumps(response)) > MAX_RESPONSE_BYTES * 0.75, "cut no more than needed"
    assert chips(response)[0][0] == "Meer"


def test_render_cuts_many_long_replies_and_chips(channel: DialogflowChannel) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, text="alles"))
    replies = [Reply("x" * 9000, buttons=tuple("y" * 3000 for _ in range(5))) for _ in range(12)]
    response = channel.render(inbound, turn(*replies), linked=True)
    assert max(_sizes(response)) <= MAX_RESPONSE_BYTES
    assert len(texts(response)) == 12


def test_render_leaves_a_normal_answer_whole(channel: DialogflowChannel) -> None:
    inbound = parsed(channel, webhook_request("r", user_id=USER, text="alles"))
    text = "Op je betaalrekening staat € 1.234,56. " * 300
    response = channel.render(inbound, turn(Reply(text)), linked=True)
    assert texts(response) == [text]


# --- through the webhook -----------------------------------------------------------------------


def _settings(tmp_path: Path, answer_seconds: float) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        embedded_sandbox=False,
        bank_backoff_seconds=0.0,
        dialogflow_answer_seconds=answer_seconds,
        **DRIVER.settings(""),
    )


@dataclass
class Gateway:
    client: httpx.AsyncClient
    runtime: Runtime


@asynccontextmanager
async def _gateway(tmp_path: Path, answer_seconds: float) -> AsyncIterator[Gateway]:
    settings = _settings(tmp_path, answer_seconds)
    bank = httpx.ASGITransport(
        app=create_sandbox_app(settings, SandboxBank.from_settings(settings))
    )
    app = create_app(settings, transport=bank, run_worker=False)
    async with app.router.lifespan_context(app), client_of(app) as client:
        runtime = runtime_of(app)
        await link_sandbox_customer(
            runtime, "c-sanne", "Sanne de Vries", "nl", channel="dialogflow", platform_user_id=USER
        )
        yield Gateway(client, runtime)


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with Dialogflow switched on and Sanne linked by her `kluis_user`; a slow
    shared test machine must not turn answers into "ask me again"."""
    async with _gateway(tmp_path, 60.0) as place:
        yield place.client


@pytest.fixture
async def impatient(tmp_path: Path) -> AsyncIterator[Gateway]:
    """The same, with no time at all to answer in."""
    async with _gateway(tmp_path, 0.0) as place:
        yield place


async def post(
    client: httpx.AsyncClient, data: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    body = encode(data)
    return await client.post(
        "/webhooks/dialogflow",
        content=body,
        headers=DRIVER.genuine(body) if headers is None else headers,
    )


async def test_a_conversation_through_the_webhook(gateway: httpx.AsyncClient) -> None:
    welcome = await post(gateway, webhook_request("resp-w", user_id=USER, triggerEvent="WELCOME"))
    assert welcome.status_code == 200
    assert texts(welcome.json()) == ["Welkom terug! Waarmee kan ik je helpen?"]
    assert welcome.json()["sessionInfo"]["parameters"]["kluis_linked"] is True

    asked = await post(gateway, webhook_request("resp-q", user_id=USER, text="wat is mijn saldo?"))
    assert asked.status_code == 200
    spoken = DRIVER.spoken(asked.json())
    assert spoken
    assert "Een moment" not in spoken
    assert asked.json()["fulfillmentResponse"]["mergeBehavior"] == "REPLACE"
    again = await post(gateway, webhook_request("resp-q", user_id=USER, text="wat is mijn saldo?"))
    assert again.json() == asked.json(), "a retried request gets the same answer"


async def test_someone_not_linked_is_asked_to_link(gateway: httpx.AsyncClient) -> None:
    response = await post(gateway, webhook_request("resp-s", user_id=STRANGER, text="saldo"))
    assert response.status_code == 200
    (text,) = texts(response.json())
    assert "nog niet gekoppeld" in text
    assert response.json()["sessionInfo"]["parameters"]["kluis_linked"] is False


async def test_requests_without_the_credentials_are_refused(gateway: httpx.AsyncClient) -> None:
    data = webhook_request("resp-x", user_id=USER, text="saldo")
    body = encode(data)
    assert (await post(gateway, data, DRIVER.missing(body))).status_code == 401
    assert (await post(gateway, data, DRIVER.forged(body))).status_code == 403
    assert (await post(gateway, data, {"Authorization": "Bearer x"})).status_code == 401
    malformed = await gateway.post(
        "/webhooks/dialogflow", content=b'{"text": "hoi"}', headers=DRIVER.genuine(b"")
    )
    assert malformed.status_code == 400


async def test_a_slow_answer_asks_for_a_moment_and_is_kept_for_the_retry(
    impatient: Gateway,
) -> None:
    data = webhook_request("resp-slow", user_id=USER, text="wat kun je allemaal?")
    first = await post(impatient.client, data)
    assert first.status_code == 200
    assert texts(first.json()) == ["Een moment, ik zoek het nog uit. Vraag het zo nog eens."]
    for _ in range(200):  # the answer is still being made in the background
        async with impatient.runtime.database.session() as session:
            _, stored = await InboxRepository(session).response_for("dialogflow", "resp-slow")
        if stored is not None:
            break
        await asyncio.sleep(0.05)
    retried = await post(impatient.client, data)
    assert retried.status_code == 200
    assert "Een moment" not in DRIVER.spoken(retried.json())
    assert DRIVER.spoken(retried.json())


@examples(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(max_size=3000), min_size=1, max_size=12),
    chip_count=st.integers(min_value=0, max_value=12),
    chip=st.text(max_size=40),
)
def test_a_response_taken_to_fit_without_measuring_it_does_fit(
    texts: list[str], chip_count: int, chip: str
) -> None:
    chips = [[chip] * chip_count for _ in texts]
    parameters = {"kluis_linked": True, "kluis_handoff": False}
    response = dialogflow._response(texts, chips, parameters)
    if dialogflow._surely_fits(texts, chips):
        assert len(json.dumps(response).encode()) <= MAX_RESPONSE_BYTES
        assert len(json.dumps(response, ensure_ascii=False).encode()) <= MAX_RESPONSE_BYTES
