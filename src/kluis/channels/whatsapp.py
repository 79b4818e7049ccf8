"""The WhatsApp Cloud API channel: Meta's signed webhooks in, Graph API messages out.

    channel = WhatsAppChannel(settings, api)
    channel.handshake(query)            # the GET subscription check: hub.challenge or None
    await channel.verify(body, headers) # X-Hub-Signature-256 over the raw body, app secret
    channel.parse(body)                 # messages and statuses of our phone number, in order
    await channel.send(outbound)        # text, reply buttons, a list, a link, a chart, or
                                        # the approved utility template outside the window

WhatsApp shows at most three reply buttons and ten list rows, with short titles. A button's
id is its full option title, so a tap comes back as exactly what the customer chose.
WhatsApp has no handover protocol: a person at the bank takes over in Kluis's own queue.
The sender's profile name, which Meta sends along, is never read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from kluis.channels.base import (
    Channel,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    numbered,
    split_text,
    timestamp,
)
from kluis.channels.meta import check_hub_signature, hub_challenge
from kluis.channels.platform_api import PlatformError
from kluis.channels.texts import Lang
from kluis.config import secret

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
Content = dict[str, Any]

_OBJECT = "whatsapp_business_account"
_EPOCH = datetime.fromtimestamp(0, UTC)

# Meta's limits on interactive messages.
_MAX_BODY = 1024
_MAX_CAPTION = 1024
_MAX_BUTTONS = 3
_MAX_BUTTON_TITLE = 20
_MAX_BUTTON_ID = 256
_MAX_ROWS = 10
_MAX_ROW_TITLE = 24
_MAX_ROW_DESCRIPTION = 72
_MAX_ROW_ID = 200
_MAX_LINK_TITLE = 20

# Messages Kluis cannot read: the customer is asked to write instead.
UNSUPPORTED = frozenset({"image", "audio", "video", "document", "sticker", "location", "contacts"})
STATUSES = frozenset({"sent", "delivered", "read", "failed"})
TEMPLATE_LANGUAGES: dict[Lang, str] = {"nl": "nl", "en": "en_GB"}

# What an interactive message says when the text itself was too long to be its body and
# went out just before it.
SHORT_BODIES: dict[str, dict[Lang, str]] = {
    "choose": {"nl": "Maak hieronder je keuze.", "en": "Please make your choice below."},
    "link": {
        "nl": "Met de knop hieronder ga je verder.",
        "en": "Please use the button below to continue.",
    },
}
LIST_BUTTON: dict[Lang, str] = {"nl": "Kies", "en": "Choose"}


def _required(data: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise MalformedWebhook(f"{key} missing or of the wrong type")
    return value


def _objects(data: Mapping[str, Any], key: str, *, optional: bool = False) -> list[dict[str, Any]]:
    """The list of objects under `key` ([] when optional and absent)."""
    value = data.get(key)
    if value is None and optional:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MalformedWebhook(f"{key} is not a list of objects")
    return value


def _moment(data: Mapping[str, Any]) -> datetime:
    value = data.get("timestamp")
    at = timestamp(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if at is None:
        raise MalformedWebhook("timestamp missing or unreadable")
    return at


def _cut(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters with an ellipsis, after a whole word when
    that keeps at least two thirds of the room."""
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    space = room.rfind(" ")
    if space >= 2 * limit // 3:
        room = room[:space]
    return room.rstrip(" ,.;:-") + "…"


def _unique(values: list[str]) -> bool:
    return len(set(values)) == len(values) and all(value.strip() for value in values)


