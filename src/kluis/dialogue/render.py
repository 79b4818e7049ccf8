"""A turn as the chat contract's JSON object (contracts/chat.md)."""

from __future__ import annotations

from typing import Any, Literal

from kluis.dialogue.types import Turn
from kluis.insights.charts import render_svg, svg_data_uri


def turn_to_json(turn: Turn) -> dict[str, Any]:
    """{"user", "intent", "replies": [{"text", "buttons", "image"}], "handoff"}."""
    lang: Literal["nl", "en"] = "en" if turn.lang == "en" else "nl"
    return {
        "user": turn.user,
        "intent": turn.intent,
        "replies": [
            {
                "text": reply.text,
                "buttons": list(reply.buttons),
                "image": svg_data_uri(render_svg(reply.chart, lang)) if reply.chart else None,
            }
            for reply in turn.replies
        ],
        "handoff": turn.handoff,
    }
