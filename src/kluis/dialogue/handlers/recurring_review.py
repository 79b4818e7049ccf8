"""'Klopt Netflix, € 13,99 per maand?': the customer confirms or dismisses each recurring
series Kluis found.

After the overview (`handlers.recurring`) Kluis asks about the largest series it has no word
on yet; the answer is kept (`store.recurring_choices`, by the series' payee key, so it holds
for later charges) and the next one is asked, until none is left, the customer says
"later", or asks something else. "Alles klopt" confirms the rest at once. A dismissed
series is left out of the overview, its yearly cost, the bills to come and the alerts about
recurring charges; "welke heb ik weggelaten?" goes through the dismissed ones again. The
question waiting is the conversation's `pending`: `recurring.review:<mode>:<payee key>`,
then one line per payee key passed over in this round. The last choice can be undone later
in the conversation (`handlers.undo`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Final, Literal

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.formatting import Lang, money
from kluis.dialogue.recurring_found import (
    CADENCE_WORDS,
    Found,
    Mode,
    find,
    series_name,
    yearly_cost,
)
from kluis.dialogue.state import ConversationState
from kluis.dialogue.types import Reply
from kluis.insights.recurring import RecurringSeries
from kluis.store.recurring_choices import (
    CHOICES,
    Choice,
    RecurringChoiceRepository,
    as_choice,
)

PENDING_REVIEW: Final = "recurring.review:"

Answer = Literal["yes", "no", "skip", "stop", "all"]


def _phrases(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split("|"))


_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "ask": {
        "nl": "Klopt {name}, {amount} per {cadence}? Zo niet, dan laat ik het voortaan weg.",
        "en": "Is {name}, {amount} a {cadence}, one of your regular bills? If not, I'll leave "
        "it out from now on.",
    },
    "ask.all": {
        "nl": "Kloppen ze allemaal, zeg dan 'alles klopt'.",
        "en": "If they're all right, say 'all correct'.",
    },
    "ask.dismissed": {
        "nl": "Je hebt {name} ({amount} per {cadence}) weggelaten. Hoort die er toch bij?",
        "en": "You dismissed {name} ({amount} a {cadence}). Does it belong there after all?",
    },
    "no_dismissed": {
        "nl": "Je hebt geen vaste lasten of abonnementen weggelaten.",
        "en": "You haven't dismissed any regular bills or subscriptions.",
    },
    "confirmed": {
        "nl": "Genoteerd: {name} hoort bij je vaste lasten.",
        "en": "Noted: {name} is one of your regular bills.",
    },
    "dismissed": {
        "nl": "Goed, {name} laat ik voortaan weg.",
        "en": "All right, I'll leave {name} out from now on.",
    },
    "stays_dismissed": {
        "nl": "Goed, {name} blijft weg.",
        "en": "All right, {name} stays out.",
    },
    "direct_debit": {
        "nl": "Wil je de incasso zelf stoppen, dan kan dat in de app van {bank}. Een "
        "incasso kun je tot 8 weken na de afschrijving laten terugboeken, en tot 13 maanden "
        "als je er nooit toestemming voor gaf.",
        "en": "To stop the direct debit itself, use the {bank} app. You can have a direct "
        "debit paid back up to 8 weeks after it was taken, and up to 13 months if you never "
        "agreed to it.",
    },
    "all_confirmed": {
        "nl": "Genoteerd: die {count} horen bij je vaste lasten.",
        "en": "Noted: those {count} are among your regular bills.",
    },
    "all_restored": {
        "nl": "Genoteerd: die {count} tel ik weer mee.",
        "en": "Noted: I'll count those {count} again.",
    },
    "skipped": {"nl": "Die sla ik over.", "en": "I'll skip that one."},
    "undone.dismissed": {
        "nl": "Ongedaan gemaakt: {name} laat ik weer weg.",
        "en": "Undone: I'll leave {name} out again.",
    },
    "undone.all_dismissed": {
        "nl": "Ongedaan gemaakt: die {count} laat ik weer weg.",
        "en": "Undone: I'll leave those {count} out again.",
    },
    "undone.kept": {
        "nl": "Ongedaan gemaakt: {name} staat weer bij je vaste lasten.",
        "en": "Undone: {name} is back with your regular bills.",
    },
    "undone.unconfirmed": {
        "nl": "Ongedaan gemaakt: {name} is niet meer bevestigd; ik vraag er later weer naar.",
        "en": "Undone: {name} is no longer confirmed; I'll ask about it again later.",
    },
    "undone.all_unconfirmed": {
        "nl": "Ongedaan gemaakt: die {count} zijn niet meer bevestigd; ik vraag er later weer "
        "naar.",
        "en": "Undone: those {count} are no longer confirmed; I'll ask about them again later.",
    },
    "done": {"nl": "Dat waren ze allemaal.", "en": "That was the last one."},
    "total": {
        "nl": "Je vaste lasten zijn nu samen zo'n {yearly} per jaar.",
        "en": "Your regular bills now come to about {yearly} a year.",
    },
    "done_none": {
        "nl": "Dat waren ze allemaal; je hebt nu geen vaste lasten of abonnementen meer staan.",
        "en": "That was the last one; you have no regular bills or subscriptions listed now.",
    },
    "stopped": {
        "nl": "Goed, dan stop ik hier. Vraag 'mijn abonnementen' als je verder wilt.",
        "en": "All right, I'll stop here. Ask 'my subscriptions' when you want to go on.",
    },
    "button.yes": {"nl": "Klopt", "en": "Yes, that's right"},
    "button.no": {"nl": "Klopt niet", "en": "No, leave it out"},
    "button.yes.dismissed": {"nl": "Hoort erbij", "en": "It belongs there"},
    "button.no.dismissed": {"nl": "Laat maar weg", "en": "Keep it out"},
    "button.skip": {"nl": "Sla over", "en": "Skip"},
}
# How the customer answers the question about one series, beside the NLU's affirm and deny
# (tried after these: "weet ik niet" is no "nee"). Compared after `_plain`, so the buttons'
# own words are among them.
_ANSWERS: Final[dict[Answer, frozenset[str]]] = {
    "all": _phrases(
        "alles klopt | ze kloppen allemaal | klopt allemaal | allemaal goed | alle kloppen"
        " | alles bevestigen | bevestig alles | allemaal | all correct | theyre all right"
        " | they are all right | all of them | confirm all | confirm them all | all good"
    ),
    "skip": _phrases(
        "sla over | overslaan | sla deze over | volgende | weet ik niet | geen idee | weet niet"
        " | twijfel | skip | skip it | skip this one | next | next one | not sure | dont know"
        " | i dont know | no idea | pass"
    ),
    "stop": _phrases(
        "later | stop | stoppen | niet nu | straks | genoeg | klaar | laat maar | not now"
        " | enough | done | thats enough | another time | some other time"
    ),
    "yes": _phrases(
        "klopt | ja | ja klopt | ja dat klopt | dat klopt | bevestig | bevestigd | hoort erbij"
        " | houden | houd maar | yes | yes thats right | thats right | right | correct"
        " | confirm | confirmed | keep it | it belongs there | belongs there"
    ),
    "no": _phrases(
        "klopt niet | nee | nee klopt niet | weglaten | laat weg | laat maar weg"
        " | geen abonnement | is geen abonnement | niet van mij | opgezegd | no"
        " | no leave it out | leave it out | not right | dismiss | remove it | keep it out"
        " | not a subscription | cancelled | canceled"
    ),
}
_PUNCTUATION: Final = re.compile(r"[^\w\s]")


def _say(key: str, lang: Lang, **values: object) -> str:
    return _TEXTS[key][lang].format(**values)


def question(
    ctx: TurnContext, found: Found, item: RecurringSeries, mode: Mode, skipped: frozenset[str]
) -> tuple[str, tuple[str, ...], str]:
    """The question about one series, its buttons and the pending it leaves."""
    key = "ask" if mode == "new" else "ask.dismissed"
    text = _say(
        key,
        ctx.lang,
        name=series_name(ctx, found, item),
        amount=money(item.typical, ctx.lang, approximate=found.about),
        cadence=CADENCE_WORDS[ctx.lang][item.cadence],
    )
    suffix = "" if mode == "new" else ".dismissed"
    buttons = tuple(
        _say(name, ctx.lang)
        for name in (f"button.yes{suffix}", f"button.no{suffix}", "button.skip")
    )
    pending = "\n".join([f"{PENDING_REVIEW}{mode}:{item.payee}", *sorted(skipped)])
    return text, buttons, pending


def first_question(ctx: TurnContext, found: Found) -> tuple[Reply, str] | None:
    """The question after the overview, about the largest series not yet reviewed, and the
    pending it leaves; None when the customer has said something of every series."""
    ask = found.unreviewed("new", frozenset())
    if not ask:
        return None
    text, buttons, pending = question(ctx, found, ask[0], "new", frozenset())
    if len(ask) > 1:
        text += " " + _say("ask.all", ctx.lang)
    return Reply(text, buttons), pending


def ask_dismissed(ctx: TurnContext, found: Found, state: ConversationState) -> Outcome:
    """'Welke heb ik weggelaten?': ask about each dismissed series again."""
    dismissed = found.dismissed
    if not dismissed:
        buttons = ctx.buttons("latest", "spending_month")
        return Outcome((Reply(_say("no_dismissed", ctx.lang), buttons),), state)
    text, buttons, pending = question(ctx, found, dismissed[0], "dismissed", frozenset())
    return Outcome((Reply(text, buttons),), replace(state, pending=pending))


def _plain(text: str) -> str:
    return " ".join(_PUNCTUATION.sub("", text.lower()).split())


def reviews(ctx: TurnContext) -> Answer | None:
    """The customer's answer to Kluis's question about a series, when one waits and the
    message answers it; None otherwise (the message is a question of its own)."""
    if not (ctx.state.pending or "").startswith(PENDING_REVIEW):
        return None
    said = _plain(ctx.text)
    for answer in ("all", "skip", "stop", "no", "yes"):
        if said in _ANSWERS[answer]:
            return answer
    if ctx.parse.base_intent == "affirm":
        return "yes"
    if ctx.parse.base_intent == "deny":
        return "no"
    return None


def _waiting(pending: str) -> tuple[Mode, str, frozenset[str]]:
    """The mode and payee key of the question waiting, and the payee keys skipped before."""
    first, *skipped = pending.split("\n")
    mode, _, payee = first.removeprefix(PENDING_REVIEW).partition(":")
    return ("dismissed" if mode == "dismissed" else "new"), payee, frozenset(skipped)


async def _keep(
    ctx: TurnContext, found: Found, choices: dict[str, Choice], name: str = ""
) -> dict[str, str]:
    """Store the customer's choices, let `found` know them, and say how to undo them (the
    series of one round were all undecided, or all dismissed, before)."""
    first = next(iter(choices), "")
    before = found.choices.get(first, "")
    now = datetime.now(UTC)
    async with ctx.runtime.database.session() as session:
        repository = RecurringChoiceRepository(session)
        for payee, choice in choices.items():
            await repository.put(ctx.customer.id, payee, choice, now)
    found.choices.update(choices)
    return {
        "kind": "recurring",
        "payees": "\n".join(choices),
        "before": before,
        "choice": choices.get(first, "confirmed"),
        "name": name,
    }


@dataclass(frozen=True, slots=True)
class _Chosen:
    said: list[str]
    skipped: frozenset[str]  # the payees passed over in this round (skipped, left dismissed)
    undo: dict[str, str] | None = None  # how to undo what was kept


async def _choose(
    ctx: TurnContext, found: Found, answer: Answer, mode: Mode, payee: str, skipped: frozenset[str]
) -> _Chosen:
    """Keep the answer about the series of `payee`."""
    item = found.get(payee)
    if item is None:  # no longer running: on to the next
        return _Chosen([], skipped)
    name = series_name(ctx, found, item)
    if answer == "skip":
        return _Chosen([_say("skipped", ctx.lang, name=name)], skipped | {payee})
    if answer == "no" and mode == "dismissed":  # settled for this round, like a skip
        return _Chosen([_say("stays_dismissed", ctx.lang, name=name)], skipped | {payee})
    choice: Choice = "confirmed" if answer == "yes" else "dismissed"
    undo = await _keep(ctx, found, {payee: choice}, name)
    said = [_say(choice, ctx.lang, name=name)]
    if choice == "dismissed" and item.direct_debit:
        said.append(_say("direct_debit", ctx.lang, bank=ctx.runtime.settings.bank_name))
    return _Chosen(said, skipped, undo)


async def _choose_all(ctx: TurnContext, found: Found, mode: Mode) -> _Chosen:
    """'Alles klopt': every series of the round (skipped ones too) is confirmed."""
    every = found.unreviewed(mode, frozenset())
    undo = await _keep(ctx, found, dict.fromkeys((item.payee for item in every), "confirmed"))
    key = "all_confirmed" if mode == "new" else "all_restored"
    return _Chosen([_say(key, ctx.lang, count=len(every))], frozenset(), undo)


async def undo(ctx: TurnContext, change: Mapping[str, str], state: ConversationState) -> Outcome:
    """Put back what the customer's last choice (or 'alles klopt') replaced."""
    payees = [payee for payee in change.get("payees", "").split("\n") if payee]
    before = change.get("before", "")
    async with ctx.runtime.database.session() as session:
        choices = RecurringChoiceRepository(session)
        if before in CHOICES:
            now = datetime.now(UTC)
            for payee in payees:
                await choices.put(ctx.customer.id, payee, as_choice(before), now)
        else:
            await choices.forget(ctx.customer.id, payees)
    many = len(payees) != 1
    if before == "dismissed":
        key = "undone.all_dismissed" if many else "undone.dismissed"
    elif change.get("choice") == "dismissed":
        key = "undone.kept"
    else:
        key = "undone.all_unconfirmed" if many else "undone.unconfirmed"
    text = _say(key, ctx.lang, name=change.get("name", ""), count=len(payees))
    return Outcome((Reply(text, ctx.buttons("latest", "spending_month")),), state)


