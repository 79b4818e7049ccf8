"""Periods: "vorige maand", "the last 3 months", "sinds maandag", "tussen 1 en 15 maart".

Every phrase resolves against the reference date T to a `Period` with both ends inclusive,
following the conventions of contracts/nlu.md. Rules are regular expressions tried on the
normalised text; the earliest match wins and, among those, the longest, so that "sinds 3
maart" beats the "3 maart" inside it. Compound rules ("since X", "between X and Y") resolve
their parts with the same simple rules that find periods on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kluis.nlu import dates
from kluis.nlu.numbers import SMALL_NUMBER_PATTERN, small_number
from kluis.nlu.text import Normalized, Span, normalize
from kluis.nlu.types import Period

# --- vocabulary -------------------------------------------------------------------------------

_MONTH_WORDS: dict[int, str] = {
    1: "januari|january|januarie|janurari|janaury|januray|jan",
    2: "februari|february|februarie|febuari|febrauri|febuary|feburary|febraury|februrary|febr|feb",
    3: "maart|march|mrt|mar",
    4: "april|apr",
    5: "mei|may",
    6: "juni|june|jun",
    7: "juli|july|jul",
    8: "augustus|august|agustus|aug",
    9: "september|septembre|sept|sep",
    10: "oktober|october|okt|oct",
    11: "november|nov",
    12: "december|dec",
}
_WEAK_MONTHS = frozenset({"may", "jan", "mar"})
"""Month words that are also common words ("may I", "Jan" the person): need a context."""

MONTHS: dict[str, int] = {
    word: number for number, words in _MONTH_WORDS.items() for word in words.split("|")
}
WEEKDAYS: dict[str, int] = {
    word: number
    for number, words in enumerate(
        (
            "maandag|monday",
            "dinsdag|tuesday|tuesdy",
            "woensdag|wensdag|wednesday|wensday|wendsday|wednsday",
            "donderdag|thursday|thurday|thursdy",
            "vrijdag|vrydag|friday",
            "zaterdag|saturday",
            "zondag|sunday",
        )
    )
    for word in words.split("|")
}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_M_ALL = _alternation(MONTHS)
_M_STRONG = _alternation(word for word in MONTHS if word not in _WEAK_MONTHS)
_M_WEAK = _alternation(_WEAK_MONTHS)
_WD = _alternation(WEEKDAYS)
_D = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:ste|st|nd|rd|th|de|e)?"
_Y4 = r"(?:19|20)\d{2}"
_YR = r"(?:(?:19|20)\d{2}|'\d{2})"
_N = SMALL_NUMBER_PATTERN
_NOT_MONEY = r"(?!\s*(?:euro|eur|€|\$|dollar|usd|pound|pond|gbp|£|procent|percent|%|[.,:/]\d|-\d))"

_THIS = r"deze|dit|dees|this|current|huidige|lopende"
_LAST = r"this\s+past|vorige|vorig|afgelopen|verleden|voorbije|last|past|previous|prev|laatste"
_NEXT = r"volgende|volgend|komende|komend|aankomende|aanstaande|next|coming|upcoming"
_UNIT = r"weekend|week|wk|maand|month|mnd|mth|jaar|year|yr|kwartaal|quarter|qtr"
_N_UNIT = (
    r"dagen|dag|days|day|weken|weeks|week|wk|maanden|maand|months|month|mnd|jaren|jaar|years|year"
)


@dataclass(frozen=True, slots=True)
class _Found:
    """What a rule resolved to; `period` None blocks the span ("until X" is not a period)."""

    period: Period | None
    recur: Literal["year", "week"] | None = None


_Resolver = Callable[[re.Match[str], date], "_Found | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: _Resolver


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period found in a normalised text, with the span it was read from."""

    period: Period
    span: Span


# --- resolvers for the simple rules -----------------------------------------------------------


def _found(start: date, end: date, recur: Literal["year", "week"] | None = None) -> _Found:
    return _Found(Period(start, end), recur)


_LAST_RE = re.compile(_LAST)
_NEXT_RE = re.compile(_NEXT)
_FORWARD = frozenset(
    {"komende", "aankomende", "volgende", "next", "coming", "upcoming", "binnen", "within"}
)
_DAY_OFFSETS: dict[str, int] = {
    "eergisteren": -2, "eergister": -2, "day before yesterday": -2,
    "the day before yesterday": -2, "gisteren": -1, "gister": -1, "yesterday": -1, "yday": -1,
    "yesteday": -1, "yesterdy": -1, "morgen": 1, "tomorrow": 1, "tmrw": 1, "tomorow": 1,
    "overmorgen": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
}  # fmt: skip