class WhatsAppChannel(Channel):
    """WhatsApp through Meta's Cloud API, for the one business phone number configured."""

    name: ClassVar[str] = "whatsapp"
    window: ClassVar[timedelta | None] = timedelta(hours=24)
    max_text: ClassVar[int] = 4096

    # -- webhooks ----------------------------------------------------------------------

    def handshake(self, query: Mapping[str, str]) -> str | None:
        return hub_challenge(query, secret(self.settings.whatsapp_verify_token))

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        check_hub_signature(body, headers, secret(self.settings.whatsapp_app_secret))

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise MalformedWebhook("not JSON") from error
        if not isinstance(document, dict) or document.get("object") != _OBJECT:
            raise MalformedWebhook("not a WhatsApp Business Account webhook")
        events: list[InboundMessage] = []
        for entry in _objects(document, "entry"):
            for change in _objects(entry, "changes"):
                events.extend(self._change(change))
        # Meta does not promise the order; the customer's own order is the timestamps'.
        return sorted(events, key=lambda event: event.at or _EPOCH)

    def _change(self, change: Mapping[str, Any]) -> list[InboundMessage]:
        field = _required(change, "field", str)
        value = _required(change, "value", dict)
        if field != "messages":
            return []
        metadata = _required(value, "metadata", dict)
        number = _required(metadata, "phone_number_id", str)
        if number != self.settings.whatsapp_phone_number_id:
            return []  # another business number on the same account: not ours to answer
        events = [self._message(item) for item in _objects(value, "messages", optional=True)]
        events += [self._status(item) for item in _objects(value, "statuses", optional=True)]
        return [event for event in events if event is not None]

    def _message(self, item: Mapping[str, Any]) -> InboundMessage | None:
        sender = _required(item, "from", str)
        message_id = _required(item, "id", str)
        kind = _required(item, "type", str)
        at = _moment(item)

        def inbound(text: str, **extra: str) -> InboundMessage:
            return InboundMessage(
                self.name,
                message_id,
                sender,
                text=text,
                at=at,
                message_id=message_id,
                extra=dict(extra),
            )

        if kind == "text":
            return inbound(_required(_required(item, "text", dict), "body", str))
        if kind == "interactive":
            reply = _interactive_reply(_required(item, "interactive", dict))
            return inbound(reply) if reply is not None else None
        if kind == "button":
            return inbound(_template_reply(_required(item, "button", dict)))
        if kind in UNSUPPORTED:
            return inbound("", unsupported=kind)
        if kind == "system":
            system = _required(item, "system", dict)
            if system.get("type") == "user_changed_number":
                # The link belonged to the old number; the new one must link again.
                return InboundMessage(
                    self.name, message_id, sender, kind="unlinked", at=at, message_id=message_id
                )
        logger.debug("whatsapp message of type %s left out", kind[:32])
        return None

    def _status(self, item: Mapping[str, Any]) -> InboundMessage | None:
        message_id = _required(item, "id", str)
        status = _required(item, "status", str)
        recipient = _required(item, "recipient_id", str)
        at = _moment(item)
        if status not in STATUSES:
            return None
        extra: dict[str, str] = {}
        errors = _objects(item, "errors", optional=True)
        if errors and errors[0].get("code") is not None:
            extra["error"] = str(errors[0]["code"])[:32]
        return InboundMessage(
            self.name,
            f"status:{message_id}:{status}",
            recipient,
            kind="status",
            payload=status,
            at=at,
            message_id=message_id,
            extra=extra,
        )

    # -- sending -----------------------------------------------------------------------

    async def send(self, message: OutboundMessage) -> str | None:
        if message.purpose == "notice":
            # Outside the 24-hour window only an approved template may go out, and it says
            # nothing but that there is a message.
            return await self._post(message.user_id, self._template(message))
        last: str | None = None
        if message.image is not None:
            last = await self._send_image(message.user_id, message.image, message.image_alt)
        for content in self._contents(message):
            last = await self._post(message.user_id, content) or last
        return last

    async def acknowledge(self, inbound: InboundMessage) -> None:
        """Mark the customer's message read and show that Kluis is typing, in one call."""
        if inbound.kind != "message" or not inbound.message_id:
            return
        await self.api.post(
            self._url("messages"),
            json={
                "messaging_product": "whatsapp",
                "status": "read",
                "message_id": inbound.message_id,
                "typing_indicator": {"type": "text"},
            },
            headers=self._authorization(),
        )

    def _contents(self, message: OutboundMessage) -> list[Content]:
        """The messages (their type-specific part) that carry the text and its options."""
        buttons = message.buttons
        if message.link is not None:
            # One message carries one kind of interaction: options become numbers.
            cta = _link_action(message.link)
            return self._interactive(numbered(message.text, buttons), cta, "link", message.lang)
        if 1 <= len(buttons) <= _MAX_BUTTONS and (action := _button_action(buttons)):
            return self._interactive(message.text, action, "choose", message.lang)
        if _MAX_BUTTONS < len(buttons) <= _MAX_ROWS and (
            action := _list_action(buttons, message.lang)
        ):
            return self._interactive(message.text, action, "choose", message.lang)
        return [_text(part) for part in split_text(numbered(message.text, buttons), self.max_text)]

    def _interactive(
        self, text: str, interactive: Content, short: str, lang: Lang
    ) -> list[Content]:
        """An interactive message with `text` as its body; a text too long for a body goes
        first on its own and the interactive message gets a short body."""
        leading: list[Content] = []
        body = text
        if not text.strip() or len(text) > _MAX_BODY:
            leading = [_text(part) for part in split_text(text, self.max_text)]
            body = SHORT_BODIES[short][lang]
        return [
            *leading,
            {"type": "interactive", "interactive": {**interactive, "body": {"text": body}}},
        ]

    def _template(self, message: OutboundMessage) -> Content:
        template: Content = {
            "name": self.settings.whatsapp_utility_template,
            "language": {"code": TEMPLATE_LANGUAGES[message.lang]},
        }
        if message.notice_parameters:
            parameters = [{"type": "text", "text": text} for text in message.notice_parameters]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {"type": "template", "template": template}

    async def _send_image(self, user_id: str, image: bytes, alt: str) -> str | None:
        answer = await self.api.post(
            self._url("media"),
            data={"messaging_product": "whatsapp", "type": "image/png"},
            files={"file": ("chart.png", image, "image/png")},
            headers=self._authorization(),
        )
        media_id = answer.get("id")
        if not isinstance(media_id, str | int) or isinstance(media_id, bool) or not media_id:
            raise PlatformError("media_id_missing")
        content: Content = {"id": str(media_id)}
        if alt.strip():
            content["caption"] = _cut(alt, _MAX_CAPTION)
        return await self._post(user_id, {"type": "image", "image": content})

    async def _post(self, user_id: str, content: Content) -> str | None:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": user_id,
            **content,
        }
        answer = await self.api.post(
            self._url("messages"), json=body, headers=self._authorization()
        )
        return _sent_id(answer)

    def _url(self, endpoint: str) -> str:
        base = self.settings.whatsapp_api_base.rstrip("/")
        return f"{base}/{self.settings.whatsapp_phone_number_id}/{endpoint}"

    def _authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret(self.settings.whatsapp_token)}"}


