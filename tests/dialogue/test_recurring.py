"""'Welke abonnementen heb ik?': the customer's recurring payments, checked against what the
sandbox bank knows are recurring series, with their yearly cost and next dates."""

from __future__ import annotations

import re
from decimal import Decimal

from kluis.dialogue.engine import Dialogue
from kluis.sandbox.truth import Truth


def _series(truth: Truth) -> dict[str, list[Decimal]]:
    """The bank's recurring series of payments out (not to the customer's own savings):
    counterparty -> amounts."""
    found: dict[str, list[Decimal]] = {}
    for item in truth.transactions:
        if item.recurring and item.amount.amount < 0 and item.category != "transfers":
            found.setdefault(item.counterparty, []).append(-item.amount.amount)
    return found


async def test_the_overview_names_the_largest_bills_and_their_yearly_cost(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    turn = await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    assert turn.intent == "recurring"
    text = turn.replies[0].text
    count = int(re.search(r"Je hebt (\d+) vaste lasten", text).group(1))  # type: ignore[union-attr]
    bank = _series(truth["c-sanne"])
    assert count >= min(len(bank), 8) * 3 // 4
    # The largest recurring payment the bank knows of heads the list.
    largest = max(bank, key=lambda name: max(bank[name]))
    first = text.splitlines()[1]
    assert largest in first
    assert "per maand" in first
    assert "volgende op" in first
    assert "per jaar" in text.splitlines()[0]


async def test_in_english_and_what_is_due_this_week(dialogue: Dialogue) -> None:
    overview = await dialogue.respond("c-emily", "web", "what subscriptions do I have?")
    assert overview.replies[0].text.startswith("You have ")
    assert "a year in all" in overview.replies[0].text
    due = await dialogue.respond("c-emily", "web", "which bills are due this week?")
    assert due.intent == "recurring"
    said = due.replies[0].text
    assert said.startswith("Up to ") or said.startswith("I don't expect")
    for line in said.splitlines()[1:]:
        assert re.match(r"• \d{1,2} [A-Z][a-z]{2}: .+, €[\d,]+\.\d\d$", line), line
