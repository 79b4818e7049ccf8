"""How the conformance suite plays Dialogflow CX: WebhookRequests from an agent whose
webhook is configured with HTTP Basic credentials, and the text of Kluis's answers read back
from the WebhookResponse's fulfilment messages."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.channels.drivers import Recorded

USERNAME = "dialogflow-cx-agent"
PASSWORD = "q8Vt3mZr-Lw52nKc-Hx7pDy4"
AGENT = "projects/kluis-bank/locations/europe-west4/agents/2f6c1d0e-8b3a-4c57-9e21-7a4b5c6d8e90"
SESSION_ID = "a3f1c9e27b5d4e08"
LANGUAGE = "nl"


def basic(username: str, password: str) -> str:
    """An HTTP Basic `Authorization` value."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def webhook_request(
    event_id: str,
    *,
    user_id: str | None = None,
    language: str = LANGUAGE,
    tag: str = "kluis",
    session_id: str = SESSION_ID,
    **said: Any,
) -> dict[str, Any]:
    """A WebhookRequest as Dialogflow CX sends it; `said` is one of text, transcript,
    dtmfDigits, triggerEvent or triggerIntent."""
    parameters: dict[str, Any] = {"kluis_user": user_id} if user_id is not None else {}
    return {
        "detectIntentResponseId": event_id,
        "languageCode": language,
        "fulfillmentInfo": {"tag": tag},
        "intentInfo": {
            "lastMatchedIntent": f"{AGENT}/intents/00000000-0000-0000-0000-000000000000",
            "displayName": "Default Negative Intent",
            "confidence": 1,
        },
        "pageInfo": {
            "currentPage": f"{AGENT}/flows/00000000-0000-0000-0000-000000000000/pages/START_PAGE",
            "displayName": "Start Page",
        },
        "sessionInfo": {"session": f"{AGENT}/sessions/{session_id}", "parameters": parameters},
        "messages": [],
        **said,
    }


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


class DialogflowDriver:
    channel = "dialogflow"
    voice = True

    def settings(self, platform_url: str) -> dict[str, Any]:
        # Dialogflow only calls us; Kluis never calls Dialogflow, so no API base.
        return {"dialogflow_username": USERNAME, "dialogflow_password": PASSWORD}

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        return encode(webhook_request(event_id, user_id=user_id, text=text))

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        # A tapped chip in Dialogflow Messenger is sent as the text on the chip.
        return self.text_event(user_id, title, event_id)

    def genuine(self, body: bytes) -> dict[str, str]:
        return {"Authorization": basic(USERNAME, PASSWORD)}

    def forged(self, body: bytes) -> dict[str, str]:
        return {"Authorization": basic(USERNAME, PASSWORD[:-1] + "5")}

    def missing(self, body: bytes) -> dict[str, str]:
        return {}

    def rejected_status(self) -> tuple[int, ...]:
        return (401, 403)

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        return []  # Dialogflow gets its answer in the webhook response

    def check(self, request: Recorded) -> list[str]:
        return [f"Kluis never calls Dialogflow: {request.method} {request.path}"]

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        return 404, {"error": {"code": 404, "message": "not found"}}

    def spoken(self, response: Any) -> str:
        if not isinstance(response, dict):
            return ""
        messages = response.get("fulfillmentResponse", {}).get("messages", [])
        texts = [
            str(text)
            for message in messages
            if isinstance(message, dict) and "text" in message
            for text in message["text"].get("text", [])
        ]
        return "\n".join(texts)


DRIVER = DialogflowDriver()