async def review(ctx: TurnContext) -> Outcome:
    """Keep the customer's answer about one series and ask about the next."""
    answer = reviews(ctx) or "stop"
    mode, payee, skipped = _waiting(ctx.state.pending or "")
    state = replace(ctx.state.remember("recurring", ctx.entities), lang=ctx.lang)
    if answer == "stop":
        return Outcome((Reply(_say("stopped", ctx.lang)),), state)
    found = await find(ctx)
    if answer == "all":
        chosen = await _choose_all(ctx, found, mode)
    else:
        chosen = await _choose(ctx, found, answer, mode, payee, skipped)
    said, skipped = chosen.said, chosen.skipped
    if chosen.undo is not None:
        state = replace(state, undo=chosen.undo)
    facts = {"answer": answer, "mode": mode}
    following = [other for other in found.unreviewed(mode, skipped) if other.payee != payee]
    if following:
        text, buttons, pending = question(ctx, found, following[0], mode, skipped)
        reply = Reply("\n".join([*said, text]), buttons)
        return Outcome((reply,), replace(state, pending=pending), facts=facts)
    kept = found.kept
    if not kept:
        said.append(_say("done_none", ctx.lang))
    else:
        if answer != "all":
            said.append(_say("done", ctx.lang))
        yearly = money(yearly_cost(kept), ctx.lang, approximate=found.about)
        said.append(_say("total", ctx.lang, yearly=yearly))
    buttons = ctx.buttons("latest", "spending_month")
    return Outcome((Reply("\n".join(said), buttons),), state, facts=facts)
