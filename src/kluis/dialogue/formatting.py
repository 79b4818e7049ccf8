"""Money, dates and periods as a good bank employee would write them, in nl and en."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from kluis.money import Money
from kluis.privacy.policy import round_amount

Lang = Literal["nl", "en"]

_ABOUT: dict[Lang, str] = {"nl": "ongeveer", "en": "about"}
_WHOLE_CENTS = re.compile(r"[.,]00(?=\D*$)")

MONTHS: dict[Lang, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
SHORT_MONTHS: dict[Lang, tuple[str, ...]] = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def money(amount: Money, lang: Lang, *, approximate: bool = False) -> str:
    """`€ 1.234,56`; approximately (a discreet voice): rounded to tens or hundreds, without
    cents, and said to be approximate: `ongeveer € 1.200` / `about €1,200`."""
    if not approximate:
        return amount.format(lang)
    rounded = _WHOLE_CENTS.sub("", round_amount(amount).format(lang))
    return f"{_ABOUT[lang]} {rounded}"


def day(value: date, lang: Lang, *, today: date | None = None, with_year: bool = False) -> str:
    """`17 mrt` / `17 Mar`, with the year when it is not this year (or when asked)."""
    text = f"{value.day} {SHORT_MONTHS[lang][value.month - 1]}"
    if with_year or (today is not None and value.year != today.year):
        text += f" {value.year}"
    return text


def _is_whole_month(start: date, end: date) -> bool:
    return (
        start.day == 1
        and start.year == end.year
        and start.month == end.month
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def month_name(value: date, lang: Lang, today: date) -> str:
    name = MONTHS[lang][value.month - 1]
    return name if value.year == today.year else f"{name} {value.year}"


def period(start: date, end: date, lang: Lang, today: date) -> str:
    """Restates a period with its dates: `in februari (1–28 feb)`, `this month (1–18 Mar)`."""
    span = f"{start.day}–{day(end, lang, today=today)}"
    if start.month != end.month or start.year != end.year:
        span = f"{day(start, lang, today=today)} – {day(end, lang, today=today)}"
    if start == end:
        if start == today:
            return "vandaag" if lang == "nl" else "today"
        if start == today - timedelta(days=1):
            return "gisteren" if lang == "nl" else "yesterday"
        return (
            f"op {day(start, lang, today=today)}"
            if lang == "nl"
            else f"on {day(start, lang, today=today)}"
        )
    if _is_whole_month(start, end):
        return f"in {month_name(start, lang, today)} ({span})"
    if start.day == 1 and end == today and start.month == today.month and start.year == today.year:
        return f"deze maand ({span})" if lang == "nl" else f"this month ({span})"
    if end == today and start == today - timedelta(days=today.weekday()):
        return f"deze week ({span})" if lang == "nl" else f"this week ({span})"
    first, last = day(start, lang, today=today), day(end, lang, today=today)
    return f"van {first} t/m {last}" if lang == "nl" else f"from {first} to {last}"


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before, of the same shape: the previous month for a month (or the
    same days of it for a month so far), the same days of last week for a week so far
    (Monday to Wednesday after Monday to Wednesday), the same days of last year for a year
    so far (and last year for a year), else the same number of days before."""
    if (start.month, start.day) == (1, 1) and end.year == start.year and end.month > 1:
        last_day = calendar.monthrange(end.year - 1, end.month)[1]
        return start.replace(year=start.year - 1), end.replace(
            year=end.year - 1, day=min(end.day, last_day)
        )
    if start.day == 1 and start.month == end.month and start.year == end.year:
        previous_end = start - timedelta(days=1)
        previous_start = previous_end.replace(day=1)
        if not _is_whole_month(start, end):  # a month so far: the same days of last month
            last_day = calendar.monthrange(previous_start.year, previous_start.month)[1]
            previous_end = previous_start.replace(day=min(end.day, last_day))
        return previous_start, previous_end
    length = (end - start).days + 1
    if start.weekday() == 0 and length < 7:
        return start - timedelta(days=7), end - timedelta(days=7)
    return start - timedelta(days=length), start - timedelta(days=1)


def percent_change(now: Decimal, before: Decimal) -> int | None:
    """Whole-percent change from `before` to `now`; None when there is nothing to compare."""
    if before <= 0:
        return None
    return round((now - before) / before * 100)
