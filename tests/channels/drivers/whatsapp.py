"""How the conformance suite plays WhatsApp: Meta's webhook envelope signed with the app
secret, and a Graph API stand-in that answers sends with `wamid` ids."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from typing import Any

from tests.channels import send_rules
from tests.channels.drivers import Recorded

APP_SECRET = "whatsapp-app-secret-for-tests"
VERIFY_TOKEN = "whatsapp-verify-token-for-tests"
ACCESS_TOKEN = "whatsapp-system-user-token-for-tests"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "15550783881"
WABA_ID = "419561257915477"
TIMESTAMP = "1749416383"


def signature(body: bytes, key: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def envelope(value: dict[str, Any], field: str = "messages") -> dict[str, Any]:
    """Meta's webhook envelope around one change's value."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": field}]}],
    }


def message_value(
    user_id: str, messages: list[dict[str, Any]], phone_number_id: str = PHONE_NUMBER_ID
) -> dict[str, Any]:
    """The `value` of a `messages` change carrying the customer's messages."""
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": phone_number_id},
        "contacts": [{"profile": {"name": "Sanne de Vries"}, "wa_id": user_id}],
        "messages": messages,
    }


def incoming(user_id: str, event_id: str, kind: str, content: Any, **more: Any) -> dict[str, Any]:
    """One inbound message object of `kind` with its type-specific `content`."""
    return {
        "from": user_id,
        "id": event_id,
        "timestamp": TIMESTAMP,
        "type": kind,
        kind: content,
        **more,
    }


def _encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


class WhatsAppDriver:
    channel = "whatsapp"
    voice = False

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def settings(self, platform_url: str) -> dict[str, Any]:
        return {
            "whatsapp_app_secret": APP_SECRET,
            "whatsapp_verify_token": VERIFY_TOKEN,
            "whatsapp_token": ACCESS_TOKEN,
            "whatsapp_phone_number_id": PHONE_NUMBER_ID,
            "whatsapp_api_base": f"{platform_url.rstrip('/')}/v23.0",
        }

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        message = incoming(user_id, event_id, "text", {"body": text})
        return _encode(envelope(message_value(user_id, [message])))

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        reply = {"type": "button_reply", "button_reply": {"id": payload, "title": title[:20]}}
        context = {"from": DISPLAY_NUMBER, "id": "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBJCMjAA"}
        message = incoming(user_id, event_id, "interactive", reply, context=context)
        return _encode(envelope(message_value(user_id, [message])))

    def genuine(self, body: bytes) -> dict[str, str]:
        return {"X-Hub-Signature-256": signature(body)}

    def forged(self, body: bytes) -> dict[str, str]:
        return {"X-Hub-Signature-256": signature(body, "not-the-app-secret")}

    def missing(self, body: bytes) -> dict[str, str]:
        return {}

    def rejected_status(self) -> tuple[int, ...]:
        return (401, 403)

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        body = request.json
        if not request.path.endswith("/messages") or not isinstance(body, dict):
            return []  # a media upload, or not a send at all
        if "to" not in body or body.get("status") == "read":
            return []  # the read receipt with typing indicator
        return [(str(body["to"]), _shown_text(body))]

    def check(self, request: Recorded) -> list[str]:
        return send_rules.whatsapp(request, ACCESS_TOKEN, PHONE_NUMBER_ID)

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        number = next(self._ids)
        if request.path.endswith("/media"):
            return 200, {"id": f"{4490709327384000 + number}"}
        body = request.json if isinstance(request.json, dict) else {}
        if body.get("status") == "read":
            return 200, {"success": True}
        recipient = str(body.get("to", ""))
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": recipient, "wa_id": recipient}],
            "messages": [{"id": f"wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI{number:08d}"}],
        }

    def spoken(self, response: Any) -> str:
        return ""


def _shown_text(body: dict[str, Any]) -> str:
    """What the customer reads in one sent message."""
    kind = body.get("type")
    if kind == "text":
        return str(body["text"]["body"])
    if kind == "interactive":
        return str(body["interactive"]["body"]["text"])
    if kind == "image":
        return str(body["image"].get("caption", ""))
    if kind == "template":
        components = body["template"].get("components", [])
        return " ".join(
            str(parameter["text"])
            for component in components
            for parameter in component.get("parameters", [])
        )
    return ""


DRIVER = WhatsAppDriver()