def _direction(word: str | None) -> dates.Direction:
    if word is None:
        return "this"
    if _LAST_RE.fullmatch(word):
        return "last"
    if _NEXT_RE.fullmatch(word):
        return "next"
    return "this"


def _relative_word(match: re.Match[str], today: date) -> _Found | None:
    word = " ".join(match.group("word").split())
    day = today + timedelta(days=_DAY_OFFSETS.get(word, 0))
    return _found(day, day)


def _unit_relative(match: re.Match[str], today: date) -> _Found | None:
    direction = _direction(match.group("rel"))
    unit = match.group("unit")
    if unit == "weekend":
        return _found(*dates.weekend(today, direction))
    if unit in ("week", "wk"):
        return _found(*dates.week(today, direction))
    if unit in ("jaar", "year", "yr"):
        return _found(*dates.year(today, direction))
    if unit in ("kwartaal", "quarter", "qtr"):
        return _found(*dates.quarter(today, direction))
    return _found(*dates.month(today, direction))


def _unit_to_date(match: re.Match[str], today: date) -> _Found | None:
    unit = match.group("unit") or match.group()
    if unit.startswith(("jaar", "year", "ytd")):
        return _found(*dates.year(today, "this"))
    return _found(*dates.month(today, "this"))


def _count_units(match: re.Match[str], today: date) -> _Found | None:
    text = match.group("n")
    count = 6 if text is None else small_number(text)
    unit = match.group("unit") or "maanden"
    if count is None or count <= 0:
        return None
    if match.group("dir") in _FORWARD:
        return _found(*dates.coming(today, count, unit))
    return _found(*dates.trailing(today, count, unit))


def _fortnight(match: re.Match[str], today: date) -> _Found | None:
    if match.group("dir") in ("next", "coming"):
        return _found(*dates.coming(today, 2, "weeks"))
    return _found(*dates.trailing(today, 2, "weeks"))


def _ago(match: re.Match[str], today: date) -> _Found | None:
    text = match.group("n")
    count = 1 if text in ("een", "a", "an", "one") else small_number(text)
    if count is None or count <= 0:
        return None
    return _found(*dates.ago(today, count, match.group("unit")))


def _weekday(match: re.Match[str], today: date) -> _Found | None:
    weekday = WEEKDAYS[match.group("wd")]
    day = dates.weekday(today, weekday, future=_direction(match.group("rel")) == "next")
    return _found(day, day, "week")


