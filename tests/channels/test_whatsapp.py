"""The WhatsApp Cloud API adapter against Meta's documented webhooks and a mocked Graph API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
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
from kluis.channels.hub import adapter_class
from kluis.channels.platform_api import PlatformAPI, PlatformError
from kluis.channels.texts import Lang
from kluis.channels.whatsapp import WhatsAppChannel
from kluis.config import Settings, load_settings
from kluis.security import new_key
from tests.channels.drivers.whatsapp import (
    ACCESS_TOKEN,
    APP_SECRET,
    DRIVER,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    envelope,
    incoming,
    message_value,
    signature,
)

API_BASE = "https://graph.facebook.test/v23.0"
MESSAGES_URL = f"{API_BASE}/{PHONE_NUMBER_ID}/messages"
MEDIA_URL = f"{API_BASE}/{PHONE_NUMBER_ID}/media"
CUSTOMER = "31612345678"
OTHER_NUMBER_ID = "198765432109876"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="


# -- the mocked Graph API ------------------------------------------------------------


@dataclass
class Graph:
    """Answers as the Graph API does; can fail the next requests with given statuses."""

    requests: list[httpx.Request] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    fail_at: dict[int, int] = field(default_factory=dict)  # request number -> status
    media_answer: dict[str, Any] = field(default_factory=lambda: {"id": "4490709327384033"})

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            return _failure(self.failures.pop(0))
        if len(self.requests) in self.fail_at:
            return _failure(self.fail_at[len(self.requests)])
        if request.url.path.endswith("/media"):
            return httpx.Response(200, json=self.media_answer)
        body = json.loads(request.content)
        if body.get("status") == "read":
            return httpx.Response(200, json={"success": True})
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.sent-{len(self.requests)}"}],
            },
        )

    def bodies(self) -> list[Any]:
        """The JSON bodies of the requests to the messages endpoint, in order."""
        return [json.loads(r.content) for r in self.requests if r.url.path.endswith("/messages")]


def _failure(status: int) -> httpx.Response:
    if status == 429:
        error = {"message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429}
        return httpx.Response(429, json={"error": error}, headers={"Retry-After": "2"})
    if status >= 500:
        error = {"message": "Something went wrong", "type": "OAuthException", "code": 131000}
        return httpx.Response(status, json={"error": error})
    error = {"message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047}
    return httpx.Response(status, json={"error": error})


@dataclass
class Setup:
    channel: WhatsAppChannel
    graph: Graph
    sleeps: list[float]


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {**DRIVER.settings("unused"), "whatsapp_api_base": API_BASE}
    values.update(overrides)
    return load_settings(data_dir=tmp_path / "data", seal_keys=[new_key()], **values)


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    graph = Graph()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with httpx.AsyncClient(transport=httpx.MockTransport(graph.handle)) as http:
        api = PlatformAPI(http, sleep=sleep)
        yield Setup(WhatsAppChannel(make_settings(tmp_path), api), graph, sleeps)


def bare_channel(tmp_path: Path, **overrides: Any) -> WhatsAppChannel:
    """A channel for webhook tests, which never call the Graph API."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("webhook handling must not call the Graph API")

    api = PlatformAPI(httpx.AsyncClient(transport=httpx.MockTransport(refuse)))
    return WhatsAppChannel(make_settings(tmp_path, **overrides), api)


@pytest.fixture
def channel(tmp_path: Path) -> WhatsAppChannel:
    return bare_channel(tmp_path)


