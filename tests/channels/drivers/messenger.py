"""How the conformance suite plays Facebook Messenger: the Page webhook envelope signed
with the app secret, and a Graph API stand-in that answers the Send API with message ids."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any

from tests.channels import send_rules
from tests.channels.drivers import Recorded

APP_SECRET = "messenger-app-secret-for-tests"
VERIFY_TOKEN = "messenger-verify-token-for-tests"
PAGE_TOKEN = "messenger-page-access-token-for-tests"
PAGE_ID = "104738291847562"
TIMESTAMP = 1764405600123  # milliseconds, as Messenger sends them


def signature(body: bytes, key: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def legacy_signature(body: bytes, key: str = APP_SECRET) -> str:
    """The older SHA-1 header Meta still sends alongside; Kluis ignores it."""
    return "sha1=" + hmac.new(key.encode(), body, hashlib.sha1).hexdigest()


def envelope(*events: dict[str, Any], standby: list[dict[str, Any]] | None = None) -> bytes:
    """Meta's Page webhook around `events`, encoded as Meta sends it (escaped unicode)."""
    entry: dict[str, Any] = {"id": PAGE_ID, "time": TIMESTAMP + 50, "messaging": list(events)}
    if standby is not None:
        entry["standby"] = standby
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def event(user_id: str, timestamp: int = TIMESTAMP, **content: Any) -> dict[str, Any]:
    """One `messaging` event from `user_id` to our Page carrying `content`."""
    return {
        "sender": {"id": user_id},
        "recipient": {"id": PAGE_ID},
        "timestamp": timestamp,
        **content,
    }


class MessengerDriver:
    channel = "messenger"
    voice = False

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def settings(self, platform_url: str) -> dict[str, Any]:
        return {
            "messenger_app_secret": APP_SECRET,
            "messenger_verify_token": VERIFY_TOKEN,
            "messenger_page_token": PAGE_TOKEN,
            "messenger_api_base": f"{platform_url.rstrip('/')}/v23.0",
        }

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        return envelope(event(user_id, message={"mid": event_id, "text": text}))

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        message = {"mid": event_id, "text": title, "quick_reply": {"payload": payload}}
        return envelope(event(user_id, message=message))

    def genuine(self, body: bytes) -> dict[str, str]:
        return {"X-Hub-Signature-256": signature(body), "X-Hub-Signature": legacy_signature(body)}

    def forged(self, body: bytes) -> dict[str, str]:
        # A valid SHA-1 header must not make up for a wrong SHA-256 one.
        return {
            "X-Hub-Signature-256": signature(body, "not-the-app-secret"),
            "X-Hub-Signature": legacy_signature(body),
        }

    def missing(self, body: bytes) -> dict[str, str]:
        return {}

    def rejected_status(self) -> tuple[int, ...]:
        return (401, 403)

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        if not request.path.endswith("/me/messages"):
            return []  # thread control, not a message
        if request.files:  # an image uploaded and sent in one request
            recipient = json.loads(request.form.get("recipient", "{}"))
            return [(str(recipient.get("id", "")), "")]
        body = request.json
        if not isinstance(body, dict) or "message" not in body:
            return []  # a sender action: seen, typing
        return [(str(body["recipient"]["id"]), _shown_text(body["message"]))]

    def check(self, request: Recorded) -> list[str]:
        return send_rules.messenger(request, PAGE_TOKEN)

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        number = next(self._ids)
        if not request.path.endswith("/me/messages"):
            return 200, {"success": True}
        if request.files:
            recipient = json.loads(request.form.get("recipient", "{}"))
        else:
            body = request.json if isinstance(request.json, dict) else {}
            recipient = body.get("recipient", {})
            if "message" not in body:
                return 200, {"recipient_id": str(recipient.get("id", ""))}
        answer: dict[str, Any] = {
            "recipient_id": str(recipient.get("id", "")),
            "message_id": f"m_Zk3aQ9vT2xLmN8pR4sWq{number:06d}",
        }
        if request.files:
            answer["attachment_id"] = f"{1857390264810000 + number}"
        return 200, answer

    def spoken(self, response: Any) -> str:
        return ""


def _shown_text(message: dict[str, Any]) -> str:
    """What the customer reads in one sent message: its text, a button template's text, or
    a utility template's parameters."""
    if "text" in message:
        return str(message["text"])
    attachment = message.get("attachment")
    if isinstance(attachment, dict) and attachment.get("type") == "template":
        return str(attachment["payload"].get("text", ""))
    template = message.get("template")
    if isinstance(template, dict):
        return " ".join(
            str(parameter["text"])
            for component in template.get("components", [])
            for parameter in component.get("parameters", [])
        )
    return ""


DRIVER = MessengerDriver()
