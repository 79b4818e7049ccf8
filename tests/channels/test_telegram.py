"""The Telegram adapter against a fake Bot API: the secret token, every kind of update,
private chats only, sending text, keyboards, links and pictures, and no token in any log."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
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
from kluis.channels.telegram import TelegramChannel, callback_data
from kluis.config import Settings, load_settings
from kluis.privacy.log_redaction import QUIET_LOGGERS
from tests.channels.drivers import Driver, Recorded
from tests.channels.drivers.telegram import DRIVER, TelegramDriver

TOKEN = "7345123456:AAH-b0tT0kenThatMustNeverBeLogged_x9"
SECRET = "webhook-secret_42"
API = "https://telegram.test"
CHAT_ID = 81234567
Handler = Callable[[httpx.Request], httpx.Response]


class FakeTelegram:
    """The Bot API: records each call and answers as Telegram does, or as a test says."""

    def __init__(self, answers: list[httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = list(answers or [])
        self.next_id = 100

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answers:
            return self.answers.pop(0)
        if request.url.path.endswith(("/sendMessage", "/sendPhoto")):
            self.next_id += 1
            return httpx.Response(200, json={"ok": True, "result": {"message_id": self.next_id}})
        return httpx.Response(200, json={"ok": True, "result": True})

    def methods(self) -> list[str]:
        return [request.url.path.rsplit("/", 1)[-1] for request in self.requests]

    def bodies(self, method: str) -> list[dict[str, Any]]:
        return [
            json.loads(request.content)
            for request in self.requests
            if request.url.path.endswith(f"/{method}")
        ]


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def telegram_settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        telegram_bot_token=TOKEN,
        telegram_secret_token=SECRET,
        telegram_api_base=API,
    )


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def channel(telegram_settings: Settings, fake: FakeTelegram, sleeps: Sleeps) -> TelegramChannel:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    return TelegramChannel(telegram_settings, PlatformAPI(http, sleep=sleeps))


def update(update_id: int = 5001, /, **part: Any) -> bytes:
    return json.dumps({"update_id": update_id, **part}).encode()


def message(
    text: str | None = "hallo", chat_type: str = "private", /, **more: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 77,
        "from": {"id": CHAT_ID, "is_bot": False, "first_name": "Sanne", "language_code": "nl"},
        "chat": {"id": CHAT_ID, "type": chat_type, "first_name": "Sanne"},
        "date": 1767225600,
        **more,
    }
    if text is not None:
        body["text"] = text
    return body


def callback(data: str | None = "Saldo", with_message: bool = True, **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "4382bfdwdsb323b2d9",
        "from": {"id": CHAT_ID, "is_bot": False, "first_name": "Sanne", "language_code": "en"},
        "chat_instance": "-1234",
        **more,
    }
    if with_message:
        body["message"] = message("Waarmee kan ik helpen?")
    if data is not None:
        body["data"] = data
    return body


def membership(status: str, chat_type: str = "private") -> dict[str, Any]:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Sanne"}
    bot = {"id": 7345123456, "is_bot": True, "first_name": "Kluis"}
    return {
        "chat": {"id": CHAT_ID, "type": chat_type},
        "from": user,
        "date": 1767225700,
        "old_chat_member": {"status": "member", "user": bot},
        "new_chat_member": {"status": status, "user": bot, "until_date": 0},
    }


def only(channel: TelegramChannel, body: bytes) -> InboundMessage:
    found = channel.parse(body)
    assert len(found) == 1
    return found[0]


def form_parts(request: httpx.Request) -> dict[str, Message]:
    """The fields of a multipart/form-data request, by name."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    parsed = BytesParser(policy=HTTP).parsebytes(head + request.content)
    assert parsed.is_multipart()
    parts: dict[str, Message] = {}
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = part
    return parts


def field_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


# --- verify ---------------------------------------------------------------------------


async def test_the_right_secret_token_is_accepted(channel: TelegramChannel) -> None:
    await channel.verify(b"{}", {"X-Telegram-Bot-Api-Secret-Token": SECRET})
    await channel.verify(b"{}", {"x-telegram-bot-api-secret-token": SECRET})


async def test_a_missing_secret_token_is_unauthorized(channel: TelegramChannel) -> None:
    with pytest.raises(Unauthorized):
        await channel.verify(b"{}", {})
    with pytest.raises(Unauthorized):
        await channel.verify(b"{}", {"X-Telegram-Bot-Api-Secret-Token": ""})