def _interactive_reply(interactive: Mapping[str, Any]) -> str | None:
    """The id of a tapped reply button or chosen list row: the option's full title."""
    kind = interactive.get("type")
    if kind not in ("button_reply", "list_reply"):
        return None  # flows and other interactive answers Kluis never asks for
    reply = _required(interactive, str(kind), dict)
    return _required(reply, "id", str)


def _template_reply(button: Mapping[str, Any]) -> str:
    """A template's quick reply: its payload, or the button's text without one."""
    for key in ("payload", "text"):
        value = button.get(key)
        if isinstance(value, str) and value:
            return value
    raise MalformedWebhook("button without payload or text")


def _text(body: str) -> Content:
    return {"type": "text", "text": {"body": body, "preview_url": False}}


def _button_action(options: tuple[str, ...]) -> Content | None:
    """Reply buttons, or None when their shortened titles would not be told apart."""
    titles = [_cut(option, _MAX_BUTTON_TITLE) for option in options]
    ids = [option[:_MAX_BUTTON_ID] for option in options]
    if not _unique(titles) or not _unique(ids):
        return None
    buttons = [
        {"type": "reply", "reply": {"id": key, "title": title}}
        for key, title in zip(ids, titles, strict=True)
    ]
    return {"type": "button", "action": {"buttons": buttons}}


def _list_action(options: tuple[str, ...], lang: Lang) -> Content | None:
    """A list of rows, or None when their shortened titles would not be told apart."""
    titles = [_cut(option, _MAX_ROW_TITLE) for option in options]
    ids = [option[:_MAX_ROW_ID] for option in options]
    if not _unique(titles) or not _unique(ids):
        return None
    rows: list[Content] = []
    for key, title, option in zip(ids, titles, options, strict=True):
        row: Content = {"id": key, "title": title}
        if title != option:  # the whole option stays readable under its short title
            row["description"] = _cut(option, _MAX_ROW_DESCRIPTION)
        rows.append(row)
    return {
        "type": "list",
        "action": {"button": LIST_BUTTON[lang], "sections": [{"rows": rows}]},
    }


def _link_action(link: tuple[str, str]) -> Content:
    title, url = link
    return {
        "type": "cta_url",
        "action": {
            "name": "cta_url",
            "parameters": {"display_text": _cut(title, _MAX_LINK_TITLE), "url": url},
        },
    }


def _sent_id(answer: Mapping[str, Any]) -> str | None:
    """`messages[0].id` of the Graph API's answer to a send."""
    messages = answer.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        message_id = messages[0].get("id")
        if isinstance(message_id, str) and message_id:
            return message_id
    return None
