"""Amazon Alexa (custom skill on our own HTTPS endpoint): requests in, spoken answers out.

    await channel.verify(body, headers)   # certificate chain, signature, time, skill id
    inbound = channel.parse(body)         # Launch, Intent and SessionEnded requests
    channel.render(inbound, turn, linked=True)   # {"version": "1.0", "response": {...}}

The skill's interaction model (`kluis.channels.alexa_model`) sends whatever the customer
says to `QueryIntent`, the voice PIN to `PinIntent`, and Amazon's built-in intents for
help, yes/no, stop and cancel. Answers are Kluis's replies made into speech
(`kluis.channels.speech`). Alexa may be heard by others in the room and may show cards on
a screen, so Kluis shows only the LinkAccount card and never a card with amounts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from kluis.channels.alexa_verify import AlexaVerifier
from kluis.channels.base import InboundKind, InboundMessage, MalformedWebhook, VoiceChannel
from kluis.channels.platform_api import PlatformAPI
from kluis.channels.speech import ssml, to_speech
from kluis.config import Settings
from kluis.dialogue import texts as dialogue_texts
from kluis.dialogue.types import Turn

Lang = Literal["nl", "en"]

TEXTS: dict[str, dict[Lang, str]] = {
    "welcome": {
        "nl": "Welkom bij de assistent van {bank}. Waarmee kan ik je helpen?",
        "en": "Welcome to the {bank} assistant. How can I help?",
    },
    "example": {
        "nl": "Je kunt bijvoorbeeld vragen: wat is mijn saldo?",
        "en": "You can ask, for example: what's my balance?",
    },
    "not_understood": {
        "nl": "Sorry, dat heb ik niet goed verstaan.",
        "en": "Sorry, I didn't quite catch that.",
    },
    "link": {
        "nl": (
            "Om over je rekeningen te praten, koppel je eerst deze skill aan {bank}. "
            "Open de Alexa-app op je telefoon: daar staat een kaart waarmee je dat veilig doet."
        ),
        "en": (
            "To talk about your accounts, please first link this skill to {bank}. "
            "Open the Alexa app on your phone: you'll find a card there to do that safely."
        ),
    },
    "goodbye": {"nl": "Tot ziens!", "en": "Goodbye!"},
    "moment": {
        "nl": "Dat duurt iets langer dan normaal. Vraag het me over een paar tellen nog eens.",
        "en": "That's taking a little longer than usual. Please ask me again in a few seconds.",
    },
    "moment.reprompt": {
        "nl": "Vraag het me gerust nog eens.",
        "en": "Please ask me again.",
    },
    "suggest": {"nl": "Je kunt ook vragen: {list}.", "en": "You can also ask: {list}."},
    "anything_else": {
        "nl": "Wil je nog iets anders weten?",
        "en": "Is there anything else you'd like to know?",
    },
    "pin.reprompt": {
        "nl": "Zeg je spraakcode, cijfer voor cijfer.",
        "en": "Please say your voice code, digit by digit.",
    },
}
_WORDS: dict[str, dict[Lang, str]] = {
    "AMAZON.HelpIntent": {"nl": "hulp", "en": "help"},
    "AMAZON.YesIntent": {"nl": "ja", "en": "yes"},
    "AMAZON.NoIntent": {"nl": "nee", "en": "no"},
}
_ENDING_INTENTS = frozenset(
    {"AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"}
)
_PIN_QUESTIONS = ("voice_pin.ask", "voice_pin.wrong")
_SUGGESTIONS = 3


def _say(key: str, lang: Lang, **values: str) -> str:
    return TEXTS[key][lang].format(**values)


def _dig(data: Any, *path: str) -> Any:
    """`data[path[0]][path[1]]...`, or None where a step is missing or not an object."""
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _slot(intent: Any, name: str) -> str:
    value = _dig(intent, "slots", name, "value")
    return value.strip() if isinstance(value, str) else ""


def _lang(locale: str | None) -> Lang:
    return "en" if (locale or "").lower().startswith("en") else "nl"


def _heard(request_type: str, intent_name: str, intent: Any, lang: Lang) -> tuple[InboundKind, str]:
    """What the customer said, as Kluis's dialogue takes it."""
    if request_type == "SessionEndedRequest" or intent_name in _ENDING_INTENTS:
        return "session_end", ""
    if request_type != "IntentRequest":
        return "message", ""  # LaunchRequest (a welcome) and anything else
    if intent_name == "QueryIntent":
        return "message", _slot(intent, "query")
    if intent_name == "PinIntent":
        return "message", "".join(char for char in _slot(intent, "pin") if char.isdigit())
    if intent_name in _WORDS:
        return "message", _WORDS[intent_name][lang]
    return "message", ""  # AMAZON.FallbackIntent and intents Kluis does not use


def _speech(text: str, lang: Lang) -> dict[str, str]:
    return {"type": "SSML", "ssml": ssml(text, lang, spoken=True)}


def _response(
    speech: str,
    lang: Lang,
    *,
    reprompt: str | None = None,
    end: bool,
    card: dict[str, str] | None = None,
) -> dict[str, Any]:
    response: dict[str, Any] = {"outputSpeech": _speech(speech, lang)}
    if card is not None:
        response["card"] = card
    if reprompt is not None and not end:
        response["reprompt"] = {"outputSpeech": _speech(reprompt, lang)}
    response["shouldEndSession"] = end
    return {"version": "1.0", "response": response}