@pytest.mark.parametrize(
    "given", ["webhook-secret_43", SECRET[:-1], SECRET + "x", "wébhook-secret_42", TOKEN]
)
async def test_a_wrong_secret_token_is_forbidden(channel: TelegramChannel, given: str) -> None:
    with pytest.raises(Forbidden):
        await channel.verify(b"{}", {"X-Telegram-Bot-Api-Secret-Token": given})


# --- parse: messages ------------------------------------------------------------------


def test_a_text_message(channel: TelegramChannel) -> None:
    inbound = only(channel, update(message=message("wat is mijn saldo?")))
    assert inbound == InboundMessage(
        channel="telegram",
        event_id="5001",
        user_id=str(CHAT_ID),
        kind="message",
        text="wat is mijn saldo?",
        at=datetime(2026, 1, 1, tzinfo=UTC),
        locale="nl",
        message_id="77",
    )
    assert inbound.language == "nl"


def test_start_with_a_deep_link_code(channel: TelegramChannel) -> None:
    code = "aB3_x-9" * 9  # 63 characters
    inbound = only(channel, update(message=message(f"/start {code}")))
    assert (inbound.kind, inbound.payload, inbound.user_id) == ("start", code, str(CHAT_ID))
    assert only(channel, update(message=message("/start@KluisBot abc"))).payload == "abc"


def test_start_without_a_code(channel: TelegramChannel) -> None:
    inbound = only(channel, update(message=message("/start")))
    assert (inbound.kind, inbound.payload) == ("start", "")


@pytest.mark.parametrize("code", ["abc!def", "a" * 65, "abc def", "../etc", "c%C3%A9", "ünï"])
def test_start_with_an_invalid_code_carries_no_code(channel: TelegramChannel, code: str) -> None:
    inbound = only(channel, update(message=message(f"/start {code}")))
    assert (inbound.kind, inbound.payload) == ("start", "")


def test_help_becomes_the_word_help(channel: TelegramChannel) -> None:
    inbound = only(channel, update(message=message("/help")))
    assert (inbound.kind, inbound.text) == ("message", "help")
    assert only(channel, update(message=message("/startpagina"))).text == "/startpagina"


@pytest.mark.parametrize(
    ("content", "value"),
    [
        ("photo", [{"file_id": "f", "file_unique_id": "u", "width": 90, "height": 90}]),
        ("voice", {"file_id": "f", "file_unique_id": "u", "duration": 3}),
        ("sticker", {"file_id": "f", "file_unique_id": "u", "type": "regular"}),
        ("document", {"file_id": "f", "file_unique_id": "u"}),
    ],
)
def test_a_message_without_text_is_unsupported(
    channel: TelegramChannel, content: str, value: object
) -> None:
    inbound = only(channel, update(message=message(None, **{content: value, "caption": "kijk"})))
    assert (inbound.kind, inbound.text) == ("message", "")
    assert inbound.extra == {"unsupported": content}
    assert inbound.user_id == str(CHAT_ID)


def test_a_venue_is_named_as_a_venue_not_a_location(channel: TelegramChannel) -> None:
    place = {"latitude": 52.37, "longitude": 4.89}
    venue = {"location": place, "title": "Dam", "address": "Dam 1"}
    inbound = only(channel, update(message=message(None, venue=venue, location=place)))
    assert inbound.extra == {"unsupported": "venue"}


def test_a_service_message_needs_no_answer(channel: TelegramChannel) -> None:
    timer = {"message_auto_delete_time": 86400}
    assert (
        channel.parse(update(message=message(None, message_auto_delete_timer_changed=timer))) == []
    )


@pytest.mark.parametrize("chat_type", ["group", "supergroup", "channel"])
def test_messages_outside_private_chats_are_left_out(
    channel: TelegramChannel, chat_type: str
) -> None:
    assert channel.parse(update(message=message("saldo", chat_type))) == []
    assert channel.parse(update(message=message("/start abc", chat_type))) == []


@pytest.mark.parametrize("name", ["edited_message", "channel_post", "business_message"])
def test_other_kinds_of_update_are_left_out(channel: TelegramChannel, name: str) -> None:
    assert channel.parse(update(**{name: message("saldo")})) == []
    assert channel.parse(update(inline_query={"id": "1", "query": "saldo"})) == []


# --- parse: callback queries and membership -------------------------------------------


def test_a_tapped_button(channel: TelegramChannel) -> None:
    inbound = only(channel, update(5002, callback_query=callback("Saldo")))
    assert inbound == InboundMessage(
        channel="telegram",
        event_id="5002",
        user_id=str(CHAT_ID),
        kind="message",
        text="Saldo",
        locale="en",
        message_id="4382bfdwdsb323b2d9",
        extra={"callback": "1"},
    )