def _year_of(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _day_month(match: re.Match[str], today: date) -> _Found | None:
    month = MONTHS[match.group("m").rstrip(".")]
    return _date(int(match.group("d")), month, _year_of(match.group("y")), today)


def _date(day: int, month: int, year: int | None, today: date) -> _Found | None:
    if year is None:
        resolved = dates.recent_date(today, month, day)
        return None if resolved is None else _found(resolved, resolved, "year")
    try:
        resolved = date(year, month, day)
    except ValueError:
        return None
    return _found(resolved, resolved)


def _day_of_month(match: re.Match[str], today: date) -> _Found | None:
    day = dates.recent_day_of_month(today, int(match.group("d")))
    return None if day is None else _found(day, day)


def _numeric(match: re.Match[str], today: date) -> _Found | None:
    day, month = int(match.group("d")), int(match.group("m"))
    if month > 12 >= day:  # written month first, the American way
        day, month = month, day
    groups = match.groupdict()
    return _date(day, month, _year_of(groups.get("y")), today)


def _month_year(match: re.Match[str], today: date) -> _Found | None:
    month = MONTHS[match.group("m").rstrip(".")]
    year = _year_of(match.group("y"))
    return None if year is None else _found(*dates.month_of(today, year, month))


def _month_relative_year(match: re.Match[str], today: date) -> _Found | None:
    month = MONTHS[match.group("m").rstrip(".")]
    shift = {"last": -1, "this": 0, "next": 1}[_direction(match.group("rel"))]
    return _found(*dates.month_of(today, today.year + shift, month))


def _relative_month(match: re.Match[str], today: date) -> _Found | None:
    month = MONTHS[match.group("m").rstrip(".")]
    direction = _direction(match.group("rel"))
    if direction == "last":
        year = today.year if month < today.month else today.year - 1
    elif direction == "next":
        year = today.year if month > today.month else today.year + 1
    else:
        year = today.year
    return _found(*dates.month_of(today, year, month))


def _month_alone(match: re.Match[str], today: date) -> _Found | None:
    month = MONTHS[match.group("m").rstrip(".")]
    year = today.year if month <= today.month else today.year - 1
    return _found(*dates.month_of(today, year, month), "year")


_ORDINAL_QUARTERS = {
    "eerste": 1, "1e": 1, "1ste": 1, "first": 1, "1st": 1, "tweede": 2, "2e": 2, "2de": 2,
    "second": 2, "2nd": 2, "derde": 3, "3e": 3, "3de": 3, "third": 3, "3rd": 3, "vierde": 4,
    "4e": 4, "4de": 4, "fourth": 4, "4th": 4, "laatste": 4, "last": 4,
}  # fmt: skip


def _quarter_number(match: re.Match[str], today: date) -> _Found | None:
    year = _year_of(match.group("y"))
    ordinal = match.group("qo")
    if ordinal in ("laatste", "last") and year is None:
        return _found(*dates.quarter(today, "last"))
    number = _ORDINAL_QUARTERS[ordinal] if ordinal else int(match.group("q1") or match.group("q2"))
    return _found(*dates.quarter_of(today, number, year))


_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:\b(?:kaart|card|pas|ending|eindigend|eindigt|nummer|number|nr|code|pin|meer\s+dan"
    r"|more\s+than|boven|onder|over|under|above|below|less\s+than|minder\s+dan|ongeveer|about"
    r"|around|rond|eur|usd|gbp)|[€$£<>~])\s*(?:de\s+|the\s+|op\s+|in\s+|on\s+)?$"
)


def _year_alone(match: re.Match[str], today: date) -> _Found | None:
    year = int(match.group("y"))
    if not today.year - 30 <= year <= today.year + 5:
        return None
    groups = match.groupdict()
    if not groups.get("prep"):
        before = match.string[max(0, match.start() - 20) : match.start()]
        if _NOT_A_YEAR_BEFORE.search(before):
            return None
    return _found(*dates.year_of(today, year))


def _until(match: re.Match[str], today: date) -> _Found | None:
    """Words that look like a period but are none ("until X", "every Friday")."""
    return _Found(None)


# --- rule sources -----------------------------------------------------------------------------

_RELATIVE = (
    r"(?<!goede )(?<!goeie )(?<!good )\b(?P<word>vandaag|today|2day|tday|vnd|heden"
    r"|eergisteren|eergister|(?:the\s+)?day\s+before\s+yesterday|gisteren|gister|yesterday|yday"
    r"|yesteday|yesterdy|overmorgen|(?:the\s+)?day\s+after\s+tomorrow|morgen|tomorrow|tmrw"
    r"|tomorow)\b"
)
_NOW = r"\b(?P<word>nu|now|vandaag|today)\b"
_VD = r"\b(?P<word>vd)\b(?!\s+(?:maand|week|jaar|dag|weekend|kwartaal|month|year|rekening|bank))"
_UNIT_RELATIVE = rf"\b(?P<rel>{_THIS}|{_LAST}|{_NEXT})\s+(?P<unit>{_UNIT})\b"
_TO_DATE = r"\b(?:ytd|mtd|(?P<unit>year|month)[\s-]to[\s-]date)\b"
_START_OF = (
    r"\b(?:sinds|since|vanaf|from)\s+(?:het\s+|the\s+)?(?:begin|start|beginning|aanvang)\s+"
    r"(?:van\s+|of\s+)?(?:het\s+|de\s+|dit\s+|deze\s+|this\s+|the\s+)?"
    r"(?P<unit>jaar|year|maand|month)\b"
)
_COUNT_UNITS = (
    r"\b(?P<dir>afgelopen|laatste|voorbije|last|past|previous|recent|komende|aankomende|volgende"
    rf"|next|coming|upcoming|binnen|within)\s+(?:(?:de|the)\s+)?(?:(?P<n>{_N})\s*"
    rf"(?P<unit>{_N_UNIT})\b|half\s*(?:een\s+|a\s+)?(?:jaar|year)\b)"
)
_FORTNIGHT = r"\b(?P<dir>last|past|previous|next|coming)\s+fortnight\b"
_AGO = rf"\b(?P<n>{_N}|een|one|an|a)\s*(?P<unit>{_N_UNIT})\s+(?:geleden|ago|terug)\b"
_WEEKDAY = rf"\b(?:(?P<rel>{_LAST}|{_NEXT}|deze|this|op|on)\s+)?(?P<wd>{_WD})\b"
_DAY_MONTH = rf"\b(?P<d>{_D}){_ORD}\s*(?:of\s+|van\s+)?(?P<m>{_M_ALL})\b\.?(?:,?\s*(?P<y>{_YR})\b)?"
_MONTH_DAY = (
    rf"\b(?P<m>{_M_ALL})\.?\s*(?:the\s+)?(?P<d>{_D})(?:ste|st|nd|rd|th|de|e)?\b{_NOT_MONEY}"
    rf"(?:,?\s*(?P<y>{_Y4})\b)?"
)
_DAY_OF_MONTH = (
    rf"\b(?:de|the)\s+(?P<d>{_D})(?:ste|st|nd|rd|th|de|e)\b(?!\s+(?:of\s+|van\s+)?"
    rf"(?:{_M_ALL}|kwartaal|quarter|week|maand|month|keer|time|dag|day)\b)"
)
_ON_DAY_OF_MONTH = r"\b(?:op|on)\s+" + _DAY_OF_MONTH
_ISO = rf"(?<![\d.,/:-])(?P<y>{_Y4})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?![\d/:-]|[.,]\d)"
_DMY = (
    r"(?<![\d.,/:-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"(?![\d/:-]|[.,]\d)"
)
_DM_SLASH = r"(?<![\d.,/:-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/:]|[.,]\d)"
_DM_DASH = r"(?<![\d.,/:-])(?P<d>\d{1,2})-(?P<m>\d{1,2})(?![\d/:-]|[.,]\d)"
_ON_DM_DASH = r"\b(?:op|on|per)\s+" + _DM_DASH
_MONTH_YEAR = rf"\b(?P<m>{_M_ALL})\.?\s*(?:of\s+|van\s+)?(?P<y>{_YR})\b"
_MONTH_REL_YEAR = (
    rf"\b(?P<m>{_M_ALL})\.?\s+(?:van\s+|of\s+)?(?P<rel>{_LAST}|{_THIS}|{_NEXT})\s+(?:jaar|year)\b"
)
_REL_MONTH = rf"\b(?P<rel>{_LAST}|{_THIS}|{_NEXT})\s+(?P<m>{_M_ALL})\b"
_MONTH_STRONG = rf"\b(?P<m>{_M_STRONG})\b"
_MONTH_WEAK = (
    rf"\b(?:in|during|tijdens|heel|whole|all\s+of|the\s+month\s+of|de\s+maand)\s+(?P<m>{_M_WEAK})\b"
)
_MONTH_ANY = rf"\b(?P<m>{_M_ALL})\b"
_QUARTER = (
    r"\b(?:q(?P<q1>[1-4])|(?:kwartaal|quarter)\s*(?P<q2>[1-4])|(?P<qo>eerste|1e|1ste|first|1st"
    r"|tweede|2e|2de|second|2nd|derde|3e|3de|third|3rd|vierde|4e|4de|fourth|4th|laatste|last)"
    rf"\s+(?:kwartaal|quarter)(?=\s+(?:van\s+|of\s+)?{_Y4}\b))"
    rf"(?:\s+(?:van\s+|of\s+)?(?P<y>{_Y4}))?\b"
)
_QUARTER_PLAIN = (
    r"\b(?:q(?P<q1>[1-4])|(?:kwartaal|quarter)\s*(?P<q2>[1-4])|(?P<qo>eerste|1e|1ste|first|1st"
    r"|tweede|2e|2de|second|2nd|derde|3e|3de|third|3rd|vierde|4e|4de|fourth|4th)"
    rf"\s+(?:kwartaal|quarter))(?:\s+(?:van\s+|of\s+)?(?P<y>{_Y4}))?\b"
)
_YEAR_PREP = (
    r"in|van|uit|sinds|since|during|tijdens|for|voor|of|heel|whole|jaar|year|het\s+jaar"
    r"|the\s+year|all\s+of"
)
_YEAR_ALONE = rf"(?:\b(?P<prep>{_YEAR_PREP})\s+)?(?<![€$£]\s)(?<![€$£\w])(?P<y>{_Y4})\b{_NOT_MONEY}"
_YEAR_BARE = rf"(?P<y>{_Y4})\b{_NOT_MONEY}"


def _bare(source: str) -> str:
    """A rule's pattern without named groups, to embed it in a compound pattern."""
    return re.sub(r"\(\?P<\w+>", "(?:", source)


def _rule(source: str, resolve: _Resolver) -> _Rule:
    return _Rule(re.compile(source), resolve)


# Expression rules, most specific first: what may stand as X in "since X", "between X and Y".
_EXPRESSIONS: tuple[tuple[str, _Resolver], ...] = (
    (_ISO, _numeric),
    (_DMY, _numeric),
    (_DAY_MONTH, _day_month),
    (_MONTH_DAY, _day_month),
    (_MONTH_REL_YEAR, _month_relative_year),
    (_MONTH_YEAR, _month_year),
    (_QUARTER_PLAIN, _quarter_number),
    (_REL_MONTH, _relative_month),
    (_UNIT_RELATIVE, _unit_relative),
    (_AGO, _ago),
    (_WEEKDAY, _weekday),
    (_DM_SLASH, _numeric),
    (_DM_DASH, _numeric),
    (_DAY_OF_MONTH, _day_of_month),
    (_RELATIVE, _relative_word),
    (_NOW, _relative_word),
    (_MONTH_ANY, _month_alone),
    (_YEAR_BARE, _year_alone),
)
_EXPRESSION_RULES = tuple(_rule(source, resolve) for source, resolve in _EXPRESSIONS)
_DX = "(?:" + "|".join(_bare(source) for source, _ in _EXPRESSIONS) + ")"


def _expression(text: str, today: date) -> _Found | None:
    for rule in _EXPRESSION_RULES:
        match = rule.pattern.fullmatch(text)
        if match is not None:
            return _safely(rule, match, today)
    return None


def _between(match: re.Match[str], today: date) -> _Found | None:
    first = _expression(match.group("x"), today)
    second = _expression(match.group("y"), today)
    if first is None or second is None or first.period is None or second.period is None:
        return None
    start, end = first.period.start, second.period.end
    if start > end and first.recur is not None:
        start = dates.shift_back(start, first.recur)
    if start > end:
        start, end = second.period.start, first.period.end
    return _found(min(start, end), max(start, end))


def _since(match: re.Match[str], today: date) -> _Found | None:
    if match.group("x") in ("nu", "now"):
        return _Found(None)  # "vanaf nu", "from now on": from today into the future
    found = _expression(match.group("x"), today)
    if found is None or found.period is None:
        return None
    if match.group("kind") in ("after", "na"):
        start = found.period.end + timedelta(days=1)
        return None if start > today else _found(start, today)
    if found.period.start > today:
        return found
    return _found(found.period.start, today)


def _day_range(match: re.Match[str], today: date) -> _Found | None:
    first, last = sorted((int(match.group("d1")), int(match.group("d2"))))
    month = MONTHS[match.group("m").rstrip(".")]
    year = _year_of(match.group("y"))
    end = _date(last, month, year, today)
    if end is None or end.period is None:
        return None
    try:
        start = end.period.start.replace(day=first)
    except ValueError:
        return None
    return _found(start, end.period.end)


_DAY_RANGE = (
    rf"\b(?:(?:tussen|between|van|from|vanaf)\s+(?:de\s+|the\s+)?)?(?P<d1>{_D}){_ORD}\s*"
    rf"(?:en|and|tot\s+en\s+met|t/m|tm|tot|to|till|until|through|thru|-)\s*(?:de\s+|the\s+)?"
    rf"(?P<d2>{_D}){_ORD}\s+(?:of\s+|van\s+)?(?P<m>{_M_ALL})\b\.?(?:\s+(?P<y>{_Y4})\b)?"
)
_MONTH_DAY_RANGE = (
    rf"\b(?:(?:tussen|between|van|from)\s+)?(?P<m>{_M_ALL})\.?\s+(?P<d1>{_D})(?:st|nd|rd|th)?"
    rf"\s*(?:-|to|and|through|thru|till|until|tot|t/m|en)\s*(?P<d2>{_D})(?:st|nd|rd|th)?\b"
    rf"{_NOT_MONEY}(?:,?\s+(?P<y>{_Y4})\b)?"
)
_BETWEEN = rf"\b(?:tussen|between)\s+(?P<x>{_DX})\s+(?:en|and|&)\s+(?P<y>{_DX})"
_FROM_TO = (
    rf"\b(?:van|vanaf|from|sinds|since)\s+(?P<x>{_DX})\s*(?:tot\s+en\s+met|t/m|tm|tot|to|till"
    rf"|until|through|thru|-|up\s+to|upto)\s*(?P<y>{_DX})"
)
_SINCE = (
    r"\b(?P<kind>sinds|since|vanaf|sedert|starting|beginning|after|na)\s+"
    rf"(?P<x>{_DX})"
)
# "payments from last week" is last week; "from March onwards" is since March
_FROM_ON = rf"\b(?P<kind>from)\s+(?P<x>{_DX})\s+(?:on|onwards|onward)\b"
_UNTIL = rf"\b(?:tot\s+en\s+met|t/m|tot|until|till|up\s+to|upto|before)\s+(?P<x>{_DX})"
# a schedule, not a period: "stuur me elke vrijdag een overzicht"
_EVERY = rf"\b(?:elke|iedere|ieder|every|each)\s+(?:{_WD})\b"

_SCAN_RULES: tuple[_Rule, ...] = tuple(
    _rule(source, resolve)
    for source, resolve in (
        (_DAY_RANGE, _day_range),
        (_MONTH_DAY_RANGE, _day_range),
        (_BETWEEN, _between),
        (_FROM_TO, _between),
        (_START_OF, _unit_to_date),
        (_SINCE, _since),
        (_FROM_ON, _since),
        (_UNTIL, _until),
        (_EVERY, _until),
        (_TO_DATE, _unit_to_date),
        (_COUNT_UNITS, _count_units),
        (_FORTNIGHT, _fortnight),
        (_AGO, _ago),
        (_RELATIVE, _relative_word),
        (_VD, _relative_word),
        (_UNIT_RELATIVE, _unit_relative),
        (_WEEKDAY, _weekday),
        (_ISO, _numeric),
        (_DMY, _numeric),
        (_DM_SLASH, _numeric),
        (_ON_DM_DASH, _numeric),
        (_ON_DAY_OF_MONTH, _day_of_month),
        (_DAY_MONTH, _day_month),
        (_MONTH_DAY, _day_month),
        (_MONTH_REL_YEAR, _month_relative_year),
        (_MONTH_YEAR, _month_year),
        (_REL_MONTH, _relative_month),
        (_MONTH_STRONG, _month_alone),
        (_MONTH_WEAK, _month_alone),
        (_QUARTER, _quarter_number),
        (_QUARTER_PLAIN, _quarter_number),
        (_YEAR_ALONE, _year_alone),
    )
)


def _safely(rule: _Rule, match: re.Match[str], today: date) -> _Found | None:
    try:
        return rule.resolve(match, today)
    except (ValueError, OverflowError, KeyError):
        return None


def find_period(text: Normalized, today: date) -> PeriodMatch | None:
    """The first period in `text`, resolved against `today`, or None."""
    candidates: list[tuple[int, int, int, _Found]] = []
    for order, rule in enumerate(_SCAN_RULES):
        for match in rule.pattern.finditer(text.text):
            found = _safely(rule, match, today)
            if found is not None:
                candidates.append((match.start(), match.end(), order, found))
                break
    candidates.sort(key=lambda item: (item[0], item[0] - item[1], item[2]))
    blocked: list[Span] = []
    for start, end, _, found in candidates:
        span = Span(start, end)
        if any(span.overlaps(block) for block in blocked):
            continue
        if found.period is None:
            blocked.append(span)
            continue
        period = found.period
        if period.start > period.end:
            period = Period(period.end, period.start)
        return PeriodMatch(period, span)
    return None


def extract_period(text: str, today: date) -> Period | None:
    """The period a customer means in `text` ("vorige maand", "since March 3"), or None."""
    found = find_period(normalize(text), today)
    return None if found is None else found.period
