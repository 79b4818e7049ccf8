"""What every channel adapter is: verify a webhook, parse it into typed messages, send.

    channel.handshake(query)            # GET verification: the challenge to echo, or None
    await channel.verify(body, headers) # raises Forbidden / Unauthorized, constant-time
    channel.parse(body)                 # -> [InboundMessage], raises MalformedWebhook
    await channel.send(outbound)        # -> the platform's message id; retried on 429/5xx

Messaging channels (Messenger, WhatsApp, Telegram) acknowledge the webhook at once and a
worker answers later (`kluis.channels.worker`). Voice channels (Alexa, Dialogflow) answer in
the HTTP response itself (`VoiceChannel.render`).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

from kluis.channels.platform_api import PlatformAPI
from kluis.config import Settings
from kluis.dialogue.types import Turn
from kluis.errors import ChannelError

InboundKind = Literal[
    "message",  # the customer wrote, tapped a button or chose an option
    "start",  # Telegram's /start, with the code of a deep link in `payload` (may be "")
    "linked",  # Messenger account linking finished; `payload` is our authorisation code
    "unlinked",  # the customer unlinked the platform from their bank
    "handover",  # who owns the conversation now: `payload` is "human" or "bot"
    "status",  # a sent message was delivered / read / failed: `payload`, `message_id`
    "blocked",  # the customer blocked Kluis on the platform
    "unblocked",  # ... and allowed it again
    "session_end",  # a voice session ended
]
Purpose = Literal["response", "update", "notice"]


class WebhookRejected(ChannelError):
    """A webhook that must not be processed. `status` is what the endpoint answers."""

    status: int = 403

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        if status is not None:
            self.status = status


class Unauthorized(WebhookRejected):
    """No credential at all (no signature header, no secret token)."""

    status = 401


class Forbidden(WebhookRejected):
    """A credential that is wrong: a forged signature, a wrong token, another skill."""

    status = 403


class MalformedWebhook(WebhookRejected):
    """A genuine request whose body is not what the platform documents."""

    status = 400


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One thing a platform told us, in the platform's terms made common.

    `event_id` is the platform's id for the event (a message id, an update id, a request
    id) and deduplicates retried deliveries. `user_id` is the platform's id of the person
    (a PSID, a wa_id, a Telegram chat id, an Alexa user id): personal data, never logged.
    """

    channel: str
    event_id: str
    user_id: str
    kind: InboundKind = "message"
    text: str = ""
    payload: str | None = None
    at: datetime | None = None
    locale: str | None = None
    message_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "channel": self.channel,
            "event_id": self.event_id,
            "user_id": self.user_id,
            "kind": self.kind,
            "text": self.text,
            "payload": self.payload,
            "at": self.at.isoformat() if self.at else None,
            "locale": self.locale,
            "message_id": self.message_id,
            "extra": self.extra,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> InboundMessage:
        data: dict[str, Any] = json.loads(text)
        at = data.get("at")
        data["at"] = datetime.fromisoformat(at) if at else None
        data["extra"] = {str(k): str(v) for k, v in (data.get("extra") or {}).items()}
        return cls(**data)

    @property
    def language(self) -> Literal["nl", "en"] | None:
        """The language the platform says the person uses, when it says so."""
        if not self.locale:
            return None
        code = self.locale.lower()[:2]
        return "en" if code == "en" else "nl" if code == "nl" else None


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to a person on a platform.

    `buttons` are quick replies (their title is what the customer "says" when tapping);
    a platform that cannot show them gets numbered options in the text. `link` is a button
    that opens a web page `(title, url)`; with `account_link` Messenger shows its Log In
    button instead. `purpose` follows the platforms' messaging windows: a `response` to
    the customer, an `update` Kluis starts inside the window, a `notice` outside it (an
    approved utility template with neutral words). `image` is a PNG.
    `protect` asks the platform not to let the message be forwarded or saved.
    """

    user_id: str
    text: str
    buttons: tuple[str, ...] = ()
    image: bytes | None = None
    image_alt: str = ""
    link: tuple[str, str] | None = None
    account_link: bool = False
    purpose: Purpose = "response"
    protect: bool = False
    lang: Literal["nl", "en"] = "nl"
    notice_parameters: tuple[str, ...] = ()

    def to_json(self) -> str:
        data = asdict(self)
        data["image"] = None  # images are made again from the chart, never stored
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> OutboundMessage:
        data: dict[str, Any] = json.loads(text)
        data["buttons"] = tuple(data.get("buttons") or ())
        data["notice_parameters"] = tuple(data.get("notice_parameters") or ())
        link = data.get("link")
        data["link"] = (str(link[0]), str(link[1])) if link else None
        return cls(**data)


def numbered(text: str, options: tuple[str, ...]) -> str:
    """The text with options the platform cannot show as buttons, as numbers to reply with."""
    if not options:
        return text
    lines = "\n".join(f"{number}. {option}" for number, option in enumerate(options, 1))
    return f"{text}\n\n{lines}"


def split_text(text: str, limit: int) -> list[str]:
    """The text in parts of at most `limit` characters, split at paragraph, line or word
    boundaries where it can."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [part for part in parts if part]


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header, case-insensitively (Starlette's headers already are)."""
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    return value


def timestamp(seconds: int | float | str | None) -> datetime | None:
    """A platform's epoch timestamp (seconds or milliseconds) as an aware datetime."""
    if seconds is None:
        return None
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return None
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


class Channel(ABC):
    """A messaging platform: verified webhooks in, sends out through `api`."""

    name: ClassVar[str]
    # Free-form messages are allowed this long after the person last wrote; None: always.
    window: ClassVar[timedelta | None] = None
    # The longest text one message may carry.
    max_text: ClassVar[int] = 4096

    def __init__(self, settings: Settings, api: PlatformAPI) -> None:
        self.settings = settings
        self.api = api

    def handshake(self, query: Mapping[str, str]) -> str | None:
        """The GET verification handshake: the body to answer with, or None (403)."""
        return None

    @abstractmethod
    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Raise `Unauthorized` or `Forbidden` unless the platform sent this request."""

    @abstractmethod
    def parse(self, body: bytes) -> list[InboundMessage]:
        """The events in a verified body; `MalformedWebhook` when it is not the platform's
        documented shape. Events Kluis has no use for are left out."""

    @abstractmethod
    async def send(self, message: OutboundMessage) -> str | None:
        """Send one message (several API calls if it must be split); the platform's id of
        the last message sent. Raises `PlatformError`."""

    async def acknowledge(self, inbound: InboundMessage) -> None:  # noqa: B027
        """Tell the platform the message was received (a read receipt, a callback answer,
        a typing indicator). Optional; failures are not the customer's problem."""

    async def hand_over(self, user_id: str, note: str) -> bool:
        """Pass the conversation to a person's inbox; False when the platform has no such
        protocol (the handoff then stays in Kluis's own queue)."""
        return False

    async def take_back(self, user_id: str) -> bool:
        """Take the conversation back from a person's inbox."""
        return False


class VoiceChannel(ABC):
    """A voice or dialogue platform that waits for the answer in the HTTP response."""

    name: ClassVar[str]

    def __init__(self, settings: Settings, api: PlatformAPI) -> None:
        self.settings = settings
        self.api = api

    @abstractmethod
    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Raise `WebhookRejected` unless the platform sent this request."""

    @abstractmethod
    def parse(self, body: bytes) -> InboundMessage:
        """The one request in a verified body."""

    @abstractmethod
    def render(self, inbound: InboundMessage, turn: Turn | None, *, linked: bool) -> dict[str, Any]:
        """The platform's response to `inbound`: the turn's answer, or (no turn) what the
        request needs without the dialogue (a session end, a link-your-account card)."""