def test_a_tapped_button_without_its_message_answers_the_sender(channel: TelegramChannel) -> None:
    inbound = only(channel, update(callback_query=callback("2", with_message=False)))
    assert (inbound.user_id, inbound.text) == (str(CHAT_ID), "2")


def test_a_button_in_a_group_or_a_game_is_left_out(channel: TelegramChannel) -> None:
    query = callback("Saldo")
    query["message"] = message("kies", "group")
    assert channel.parse(update(callback_query=query)) == []
    assert channel.parse(update(callback_query=callback(None, game_short_name="g"))) == []


def test_blocking_and_unblocking_the_bot(channel: TelegramChannel) -> None:
    blocked = only(channel, update(6001, my_chat_member=membership("kicked")))
    assert (blocked.kind, blocked.user_id, blocked.event_id) == ("blocked", str(CHAT_ID), "6001")
    unblocked = only(channel, update(6002, my_chat_member=membership("member")))
    assert unblocked.kind == "unblocked"
    assert channel.parse(update(my_chat_member=membership("administrator"))) == []
    assert channel.parse(update(my_chat_member=membership("kicked", "group"))) == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"update"',
        b"{}",
        b'{"update_id": "5001"}',
        b'{"update_id": true}',
        b'{"update_id": 1.5}',
        b'{"update_id": 1, "message": "hallo"}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "hi"}}',
        b'{"update_id": 1, "message": {"message_id": 1, "chat": {"type": "private"}}}',
        b'{"update_id": 1, "message": {"chat": {"id": 5, "type": "private"}, "text": "x"}}',
        b'{"update_id": 1, "callback_query": {"from": {"id": 5}, "data": "x"}}',
        b'{"update_id": 1, "callback_query": {"id": "q", "data": "x"}}',
        b'{"update_id": 1, "my_chat_member": {"new_chat_member": {"status": "kicked"}}}',
    ],
)
def test_a_body_not_shaped_as_an_update_is_malformed(channel: TelegramChannel, body: bytes) -> None:
    with pytest.raises(MalformedWebhook):
        channel.parse(body)


# --- send -----------------------------------------------------------------------------


async def test_sending_text(channel: TelegramChannel, fake: FakeTelegram) -> None:
    sent = await channel.send(
        OutboundMessage(str(CHAT_ID), "Je saldo is € 1.234,56.", protect=True)
    )
    assert sent == "101"
    [request] = fake.requests
    assert request.method == "POST"
    assert str(request.url) == f"{API}/bot{TOKEN}/sendMessage"
    assert json.loads(request.content) == {
        "chat_id": CHAT_ID,
        "text": "Je saldo is € 1.234,56.",
        "protect_content": True,
    }