def encoded(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def one_message(kind: str, content: Any, **more: Any) -> bytes:
    """A webhook body with one message of `kind`, as Meta's examples have them."""
    message = incoming(CUSTOMER, WAMID, kind, content, **more)
    return encoded(envelope(message_value(CUSTOMER, [message])))


def sent_to(content: dict[str, Any]) -> dict[str, Any]:
    """The complete body of a send to the customer with this type-specific content."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CUSTOMER,
        **content,
    }


def text_content(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def form_parts(request: httpx.Request) -> dict[str, tuple[str | None, str, bytes]]:
    """The parts of a multipart/form-data request: name -> (filename, type, content)."""
    raw = b"Content-Type: " + request.headers["content-type"].encode() + b"\r\n\r\n"
    message = BytesParser(policy=policy.HTTP).parsebytes(raw + request.content)
    parts: dict[str, tuple[str | None, str, bytes]] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts[name] = (part.get_filename(), part.get_content_type(), payload)
    return parts


# -- the adapter itself --------------------------------------------------------------


def test_the_registry_loads_this_adapter_with_whatsapps_limits() -> None:
    assert adapter_class("whatsapp") is WhatsAppChannel
    assert WhatsAppChannel.name == "whatsapp"
    assert WhatsAppChannel.window == timedelta(hours=24)
    assert WhatsAppChannel.max_text == 4096


async def test_there_is_no_handover_protocol(setup: Setup) -> None:
    assert await setup.channel.hand_over(CUSTOMER, "handoff") is False
    assert setup.graph.requests == []


# -- the subscription handshake ------------------------------------------------------


def subscription(**changes: str) -> dict[str, str]:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    query.update(changes)
    return query


def test_handshake_echoes_the_challenge_for_our_verify_token(channel: WhatsAppChannel) -> None:
    assert channel.handshake(subscription()) == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        subscription(**{"hub.verify_token": "someone-elses-token"}),
        subscription(**{"hub.verify_token": VERIFY_TOKEN + "x"}),
        subscription(**{"hub.verify_token": ""}),
        subscription(**{"hub.mode": "unsubscribe"}),
        subscription(**{"hub.challenge": ""}),
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
        {},
    ],
)
def test_handshake_refuses_anything_else(channel: WhatsAppChannel, query: dict[str, str]) -> None:
    assert channel.handshake(query) is None


def test_handshake_is_refused_when_no_verify_token_is_configured(tmp_path: Path) -> None:
    channel = bare_channel(tmp_path, whatsapp_verify_token=None)
    assert channel.handshake(subscription(**{"hub.verify_token": ""})) is None


# -- the payload signature -----------------------------------------------------------


BODY = one_message("text", {"body": "wat is mijn saldo?"})


async def test_a_body_signed_with_the_app_secret_is_accepted(channel: WhatsAppChannel) -> None:
    await channel.verify(BODY, {"X-Hub-Signature-256": signature(BODY)})
    await channel.verify(BODY, {"x-hub-signature-256": signature(BODY)})
    await channel.verify(
        BODY, {"X-Hub-Signature-256": signature(BODY).upper().replace("SHA", "sha")}
    )


@pytest.mark.parametrize("headers", [{}, {"X-Hub-Signature-256": ""}, {"X-Hub-Signature": "x"}])
async def test_a_body_without_signature_is_unauthorized(
    channel: WhatsAppChannel, headers: dict[str, str]
) -> None:
    with pytest.raises(Unauthorized) as rejected:
        await channel.verify(BODY, headers)
    assert rejected.value.status == 401


@pytest.mark.parametrize(
    "value",
    [
        signature(BODY, "not-the-app-secret"),
        signature(BODY)[:-1] + ("0" if signature(BODY)[-1] != "0" else "1"),
        signature(BODY).removeprefix("sha256="),
        "sha1=" + signature(BODY).removeprefix("sha256=")[:40],
        "sha256=",
        "sha256=not-hex-at-all",
        signature(BODY) + "00",
        signature(BODY)[:-2],
    ],
)
async def test_a_wrong_or_malformed_signature_is_forbidden(
    channel: WhatsAppChannel, value: str
) -> None:
    with pytest.raises(Forbidden) as rejected:
        await channel.verify(BODY, {"X-Hub-Signature-256": value})
    assert rejected.value.status == 403


async def test_a_body_altered_after_signing_is_forbidden(channel: WhatsAppChannel) -> None:
    altered = BODY.replace(b"saldo", b"salaris")
    with pytest.raises(Forbidden):
        await channel.verify(altered, {"X-Hub-Signature-256": signature(BODY)})


async def test_without_an_app_secret_nothing_is_accepted(tmp_path: Path) -> None:
    channel = bare_channel(tmp_path, whatsapp_app_secret=None)
    with pytest.raises(Forbidden):
        await channel.verify(BODY, {"X-Hub-Signature-256": signature(BODY, "")})


# -- parsing messages ----------------------------------------------------------------


def test_a_text_message_becomes_what_the_customer_wrote(channel: WhatsAppChannel) -> None:
    (message,) = channel.parse(one_message("text", {"body": "Wat is mijn saldo?"}))
    assert message == InboundMessage(
        "whatsapp",
        WAMID,
        CUSTOMER,
        kind="message",
        text="Wat is mijn saldo?",
        at=datetime(2025, 6, 8, 20, 59, 43, tzinfo=UTC),
        message_id=WAMID,
    )


def test_the_profile_name_is_kept_nowhere(channel: WhatsAppChannel) -> None:
    (message,) = channel.parse(one_message("text", {"body": "saldo"}))
    assert "Sanne" not in message.to_json()
    assert "Vries" not in message.to_json()


def test_a_reply_to_one_of_our_messages_is_still_its_text(channel: WhatsAppChannel) -> None:
    context = {"from": "15550783881", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0"}
    (message,) = channel.parse(one_message("text", {"body": "en vorige maand?"}, context=context))
    assert (message.kind, message.text) == ("message", "en vorige maand?")


def test_a_tapped_reply_button_says_its_id(channel: WhatsAppChannel) -> None:
    interactive = {
        "type": "button_reply",
        "button_reply": {"id": "Uitgaven deze maand", "title": "Uitgaven deze maand"},
    }
    context = {"from": "15550783881", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2"}
    (message,) = channel.parse(one_message("interactive", interactive, context=context))
    assert (message.kind, message.text, message.event_id) == (
        "message",
        "Uitgaven deze maand",
        WAMID,
    )


def test_a_cut_button_title_still_says_the_full_option(channel: WhatsAppChannel) -> None:
    option = "Transacties van vorige maand"
    interactive = {
        "type": "button_reply",
        "button_reply": {"id": option, "title": option[:19] + "…"},
    }
    (message,) = channel.parse(one_message("interactive", interactive))
    assert message.text == option


def test_a_chosen_list_row_says_its_id(channel: WhatsAppChannel) -> None:
    interactive = {
        "type": "list_reply",
        "list_reply": {
            "id": "Vaste lasten van dit jaar",
            "title": "Vaste lasten van dit jaar",
            "description": "Vaste lasten van dit jaar",
        },
    }
    (message,) = channel.parse(one_message("interactive", interactive))
    assert (message.kind, message.text) == ("message", "Vaste lasten van dit jaar")


def test_a_template_quick_reply_says_its_payload(channel: WhatsAppChannel) -> None:
    context = {"from": "15550783881", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJFNjk2"}
    button = {"payload": "Bericht lezen", "text": "Lees"}
    (message,) = channel.parse(one_message("button", button, context=context))
    assert (message.kind, message.text) == ("message", "Bericht lezen")


@pytest.mark.parametrize("button", [{"text": "Lees"}, {"payload": "", "text": "Lees"}])
def test_a_template_quick_reply_without_payload_says_its_text(
    channel: WhatsAppChannel, button: dict[str, str]
) -> None:
    (message,) = channel.parse(one_message("button", button))
    assert message.text == "Lees"


UNREADABLE: dict[str, Any] = {
    "image": {
        "caption": "Mijn rekeningafschrift",
        "mime_type": "image/jpeg",
        "sha256": "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=",
        "id": "1003383421387256",
    },
    "audio": {
        "mime_type": "audio/ogg; codecs=opus",
        "sha256": "5Pzsn0wxqOsVmk4Z5Vz2uVnTxHqkYwAv2wNm2cLoRLw=",
        "id": "1144512630357093",
        "voice": True,
    },
    "video": {
        "caption": "kijk",
        "mime_type": "video/mp4",
        "sha256": "Bvz3f+0qSWQYvX4u2T0Gg5Q2v3kO0GgSmFhK1rB3FJ8=",
        "id": "1907414403371286",
    },
    "document": {
        "caption": "factuur",
        "filename": "factuur-2025-06.pdf",
        "mime_type": "application/pdf",
        "sha256": "0V3Gx7xHnMa3sSRw5V4/0X4oWeB0Dr0WoZx8d0wJk1A=",
        "id": "1227829768162607",
    },
    "sticker": {
        "mime_type": "image/webp",
        "sha256": "cL/2G0CzhBg1o6nfwCcbgjJbmUJ7Avp1K0oEXf8xn3M=",
        "id": "1345866153313185",
        "animated": False,
    },
    "location": {
        "address": "Damrak 1, Amsterdam",
        "latitude": 52.3759,
        "longitude": 4.8975,
        "name": "Filiaal Damrak",
    },
    "contacts": [
        {
            "name": {"first_name": "Lucía", "last_name": "Gómez", "formatted_name": "Lucía Gómez"},
            "phones": [{"phone": "+31 6 5555 2319", "wa_id": "31655552319", "type": "MOBILE"}],
        }
    ],
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_messages_kluis_cannot_read_arrive_empty_and_marked(
    channel: WhatsAppChannel, kind: str
) -> None:
    (message,) = channel.parse(one_message(kind, UNREADABLE[kind]))
    assert (message.kind, message.text, message.extra) == ("message", "", {"unsupported": kind})
    assert message.message_id == WAMID
    assert "Gómez" not in message.to_json()
    assert "rekeningafschrift" not in message.to_json()


def test_a_changed_number_unlinks_the_old_number(channel: WhatsAppChannel) -> None:
    system = {
        "body": "User Sanne changed from 31612345678 to 31698765432",
        "wa_id": "31698765432",
        "type": "user_changed_number",
    }
    value = message_value(CUSTOMER, [incoming(CUSTOMER, WAMID, "system", system)])
    del value["contacts"]  # system messages come without a contact, as Meta documents
    (message,) = channel.parse(encoded(envelope(value)))
    assert (message.kind, message.user_id, message.event_id) == ("unlinked", CUSTOMER, WAMID)
    assert message.text == ""
    assert "31698765432" not in message.to_json()


LEFT_OUT: list[tuple[str, Any]] = [
    ("reaction", {"message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RTJE", "emoji": "👍"}),
    (
        "order",
        {
            "catalog_id": "194836987003835",
            "text": "",
            "product_items": [
                {"product_retailer_id": "di9ozbzfi4", "quantity": 2, "item_price": 30}
            ],
        },
    ),
    (
        "system",
        {"body": "identity changed", "identity": "abc", "type": "customer_identity_changed"},
    ),
    ("interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": "{}", "body": "Sent"}}),
    ("ephemeral", {"note": "a type Meta may add later"}),
]


@pytest.mark.parametrize(("kind", "content"), LEFT_OUT, ids=[kind for kind, _ in LEFT_OUT])
def test_events_kluis_has_no_use_for_are_left_out(
    channel: WhatsAppChannel, kind: str, content: Any
) -> None:
    assert channel.parse(one_message(kind, content)) == []


def test_an_unsupported_message_from_meta_is_left_out(channel: WhatsAppChannel) -> None:
    message = {
        "from": CUSTOMER,
        "id": WAMID,
        "timestamp": "1750090702",
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
        "type": "unsupported",
    }
    assert channel.parse(encoded(envelope(message_value(CUSTOMER, [message])))) == []


# -- parsing statuses ----------------------------------------------------------------


def status_value(*statuses: dict[str, Any], number: str = PHONE_NUMBER_ID) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": number},
        "statuses": list(statuses),
    }


def status(state: str, message_id: str = "wamid.sent-1", at: str = "1750263773") -> dict[str, Any]:
    return {
        "id": message_id,
        "status": state,
        "timestamp": at,
        "recipient_id": CUSTOMER,
        "conversation": {
            "id": "6ceb9d929c4ed0eb0a6b5bdfaf8c2a8b",
            "origin": {"type": "service"},
        },
        "pricing": {"billable": False, "pricing_model": "PMP", "category": "service"},
    }


@pytest.mark.parametrize("state", ["sent", "delivered", "read"])
def test_a_delivery_status_is_reported_for_the_sent_message(
    channel: WhatsAppChannel, state: str
) -> None:
    (event,) = channel.parse(encoded(envelope(status_value(status(state)))))
    assert event == InboundMessage(
        "whatsapp",
        f"status:wamid.sent-1:{state}",
        CUSTOMER,
        kind="status",
        payload=state,
        at=datetime(2025, 6, 18, 16, 22, 53, tzinfo=UTC),
        message_id="wamid.sent-1",
    )


def test_a_failed_status_carries_the_error_code_only(channel: WhatsAppChannel) -> None:
    failed = status("failed")
    failed["errors"] = [
        {
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {"details": "Message failed to send because more than 24 hours"},
        }
    ]
    (event,) = channel.parse(encoded(envelope(status_value(failed))))
    assert (event.kind, event.payload, event.extra) == ("status", "failed", {"error": "131047"})
    assert event.event_id == "status:wamid.sent-1:failed"
    assert "24 hours" not in event.to_json()


def test_statuses_of_one_message_are_separate_events(channel: WhatsAppChannel) -> None:
    body = encoded(envelope(status_value(status("sent"), status("delivered"), status("read"))))
    ids = [event.event_id for event in channel.parse(body)]
    assert ids == [f"status:wamid.sent-1:{state}" for state in ("sent", "delivered", "read")]


def test_a_status_kluis_does_not_know_is_left_out(channel: WhatsAppChannel) -> None:
    assert channel.parse(encoded(envelope(status_value(status("deleted"))))) == []


# -- whose events, and in which order ------------------------------------------------


def test_events_for_another_business_number_are_left_out(channel: WhatsAppChannel) -> None:
    ours = message_value(CUSTOMER, [incoming(CUSTOMER, "wamid.ours", "text", {"body": "hoi"})])
    theirs = message_value(
        CUSTOMER,
        [incoming(CUSTOMER, "wamid.theirs", "text", {"body": "hallo"})],
        phone_number_id=OTHER_NUMBER_ID,
    )
    document = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "419561257915477",
                "changes": [
                    {"value": theirs, "field": "messages"},
                    {
                        "value": status_value(status("read"), number=OTHER_NUMBER_ID),
                        "field": "messages",
                    },
                    {"value": ours, "field": "messages"},
                ],
            }
        ],
    }
    assert [event.event_id for event in channel.parse(encoded(document))] == ["wamid.ours"]


def test_other_webhook_fields_are_left_out(channel: WhatsAppChannel) -> None:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "groups": [
            {
                "timestamp": "1750269342",
                "group_id": "Y2FwaV9ncm91cDoxODA1NTU1MDE3MjoxMjAzNjMyMjI3NzE5NjMwNjcZD",
                "type": "group_create",
                "subject": "your-group-subject",
            }
        ],
    }
    assert channel.parse(encoded(envelope(value, field="group_lifecycle_update"))) == []


def test_a_change_with_nothing_in_it_gives_no_events(channel: WhatsAppChannel) -> None:
    value = message_value(CUSTOMER, [])
    del value["messages"]
    assert channel.parse(encoded(envelope(value))) == []


def test_events_come_out_in_the_order_they_happened(channel: WhatsAppChannel) -> None:
    def text(event_id: str, body: str, at: str) -> dict[str, Any]:
        return {**incoming(CUSTOMER, event_id, "text", {"body": body}), "timestamp": at}

    first_entry = message_value(
        CUSTOMER,
        [
            text("wamid.3", "en de week daarvoor?", "1750000300"),
            text("wamid.1", "saldo", "1750000100"),
        ],
    )
    second_entry = message_value(CUSTOMER, [text("wamid.2", "uitgaven deze week", "1750000200")])
    document = {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "419561257915477", "changes": [{"value": first_entry, "field": "messages"}]},
            {
                "id": "419561257915477",
                "changes": [
                    {"value": status_value(status("read", at="1750000250")), "field": "messages"},
                    {"value": second_entry, "field": "messages"},
                ],
            },
        ],
    }
    events = channel.parse(encoded(document))
    assert [event.event_id for event in events] == [
        "wamid.1",
        "wamid.2",
        "status:wamid.sent-1:read",
        "wamid.3",
    ]
    assert [event.text for event in events if event.kind == "message"] == [
        "saldo",
        "uitgaven deze week",
        "en de week daarvoor?",
    ]


# -- malformed bodies ----------------------------------------------------------------


def text_document() -> dict[str, Any]:
    return envelope(message_value(CUSTOMER, [incoming(CUSTOMER, WAMID, "text", {"body": "hoi"})]))


def without(path: tuple[str | int, ...]) -> bytes:
    """The text webhook with the key at `path` removed."""
    document = text_document()
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return encoded(document)


def replaced(path: tuple[str | int, ...], value: Any) -> bytes:
    document = text_document()
    target: Any = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return encoded(document)


CHANGE: tuple[str | int, ...] = ("entry", 0, "changes", 0)
MESSAGE: tuple[str | int, ...] = (*CHANGE, "value", "messages", 0)

MALFORMED: dict[str, bytes] = {
    "not JSON": b"object=whatsapp_business_account",
    "not UTF-8": b"\xff\xfe{}",
    "empty": b"",
    "a list": b"[]",
    "a string": b'"whatsapp_business_account"',
    "another object": encoded({**text_document(), "object": "page"}),
    "no object": without(("object",)),
    "no entry": without(("entry",)),
    "entry not a list": replaced(("entry",), {"id": "419561257915477"}),
    "entry of strings": replaced(("entry",), ["419561257915477"]),
    "no changes": without(("entry", 0, "changes")),
    "no field": without((*CHANGE, "field")),
    "no value": without((*CHANGE, "value")),
    "value not an object": replaced((*CHANGE, "value"), "messages"),
    "no metadata": without((*CHANGE, "value", "metadata")),
    "no phone number id": without((*CHANGE, "value", "metadata", "phone_number_id")),
    "messages not a list": replaced((*CHANGE, "value", "messages"), {"from": CUSTOMER}),
    "no sender": without((*MESSAGE, "from")),
    "no message id": without((*MESSAGE, "id")),
    "no type": without((*MESSAGE, "type")),
    "no timestamp": without((*MESSAGE, "timestamp")),
    "unreadable timestamp": replaced((*MESSAGE, "timestamp"), "yesterday"),
    "numeric sender": replaced((*MESSAGE, "from"), 31612345678),
    "no text": without((*MESSAGE, "text")),
    "no text body": replaced((*MESSAGE, "text"), {}),
    "text body not a string": replaced((*MESSAGE, "text"), {"body": ["hoi"]}),
    "interactive without reply": replaced(
        MESSAGE,
        incoming(CUSTOMER, WAMID, "interactive", {"type": "button_reply"}),
    ),
    "reply without id": replaced(
        MESSAGE,
        incoming(
            CUSTOMER, WAMID, "interactive", {"type": "list_reply", "list_reply": {"title": "Ja"}}
        ),
    ),
    "button without payload or text": replaced(
        MESSAGE, incoming(CUSTOMER, WAMID, "button", {"payload": ""})
    ),
    "system without system": replaced(
        MESSAGE, {k: v for k, v in incoming(CUSTOMER, WAMID, "system", {}).items() if k != "system"}
    ),
    "status without recipient": encoded(
        envelope(status_value({k: v for k, v in status("read").items() if k != "recipient_id"}))
    ),
    "status without id": encoded(
        envelope(status_value({k: v for k, v in status("read").items() if k != "id"}))
    ),
    "status errors not a list": encoded(
        envelope(status_value({**status("failed"), "errors": {"code": 131047}}))
    ),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=list(MALFORMED))
def test_a_body_not_shaped_as_meta_documents_is_malformed(
    channel: WhatsAppChannel, body: bytes
) -> None:
    with pytest.raises(MalformedWebhook) as rejected:
        channel.parse(body)
    assert rejected.value.status == 400


# -- sending -------------------------------------------------------------------------


async def test_a_text_goes_to_the_messages_endpoint_with_the_token(setup: Setup) -> None:
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, "Je saldo is € 1.234,56."))
    (request,) = setup.graph.requests
    assert str(request.url) == MESSAGES_URL
    assert request.method == "POST"
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == sent_to(text_content("Je saldo is € 1.234,56."))
    assert sent == "wamid.sent-1"


async def test_a_long_text_is_split_over_messages(setup: Setup) -> None:
    paragraphs = [f"Transactie {number}: " + "boodschappen " * 30 for number in range(30)]
    text = "\n\n".join(paragraph.strip() for paragraph in paragraphs)
    assert len(text) > 2 * 4096
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, text))
    bodies = setup.graph.bodies()
    assert len(bodies) == 3
    parts = [body["text"]["body"] for body in bodies]
    assert all(len(part) <= 4096 for part in parts)
    assert all(body == sent_to(text_content(body["text"]["body"])) for body in bodies)
    assert "\n\n".join(parts) == text
    assert sent == "wamid.sent-3"


async def test_up_to_three_options_are_reply_buttons(setup: Setup) -> None:
    options = ("Ja, blokkeer mijn pas", "Nee", "Ik wil iemand spreken")
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, "Zal ik je pas blokkeren?", options))
    assert setup.graph.bodies() == [
        sent_to(
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "Zal ik je pas blokkeren?"},
                    "action": {
                        "buttons": [
                            {
                                "type": "reply",
                                "reply": {
                                    "id": "Ja, blokkeer mijn pas",
                                    "title": "Ja, blokkeer mijn…",
                                },
                            },
                            {"type": "reply", "reply": {"id": "Nee", "title": "Nee"}},
                            {
                                "type": "reply",
                                "reply": {"id": "Ik wil iemand spreken", "title": "Ik wil iemand…"},
                            },
                        ]
                    },
                },
            }
        )
    ]
    assert sent == "wamid.sent-1"


async def test_button_titles_fit_whatsapps_twenty_characters(setup: Setup) -> None:
    options = ("Twintig tekens exact", "Eenentwintig tekens!!")
    await setup.channel.send(OutboundMessage(CUSTOMER, "Kies", options))
    (body,) = setup.graph.bodies()
    replies = [button["reply"] for button in body["interactive"]["action"]["buttons"]]
    assert replies == [
        {"id": "Twintig tekens exact", "title": "Twintig tekens exact"},
        {"id": "Eenentwintig tekens!!", "title": "Eenentwintig tekens…"},
    ]
    assert all(len(reply["title"]) <= 20 for reply in replies)


@pytest.mark.parametrize(
    ("lang", "short"),
    [("nl", "Maak hieronder je keuze."), ("en", "Please make your choice below.")],
)
async def test_a_text_too_long_for_buttons_goes_first(setup: Setup, lang: Lang, short: str) -> None:
    text = " ".join(["Dit zijn je uitgaven per categorie."] * 40)
    assert len(text) > 1024
    message = OutboundMessage(CUSTOMER, text, ("Deze maand", "Vorige maand"), lang=lang)
    sent = await setup.channel.send(message)
    first, second = setup.graph.bodies()
    assert first == sent_to(text_content(text))
    assert second["type"] == "interactive"
    assert second["interactive"]["type"] == "button"
    assert second["interactive"]["body"] == {"text": short}
    assert [button["reply"]["id"] for button in second["interactive"]["action"]["buttons"]] == [
        "Deze maand",
        "Vorige maand",
    ]
    assert sent == "wamid.sent-2"


async def test_a_text_of_exactly_1024_characters_stays_the_body(setup: Setup) -> None:
    text = "x" * 1024
    await setup.channel.send(OutboundMessage(CUSTOMER, text, ("Ja", "Nee")))
    (body,) = setup.graph.bodies()
    assert body["interactive"]["body"] == {"text": text}


async def test_buttons_without_text_get_a_short_body(setup: Setup) -> None:
    await setup.channel.send(OutboundMessage(CUSTOMER, "", ("Ja", "Nee"), lang="en"))
    (body,) = setup.graph.bodies()
    assert body["interactive"]["body"] == {"text": "Please make your choice below."}


@pytest.mark.parametrize(("lang", "label"), [("nl", "Kies"), ("en", "Choose")])
async def test_four_to_ten_options_are_a_list(setup: Setup, lang: Lang, label: str) -> None:
    options = (
        "Saldo",
        "Uitgaven deze maand",
        "Vaste lasten van het afgelopen jaar",
        "Pas blokkeren",
    )
    message = OutboundMessage(CUSTOMER, "Waar kan ik je mee helpen?", options, lang=lang)
    sent = await setup.channel.send(message)
    assert setup.graph.bodies() == [
        sent_to(
            {
                "type": "interactive",
                "interactive": {
                    "type": "list",
                    "body": {"text": "Waar kan ik je mee helpen?"},
                    "action": {
                        "button": label,
                        "sections": [
                            {
                                "rows": [
                                    {"id": "Saldo", "title": "Saldo"},
                                    {"id": "Uitgaven deze maand", "title": "Uitgaven deze maand"},
                                    {
                                        "id": "Vaste lasten van het afgelopen jaar",
                                        "title": "Vaste lasten van het…",
                                        "description": "Vaste lasten van het afgelopen jaar",
                                    },
                                    {"id": "Pas blokkeren", "title": "Pas blokkeren"},
                                ]
                            }
                        ],
                    },
                },
            }
        )
    ]
    assert sent == "wamid.sent-1"


async def test_ten_options_still_fit_a_list(setup: Setup) -> None:
    options = tuple(f"Rekening {number}" for number in range(1, 11))
    await setup.channel.send(OutboundMessage(CUSTOMER, "Welke rekening?", options))
    (body,) = setup.graph.bodies()
    rows = body["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == list(options)


async def test_more_than_ten_options_are_numbered_in_the_text(setup: Setup) -> None:
    options = tuple(f"Rekening {number}" for number in range(1, 12))
    await setup.channel.send(OutboundMessage(CUSTOMER, "Welke rekening?", options))
    lines = "\n".join(f"{number}. Rekening {number}" for number in range(1, 12))
    assert setup.graph.bodies() == [sent_to(text_content(f"Welke rekening?\n\n{lines}"))]


async def test_options_whose_short_titles_clash_are_numbered(setup: Setup) -> None:
    options = ("Uitgaven in de categorie boodschappen", "Uitgaven in de categorie vervoer")
    await setup.channel.send(OutboundMessage(CUSTOMER, "Welke categorie?", options))
    expected = "Welke categorie?\n\n1. " + options[0] + "\n2. " + options[1]
    assert setup.graph.bodies() == [sent_to(text_content(expected))]


LINK = ("Koppel je bank", "https://bank.example/koppel/abc123")


async def test_a_link_is_a_call_to_action_button(setup: Setup) -> None:
    text = "Koppel dit gesprek eerst aan je bank. De link werkt 15 minuten."
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, text, link=LINK, account_link=True))
    assert setup.graph.bodies() == [
        sent_to(
            {
                "type": "interactive",
                "interactive": {
                    "type": "cta_url",
                    "body": {"text": text},
                    "action": {
                        "name": "cta_url",
                        "parameters": {
                            "display_text": "Koppel je bank",
                            "url": "https://bank.example/koppel/abc123",
                        },
                    },
                },
            }
        )
    ]
    assert sent == "wamid.sent-1"


async def test_a_long_text_with_a_link_goes_first(setup: Setup) -> None:
    text = " ".join(["Je toestemming loopt bijna af."] * 40)
    link = ("Toestemming verlengen bij de bank", "https://bank.example/toestemming")
    await setup.channel.send(OutboundMessage(CUSTOMER, text, link=link, lang="nl"))
    first, second = setup.graph.bodies()
    assert first == sent_to(text_content(text))
    assert second["interactive"]["body"] == {"text": "Met de knop hieronder ga je verder."}
    assert second["interactive"]["action"] == {
        "name": "cta_url",
        "parameters": {"display_text": "Toestemming verleng…", "url": link[1]},
    }


async def test_options_beside_a_link_are_numbered_in_its_body(setup: Setup) -> None:
    message = OutboundMessage(CUSTOMER, "Je pas is geblokkeerd.", ("Nieuwe pas",), link=LINK)
    await setup.channel.send(message)
    (body,) = setup.graph.bodies()
    assert body["interactive"]["type"] == "cta_url"
    assert body["interactive"]["body"] == {"text": "Je pas is geblokkeerd.\n\n1. Nieuwe pas"}


async def test_a_chart_is_uploaded_then_sent_then_the_text_follows(setup: Setup) -> None:
    message = OutboundMessage(
        CUSTOMER,
        "Je gaf deze maand het meest uit aan boodschappen.",
        ("Vorige maand",),
        image=PNG,
        image_alt="Uitgaven per categorie, juni",
    )
    sent = await setup.channel.send(message)
    upload, image, text = setup.graph.requests
    assert str(upload.url) == MEDIA_URL
    assert upload.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert form_parts(upload) == {
        "messaging_product": (None, "text/plain", b"whatsapp"),
        "type": (None, "text/plain", b"image/png"),
        "file": ("chart.png", "image/png", PNG),
    }
    assert str(image.url) == MESSAGES_URL
    assert json.loads(image.content) == sent_to(
        {
            "type": "image",
            "image": {"id": "4490709327384033", "caption": "Uitgaven per categorie, juni"},
        }
    )
    assert json.loads(text.content) == sent_to(
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Je gaf deze maand het meest uit aan boodschappen."},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "Vorige maand", "title": "Vorige maand"}}
                    ]
                },
            },
        }
    )
    assert sent == "wamid.sent-3"


async def test_a_chart_without_description_has_no_caption(setup: Setup) -> None:
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, "", image=PNG))
    assert len(setup.graph.requests) == 2
    (image,) = setup.graph.bodies()
    assert image == sent_to({"type": "image", "image": {"id": "4490709327384033"}})
    assert sent == "wamid.sent-2"


@pytest.mark.parametrize("answer", [{}, {"id": ""}, {"error": {"code": 100}}])
async def test_an_upload_without_media_id_fails_the_send(
    setup: Setup, answer: dict[str, Any]
) -> None:
    setup.graph.media_answer = answer
    with pytest.raises(PlatformError) as failed:
        await setup.channel.send(OutboundMessage(CUSTOMER, "grafiek", image=PNG))
    assert failed.value.code == "media_id_missing"
    assert setup.graph.bodies() == []  # no image message and no text without the chart


@pytest.mark.parametrize(("lang", "code"), [("nl", "nl"), ("en", "en_GB")])
async def test_a_notice_is_only_the_approved_template(setup: Setup, lang: Lang, code: str) -> None:
    message = OutboundMessage(
        CUSTOMER,
        "Je toestemming verloopt over 5 dagen.",
        ("Verlengen", "Later"),
        image=PNG,
        image_alt="grafiek",
        link=LINK,
        purpose="notice",
        lang=lang,
        notice_parameters=("Kluisbank",),
    )
    sent = await setup.channel.send(message)
    (request,) = setup.graph.requests
    assert str(request.url) == MESSAGES_URL
    assert json.loads(request.content) == sent_to(
        {
            "type": "template",
            "template": {
                "name": "kluis_notice",
                "language": {"code": code},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "Kluisbank"}]}
                ],
            },
        }
    )
    assert b"toestemming" not in request.content
    assert sent == "wamid.sent-1"


async def test_a_notice_uses_the_configured_template(tmp_path: Path) -> None:
    graph = Graph()
    async with httpx.AsyncClient(transport=httpx.MockTransport(graph.handle)) as http:
        settings = make_settings(tmp_path, whatsapp_utility_template="bank_bericht_v2")
        channel = WhatsAppChannel(settings, PlatformAPI(http))
        await channel.send(OutboundMessage(CUSTOMER, "geheim", purpose="notice"))
    (body,) = graph.bodies()
    assert body == sent_to(
        {"type": "template", "template": {"name": "bank_bericht_v2", "language": {"code": "nl"}}}
    )


async def test_an_update_inside_the_window_is_a_normal_message(setup: Setup) -> None:
    await setup.channel.send(OutboundMessage(CUSTOMER, "Je pas is verlopen.", purpose="update"))
    assert setup.graph.bodies() == [sent_to(text_content("Je pas is verlopen."))]


async def test_nothing_to_say_sends_nothing(setup: Setup) -> None:
    assert await setup.channel.send(OutboundMessage(CUSTOMER, "")) is None
    assert setup.graph.requests == []


# -- retries and failures ------------------------------------------------------------


async def test_a_rate_limit_is_waited_out(setup: Setup) -> None:
    setup.graph.failures = [429]
    sent = await setup.channel.send(OutboundMessage(CUSTOMER, "Je saldo is € 12,00."))
    assert setup.sleeps == [2.0]  # Meta's Retry-After
    first, second = setup.graph.bodies()
    assert first == second == sent_to(text_content("Je saldo is € 12,00."))
    assert sent == "wamid.sent-2"


async def test_a_platform_that_keeps_failing_raises_platform_error(setup: Setup) -> None:
    setup.graph.failures = [500] * 10
    with pytest.raises(PlatformError) as failed:
        await setup.channel.send(OutboundMessage(CUSTOMER, "Je saldo is € 12,00."))
    assert (failed.value.status, failed.value.code) == (500, "http_500:131000")
    assert len(setup.graph.requests) == 4
    assert len(setup.sleeps) == 3


async def test_a_refused_send_is_not_retried(setup: Setup) -> None:
    setup.graph.failures = [400]
    with pytest.raises(PlatformError) as failed:
        await setup.channel.send(OutboundMessage(CUSTOMER, "Hallo"))
    assert (failed.value.status, failed.value.code) == (400, "http_400:131047")
    assert len(setup.graph.requests) == 1
    assert setup.sleeps == []


async def test_a_failure_halfway_stops_the_rest(setup: Setup) -> None:
    setup.graph.fail_at = {2: 400}  # the text went out, the buttons are refused
    text = " ".join(["Dit zijn je uitgaven per categorie."] * 40)
    with pytest.raises(PlatformError):
        await setup.channel.send(
            OutboundMessage(
                CUSTOMER,
                text,
                ("Ja", "Nee"),
            )
        )
    assert len(setup.graph.requests) == 2
    assert [body["type"] for body in setup.graph.bodies()] == ["text", "interactive"]


# -- acknowledging -------------------------------------------------------------------


async def test_a_message_is_marked_read_with_a_typing_indicator(setup: Setup) -> None:
    inbound = InboundMessage("whatsapp", WAMID, CUSTOMER, text="saldo", message_id=WAMID)
    await setup.channel.acknowledge(inbound)
    (request,) = setup.graph.requests
    assert str(request.url) == MESSAGES_URL
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": WAMID,
        "typing_indicator": {"type": "text"},
    }


async def test_a_parsed_message_can_be_acknowledged(setup: Setup) -> None:
    (inbound,) = setup.channel.parse(one_message("text", {"body": "saldo"}))
    await setup.channel.acknowledge(inbound)
    assert setup.graph.bodies()[0]["message_id"] == WAMID


@pytest.mark.parametrize(
    "inbound",
    [
        InboundMessage(
            "whatsapp",
            "status:wamid.1:read",
            CUSTOMER,
            kind="status",
            payload="read",
            message_id="wamid.1",
        ),
        InboundMessage("whatsapp", WAMID, CUSTOMER, kind="unlinked", message_id=WAMID),
        InboundMessage("whatsapp", WAMID, CUSTOMER, text="saldo"),
    ],
    ids=["status", "unlinked", "no message id"],
)
async def test_only_customer_messages_are_acknowledged(
    setup: Setup, inbound: InboundMessage
) -> None:
    await setup.channel.acknowledge(inbound)
    assert setup.graph.requests == []


# -- the conformance driver agrees with the adapter ---------------------------------


async def test_the_drivers_events_parse_as_the_customer_meant(channel: WhatsAppChannel) -> None:
    body = DRIVER.text_event(CUSTOMER, "wat is mijn saldo?", "wamid.driver-1")
    await channel.verify(body, DRIVER.genuine(body))
    (text,) = channel.parse(body)
    assert (text.user_id, text.text, text.event_id) == (
        CUSTOMER,
        "wat is mijn saldo?",
        "wamid.driver-1",
    )
    tap = DRIVER.button_event(CUSTOMER, "Uitgaven deze maand", "Uitgaven deze maand", "wamid.2")
    (button,) = channel.parse(tap)
    assert (button.text, button.event_id) == ("Uitgaven deze maand", "wamid.2")
    with pytest.raises(Forbidden):
        await channel.verify(body, DRIVER.forged(body))
    with pytest.raises(Unauthorized):
        await channel.verify(body, DRIVER.missing(body))
    assert APP_SECRET not in json.dumps(DRIVER.forged(body))
