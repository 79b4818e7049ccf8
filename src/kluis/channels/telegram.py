"""Telegram: Bot API updates in through the webhook, `sendMessage` and `sendPhoto` out.

    POST /webhooks/telegram     one JSON `Update`; the header
                                `X-Telegram-Bot-Api-Secret-Token` carries our secret token
    POST {api_base}/bot{token}/sendMessage, /sendPhoto, /answerCallbackQuery, /sendChatAction

Only private chats are handled: bank data must never reach a group or a channel, so their
updates are left out. A deep link `t.me/<bot>?start=<code>` arrives as `/start <code>` and
becomes a "start" event carrying the code. Buttons are an inline keyboard, one per row; a tap
arrives as a callback query whose data is the button's title (or its number, when the title
is longer than the 64 bytes Telegram allows). The bot token is part of every API URL, so
URLs never reach a log or an exception.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from kluis.channels.base import (
    Channel,
    Forbidden,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    Unauthorized,
    header,
    split_text,
    timestamp,
)
from kluis.channels.platform_api import PlatformAPI, PlatformError
from kluis.config import Settings, secret
from kluis.security import constant_time_equals

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_CALLBACK_BYTES = 64
MAX_CAPTION = 1024
_START_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# What a message without text may carry instead, most specific first (a venue is also a
# location, a live photo also a photo, an animation also a document).
_CONTENT = (
    "venue",
    "location",
    "live_photo",
    "photo",
    "animation",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "sticker",
    "story",
    "paid_media",
    "contact",
    "poll",
    "dice",
    "game",
    "checklist",
    "rich_message",
    "invoice",
)


def _object(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _private_chat(message: dict[str, Any]) -> int | None:
    """The chat id when the message belongs to a private chat; None for groups and
    channels. `MalformedWebhook` when the message has no chat with an id."""
    chat = _object(message.get("chat"))
    chat_id = _integer(chat.get("id")) if chat else None
    if chat is None or chat_id is None:
        raise MalformedWebhook("telegram chat without an id")
    return chat_id if chat.get("type") == "private" else None


def _language(sender: object) -> str | None:
    user = _object(sender)
    code = user.get("language_code") if user else None
    return code if isinstance(code, str) and code else None


def _command(text: str) -> tuple[str, str]:
    """("/start", "abc") for "/start abc" or "/start@KluisBot abc"; ("", "") otherwise."""
    if not text.startswith("/"):
        return "", ""
    word, _, rest = text.partition(" ")
    return word.split("@", 1)[0].lower(), rest.strip()


def _content(message: dict[str, Any]) -> str | None:
    """What a message without text carries, or None for a service message (a pinned
    message, a changed auto-delete timer, ...) that needs no answer."""
    return next((kind for kind in _CONTENT if kind in message), None)


def callback_data(title: str, number: int) -> str:
    """What tapping a button sends back: its title when Telegram can carry it (1 to 64
    bytes), else its number, which the worker maps to the options last offered."""
    size = len(title.encode("utf-8"))
    return title if 0 < size <= MAX_CALLBACK_BYTES else str(number)


class _HideBotToken(logging.Filter):
    """Takes the bot token out of the HTTP client's request lines.

    httpx logs every request's URL at INFO, and Telegram's URLs carry the token. Kluis's
    log setup holds httpx at WARNING; this filter keeps the token out even where a
    deployment or a test lets those lines through."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "[bot token]")
            record.args = None
        return True


def _hide_from_http_logs(token: str) -> None:
    http_logger = logging.getLogger("httpx")
    installed = (f for f in http_logger.filters if isinstance(f, _HideBotToken))
    if token and all(found.token != token for found in installed):
        http_logger.addFilter(_HideBotToken(token))


def _chat_id(user_id: str) -> int | str:
    try:
        return int(user_id)
    except ValueError:
        return user_id


