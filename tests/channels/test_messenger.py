"""The Messenger adapter against Meta's documented shapes: the verify-token handshake, the
`X-Hub-Signature-256` check over the raw body, every webhook event Kluis uses (and the ones
it must leave alone), and the Send API requests it makes, with a Graph API stand-in."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest

from kluis.channels.base import (
    Forbidden,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    Unauthorized,
)
from kluis.channels.messenger import MessengerChannel
from kluis.channels.platform_api import PlatformAPI, PlatformError
from kluis.config import Settings, load_settings
from tests.channels.drivers.messenger import (
    APP_SECRET,
    DRIVER,
    PAGE_ID,
    PAGE_TOKEN,
    TIMESTAMP,
    VERIFY_TOKEN,
    envelope,
    event,
    legacy_signature,
    signature,
)

API_BASE = "https://graph.test/v23.0"
MESSAGES = "/v23.0/me/messages"
PSID = "6783452190834567"
MID = "m_F8ZyxtMvQk2lH6dTXq0w1J9pRrS4uVbNcYeAgDfKhLo3jWnPiUsOzEyBxCvGtMa"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06chart"

Answer = Callable[[httpx.Request], httpx.Response]


@dataclass
class Graph:
    """The Graph API stand-in: records every request, answers from a script, then with
    the Send API's success answer."""

    script: list[httpx.Response] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.script:
            return self.script.pop(0)
        number = len(self.requests)
        return httpx.Response(200, json={"recipient_id": PSID, "message_id": f"m_sent{number}"})

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def bodies(self) -> list[Any]:
        return [json.loads(request.content) for request in self.requests]


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "messenger_app_secret": APP_SECRET,
        "messenger_verify_token": VERIFY_TOKEN,
        "messenger_page_token": PAGE_TOKEN,
        "messenger_api_base": API_BASE,
        **extra,
    }
    return load_settings(**values)


@pytest.fixture
def graph() -> Graph:
    return Graph()


@pytest.fixture
async def channel(tmp_path: Path, graph: Graph) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(graph.handle)) as http:
        yield MessengerChannel(settings_for(tmp_path), PlatformAPI(http, sleep=graph.sleep))


def parse_one(channel: MessengerChannel, *events: dict[str, Any]) -> InboundMessage:
    parsed = channel.parse(envelope(*events))
    assert len(parsed) == 1, parsed
    return parsed[0]


