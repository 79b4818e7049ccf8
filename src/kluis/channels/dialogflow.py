"""Dialogflow CX (Conversational Agents): Kluis as the agent's standard webhook.

    POST /webhooks/dialogflow     WebhookRequest in, WebhookResponse out, in one HTTP exchange

Dialogflow authenticates to us with HTTP Basic credentials we configure on its side
(`KLUIS_DIALOGFLOW_USERNAME`, `KLUIS_DIALOGFLOW_PASSWORD`). Every fulfilment request is one
turn: the customer's text, spoken transcript or keyed digits, or an event or intent that
starts the conversation (a welcome). The answer goes back as text messages, with the
quick replies as chips for the Dialogflow Messenger web widget, and two session parameters
the agent's flows can route on: `kluis_linked` and `kluis_handoff`.

The person is known by the session parameter `kluis_user` (set by the bank's page that
embeds the agent), else by the user id or the caller id an integration puts in the payload,
else by the session id itself.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from kluis.channels.base import (
    Forbidden,
    InboundMessage,
    MalformedWebhook,
    Unauthorized,
    VoiceChannel,
    header,
)
from kluis.channels.platform_api import PlatformAPI
from kluis.channels.texts import Lang, say
from kluis.config import Settings, secret
from kluis.dialogue.types import Reply, Turn
from kluis.security import constant_time_equals

# Dialogflow refuses a webhook response larger than this.
MAX_RESPONSE_BYTES = 64 * 1024
_ELLIPSIS = "…"
# What a request may carry as the person's turn; a trigger starts the conversation.
_SAID = ("text", "transcript", "dtmfDigits", "triggerEvent", "triggerIntent")

_TEXTS: dict[str, dict[Lang, str]] = {
    "link": {
        "nl": (
            "Hallo! Ik ben de digitale assistent van {bank}. Dit gesprek is nog niet "
            "gekoppeld aan je bank, dus ik kan je nog niets over je rekeningen vertellen. "
            "Koppel het eerst via de webchat op de website van {bank}; daarna help ik je "
            "hier graag verder."
        ),
        "en": (
            "Hello! I'm the digital assistant of {bank}. This conversation isn't linked to "
            "your bank yet, so I can't tell you anything about your accounts. Please link "
            "it first through the web chat on the website of {bank}; after that I'm happy "
            "to help you here."
        ),
    },
    "moment": {
        "nl": "Een moment, ik zoek het nog uit. Vraag het zo nog eens.",
        "en": "One moment, I'm still looking into it. Please ask me again shortly.",
    },
}


class DialogflowChannel(VoiceChannel):
    """The webhook of a Dialogflow CX agent: answers each fulfilment request at once."""

    name: ClassVar[str] = "dialogflow"

    def __init__(self, settings: Settings, api: PlatformAPI) -> None:
        super().__init__(settings, api)
        # Dialogflow waits 5 s by default; slower answers are kept for its retry.
        self.answer_seconds: float = settings.dialogflow_answer_seconds

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        username, password = _basic_credentials(header(headers, "Authorization"))
        expected_username = secret(self.settings.dialogflow_username).encode()
        expected_password = secret(self.settings.dialogflow_password).encode()
        # Both parts are always compared, so the time taken says nothing about either.
        same_username = constant_time_equals(username, expected_username)
        same_password = constant_time_equals(password, expected_password)
        if not (expected_username and expected_password) or not (same_username & same_password):
            raise Forbidden("wrong credentials")

    def parse(self, body: bytes) -> InboundMessage:
        request = _object(_json(body), "body")
        event_id = _text(request, "detectIntentResponseId")
        if not event_id:
            raise MalformedWebhook("no detectIntentResponseId")
        session = _object(request.get("sessionInfo"), "sessionInfo")
        fulfilment = _object(request.get("fulfillmentInfo"), "fulfillmentInfo")
        session_path = _text(session, "session")
        return InboundMessage(
            channel=self.name,
            event_id=event_id,
            user_id=_user_id(request, session, session_path),
            text=_said(request),
            locale=_text(request, "languageCode") or None,
            extra={"tag": _text(fulfilment, "tag"), "session": session_path},
        )

    def render(self, inbound: InboundMessage, turn: Turn | None, *, linked: bool) -> dict[str, Any]:
        lang = _language(turn, inbound)
        replies: tuple[Reply, ...]
        if not linked:
            replies = (Reply(_TEXTS["link"][lang].format(bank=self.settings.bank_name)),)
        elif turn is not None:
            replies = turn.replies
        elif not inbound.text.strip():
            replies = (Reply(say("welcome.back", lang)),)
        else:  # the dialogue is slower than Dialogflow waits; its answer is kept for later
            replies = (Reply(_TEXTS["moment"][lang]),)
        handoff = turn.handoff if turn is not None and linked else False
        return _within_limit(replies, {"kluis_linked": linked, "kluis_handoff": handoff})


# -- verifying ---------------------------------------------------------------------------


def _basic_credentials(authorization: str | None) -> tuple[bytes, bytes]:
    """The username and password of an HTTP Basic `Authorization` header."""
    if authorization is None:
        raise Unauthorized("no Authorization header")
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        raise Unauthorized("not HTTP Basic")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Forbidden("unreadable Basic credentials") from exc
    username, colon, password = decoded.partition(b":")
    if not colon:
        raise Forbidden("Basic credentials without a password")
    return username, password


# -- parsing ----------------------------------------------------------------------------


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedWebhook("body is not JSON") from exc


def _object(value: Any, name: str) -> dict[str, Any]:
    """A JSON object; an absent one is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MalformedWebhook(f"{name} is not an object")
    return value