class TelegramChannel(Channel):
    """The Telegram bot: private chats only, inline keyboards, protected content."""

    name: ClassVar[str] = "telegram"
    window = None
    max_text = 4096

    def __init__(self, settings: Settings, api: PlatformAPI) -> None:
        super().__init__(settings, api)
        _hide_from_http_logs(secret(settings.telegram_bot_token))

    # -- inbound ---------------------------------------------------------------------

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        given = header(headers, SECRET_HEADER)
        if not given:
            raise Unauthorized("telegram secret token missing")
        expected = secret(self.settings.telegram_secret_token)
        if not expected or not constant_time_equals(given, expected):
            raise Forbidden("telegram secret token wrong")

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            update = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedWebhook("telegram update is not JSON") from exc
        if not isinstance(update, dict):
            raise MalformedWebhook("telegram update is not an object")
        update_id = _integer(update.get("update_id"))
        if update_id is None:
            raise MalformedWebhook("telegram update without an update_id")
        event_id = str(update_id)
        if "message" in update:
            found = self._message(event_id, self._part(update, "message"))
        elif "callback_query" in update:
            found = self._callback(event_id, self._part(update, "callback_query"))
        elif "my_chat_member" in update:
            found = self._membership(event_id, self._part(update, "my_chat_member"))
        else:
            found = None  # edits, channel posts, inline queries, ...: nothing to answer
        return [found] if found is not None else []

    @staticmethod
    def _part(update: dict[str, Any], name: str) -> dict[str, Any]:
        part = _object(update.get(name))
        if part is None:
            raise MalformedWebhook(f"telegram {name} is not an object")
        return part

    def _message(self, event_id: str, message: dict[str, Any]) -> InboundMessage | None:
        chat_id = _private_chat(message)
        message_id = _integer(message.get("message_id"))
        if message_id is None:
            raise MalformedWebhook("telegram message without a message_id")
        if chat_id is None:
            return None
        common: dict[str, Any] = {
            "channel": self.name,
            "event_id": event_id,
            "user_id": str(chat_id),
            "at": timestamp(_integer(message.get("date"))),
            "locale": _language(message.get("from")),
            "message_id": str(message_id),
        }
        text = message.get("text")
        if not isinstance(text, str):
            content = _content(message)
            if content is None:
                return None
            return InboundMessage(**common, text="", extra={"unsupported": content})
        command, argument = _command(text)
        if command == "/start":
            code = argument if _START_CODE.fullmatch(argument) else ""
            return InboundMessage(**common, kind="start", payload=code)
        if command == "/help":
            return InboundMessage(**common, text="help")
        return InboundMessage(**common, text=text)

    def _callback(self, event_id: str, query: dict[str, Any]) -> InboundMessage | None:
        query_id = query.get("id")
        sender = _object(query.get("from"))
        if not isinstance(query_id, str) or not query_id or sender is None:
            raise MalformedWebhook("telegram callback query without an id or sender")
        message = _object(query.get("message"))
        if message is not None:
            chat_id = _private_chat(message)
        else:  # a button on a message sent in inline mode: the sender's own chat
            chat_id = _integer(sender.get("id"))
            if chat_id is None:
                raise MalformedWebhook("telegram callback query sender without an id")
        data = query.get("data")
        if chat_id is None or not isinstance(data, str) or not data:
            return None  # a group's keyboard, or a game button: nothing Kluis offered
        return InboundMessage(
            channel=self.name,
            event_id=event_id,
            user_id=str(chat_id),
            text=data,
            locale=_language(sender),
            message_id=query_id,
            extra={"callback": "1"},
        )

    def _membership(self, event_id: str, change: dict[str, Any]) -> InboundMessage | None:
        chat_id = _private_chat(change)
        member = _object(change.get("new_chat_member"))
        if chat_id is None or member is None:
            return None
        status = member.get("status")
        if status not in ("kicked", "member"):
            return None
        return InboundMessage(
            channel=self.name,
            event_id=event_id,
            user_id=str(chat_id),
            kind="blocked" if status == "kicked" else "unblocked",
            at=timestamp(_integer(change.get("date"))),
            locale=_language(change.get("from")),
        )

    # -- outbound --------------------------------------------------------------------

    async def send(self, message: OutboundMessage) -> str | None:
        # Telegram has no messaging window: an update or a notice is an ordinary message.
        chat_id = _chat_id(message.user_id)
        sent: str | None = None
        if message.image is not None:
            sent = await self._photo(chat_id, message.image, message.image_alt, message.protect)
        parts = split_text(message.text, self.max_text)
        keyboard = self._keyboard(message)
        for number, part in enumerate(parts, 1):
            body: dict[str, Any] = {
                "chat_id": chat_id,
                "text": part,
                "protect_content": message.protect,
            }
            if keyboard and number == len(parts):
                body["reply_markup"] = {"inline_keyboard": keyboard}
            sent = _message_id(await self._call("sendMessage", json_body=body)) or sent
        return sent

    async def _photo(
        self, chat_id: int | str, image: bytes, caption: str, protect: bool
    ) -> str | None:
        """The picture (a PNG) as a multipart upload, its description as the caption."""
        fields = {
            "chat_id": str(chat_id),
            "caption": caption[:MAX_CAPTION],
            "protect_content": "true" if protect else "false",
        }
        files = {"photo": ("chart.png", image, "image/png")}
        return _message_id(await self._call("sendPhoto", data=fields, files=files))

    @staticmethod
    def _keyboard(message: OutboundMessage) -> list[list[dict[str, str]]]:
        rows = [
            [{"text": title, "callback_data": callback_data(title, number)}]
            for number, title in enumerate(message.buttons, 1)
        ]
        if message.link is not None:
            title, url = message.link
            rows.append([{"text": title, "url": url}])
        return rows

    async def acknowledge(self, inbound: InboundMessage) -> None:
        if inbound.extra.get("callback") and inbound.message_id:
            # Stops the spinner on the button the customer tapped.
            await self._call(
                "answerCallbackQuery", json_body={"callback_query_id": inbound.message_id}
            )
        else:
            body = {"chat_id": _chat_id(inbound.user_id), "action": "typing"}
            await self._call("sendChatAction", json_body=body)

    async def _call(
        self,
        method: str,
        *,
        json_body: dict[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        """One Bot API method; its answer when Telegram says `ok`, else `PlatformError`."""
        token = secret(self.settings.telegram_bot_token)
        url = f"{self.settings.telegram_api_base.rstrip('/')}/bot{token}/{method}"
        answer = await self.api.post(url, json=json_body, data=data, files=files)
        if answer.get("ok") is not True:
            code = _integer(answer.get("error_code"))
            logger.warning("telegram %s refused: %s", method, code)
            raise PlatformError(f"telegram:{code or 'refused'}", status=code)
        return answer


def _message_id(answer: dict[str, Any]) -> str | None:
    result = _object(answer.get("result"))
    message_id = _integer(result.get("message_id")) if result else None
    return str(message_id) if message_id is not None else None
