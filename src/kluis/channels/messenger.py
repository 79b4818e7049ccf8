"""Facebook Messenger: the Messenger Platform's webhooks in, its Send API out.

    GET  /webhooks/messenger   `hub.mode=subscribe` with our verify token -> `hub.challenge`
    POST /webhooks/messenger   `X-Hub-Signature-256` (HMAC-SHA256 of the raw body, keyed
                               with the app secret), then `entry[].messaging[]` events

Messages, postbacks, account linking and the handover protocol's control changes become
`InboundMessage`s; events on `standby` (a person at the bank owns the thread) are left out,
so Kluis never answers in a conversation it does not own. Replies go to `/me/messages`
with the page token: quick replies for buttons, a button template for a link (Messenger's
Log In button for account linking), a chart as an uploaded image. Outside the 24-hour
window only the approved utility template goes out, with neutral parameters and nothing
else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, ClassVar

from kluis.channels.base import (
    Channel,
    InboundKind,
    InboundMessage,
    MalformedWebhook,
    OutboundMessage,
    numbered,
    split_text,
    timestamp,
)
from kluis.channels.meta import check_hub_signature, hub_challenge
from kluis.channels.platform_api import PlatformAPI, PlatformError
from kluis.config import secret

MAX_QUICK_REPLIES = 13
MAX_BUTTON_TITLE = 20
MAX_TEMPLATE_TEXT = 640
MAX_METADATA = 1000
_MESSAGING_TYPES = {"response": "RESPONSE", "update": "UPDATE", "notice": "UTILITY"}
_TEMPLATE_LANGUAGES = {"nl": "nl", "en": "en_GB"}

Json = dict[str, Any]


def _malformed(reason: str) -> MalformedWebhook:
    return MalformedWebhook(f"messenger: {reason}")


def _object(value: object, what: str) -> Json:
    if not isinstance(value, dict):
        raise _malformed(f"{what} is not an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _malformed(f"{what} is not a list")
    return value


def _text(value: object, what: str) -> str:
    """An optional string field ('' when absent)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _malformed(f"{what} is not a string")
    return value


def _sender(event: Json) -> str:
    sender = _object(event.get("sender"), "sender")
    user = sender.get("id")
    if isinstance(user, int) and not isinstance(user, bool):
        user = str(user)
    if not isinstance(user, str) or not user:
        raise _malformed("sender without an id")
    return user


def _timestamp(event: Json) -> int:
    value = event.get("timestamp")
    if not isinstance(value, int) or isinstance(value, bool):
        raise _malformed("event without a timestamp")
    return value


def button_title(title: str) -> str:
    """A button title as Messenger shows it: at most 20 characters."""
    if len(title) <= MAX_BUTTON_TITLE:
        return title
    return title[: MAX_BUTTON_TITLE - 1].rstrip() + "…"