def _text(data: Mapping[str, Any], key: str) -> str:
    """A string field; an absent one is ''."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedWebhook(f"{key} is not a string")
    return value


def _said(request: Mapping[str, Any]) -> str:
    """What the person typed, said or keyed; '' for an event or intent that starts a
    conversation (a welcome)."""
    said = {key: _text(request, key) for key in _SAID}  # every one of the right type
    return said["text"] or said["transcript"] or said["dtmfDigits"]


def _user_id(request: Mapping[str, Any], session: Mapping[str, Any], session_path: str) -> str:
    parameters = _object(session.get("parameters"), "sessionInfo.parameters")
    payload = _object(request.get("payload"), "payload")
    telephony = payload.get("telephony")
    candidates = (
        parameters.get("kluis_user"),
        payload.get("userId"),
        telephony.get("caller_id") if isinstance(telephony, dict) else None,
        session_path.rstrip("/").rpartition("/")[2],
    )
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return candidate
    raise MalformedWebhook("no user or session id")


# -- rendering --------------------------------------------------------------------------


def _language(turn: Turn | None, inbound: InboundMessage) -> Lang:
    if turn is not None and turn.lang in ("nl", "en"):
        return "en" if turn.lang == "en" else "nl"
    return inbound.language or "nl"


def _messages(texts: list[str], chips: list[list[str]]) -> list[dict[str, Any]]:
    """A text message per reply, each followed by its quick replies as Messenger chips."""
    messages: list[dict[str, Any]] = []
    for text, options in zip(texts, chips, strict=True):
        if text:
            messages.append({"text": {"text": [text]}})
        if options:
            chip_options = [{"text": option} for option in options]
            rich = [[{"type": "chips", "options": chip_options}]]
            messages.append({"payload": {"richContent": rich}})
    return messages


def _response(
    texts: list[str], chips: list[list[str]], parameters: dict[str, Any]
) -> dict[str, Any]:
    return {
        "fulfillmentResponse": {"messages": _messages(texts, chips), "mergeBehavior": "REPLACE"},
        "sessionInfo": {"parameters": parameters},
    }


# What one character or one message can cost at most once serialised: a character escaped
# as \uXXXX (6 bytes), a message or chip with its keys and punctuation (well under 200).
_CHARACTER_BYTES = 6
_ITEM_BYTES = 200


def _surely_fits(texts: list[str], chips: list[list[str]]) -> bool:
    """Whether the response fits without measuring it (every everyday answer does)."""
    characters = sum(map(len, texts)) + sum(len(chip) for row in chips for chip in row)
    items = len(texts) + sum(map(len, chips)) + 1
    return _CHARACTER_BYTES * characters + _ITEM_BYTES * items <= MAX_RESPONSE_BYTES


def _size(response: dict[str, Any]) -> int:
    # Escaped ASCII with spaces is never smaller than what is sent, whoever serialises it.
    return len(json.dumps(response).encode())


def _within_limit(replies: tuple[Reply, ...], parameters: dict[str, Any]) -> dict[str, Any]:
    """The response, its longest texts and chips cut to one length until it fits in
    Dialogflow's 64 KiB: short replies stay whole, long ones share what room there is."""
    texts = [reply.text for reply in replies]
    chips = [list(reply.buttons) for reply in replies]
    response = _response(texts, chips, parameters)
    if _surely_fits(texts, chips) or _size(response) <= MAX_RESPONSE_BYTES:
        return response
    low, high = 0, max(len(text) for text in [*texts, *(c for row in chips for c in row)])
    while low < high:  # the longest length every text may keep
        middle = (low + high + 1) // 2
        if _size(_capped(texts, chips, middle, parameters)) <= MAX_RESPONSE_BYTES:
            low = middle
        else:
            high = middle - 1
    response = _capped(texts, chips, low, parameters)
    messages = response["fulfillmentResponse"]["messages"]
    while messages and _size(response) > MAX_RESPONSE_BYTES:  # hundreds of replies
        messages.pop()
    return response


def _capped(
    texts: list[str], chips: list[list[str]], length: int, parameters: dict[str, Any]
) -> dict[str, Any]:
    return _response(
        [_cut(text, length) for text in texts],
        [[_cut(option, length) for option in options] for options in chips],
        parameters,
    )


def _cut(text: str, length: int) -> str:
    """`text` in at most `length` characters, ending in `…` when it had to be cut."""
    if len(text) <= length:
        return text
    return text[: length - 1].rstrip() + _ELLIPSIS if length > 1 else ""
