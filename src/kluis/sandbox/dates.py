"""Calendar arithmetic for the generator: months, business days and month names."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Final

from kluis.sandbox.model import Language

DUTCH_MONTHS: Final = (
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
)
ENGLISH_MONTHS: Final = (
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
)


def month_name(month: int, language: Language) -> str:
    """The name of `month` (1-12) in `language`, never dependent on the process locale."""
    return DUTCH_MONTHS[month - 1] if language == "nl" else ENGLISH_MONTHS[month - 1]


def days_in_month(first: date) -> int:
    """How many days the month of `first` has."""
    return calendar.monthrange(first.year, first.month)[1]


def next_month(first: date) -> date:
    """The first day of the month after the month of `first`."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def months_between(start: date, end: date) -> Iterator[date]:
    """The first day of each month from `start`'s month to `end`'s month, inclusive."""
    current = date(start.year, start.month, 1)
    while current <= end:
        yield current
        current = next_month(current)


def day_in_month(first: date, day: int) -> date:
    """Day `day` of the month of `first`, or its last day if the month is shorter."""
    return first.replace(day=min(day, days_in_month(first)))


def business_day(on: date) -> date:
    """`on`, or the nearest weekday within the same month when `on` is a weekend day.

    Collections and salaries move to the next Monday, unless that leaves the month; then
    to the Friday before, so a month's payments always stay in their month.
    """
    weekday = on.weekday()
    if weekday < 5:
        return on
    later = on + timedelta(days=7 - weekday)
    if later.month == on.month:
        return later
    return on - timedelta(days=weekday - 4)


def previous_business_day(on: date) -> date:
    """`on`, or the Friday before it when `on` is a weekend day (salaries come early)."""
    weekday = on.weekday()
    return on if weekday < 5 else on - timedelta(days=weekday - 4)
