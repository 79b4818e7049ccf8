"""'Maak ongedaan', 'undo': take back the customer's last change in this conversation, a
category correction ("zet Vattenfall onder energie") or what they said of a recurring
series ("Klopt niet"), however many questions ago they made it.

The change is kept in the conversation state's `undo` (what it was, and what to put back)
by the handler that made it, until it is undone or a newer change replaces it; the undoing
itself is that handler's (`corrections.undo`, `recurring_review.undo`). Only the words of an
undo count, so "zet Netflix terug onder abonnementen" is a correction, not an undo.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang
from kluis.dialogue.handlers import corrections, recurring_review
from kluis.dialogue.state import ConversationState
from kluis.dialogue.types import Reply
from kluis.insights.categories import normalise

PHRASES: Final = frozenset(
    {
        "maak ongedaan",
        "ongedaan maken",
        "maak dat ongedaan",
        "maak het ongedaan",
        "maak dit ongedaan",
        "maak de laatste aanpassing ongedaan",
        "maak mijn laatste aanpassing ongedaan",
        "draai terug",
        "draai dat terug",
        "draai het terug",
        "terugdraaien",
        "zet terug",
        "zet het terug",
        "zet dat terug",
        "undo",
        "undo that",
        "undo it",
        "undo the last change",
        "undo my last change",
        "revert",
        "revert that",
        "revert it",
        "change it back",
        "put it back",
        "take that back",
    }
)

_NOTHING: Final[dict[Lang, str]] = {
    "nl": "Er is niets om ongedaan te maken: je hebt in dit gesprek geen categorie aangepast "
    "en geen vaste last bevestigd of weggelaten.",
    "en": "There's nothing to undo: in this conversation you haven't changed a category or "
    "confirmed or dismissed a regular bill.",
}


def asks_undo(text: str) -> bool:
    """Whether the message asks to undo the last change (the undo button, or in words)."""
    return normalise(text) in PHRASES


def intent_of(state: ConversationState) -> str:
    """The intent an undo is counted under: that of the change it takes back."""
    return "recurring" if state.undo.get("kind") == "recurring" else "spending"


async def handle(ctx: TurnContext) -> Outcome:
    """Undo the change kept in the conversation, once."""
    change = ctx.state.undo
    state = replace(ctx.state, undo={}, pending=None, misunderstood=0)
    if change.get("kind") == "category":
        return await corrections.undo(ctx, change, state)
    if change.get("kind") == "recurring":
        return await recurring_review.undo(ctx, change, state)
    return Outcome((Reply(_NOTHING[ctx.lang]),), state)
