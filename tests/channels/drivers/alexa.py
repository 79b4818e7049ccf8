"""How the conformance suite plays Amazon Alexa: custom-skill requests signed by a test PKI
whose certificate chain the fake platform serves under `/echo.api/`, and the spoken text
of Kluis's answers read back from the SSML."""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.channels.alexa_pki import genuine
from tests.channels.drivers import Recorded

SKILL_ID = "amzn1.ask.skill.5f0c6a1e-3b7d-4a8e-9c2f-1d4e6b8a0c37"
OTHER_SKILL_ID = "amzn1.ask.skill.0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a"
CHAIN_PATH = "/echo.api/echo-api-cert-13.pem"
LOCALE = "nl-NL"


def envelope(
    user_id: str,
    request: dict[str, Any],
    *,
    skill_id: str = SKILL_ID,
    access_token: str | None = None,
    person_id: str | None = None,
    new: bool = False,
) -> dict[str, Any]:
    """A custom-skill request envelope around `request`, as Alexa sends it."""
    user: dict[str, Any] = {"userId": user_id}
    if access_token is not None:
        user["accessToken"] = access_token
    system: dict[str, Any] = {
        "application": {"applicationId": skill_id},
        "user": user,
        "device": {"deviceId": "amzn1.ask.device.AHXT3Q7LJ2", "supportedInterfaces": {}},
        "apiEndpoint": "https://api.eu.amazonalexa.com",
        "apiAccessToken": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test",
    }
    if person_id is not None:
        system["person"] = {"personId": person_id}
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": "amzn1.echo-api.session.7c1f9e2d-4b6a-4e8c-a0d3-5f2b9c7e1a46",
            "application": {"applicationId": skill_id},
            "attributes": {},
            "user": dict(user),
        },
        "context": {"System": system},
        "request": request,
    }


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def intent_request(
    event_id: str,
    name: str,
    slots: dict[str, str] | None = None,
    *,
    locale: str = LOCALE,
    timestamp: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "IntentRequest",
        "requestId": event_id,
        "timestamp": timestamp or now_iso(),
        "locale": locale,
        "dialogState": "COMPLETED",
        "intent": {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {
                slot: {"name": slot, "value": value, "confirmationStatus": "NONE"}
                for slot, value in (slots or {}).items()
            },
        },
    }


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


class AlexaDriver:
    channel = "alexa"
    voice = True

    def __init__(self) -> None:
        self._platform_url = "http://127.0.0.1"
        self._folder: Path | None = None

    def _bundle(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="kluis-alexa-"))
        bundle = self._folder / "alexa-test-root.pem"
        bundle.write_bytes(genuine().root_pem)
        return bundle

    def settings(self, platform_url: str) -> dict[str, Any]:
        self._platform_url = platform_url.rstrip("/")
        return {
            "alexa_skill_id": SKILL_ID,
            "alexa_trusted_cert_url_prefix": f"{self._platform_url}/echo.api/",
            "alexa_ca_bundle": self._bundle(),
        }

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        return encode(envelope(user_id, intent_request(event_id, "QueryIntent", {"query": text})))

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        # Voice has no buttons: the customer says the quick reply's title.
        return self.text_event(user_id, title, event_id)

    def genuine(self, body: bytes) -> dict[str, str]:
        return {
            "SignatureCertChainUrl": f"{self._platform_url}{CHAIN_PATH}",
            "Signature-256": genuine().sign(body),
            "Content-Type": "application/json; charset=utf-8",
        }

    def forged(self, body: bytes) -> dict[str, str]:
        # Signed by the genuine key, but over other bytes than were sent.
        return {
            "SignatureCertChainUrl": f"{self._platform_url}{CHAIN_PATH}",
            "Signature-256": genuine().sign(body + b" "),
            "Content-Type": "application/json; charset=utf-8",
        }

    def missing(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json; charset=utf-8"}

    def rejected_status(self) -> tuple[int, ...]:
        return (400,)

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        return []  # Alexa answers in the webhook response; nothing is sent to Amazon

    def check(self, request: Recorded) -> list[str]:
        # Alexa is only ever asked for its certificate chain.
        if request.method == "GET" and request.path.startswith("/echo.api/"):
            return []
        return [f"Kluis should not call Amazon here: {request.method} {request.path}"]

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        if request.method == "GET" and request.path.startswith("/echo.api/"):
            return 200, genuine().chain_pem.decode()
        return 404, {"message": "not found"}

    def spoken(self, response: Any) -> str:
        speech = response.get("response", {}).get("outputSpeech") if response else None
        if not isinstance(speech, dict):
            return ""
        if speech.get("type") == "PlainText":
            return str(speech.get("text", ""))
        return html.unescape(re.sub(r"<[^>]+>", "", str(speech.get("ssml", "")))).strip()


DRIVER = AlexaDriver()