def multipart(request: httpx.Request) -> dict[str, Message]:
    """The parts of a multipart/form-data request by field name."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    document = message_from_bytes(head + request.content)
    assert document.is_multipart()
    parts: dict[str, Message] = {}
    for part in document.get_payload():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        parts[name] = part
    return parts


def field_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


# -- the verification handshake -------------------------------------------------------


def handshake_query(**changes: str) -> dict[str, str]:
    query = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": VERIFY_TOKEN,
    }
    query.update(changes)
    return query


def test_the_handshake_echoes_the_challenge_for_our_token(channel: MessengerChannel) -> None:
    assert channel.handshake(handshake_query()) == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        handshake_query(**{"hub.verify_token": "someone-elses-token"}),
        handshake_query(**{"hub.verify_token": VERIFY_TOKEN[:-1]}),
        handshake_query(**{"hub.verify_token": ""}),
        handshake_query(**{"hub.mode": "unsubscribe"}),
        handshake_query(**{"hub.challenge": ""}),
        {"hub.mode": "subscribe", "hub.challenge": "1158201444"},
        {},
    ],
)
def test_the_handshake_fails_for_anything_else(
    channel: MessengerChannel, query: dict[str, str]
) -> None:
    assert channel.handshake(query) is None


async def test_without_a_verify_token_no_handshake_succeeds(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, messenger_verify_token=None)
    async with httpx.AsyncClient() as http:
        adapter = MessengerChannel(settings, PlatformAPI(http))
        assert adapter.handshake(handshake_query(**{"hub.verify_token": ""})) is None


# -- webhook signatures ----------------------------------------------------------------


BODY = envelope(event(PSID, message={"mid": MID, "text": "Wat is mijn saldo?"}))


async def test_a_body_signed_with_the_app_secret_is_accepted(channel: MessengerChannel) -> None:
    await channel.verify(BODY, DRIVER.genuine(BODY))
    await channel.verify(BODY, {"x-hub-signature-256": signature(BODY)})  # any header case


@pytest.mark.parametrize("headers", [{}, {"X-Hub-Signature-256": ""}])
async def test_a_missing_signature_is_unauthorized(
    channel: MessengerChannel, headers: dict[str, str]
) -> None:
    with pytest.raises(Unauthorized) as raised:
        await channel.verify(BODY, {"Content-Type": "application/json", **headers})
    assert raised.value.status == 401


async def test_the_sha1_header_alone_is_not_enough(channel: MessengerChannel) -> None:
    with pytest.raises(Unauthorized):
        await channel.verify(BODY, {"X-Hub-Signature": legacy_signature(BODY)})


@pytest.mark.parametrize(
    "value",
    [
        signature(BODY, "not-the-app-secret"),
        signature(BODY).replace("sha256=", "sha1="),
        signature(BODY)[:-2],
        signature(BODY).removeprefix("sha256="),
        "sha256=",
        "sha256=" + "zz" * 32,
        "sha256=ŝ" + "0" * 63,
    ],
)
async def test_a_wrong_or_malformed_signature_is_forbidden(
    channel: MessengerChannel, value: str
) -> None:
    with pytest.raises(Forbidden) as raised:
        await channel.verify(BODY, {"X-Hub-Signature-256": value})
    assert raised.value.status == 403


async def test_a_body_changed_after_signing_is_forbidden(channel: MessengerChannel) -> None:
    headers = DRIVER.genuine(BODY)
    changed = BODY.replace(b"saldo", b"salto")
    with pytest.raises(Forbidden):
        await channel.verify(changed, headers)


async def test_the_signature_covers_the_raw_escaped_bytes(channel: MessengerChannel) -> None:
    # Meta sends (and signs) non-ASCII text escaped; re-encoding the JSON would not match.
    raw = envelope(event(PSID, message={"mid": MID, "text": "Hoeveel geld gaat naar café Ärm?"}))
    assert b"\\u00e9" in raw
    await channel.verify(raw, {"X-Hub-Signature-256": signature(raw)})
    reencoded = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    with pytest.raises(Forbidden):
        await channel.verify(reencoded, {"X-Hub-Signature-256": signature(raw)})


async def test_uppercase_hex_digits_are_the_same_signature(channel: MessengerChannel) -> None:
    upper = "sha256=" + signature(BODY).removeprefix("sha256=").upper()
    await channel.verify(BODY, {"X-Hub-Signature-256": upper})


# -- parsing events ----------------------------------------------------------------------


def test_a_text_message(channel: MessengerChannel) -> None:
    inbound = parse_one(channel, event(PSID, message={"mid": MID, "text": "Wat is mijn saldo?"}))
    assert inbound == InboundMessage(
        channel="messenger",
        event_id=MID,
        user_id=PSID,
        kind="message",
        text="Wat is mijn saldo?",
        at=datetime.fromtimestamp(TIMESTAMP / 1000, UTC),
        message_id=MID,
    )


def test_a_quick_reply_says_its_payload(channel: MessengerChannel) -> None:
    message = {
        "mid": MID,
        "text": "Uitgaven deze maa…",
        "quick_reply": {"payload": "Uitgaven deze maand per categorie"},
    }
    inbound = parse_one(channel, event(PSID, message=message))
    assert inbound.kind == "message"
    assert inbound.text == "Uitgaven deze maand per categorie"
    assert inbound.event_id == MID


def test_a_reply_to_an_earlier_message_is_read_as_its_text(channel: MessengerChannel) -> None:
    message = {"mid": MID, "text": "en vorige maand?", "reply_to": {"mid": "m_earlier"}}
    assert parse_one(channel, event(PSID, message=message)).text == "en vorige maand?"


@pytest.mark.parametrize("kind", ["image", "audio", "video", "file"])
def test_an_attachment_without_text_is_marked_unsupported(
    channel: MessengerChannel, kind: str
) -> None:
    attachment = {"type": kind, "payload": {"url": "https://lookaside.fbsbx.com/ig_messaging_cdn"}}
    inbound = parse_one(channel, event(PSID, message={"mid": MID, "attachments": [attachment]}))
    assert inbound.kind == "message"
    assert inbound.text == ""
    assert inbound.extra == {"unsupported": kind}
    assert inbound.event_id == MID


def test_a_sticker_is_an_unsupported_image(channel: MessengerChannel) -> None:
    like = {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/t39.1997-6/x.png"}}
    message = {"mid": MID, "attachments": [like], "sticker_id": 369239263222822}
    assert parse_one(channel, event(PSID, message=message)).extra == {"unsupported": "image"}


def test_the_pages_own_messages_are_ignored(channel: MessengerChannel) -> None:
    echo = {"mid": MID, "is_echo": True, "app_id": 1517776481860111, "text": "Je saldo is"}
    page_event = {"sender": {"id": PAGE_ID}, "recipient": {"id": PSID}, "timestamp": TIMESTAMP}
    assert channel.parse(envelope({**page_event, "message": echo})) == []


def test_standby_events_are_left_to_the_thread_owner(channel: MessengerChannel) -> None:
    waiting = event(PSID, message={"mid": MID, "text": "Hallo? Is daar iemand?"})
    assert channel.parse(envelope(standby=[waiting])) == []


def test_a_postback_says_its_payload(channel: MessengerChannel) -> None:
    postback = {"mid": "m_postback1", "title": "Aan de slag", "payload": "Hallo"}
    inbound = parse_one(channel, event(PSID, postback=postback))
    assert (inbound.kind, inbound.text, inbound.event_id) == ("message", "Hallo", "m_postback1")


def test_a_postback_without_payload_or_mid_falls_back(channel: MessengerChannel) -> None:
    inbound = parse_one(channel, event(PSID, postback={"title": "Saldo"}))
    assert inbound.text == "Saldo"
    assert inbound.event_id == f"postback:{PSID}:{TIMESTAMP}"
    assert inbound.message_id is None


def test_account_linking_brings_our_authorisation_code(channel: MessengerChannel) -> None:
    linking = {"status": "linked", "authorization_code": "Zq3mV8x-LkP2w_9aBcD"}
    inbound = parse_one(channel, event(PSID, account_linking=linking))
    assert inbound.kind == "linked"
    assert inbound.payload == "Zq3mV8x-LkP2w_9aBcD"
    assert inbound.event_id == f"account_linking:{PSID}:{TIMESTAMP}:linked"
    assert inbound.user_id == PSID


def test_unlinking(channel: MessengerChannel) -> None:
    inbound = parse_one(channel, event(PSID, account_linking={"status": "unlinked"}))
    assert inbound.kind == "unlinked"
    assert inbound.payload is None
    assert inbound.event_id == f"account_linking:{PSID}:{TIMESTAMP}:unlinked"


def test_linking_without_a_code_is_malformed(channel: MessengerChannel) -> None:
    with pytest.raises(MalformedWebhook):
        channel.parse(envelope(event(PSID, account_linking={"status": "linked"})))


def test_control_passed_to_kluis_is_a_handover_to_the_bot(channel: MessengerChannel) -> None:
    passed = {"previous_owner_app_id": 263902037430900, "metadata": "Klaar"}
    inbound = parse_one(channel, event(PSID, pass_thread_control=passed))
    assert (inbound.kind, inbound.payload) == ("handover", "bot")
    assert inbound.event_id == f"handover:{PSID}:{TIMESTAMP}:pass_thread_control"


def test_control_taken_from_kluis_is_a_handover_to_a_person(channel: MessengerChannel) -> None:
    taken = {"previous_owner_app_id": 1517776481860111, "new_owner_app_id": 263902037430900}
    inbound = parse_one(channel, event(PSID, take_thread_control=taken))
    assert (inbound.kind, inbound.payload) == ("handover", "human")
    assert inbound.event_id == f"handover:{PSID}:{TIMESTAMP}:take_thread_control"


@pytest.mark.parametrize(
    "content",
    [
        {"request_thread_control": {"requested_owner_app_id": 263902037430900}},
        {"read": {"watermark": TIMESTAMP - 10}},
        {"delivery": {"mids": [MID], "watermark": TIMESTAMP - 10}},
        {"reaction": {"mid": MID, "action": "react", "emoji": "👍", "reaction": "like"}},
        {"referral": {"ref": "campagne", "source": "SHORTLINK", "type": "OPEN_THREAD"}},
        {"account_linking": {"status": "pending"}},
    ],
)
def test_events_kluis_has_no_use_for_are_left_out(
    channel: MessengerChannel, content: dict[str, Any]
) -> None:
    assert channel.parse(envelope(event(PSID, **content))) == []


def test_an_optin_without_a_sender_is_left_out_not_refused(channel: MessengerChannel) -> None:
    optin = {"recipient": {"id": PAGE_ID}, "timestamp": TIMESTAMP, "optin": {"ref": "x"}}
    assert channel.parse(envelope(optin)) == []


def test_every_entry_and_event_in_order(channel: MessengerChannel) -> None:
    other = "2468013579246801"
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": TIMESTAMP,
                "messaging": [
                    event(PSID, message={"mid": "m_1", "text": "saldo"}),
                    event(PSID, read={"watermark": TIMESTAMP}),
                ],
            },
            {
                "id": PAGE_ID,
                "time": TIMESTAMP + 1,
                "messaging": [event(other, TIMESTAMP + 1, postback={"payload": "Hulp"})],
            },
            {"id": PAGE_ID, "time": TIMESTAMP + 2},
        ],
    }
    parsed = channel.parse(json.dumps(body).encode())
    assert [(m.user_id, m.text) for m in parsed] == [(PSID, "saldo"), (other, "Hulp")]


def test_a_redelivered_event_keeps_its_id(channel: MessengerChannel) -> None:
    body = envelope(event(PSID, postback={"title": "Saldo", "payload": "Saldo"}))
    assert channel.parse(body)[0].event_id == channel.parse(body)[0].event_id


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b"{}",
        b'{"object": "instagram", "entry": []}',
        b'{"object": "page"}',
        b'{"object": "page", "entry": {}}',
        b'{"object": "page", "entry": [5]}',
        b'{"object": "page", "entry": [{"messaging": {}}]}',
        b'{"object": "page", "entry": [{"messaging": ["message"]}]}',
    ],
)
def test_bodies_that_are_not_a_page_webhook_are_malformed(
    channel: MessengerChannel, body: bytes
) -> None:
    with pytest.raises(MalformedWebhook) as raised:
        channel.parse(body)
    assert raised.value.status == 400


@pytest.mark.parametrize(
    "wrong",
    [
        {"recipient": {"id": PAGE_ID}, "timestamp": TIMESTAMP, "message": {"mid": MID}},
        event("", message={"mid": MID, "text": "hoi"}),
        {**event(PSID, message={"mid": MID, "text": "hoi"}), "sender": "6783452190834567"},
        {**event(PSID, message={"mid": MID, "text": "hoi"}), "timestamp": "gisteren"},
        event(PSID, message={"text": "hoi"}),
        event(PSID, message={"mid": MID, "text": 42}),
        event(PSID, message="hoi"),
        event(PSID, message={"mid": MID, "quick_reply": "Saldo"}),
        event(PSID, message={"mid": MID, "attachments": "image"}),
        event(PSID, postback=["Saldo"]),
        event(PSID, take_thread_control=None),
    ],
)
def test_a_structurally_wrong_event_is_malformed(
    channel: MessengerChannel, wrong: dict[str, Any]
) -> None:
    with pytest.raises(MalformedWebhook):
        channel.parse(envelope(wrong))


# -- sending -----------------------------------------------------------------------------


async def test_a_text_reply(channel: MessengerChannel, graph: Graph) -> None:
    sent = await channel.send(OutboundMessage(PSID, "Je saldo is € 1.234,56."))
    assert sent == "m_sent1"
    (request,) = graph.requests
    assert request.method == "POST"
    assert request.url.path == MESSAGES
    assert request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert PAGE_TOKEN not in str(request.url)
    assert json.loads(request.content) == {
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "Je saldo is € 1.234,56."},
    }


async def test_an_update_inside_the_window(channel: MessengerChannel, graph: Graph) -> None:
    await channel.send(OutboundMessage(PSID, "Je toestemming loopt af.", purpose="update"))
    assert graph.bodies()[0]["messaging_type"] == "UPDATE"


async def test_a_long_text_is_split_with_quick_replies_on_the_last_part(
    channel: MessengerChannel, graph: Graph
) -> None:
    paragraphs = [f"Transactie {n}: " + "boodschappen bij de supermarkt " * 5 for n in range(30)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 4000
    sent = await channel.send(OutboundMessage(PSID, text, buttons=("Meer", "Stop")))
    bodies = graph.bodies()
    assert len(bodies) == 3
    assert sent == "m_sent3"
    texts = [body["message"]["text"] for body in bodies]
    assert all(len(part) <= 2000 for part in texts)
    assert " ".join(" ".join(texts).split()) == " ".join(text.split())
    assert all(part.startswith("Transactie") for part in texts)  # split between paragraphs
    assert [("quick_replies" in body["message"]) for body in bodies] == [False, False, True]


async def test_buttons_become_quick_replies_whose_payload_is_the_title(
    channel: MessengerChannel, graph: Graph
) -> None:
    buttons = ("Saldo", "Uitgaven deze maand per categorie", "Een medewerker")
    await channel.send(OutboundMessage(PSID, "Waarmee kan ik helpen?", buttons=buttons))
    message = graph.bodies()[0]["message"]
    assert message["text"] == "Waarmee kan ik helpen?"
    assert message["quick_replies"] == [
        {"content_type": "text", "title": "Saldo", "payload": "Saldo"},
        {
            "content_type": "text",
            "title": "Uitgaven deze maand…",
            "payload": "Uitgaven deze maand per categorie",
        },
        {"content_type": "text", "title": "Een medewerker", "payload": "Een medewerker"},
    ]
    assert all(len(reply["title"]) <= 20 for reply in message["quick_replies"])


async def test_thirteen_buttons_fit_more_become_numbered_options(
    channel: MessengerChannel, graph: Graph
) -> None:
    thirteen = tuple(f"Rekening {n}" for n in range(1, 14))
    await channel.send(OutboundMessage(PSID, "Welke rekening?", buttons=thirteen))
    assert len(graph.bodies()[0]["message"]["quick_replies"]) == 13

    fourteen = (*thirteen, "Rekening 14")
    await channel.send(OutboundMessage(PSID, "Welke rekening?", buttons=fourteen))
    message = graph.bodies()[1]["message"]
    assert "quick_replies" not in message
    assert message["text"].startswith("Welke rekening?\n\n1. Rekening 1\n2. Rekening 2\n")
    assert message["text"].endswith("\n14. Rekening 14")


async def test_the_log_in_button_for_account_linking(
    channel: MessengerChannel, graph: Graph
) -> None:
    url = "https://kluis.example/link/Qm9vZ3J1cGxpbmt0b2tlbg"
    message = OutboundMessage(
        PSID,
        "Koppel eerst dit gesprek aan je bank.",
        link=("Koppel je bank", url),
        account_link=True,
    )
    assert await channel.send(message) == "m_sent1"
    assert graph.bodies()[0]["message"] == {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": "Koppel eerst dit gesprek aan je bank.",
                "buttons": [{"type": "account_link", "url": url}],
            },
        }
    }


async def test_a_link_is_a_url_button_and_long_text_goes_before_it(
    channel: MessengerChannel, graph: Graph
) -> None:
    text = "Zo werkt je toestemming. " * 40  # 1000 characters: too long for a template
    url = "https://kluis.example/consents"
    await channel.send(OutboundMessage(PSID, text, link=("Mijn toestemmingen bekijken", url)))
    first, second = graph.bodies()
    assert "text" in first["message"]
    payload = second["message"]["attachment"]["payload"]
    assert len(payload["text"]) <= 640
    assert payload["buttons"] == [{"type": "web_url", "url": url, "title": "Mijn toestemmingen…"}]
    joined = first["message"]["text"] + " " + payload["text"]
    assert " ".join(joined.split()) == " ".join(text.split())


async def test_a_chart_is_uploaded_before_the_text(channel: MessengerChannel, graph: Graph) -> None:
    message = OutboundMessage(
        PSID,
        "Je uitgaven per categorie deze maand.",
        buttons=("Vorige maand",),
        image=PNG,
        image_alt="Uitgaven per categorie",
    )
    assert await channel.send(message) == "m_sent2"
    upload, text = graph.requests
    assert upload.url.path == MESSAGES
    assert upload.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = multipart(upload)
    assert set(parts) == {"recipient", "messaging_type", "message", "filedata"}
    assert json.loads(field_text(parts["recipient"])) == {"id": PSID}
    assert field_text(parts["messaging_type"]) == "RESPONSE"
    assert json.loads(field_text(parts["message"])) == {
        "attachment": {"type": "image", "payload": {"is_reusable": False}}
    }
    assert parts["filedata"].get_content_type() == "image/png"
    assert parts["filedata"].get_filename() == "chart.png"
    assert parts["filedata"].get_payload(decode=True) == PNG
    assert json.loads(text.content)["message"] == {
        "text": "Je uitgaven per categorie deze maand.",
        "quick_replies": [
            {"content_type": "text", "title": "Vorige maand", "payload": "Vorige maand"}
        ],
    }


@pytest.mark.parametrize(("lang", "code"), [("nl", "nl"), ("en", "en_GB")])
async def test_outside_the_window_only_the_utility_template_goes_out(
    channel: MessengerChannel, graph: Graph, lang: Any, code: str
) -> None:
    message = OutboundMessage(
        PSID,
        "Let op: er is € 2.500,00 afgeschreven van NL91ABNA0417164300.",
        buttons=("Blokkeer mijn pas",),
        image=PNG,
        link=("Bekijk", "https://kluis.example/consents"),
        purpose="notice",
        lang=lang,
        notice_parameters=("Kluis Sandbox Bank",),
    )
    assert await channel.send(message) == "m_sent1"
    (request,) = graph.requests
    assert json.loads(request.content) == {
        "recipient": {"id": PSID},
        "messaging_type": "UTILITY",
        "message": {
            "template": {
                "name": "kluis_notice",
                "language": {"code": code},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "Kluis Sandbox Bank"}]}
                ],
            }
        },
    }
    for private in (b"2.500", b"NL91", b"Blokkeer", b"kluis.example", b"afgeschreven"):
        assert private not in request.content


async def test_the_utility_template_is_a_setting(tmp_path: Path, graph: Graph) -> None:
    settings = settings_for(tmp_path, messenger_utility_template="bank_bericht_v2")
    async with httpx.AsyncClient(transport=httpx.MockTransport(graph.handle)) as http:
        adapter = MessengerChannel(settings, PlatformAPI(http, sleep=graph.sleep))
        await adapter.send(OutboundMessage(PSID, "geheim", purpose="notice"))
    template = graph.bodies()[0]["message"]["template"]
    assert template == {"name": "bank_bericht_v2", "language": {"code": "nl"}}


async def test_a_rate_limit_is_waited_out(channel: MessengerChannel, graph: Graph) -> None:
    limited = {
        "error": {
            "message": "(#613) Calls to this api have exceeded the rate limit.",
            "type": "OAuthException",
            "code": 613,
            "fbtrace_id": "AbC",
        }
    }
    graph.script = [
        httpx.Response(429, json=limited, headers={"Retry-After": "3"}),
        httpx.Response(503),
    ]
    assert await channel.send(OutboundMessage(PSID, "Je saldo is € 12,00.")) == "m_sent3"
    assert len(graph.requests) == 3
    assert graph.sleeps[0] == 3.0
    assert len(graph.sleeps) == 2
    assert graph.bodies()[0] == graph.bodies()[2]


async def test_a_refused_send_is_a_platform_error_without_retries(
    channel: MessengerChannel, graph: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kluis")
    outside = {
        "error": {
            "message": "(#10) This message is sent outside of allowed window.",
            "type": "OAuthException",
            "code": 10,
            "error_subcode": 2018278,
            "fbtrace_id": "A7xZ",
        }
    }
    graph.script = [httpx.Response(400, json=outside)]
    with pytest.raises(PlatformError) as raised:
        await channel.send(OutboundMessage(PSID, "Je saldo is € 12,00."))
    assert raised.value.code == "http_400:10"
    assert raised.value.status == 400
    assert len(graph.requests) == 1
    assert graph.sleeps == []
    logged = " ".join(record.getMessage() for record in caplog.records)
    for private in (PSID, "12,00", PAGE_TOKEN):
        assert private not in logged


async def test_acknowledging_marks_seen_then_shows_typing(
    channel: MessengerChannel, graph: Graph
) -> None:
    inbound = InboundMessage("messenger", MID, PSID, text="saldo")
    await channel.acknowledge(inbound)
    assert [request.url.path for request in graph.requests] == [MESSAGES, MESSAGES]
    assert graph.bodies() == [
        {"recipient": {"id": PSID}, "sender_action": "mark_seen"},
        {"recipient": {"id": PSID}, "sender_action": "typing_on"},
    ]


async def test_handing_over_passes_thread_control_to_the_page_inbox(
    channel: MessengerChannel, graph: Graph
) -> None:
    graph.script = [httpx.Response(200, json={"success": True})]
    assert await channel.hand_over(PSID, "fraud_report " + "x" * 2000) is True
    (request,) = graph.requests
    assert request.url.path == "/v23.0/me/pass_thread_control"
    assert request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    body = json.loads(request.content)
    assert body["recipient"] == {"id": PSID}
    assert body["target_app_id"] == "263902037430900"
    assert body["metadata"].startswith("fraud_report x")
    assert len(body["metadata"]) == 1000


async def test_a_refused_handover_stays_with_kluis(channel: MessengerChannel, graph: Graph) -> None:
    graph.script = [httpx.Response(400, json={"error": {"code": 10, "type": "OAuthException"}})]
    assert await channel.hand_over(PSID, "human_request") is False


async def test_taking_the_conversation_back(channel: MessengerChannel, graph: Graph) -> None:
    graph.script = [httpx.Response(200, json={"success": True})]
    assert await channel.take_back(PSID) is True
    (request,) = graph.requests
    assert request.url.path == "/v23.0/me/take_thread_control"
    assert json.loads(request.content) == {"recipient": {"id": PSID}}
    graph.script = [httpx.Response(403, json={"error": {"code": 200}})]
    assert await channel.take_back(PSID) is False


# -- the conformance driver plays by the same rules -------------------------------------


async def test_the_conformance_driver_speaks_messengers_dialect(
    channel: MessengerChannel,
) -> None:
    body = DRIVER.text_event(PSID, "wat is mijn saldo?", "m_evt1")
    await channel.verify(body, DRIVER.genuine(body))
    with pytest.raises(Forbidden):
        await channel.verify(body, DRIVER.forged(body))
    with pytest.raises(Unauthorized):
        await channel.verify(body, DRIVER.missing(body))
    (inbound,) = channel.parse(body)
    assert (inbound.user_id, inbound.text, inbound.event_id) == (
        PSID,
        "wat is mijn saldo?",
        "m_evt1",
    )
    (tapped,) = channel.parse(DRIVER.button_event(PSID, "Vorige maand", "Vorige maand", "m_b1"))
    assert tapped.text == "Vorige maand"
