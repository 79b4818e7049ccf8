"""The voice PIN in a conversation: asking for it, hearing it, and how long it holds.

On a voice channel the gate says amounts only after the customer's voice PIN (set on the
web page; Kluis never asks for a bank PIN or password). The engine asks for it, keeps the
question it interrupted, checks the digits the customer says ("1234", "een twee drie
vier", "one two three four") and then answers that question. The PIN holds for the
conversation: until the customer has been quiet for `PIN_HOLDS`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.state import ConversationState
from kluis.dialogue.types import Reply
from kluis.errors import VoicePinLocked
from kluis.privacy.preferences import check_voice_pin, get_preferences
from kluis.runtime import Runtime

PIN_HOLDS = timedelta(minutes=5)
PIN_PLACEHOLDER = "••••"  # what is stored and shown instead of a spoken PIN

Verdict = Literal["ok", "wrong", "locked"]

_SPOKEN_DIGITS = {
    "nul": "0",
    "zero": "0",
    "oh": "0",
    "een": "1",
    "one": "1",
    "twee": "2",
    "two": "2",
    "drie": "3",
    "three": "3",
    "vier": "4",
    "four": "4",
    "vijf": "5",
    "five": "5",
    "zes": "6",
    "six": "6",
    "zeven": "7",
    "seven": "7",
    "acht": "8",
    "eight": "8",
    "negen": "9",
    "nine": "9",
}
_FILLER = frozenset(
    {"mijn", "de", "het", "is", "code", "spraakcode", "my", "the", "voice", "its", "it's"}
    | {"pin", "uh", "eh", "ehm", "um", "uhm"}
)
_SEPARATORS = re.compile(r"[\s.,;:!?'\"()-]+")


def _plain(text: str) -> str:
    """Lower case without accents: 'één' is 'een'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spoken_pin(text: str) -> str | None:
    """The digits of a message that is only a PIN ('4827', 'vier acht twee zeven', 'my code
    is 4 8 2 7'), else None. Three to eight digits count as a try; anything else in the
    message makes it a question, not a PIN."""
    digits: list[str] = []
    for word in _SEPARATORS.split(_plain(text)):
        if not word or word in _FILLER:
            continue
        if word.isascii() and word.isdigit():
            digits.append(word)
        elif word in _SPOKEN_DIGITS:
            digits.append(_SPOKEN_DIGITS[word])
        else:
            return None
    pin = "".join(digits)
    return pin if 3 <= len(pin) <= 8 else None


def current(state: ConversationState, now: datetime) -> ConversationState:
    """The state with a voice PIN forgotten once the conversation went quiet."""
    if not state.voice_pin_ok:
        return state
    until = datetime.fromisoformat(state.voice_pin_until) if state.voice_pin_until else None
    if until is None or until < now:
        return replace(state, voice_pin_ok=False, voice_pin_until=None)
    return state


def extended(state: ConversationState, now: datetime) -> ConversationState:
    """After an answered turn: the PIN holds for another `PIN_HOLDS`."""
    if not state.voice_pin_ok:
        return state
    return replace(state, voice_pin_until=(now + PIN_HOLDS).isoformat())


async def check_spoken_pin(runtime: Runtime, customer_id: str, pin: str) -> Verdict:
    """Check the PIN the customer said; a wrong one counts toward the lock."""
    async with runtime.database.session() as session:
        try:
            if await check_voice_pin(session, customer_id, pin):
                return "ok"
        except VoicePinLocked:
            return "locked"
        preferences = await get_preferences(session, customer_id)
    return "locked" if preferences.voice_pin_locked else "wrong"


def ask(ctx: TurnContext, *, pin_set: bool) -> Outcome:
    """Ask for the voice PIN and keep the question; or explain how to set one."""
    bank = ctx.runtime.settings.bank_name
    if not pin_set:
        return Outcome((Reply(ctx.say("voice_pin.not_set", bank=bank)),), ctx.state)
    state = replace(ctx.state, awaiting_pin=True, pin_question=ctx.text)
    return Outcome((Reply(ctx.say("voice_pin.ask")),), state)


def locked(ctx: TurnContext) -> Outcome:
    text = ctx.say("voice_pin.locked", bank=ctx.runtime.settings.bank_name)
    return Outcome((Reply(text),), replace(ctx.state, awaiting_pin=False, pin_question=None))
