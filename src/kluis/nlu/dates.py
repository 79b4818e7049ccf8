"""Calendar arithmetic behind the period conventions of contracts/nlu.md.

Each function answers with inclusive (start, end) dates relative to the reference date T.
A period that contains T ("this month", "maart" in March) stops at T.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

Direction = Literal["this", "last", "next"]
Range = tuple[date, date]
Unit = Literal["day", "week", "month", "year"]

_UNITS: dict[str, Unit] = {
    "d": "day", "dag": "day", "dagen": "day", "day": "day", "days": "day",
    "wk": "week", "week": "week", "weken": "week", "weeks": "week",
    "mnd": "month", "maand": "month", "maanden": "month", "month": "month", "months": "month",
    "jaar": "year", "jaren": "year", "year": "year", "years": "year",
}  # fmt: skip


def unit_of(word: str) -> Unit:
    """The calendar unit a word names ("maanden" -> "month")."""
    return _UNITS.get(word, "month")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_range(year: int, month: int) -> Range:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def cap(period: Range, today: date) -> Range:
    """Stop a period that contains today at today."""
    start, end = period
    return (start, today) if start <= today <= end else period


def week(today: date, direction: Direction) -> Range:
    monday = today - timedelta(days=today.weekday())
    if direction == "this":
        return monday, today
    if direction == "last":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    return monday + timedelta(days=7), monday + timedelta(days=13)


def weekend(today: date, direction: Direction) -> Range:
    """Last: the latest Saturday and Sunday both <= T. This: the weekend of T's week (to T).
    Next: the first Saturday after T and its Sunday."""
    weekday = today.weekday()
    if direction == "last":
        sunday = today - timedelta(days=(weekday - 6) % 7)
        return sunday - timedelta(days=1), sunday
    if direction == "next":
        saturday = today + timedelta(days=(5 - weekday) % 7 or 7)
        return saturday, saturday + timedelta(days=1)
    saturday = today + timedelta(days=5 - weekday)
    return cap((saturday, saturday + timedelta(days=1)), today)


def month(today: date, direction: Direction) -> Range:
    if direction == "this":
        return today.replace(day=1), today
    shifted = add_months(today.replace(day=1), -1 if direction == "last" else 1)
    return month_range(shifted.year, shifted.month)


def year(today: date, direction: Direction) -> Range:
    if direction == "this":
        return date(today.year, 1, 1), today
    target = today.year - 1 if direction == "last" else today.year + 1
    return date(target, 1, 1), date(target, 12, 31)


def _quarter_range(year: int, number: int) -> Range:
    first = 3 * (number - 1) + 1
    return date(year, first, 1), month_range(year, first + 2)[1]


def quarter(today: date, direction: Direction) -> Range:
    number = (today.month - 1) // 3 + 1
    if direction == "this":
        return _quarter_range(today.year, number)[0], today
    index = today.year * 4 + number - 1 + (-1 if direction == "last" else 1)
    target_year, target = divmod(index, 4)
    return _quarter_range(target_year, target + 1)


def quarter_of(today: date, number: int, year: int | None) -> Range:
    """Quarter `number` of `year`, or its most recent one not in the future."""
    current = (today.month - 1) // 3 + 1
    if year is None:
        year = today.year if number <= current else today.year - 1
    return cap(_quarter_range(year, number), today)


def month_of(today: date, year: int, month: int) -> Range:
    return cap(month_range(year, month), today)


def year_of(today: date, year: int) -> Range:
    return cap((date(year, 1, 1), date(year, 12, 31)), today)


def trailing(today: date, count: int, unit: str) -> Range:
    """The last `count` days, weeks, months or years, ending today."""
    kind = unit_of(unit)
    if kind == "day":
        return today - timedelta(days=count - 1), today
    if kind == "week":
        return today - timedelta(days=7 * count - 1), today
    months = count if kind == "month" else 12 * count
    return add_months(today, -months) + timedelta(days=1), today


def coming(today: date, count: int, unit: str) -> Range:
    """The coming `count` days, weeks, months or years, starting today."""
    kind = unit_of(unit)
    if kind == "day":
        return today, today + timedelta(days=count - 1)
    if kind == "week":
        return today, today + timedelta(days=7 * count - 1)
    months = count if kind == "month" else 12 * count
    return today, add_months(today, months) - timedelta(days=1)


def ago(today: date, count: int, unit: str) -> Range:
    """The day, ISO week, month or year that lay `count` units before today."""
    kind = unit_of(unit)
    if kind == "day":
        day = today - timedelta(days=count)
        return day, day
    if kind == "week":
        day = today - timedelta(days=7 * count)
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if kind == "month":
        day = add_months(today, -count)
        return month_range(day.year, day.month)
    return date(today.year - count, 1, 1), date(today.year - count, 12, 31)


def weekday(today: date, number: int, *, future: bool = False) -> date:
    """The latest such weekday strictly before today, or the first strictly after it."""
    if future:
        return today + timedelta(days=(number - today.weekday()) % 7 or 7)
    return today - timedelta(days=(today.weekday() - number) % 7 or 7)


def recent_date(today: date, month: int, day: int) -> date | None:
    """The latest date with this month and day that is not after today (None if none exists)."""
    if not 1 <= month <= 12:
        return None
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            if day > calendar.monthrange(2000, month)[1]:
                return None
            continue
        if candidate <= today:
            return candidate
    return None


def recent_day_of_month(today: date, day: int) -> date | None:
    """The latest date on this day of a month that is not after today ("de 3e")."""
    month_start = today.replace(day=1)
    for back in range(13):
        first = add_months(month_start, -back)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate <= today:
                return candidate
    return None


def shift_back(day: date, recur: Literal["year", "week"]) -> date:
    """The previous occurrence of a recurring day: a week or a year earlier."""
    if recur == "week":
        return day - timedelta(days=7)
    return add_months(day, -12)