async def test_protect_content_follows_the_message(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    await channel.send(OutboundMessage(str(CHAT_ID), "Welkom terug!"))
    assert fake.bodies("sendMessage")[0]["protect_content"] is False


async def test_a_notice_is_an_ordinary_message(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    notice = OutboundMessage(str(CHAT_ID), "Er staat een bericht voor je klaar.", purpose="notice")
    assert await channel.send(notice) == "101"
    assert fake.methods() == ["sendMessage"]
    assert fake.bodies("sendMessage")[0]["text"] == "Er staat een bericht voor je klaar."


async def test_long_text_is_split_with_the_keyboard_on_the_last_part(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    first, second = "a " * 1500, "b " * 1500
    text = f"{first.strip()}\n\n{second.strip()}"
    sent = await channel.send(OutboundMessage(str(CHAT_ID), text, buttons=("Ja", "Nee")))
    bodies = fake.bodies("sendMessage")
    assert [body["text"] for body in bodies] == [first.strip(), second.strip()]
    assert all(len(body["text"]) <= TelegramChannel.max_text for body in bodies)
    assert "reply_markup" not in bodies[0]
    assert bodies[1]["reply_markup"]["inline_keyboard"] == [
        [{"text": "Ja", "callback_data": "Ja"}],
        [{"text": "Nee", "callback_data": "Nee"}],
    ]
    assert sent == "102"  # the last message's id


async def test_long_button_titles_send_their_number(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    euros = "€" * 22  # 22 characters, 66 bytes
    buttons = ("Saldo", euros, "x" * 64, "y" * 65)
    await channel.send(OutboundMessage(str(CHAT_ID), "Kies:", buttons=buttons))
    keyboard = fake.bodies("sendMessage")[0]["reply_markup"]["inline_keyboard"]
    assert keyboard == [
        [{"text": "Saldo", "callback_data": "Saldo"}],
        [{"text": euros, "callback_data": "2"}],
        [{"text": "x" * 64, "callback_data": "x" * 64}],
        [{"text": "y" * 65, "callback_data": "4"}],
    ]
    assert callback_data("", 3) == "3"


async def test_a_link_is_a_url_button(channel: TelegramChannel, fake: FakeTelegram) -> None:
    link = ("Koppel je bank", "https://kluis.example/link/abc")
    await channel.send(OutboundMessage(str(CHAT_ID), "Koppel eerst je bank.", link=link))
    markup = fake.bodies("sendMessage")[0]["reply_markup"]
    assert markup == {
        "inline_keyboard": [[{"text": "Koppel je bank", "url": "https://kluis.example/link/abc"}]]
    }


async def test_a_picture_is_uploaded_before_the_text(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    message = OutboundMessage(
        str(CHAT_ID),
        "Zo gaf je je geld uit.",
        image=png,
        image_alt="Uitgaven per categorie " + "x" * 2000,
        protect=True,
        buttons=("Meer",),
    )
    assert await channel.send(message) == "102"
    assert fake.methods() == ["sendPhoto", "sendMessage"]
    upload = fake.requests[0]
    assert str(upload.url) == f"{API}/bot{TOKEN}/sendPhoto"
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = form_parts(upload)
    assert field_text(parts["chat_id"]) == str(CHAT_ID)
    caption = field_text(parts["caption"])
    assert caption.startswith("Uitgaven per categorie ")
    assert len(caption) == 1024
    assert field_text(parts["protect_content"]) == "true"
    photo = parts["photo"]
    assert photo.get_content_type() == "image/png"
    assert photo.get_filename() == "chart.png"
    assert photo.get_payload(decode=True) == png
    text = fake.bodies("sendMessage")[0]
    assert text["text"] == "Zo gaf je je geld uit."
    assert text["reply_markup"]["inline_keyboard"] == [[{"text": "Meer", "callback_data": "Meer"}]]


async def test_a_refusal_in_the_body_is_a_platform_error(telegram_settings: Settings) -> None:
    refused = httpx.Response(
        200, json={"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    )
    fake = FakeTelegram([refused])
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    channel = TelegramChannel(telegram_settings, PlatformAPI(http, sleep=Sleeps()))
    with pytest.raises(PlatformError) as raised:
        await channel.send(OutboundMessage(str(CHAT_ID), "hallo"))
    assert raised.value.status == 400
    assert TOKEN not in str(raised.value)


async def test_a_blocked_chat_is_refused_without_retrying(telegram_settings: Settings) -> None:
    blocked = httpx.Response(
        403, json={"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}
    )
    fake = FakeTelegram([blocked])
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    channel = TelegramChannel(telegram_settings, PlatformAPI(http, sleep=Sleeps()))
    with pytest.raises(PlatformError) as raised:
        await channel.send(OutboundMessage(str(CHAT_ID), "hallo"))
    assert (raised.value.status, raised.value.code) == (403, "http_403:403")
    assert len(fake.requests) == 1


async def test_too_many_requests_is_retried(telegram_settings: Settings) -> None:
    flood = httpx.Response(
        429,
        headers={"Retry-After": "3"},
        json={"ok": False, "error_code": 429, "parameters": {"retry_after": 3}},
    )
    fake = FakeTelegram([flood])
    sleeps = Sleeps()
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    channel = TelegramChannel(telegram_settings, PlatformAPI(http, sleep=sleeps))
    assert await channel.send(OutboundMessage(str(CHAT_ID), "hallo")) == "101"
    assert len(fake.requests) == 2
    assert sleeps.waits == [3.0]
    assert fake.bodies("sendMessage")[0] == fake.bodies("sendMessage")[1]


# --- acknowledge ----------------------------------------------------------------------


async def test_a_tapped_button_is_answered(channel: TelegramChannel, fake: FakeTelegram) -> None:
    inbound = only(channel, update(callback_query=callback("Saldo")))
    await channel.acknowledge(inbound)
    assert fake.methods() == ["answerCallbackQuery"]
    assert fake.bodies("answerCallbackQuery") == [{"callback_query_id": "4382bfdwdsb323b2d9"}]


async def test_a_message_is_acknowledged_with_typing(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    inbound = only(channel, update(message=message("saldo")))
    await channel.acknowledge(inbound)
    assert fake.bodies("sendChatAction") == [{"chat_id": CHAT_ID, "action": "typing"}]
    assert str(fake.requests[0].url) == f"{API}/bot{TOKEN}/sendChatAction"


# --- the token stays secret -----------------------------------------------------------


@pytest.mark.parametrize("http_lines", [False, True], ids=["production", "http-client-open"])
async def test_no_log_record_or_error_carries_the_bot_token(
    telegram_settings: Settings, caplog: pytest.LogCaptureFixture, http_lines: bool
) -> None:
    if not http_lines:
        for name in QUIET_LOGGERS:  # as `configure_logging` holds them in production
            caplog.set_level(logging.WARNING, logger=name)
    caplog.set_level(logging.DEBUG)  # last: this also opens the capturing handler to DEBUG

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    answers = [
        httpx.Response(200, json={"ok": True, "result": {"message_id": 1}}),
        httpx.Response(200, json={"ok": False, "error_code": 400, "description": "no"}),
        *[httpx.Response(502, text=f"bad gateway for /bot{TOKEN}/sendMessage")] * 4,
        httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"}),
    ]
    fake = FakeTelegram(answers)
    errors: list[PlatformError] = []
    for handler in (fake, fake, fake, fake, unreachable):
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        channel = TelegramChannel(telegram_settings, PlatformAPI(http, sleep=Sleeps()))
        try:
            await channel.send(OutboundMessage(str(CHAT_ID), "hallo", image=b"png"))
        except PlatformError as failed:
            errors.append(failed)
    assert len(errors) == 4
    assert any("telegram" in record.getMessage() for record in caplog.records)
    assert any("http_502" in record.getMessage() for record in caplog.records)
    requests = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert len(requests) == (9 if http_lines else 0)  # every answered request, token hidden
    assert all("/bot[bot token]/send" in line for line in requests)
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in (record.exc_text or "")
    for failure in errors:
        assert TOKEN not in repr(failure)
        assert failure.__cause__ is None
        assert failure.__context__ is None


def test_the_hub_finds_the_adapter() -> None:
    cls = adapter_class("telegram")
    assert cls is TelegramChannel
    assert (TelegramChannel.name, TelegramChannel.window, TelegramChannel.max_text) == (
        "telegram",
        None,
        4096,
    )


# --- the conformance driver plays Telegram as this adapter reads it -------------------


async def test_the_conformance_driver_speaks_this_adapter(tmp_path: Path) -> None:
    assert isinstance(DRIVER, TelegramDriver)
    driver: Driver = TelegramDriver()  # a fresh one: message ids start at 1
    recorded: list[Recorded] = []

    def platform(request: httpx.Request) -> httpx.Response:
        form = {}
        if isinstance(request.content, bytes) and request.url.path.endswith("/sendPhoto"):
            form = {name: field_text(part) for name, part in form_parts(request).items()}
        call = Recorded(
            method=request.method,
            path=request.url.path,
            query=dict(request.url.params),
            headers=dict(request.headers),
            body=request.content,
            json=None if form else json.loads(request.content),
            form={name: value for name, value in form.items() if name != "photo"},
        )
        recorded.append(call)
        status, answer = driver.platform_reply(call)
        return httpx.Response(status, json=answer)

    settings = load_settings(data_dir=tmp_path / "data", **driver.settings("http://127.0.0.1:9"))
    http = httpx.AsyncClient(transport=httpx.MockTransport(platform))
    channel = TelegramChannel(settings, PlatformAPI(http, sleep=Sleeps()))

    body = driver.text_event("user-sanne", "wat is mijn saldo?", "evt-1")
    await channel.verify(body, driver.genuine(body))
    with pytest.raises(Forbidden):
        await channel.verify(body, driver.forged(body))
    with pytest.raises(Unauthorized):
        await channel.verify(body, driver.missing(body))
    assert {Forbidden.status, Unauthorized.status} <= set(driver.rejected_status())
    inbound = only(channel, body)
    assert (inbound.kind, inbound.text) == ("message", "wat is mijn saldo?")
    assert only(channel, driver.text_event("4242", "hoi", "17")).event_id == "17"
    tapped = only(channel, driver.button_event("user-sanne", "Saldo", "Saldo", "evt-2"))
    assert (tapped.text, tapped.user_id, tapped.extra) == (
        "Saldo",
        inbound.user_id,
        {"callback": "1"},
    )

    reply = OutboundMessage(inbound.user_id, "Je saldo is € 12,00.", image=b"png", buttons=("Ja",))
    assert await channel.send(reply) == "2"
    await channel.acknowledge(tapped)
    said = [message for call in recorded for message in driver.sent(call)]
    assert said == [("user-sanne", "Je saldo is € 12,00.")]
    assert driver.spoken({}) == ""