class MessengerChannel(Channel):
    """A Facebook Page's conversations, through the Messenger Platform."""

    name: ClassVar[str] = "messenger"
    window: ClassVar[timedelta | None] = timedelta(hours=24)
    max_text: ClassVar[int] = 2000

    # -- webhooks --------------------------------------------------------------------

    def handshake(self, query: Mapping[str, str]) -> str | None:
        return hub_challenge(query, secret(self.settings.messenger_verify_token))

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        check_hub_signature(body, headers, secret(self.settings.messenger_app_secret))

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _malformed("the body is not JSON") from exc
        data = _object(data, "the body")
        if data.get("object") != "page" or not isinstance(data.get("entry"), list):
            raise _malformed("not a page webhook")
        messages: list[InboundMessage] = []
        for entry in data["entry"]:
            # `standby` events are left out on purpose: another app owns those threads.
            for event in _list(_object(entry, "entry").get("messaging"), "messaging"):
                inbound = self._event(_object(event, "event"))
                if inbound is not None:
                    messages.append(inbound)
        return messages

    def _event(self, event: Json) -> InboundMessage | None:
        if "message" in event:
            return self._message(event)
        if "postback" in event:
            return self._postback(event)
        if "account_linking" in event:
            return self._account_linking(event)
        for kind, owner in (("pass_thread_control", "bot"), ("take_thread_control", "human")):
            if kind in event:
                _object(event[kind], kind)
                return self._inbound(event, "handover", ("handover", kind), payload=owner)
        return None  # reads, deliveries, reactions, referrals, control requests...

    def _inbound(
        self, event: Json, kind: InboundKind, event_id: str | tuple[str, ...], **values: Any
    ) -> InboundMessage:
        """An event of `kind`. `event_id` is the platform's id, or for events that have
        none a tuple (prefix, *details) made unique with the sender and the time."""
        user = _sender(event)
        moment = _timestamp(event)
        if isinstance(event_id, tuple):
            prefix, *rest = event_id
            event_id = ":".join((prefix, user, str(moment), *rest))
        return InboundMessage(
            channel=self.name,
            event_id=event_id,
            user_id=user,
            kind=kind,
            at=timestamp(moment),
            **values,
        )

    def _message(self, event: Json) -> InboundMessage | None:
        message = _object(event["message"], "message")
        if message.get("is_echo"):
            return None  # what the Page itself sent
        mid = _text(message.get("mid"), "message.mid")
        if not mid:
            raise _malformed("message without a mid")
        text = _text(message.get("text"), "message.text")
        quick_reply = message.get("quick_reply")
        if quick_reply is not None:
            # Our quick replies carry the whole button title: that is what was "said".
            text = _text(_object(quick_reply, "quick_reply").get("payload"), "payload") or text
        extra: dict[str, str] = {}
        if not text:
            extra["unsupported"] = self._attachment_type(message)
        return self._inbound(event, "message", mid, text=text, message_id=mid, extra=extra)

    @staticmethod
    def _attachment_type(message: Json) -> str:
        for attachment in _list(message.get("attachments"), "attachments"):
            kind = _object(attachment, "attachment").get("type")
            if isinstance(kind, str) and kind:
                return kind[:32]
        return "unknown"

    def _postback(self, event: Json) -> InboundMessage:
        postback = _object(event["postback"], "postback")
        text = _text(postback.get("payload"), "postback.payload") or _text(
            postback.get("title"), "postback.title"
        )
        mid = _text(postback.get("mid"), "postback.mid")
        event_id: tuple[str, ...] | str = mid or ("postback",)
        return self._inbound(event, "message", event_id, text=text, message_id=mid or None)

    def _account_linking(self, event: Json) -> InboundMessage | None:
        linking = _object(event["account_linking"], "account_linking")
        status = linking.get("status")
        event_id = ("account_linking", str(status))
        if status == "linked":
            code = _text(linking.get("authorization_code"), "authorization_code")
            if not code:
                raise _malformed("linked without an authorization code")
            return self._inbound(event, "linked", event_id, payload=code)
        if status == "unlinked":
            return self._inbound(event, "unlinked", event_id)
        return None

    # -- sending ---------------------------------------------------------------------

    @property
    def _base(self) -> str:
        return self.settings.messenger_api_base.rstrip("/")

    @property
    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret(self.settings.messenger_page_token)}"}

    async def _post(self, path: str, body: Json) -> Json:
        return await self.api.post(f"{self._base}/me/{path}", json=body, headers=self._headers)

    async def _send_one(self, user_id: str, messaging_type: str, message: Json) -> str | None:
        answer = await self._post(
            "messages",
            {"recipient": {"id": user_id}, "messaging_type": messaging_type, "message": message},
        )
        message_id = answer.get("message_id")
        return message_id if isinstance(message_id, str) else None

    async def send(self, message: OutboundMessage) -> str | None:
        messaging_type = _MESSAGING_TYPES[message.purpose]
        if message.purpose == "notice":
            # Outside the window: the approved template only, never the message itself.
            return await self._send_one(message.user_id, messaging_type, self._notice(message))
        last: str | None = None
        if message.image is not None:
            last = await self._upload_image(message.user_id, messaging_type, message.image)
        for part in self._parts(message):
            last = await self._send_one(message.user_id, messaging_type, part) or last
        return last

    def _parts(self, message: OutboundMessage) -> list[Json]:
        """The message bodies to send in order: text parts, then the link as a button
        template, with the quick replies on the last one."""
        buttons = message.buttons
        text = message.text
        if len(buttons) > MAX_QUICK_REPLIES:
            text, buttons = numbered(text, buttons), ()
        texts = split_text(text.strip(), self.max_text)
        if not texts and buttons:
            texts = [numbered("", buttons).strip()]
            buttons = ()
        parts: list[Json] = [{"text": part} for part in texts]
        if message.link is not None:
            title, url = message.link
            template_text = title
            if parts:
                last_text = parts.pop()["text"]
                *before, template_text = split_text(last_text, MAX_TEMPLATE_TEXT)
                parts.extend({"text": part} for part in before)
            parts.append(self._button_template(template_text, title, url, message.account_link))
        if buttons and parts:
            parts[-1]["quick_replies"] = [
                {"content_type": "text", "title": button_title(button), "payload": button}
                for button in buttons
            ]
        return parts

    @staticmethod
    def _button_template(text: str, title: str, url: str, account_link: bool) -> Json:
        button: Json = (
            {"type": "account_link", "url": url}
            if account_link
            else {"type": "web_url", "url": url, "title": button_title(title)}
        )
        return {
            "attachment": {
                "type": "template",
                "payload": {"template_type": "button", "text": text, "buttons": [button]},
            }
        }

    def _notice(self, message: OutboundMessage) -> Json:
        template: Json = {
            "name": self.settings.messenger_utility_template,
            "language": {"code": _TEMPLATE_LANGUAGES[message.lang]},
        }
        if message.notice_parameters:
            parameters = [{"type": "text", "text": value} for value in message.notice_parameters]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {"template": template}

    async def _upload_image(self, user_id: str, messaging_type: str, image: bytes) -> str | None:
        attachment = {"attachment": {"type": "image", "payload": {"is_reusable": False}}}
        answer = await self.api.post(
            f"{self._base}/me/messages",
            data={
                "recipient": json.dumps({"id": user_id}),
                "messaging_type": messaging_type,
                "message": json.dumps(attachment),
            },
            files={"filedata": ("chart.png", image, "image/png")},
            headers=self._headers,
        )
        message_id = answer.get("message_id")
        return message_id if isinstance(message_id, str) else None

    # -- around the conversation ----------------------------------------------------

    async def acknowledge(self, inbound: InboundMessage) -> None:
        for action in ("mark_seen", "typing_on"):
            await self._post(
                "messages", {"recipient": {"id": inbound.user_id}, "sender_action": action}
            )

    async def hand_over(self, user_id: str, note: str) -> bool:
        body = {
            "recipient": {"id": user_id},
            "target_app_id": self.settings.messenger_handover_app_id,
            "metadata": note[:MAX_METADATA],
        }
        return await self._thread_control("pass_thread_control", body)

    async def unlink(self, psid: str, *, attempts: int | None = None) -> None:
        """Tell Messenger the PSID is no longer linked (the customer unlinked it on our
        page); `attempts` caps the retries when a person is waiting. Raises PlatformError."""
        api = self.api
        if attempts is not None:
            api = PlatformAPI(
                api.http, attempts=attempts, backoff=self.settings.channel_backoff_seconds
            )
        await api.post(
            f"{self._base}/me/unlink_accounts", json={"psid": psid}, headers=self._headers
        )

    async def take_back(self, user_id: str) -> bool:
        body = {"recipient": {"id": user_id}}
        return await self._thread_control("take_thread_control", body)

    async def _thread_control(self, path: str, body: Json) -> bool:
        try:
            await self._post(path, body)
        except PlatformError:
            return False
        return True