def _suggestion(button: str) -> str:
    """A quick reply as something to ask: 'Wat is mijn saldo?' -> 'wat is mijn saldo'."""
    phrase = button.strip().rstrip("?!.")
    if len(phrase) > 1 and phrase[0].isupper() and phrase[1].islower():
        phrase = phrase[0].lower() + phrase[1:]
    return phrase


def _join(items: list[str], lang: Lang) -> str:
    if len(items) < 2:
        return "".join(items)
    last = "of" if lang == "nl" else "or"
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


class AlexaChannel(VoiceChannel):
    """An Alexa custom skill whose endpoint is Kluis."""

    name: ClassVar[str] = "alexa"
    # Alexa waits 8 seconds for an answer; after this long Kluis says it needs a moment.
    answer_seconds: ClassVar[float] = 6.5

    def __init__(self, settings: Settings, api: PlatformAPI) -> None:
        super().__init__(settings, api)
        self._verifier: AlexaVerifier | None = None
        # The body verified last and its envelope: `parse`, called with the same body right
        # after, need not read the JSON again (another body is simply read afresh).
        self._verified: tuple[bytes, dict[str, Any]] | None = None

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        if self._verifier is None:
            self._verifier = AlexaVerifier(self.settings, self.api.http)
        self._verified = (body, await self._verifier.verify(body, headers))

    def parse(self, body: bytes) -> InboundMessage:
        verified = self._verified
        if verified is not None and verified[0] is body:
            envelope: Any = verified[1]
        else:
            try:
                envelope = json.loads(body)
            except ValueError as exc:
                raise MalformedWebhook("alexa body is not JSON", status=400) from exc
        request = _dig(envelope, "request")
        request_id = _text(_dig(request, "requestId"))
        user_id = _text(_dig(envelope, "context", "System", "user", "userId")) or _text(
            _dig(envelope, "session", "user", "userId")
        )
        request_type = _text(_dig(request, "type"))
        if request_id is None or user_id is None or request_type is None:
            raise MalformedWebhook("alexa request incomplete", status=400)
        locale = _text(_dig(request, "locale"))
        intent = _dig(request, "intent")
        intent_name = _text(_dig(intent, "name")) or ""
        kind, text = _heard(request_type, intent_name, intent, _lang(locale))
        extra = {
            "access_token": _text(_dig(envelope, "context", "System", "user", "accessToken"))
            or _text(_dig(envelope, "session", "user", "accessToken")),
            "person_id": _text(_dig(envelope, "context", "System", "person", "personId")),
            "request_type": request_type,
            "intent": intent_name or None,
        }
        return InboundMessage(
            channel=self.name,
            event_id=request_id,
            user_id=user_id,
            kind=kind,
            text=text,
            locale=locale,
            extra={key: value for key, value in extra.items() if value},
        )

    def render(self, inbound: InboundMessage, turn: Turn | None, *, linked: bool) -> dict[str, Any]:
        if inbound.extra.get("request_type") == "SessionEndedRequest":
            return {"version": "1.0", "response": {}}  # Alexa allows no speech here
        lang: Lang = _lang(turn.lang) if turn is not None else inbound.language or "nl"
        bank = self.settings.bank_name
        if inbound.kind == "session_end":
            return _response(_say("goodbye", lang), lang, end=True)
        if not linked:
            card = {"type": "LinkAccount"}
            return _response(_say("link", lang, bank=bank), lang, end=True, card=card)
        if turn is not None:
            return self._answer(turn, lang)
        example = _say("example", lang)
        if inbound.text.strip():
            speech = _say("moment", lang)
            return _response(speech, lang, reprompt=_say("moment.reprompt", lang), end=False)
        if inbound.extra.get("intent") == "AMAZON.FallbackIntent":
            speech = f"{_say('not_understood', lang)} {example}"
        else:
            speech = f"{_say('welcome', lang, bank=bank)} {example}"
        return _response(speech, lang, reprompt=example, end=False)

    def _answer(self, turn: Turn, lang: Lang) -> dict[str, Any]:
        spoken = " ".join(
            speech for reply in turn.replies if (speech := to_speech(reply.text, lang))
        )
        if turn.intent == "goodbye":
            return _response(spoken or _say("goodbye", lang), lang, end=True)
        return _response(
            spoken or _say("anything_else", lang),
            lang,
            reprompt=self._reprompt(turn, lang),
            end=False,
        )

    @staticmethod
    def _reprompt(turn: Turn, lang: Lang) -> str:
        """What Alexa says when the customer stays silent: the answer's quick replies as
        things to ask, the PIN question again, or whether there is anything else."""
        if not turn.replies:
            return _say("anything_else", lang)
        first = turn.replies[0]
        asks_pin = any(
            reply.text.endswith(dialogue_texts.say(key, lang))
            for reply in turn.replies
            for key in _PIN_QUESTIONS
        )
        if asks_pin:
            return _say("pin.reprompt", lang)
        suggestions = [_suggestion(button) for button in first.buttons[:_SUGGESTIONS]]
        suggestions = [suggestion for suggestion in suggestions if suggestion]
        if not suggestions:
            return _say("anything_else", lang)
        return to_speech(_say("suggest", lang, list=_join(suggestions, lang)), lang)
