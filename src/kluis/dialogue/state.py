"""What the assistant remembers between messages, stored as JSON per customer and channel,
and how a follow-up leans on it ("en vorige maand?", "and the year before?")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from kluis.dialogue.formatting import previous_period
from kluis.nlu import dates
from kluis.nlu.text import word_set
from kluis.nlu.types import Amount, Entities, Period

# A message that starts like this goes on from the last question: "en vorige maand?",
# "and at Albert Heijn?", "hoe zit het met boodschappen?".
FOLLOW_UP: Final = re.compile(
    r"^\s*(en|and|ook|also|what about|how about|wat met|en met|hoe zit het met|"
    r"en voor|and for|and on|en op|en bij|and at)\b",
    re.IGNORECASE,
)
# One that says this asks the last question again for the period before its own.
BEFORE: Final = re.compile(
    r"\b(daarvoor|ervoor|before that|previous one|(?:the )?(?:month|week|year) before|"
    r"(?:de |het )?(?:maand|week|jaar) (?:daarvoor|ervoor))\b",
    re.IGNORECASE,
)
# One that only asks how the last answer compares with the customer's usual month ("en
# vergeleken met normaal?", "is that normal?"): the same question, what stands out in it.
AGAINST_USUAL: Final = re.compile(
    r"^\s*(?:en\s+|and\s+|but\s+|maar\s+)?(?:"
    r"(?:vergeleken|in vergelijking) met (?:normaal|gewoonlijk|een gewone maand|anders)"
    r"|(?:ten opzichte van|tov|t\.o\.v\.) (?:normaal|een gewone maand)"
    r"|is dat (?:normaal|veel|meer dan normaal|gewoon)|normaal"
    r"|compared (?:to|with) (?:usual|normal|a usual month|a normal month|normally|usually)"
    r"|(?:is|was) (?:that|it) (?:normal|usual|a lot|more than usual)|usually|normally"
    r")\s*[?!.]*\s*$",
    re.IGNORECASE,
)
# Words a follow-up may have around what it names without asking anything of its own.
_LINKING: Final = word_set(
    """en ook dan nou eens alleen graag in op aan bij voor van over tot met de het een die
    dat deze mijn mn m n t s wat hoe zit and also then just only please in on at for of over
    from to during with the a an that this my what how about"""
)
_WORDS: Final = re.compile(r"[^\W\d_]+")
_YEAR: Final = re.compile(r"\b(year|jaar)\b", re.IGNORECASE)


def refers_back(text: str, entities: Entities) -> bool:
    """Whether `text` only changes what the last question was about: names a period, an
    account, a payee or a category ("en vorige maand?", "and at Albert Heijn?"), or asks for
    the period before ("en daarvoor?"), and asks nothing of its own. `entities` are the ones
    found in `text` itself."""
    rest = text.lower()
    named = False
    for span in entities.spans.values():
        if span and span.lower() in rest:
            rest, named = rest.replace(span.lower(), " ", 1), True
    rest, before = BEFORE.subn(" ", rest)
    if not (named or before):
        return False
    rest = FOLLOW_UP.sub(" ", rest, count=1)
    return all(word in _LINKING for word in _WORDS.findall(rest))


def _a_year_before(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return day.replace(year=day.year - 1, day=min(day.day, last))


def _months_before(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _so_far(asked: Period) -> Period | None:
    """The whole week, month or year that `asked` is the first part of ("deze maand" on the
    18th is the 1st to the 18th), or None when it is not the start of one."""
    start, end = asked.start, asked.end
    month = dates.month_range(end.year, end.month)
    if start.day == 1 and end < month[1] and end.year == start.year:
        if end.month == start.month:
            return Period(*month)
        if start.month == 1:
            return Period(start, date(start.year, 12, 31))
    if start.weekday() == 0 and (end - start).days < 6:
        return Period(start, start + timedelta(days=6))
    return None


def period_before(asked: Period, said: str) -> Period:
    """The period a follow-up matched by `BEFORE` (`said`) asks about after `asked`: the same
    days a year earlier when it says a year ("and the year before?"), else the period just
    before of the same shape, whole months staying whole months (after half a year of
    months, the half year before). A week, month or year so far stands for the whole of it:
    "en daarvoor?" after this month so far asks about the whole month before."""
    asked = _so_far(asked) or asked
    start, end = asked.start, asked.end
    if _YEAR.search(said):
        return Period(_a_year_before(start), _a_year_before(end))
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months > 1 and start.day == 1 and (end + timedelta(days=1)).day == 1:
        return Period(_months_before(start, months), start - timedelta(days=1))
    return Period(*previous_period(start, end))


def entities_to_state(entities: Entities) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if entities.period:
        data["period"] = [entities.period.start.isoformat(), entities.period.end.isoformat()]
    if entities.amount:
        data["amount"] = [str(entities.amount.value), entities.amount.currency, entities.amount.op]
    for key in ("merchant", "category", "account"):
        if getattr(entities, key):
            data[key] = getattr(entities, key)
    return data


def entities_from_state(data: dict[str, Any]) -> Entities:
    period = data.get("period")
    amount = data.get("amount")
    return Entities(
        period=Period(date.fromisoformat(period[0]), date.fromisoformat(period[1]))
        if period
        else None,
        amount=Amount(Decimal(amount[0]), amount[1], amount[2]) if amount else None,
        merchant=data.get("merchant"),
        category=data.get("category"),
        account=data.get("account"),
    )


@dataclass(frozen=True, slots=True)
class ConversationState:
    """The last question understood, its entities, paging, and misunderstandings in a row."""

    lang: str | None = None
    last_intent: str | None = None
    last_entities: dict[str, Any] = field(default_factory=dict)
    shown: int = 0
    page_size: int = 5
    flow: str | None = None  # "in" or "out" when the customer asked for one direction
    misunderstood: int = 0
    pending: str | None = None  # a question Kluis asked and waits an answer to
    # Voice: the voice PIN was given in this conversation (until `voice_pin_until`, an ISO
    # time that each answered turn moves on); Kluis asked for it and keeps the question.
    voice_pin_ok: bool = False
    voice_pin_until: str | None = None
    awaiting_pin: bool = False
    pin_question: str | None = None
    # What kind of question beyond a plain answer the last one was (a spending answer's
    # "top", "unusual" or "trend"), so that a follow-up asks the same kind of question.
    kind: str | None = None
    # The customer's last change that "maak ongedaan" undoes, kept across later questions
    # until it is undone or another change replaces it (`dialogue.handlers.undo`).
    undo: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversationState:
        return cls(
            lang=data.get("lang"),
            last_intent=data.get("last_intent"),
            last_entities=dict(data.get("last_entities") or {}),
            shown=int(data.get("shown") or 0),
            page_size=int(data.get("page_size") or 5),
            flow=data.get("flow"),
            misunderstood=int(data.get("misunderstood") or 0),
            pending=data.get("pending"),
            voice_pin_ok=bool(data.get("voice_pin_ok")),
            voice_pin_until=data.get("voice_pin_until"),
            awaiting_pin=bool(data.get("awaiting_pin")),
            pin_question=data.get("pin_question"),
            kind=data.get("kind"),
            undo={str(key): str(value) for key, value in (data.get("undo") or {}).items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "last_intent": self.last_intent,
            "last_entities": self.last_entities,
            "shown": self.shown,
            "page_size": self.page_size,
            "flow": self.flow,
            "misunderstood": self.misunderstood,
            "pending": self.pending,
            "voice_pin_ok": self.voice_pin_ok,
            "voice_pin_until": self.voice_pin_until,
            "awaiting_pin": self.awaiting_pin,
            "pin_question": self.pin_question,
            "kind": self.kind,
            "undo": self.undo,
        }

    def remember(
        self,
        intent: str,
        entities: Entities,
        *,
        shown: int = 0,
        page_size: int = 5,
        flow: str | None = None,
        kind: str | None = None,
    ) -> ConversationState:
        return replace(
            self,
            last_intent=intent,
            last_entities=entities_to_state(entities),
            shown=shown,
            page_size=page_size,
            flow=flow,
            misunderstood=0,
            pending=None,
            kind=kind,
        )
