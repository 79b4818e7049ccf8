"""How the conformance suite plays each platform: the settings that switch a channel on
against a local stand-in, genuine and forged requests, and reading back what Kluis sent.

Every platform module here exposes `DRIVER`, an object with this shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Recorded:
    """One request the fake platform received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


class Driver(Protocol):
    channel: str
    # Messaging platforms answer later through their API; voice ones in the response.
    voice: bool

    def settings(self, platform_url: str) -> dict[str, Any]:
        """Settings (keyword arguments of `load_settings`) that switch the channel on, with
        its API base pointing at `platform_url` (the fake platform on loopback)."""

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        """A webhook body, shaped exactly as the platform documents, carrying one message
        `text` from `user_id` with the platform's event id `event_id`."""

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        """A webhook body for tapping a button / quick reply whose payload is `payload`."""

    def genuine(self, body: bytes) -> dict[str, str]:
        """Headers that make `body` a genuine request of the platform."""

    def forged(self, body: bytes) -> dict[str, str]:
        """Headers with a credential that is present but wrong."""

    def missing(self, body: bytes) -> dict[str, str]:
        """Headers without any credential."""

    def rejected_status(self) -> tuple[int, ...]:
        """The statuses a forged or unsigned request may get (401/403; Alexa 400)."""

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        """(user id, text) of each message a request to the fake platform sent; [] for a
        request that sends no message (a read receipt, a media upload, ...)."""

    def check(self, request: Recorded) -> list[str]:
        """What is wrong with a request Kluis sent, by the platform's documented rules
        ([] when it would be accepted); see tests/channels/send_rules.py."""

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        """The fake platform's success answer (status, JSON) to `request`."""

    def spoken(self, response: Any) -> str:
        """Voice platforms: the text of the answer in a webhook response ('' otherwise)."""
