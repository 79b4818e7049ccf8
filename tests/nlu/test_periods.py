"""Periods resolved against a fixed today, following every convention in contracts/nlu.md.

Reference dates: WED = 2026-03-18 (a Wednesday), NEW_YEAR = 2026-01-01 (a Thursday),
SUNDAY = 2026-03-01 (a Sunday, first of the month), SATURDAY = 2026-03-21, LEAP = 2024-02-29.
"""

from __future__ import annotations

from datetime import date

import pytest

from kluis.nlu.periods import extract_period, find_period
from kluis.nlu.text import normalize
from kluis.nlu.types import Period

WED = date(2026, 3, 18)
NEW_YEAR = date(2026, 1, 1)
SUNDAY = date(2026, 3, 1)
SATURDAY = date(2026, 3, 21)
LEAP = date(2024, 2, 29)


def period(start: str, end: str) -> Period:
    return Period(date.fromisoformat(start), date.fromisoformat(end))


def check(text: str, today: date, start: str, end: str) -> None:
    assert extract_period(text, today) == period(start, end), text


SINGLE_DAYS = [
    ("vandaag", "2026-03-18"),
    ("today", "2026-03-18"),
    ("wat heb ik vd uitgegeven", "2026-03-18"),
    ("gisteren", "2026-03-17"),
    ("gister", "2026-03-17"),
    ("yesterday", "2026-03-17"),
    ("yesterdy", "2026-03-17"),
    ("eergisteren", "2026-03-16"),
    ("the day before yesterday", "2026-03-16"),
    ("morgen", "2026-03-19"),
    ("tomorrow", "2026-03-19"),
    ("overmorgen", "2026-03-20"),
    ("day after tomorrow", "2026-03-20"),
    ("op 3 maart", "2026-03-03"),
    ("3 maart", "2026-03-03"),
    ("3e maart", "2026-03-03"),
    ("on March 3", "2026-03-03"),
    ("on March 3rd", "2026-03-03"),
    ("on the 3rd of March", "2026-03-03"),
    ("3 mrt", "2026-03-03"),
    ("3/3", "2026-03-03"),
    ("03-03-2026", "2026-03-03"),
    ("3.3.2026", "2026-03-03"),
    ("2026-03-03", "2026-03-03"),
    ("op 14-3", "2026-03-14"),
    ("3/3/26", "2026-03-03"),
    ("op 20 maart", "2025-03-20"),  # not in the future: last year's
    ("20 maart 2025", "2025-03-20"),
    ("march 3rd, 2025", "2025-03-03"),
    ("12/25", "2025-12-25"),  # month first when the day cannot be a month
    ("op 31 december", "2025-12-31"),
    ("5 mei", "2025-05-05"),
    ("may 5", "2025-05-05"),
    ("jan 15", "2026-01-15"),
    ("15 jan", "2026-01-15"),
    ("maandag", "2026-03-16"),
    ("op maandag", "2026-03-16"),
    ("vorige maandag", "2026-03-16"),
    ("last monday", "2026-03-16"),
    ("woensdag", "2026-03-11"),  # today is Wednesday: strictly before
    ("friday", "2026-03-13"),
    ("zondag", "2026-03-15"),
    ("volgende maandag", "2026-03-23"),
    ("next friday", "2026-03-20"),
    ("aanstaande woensdag", "2026-03-25"),
    ("3 dagen geleden", "2026-03-15"),
    ("2 days ago", "2026-03-16"),
    ("op de 3e", "2026-03-03"),
    ("on the 20th", "2026-02-20"),  # the 20th of this month is still to come
]


@pytest.mark.parametrize(("text", "day"), SINGLE_DAYS)
def test_single_days(text: str, day: str) -> None:
    check(text, WED, day, day)


WEEKS_MONTHS_YEARS = [
    ("deze week", "2026-03-16", "2026-03-18"),
    ("this week", "2026-03-16", "2026-03-18"),
    ("vorige week", "2026-03-09", "2026-03-15"),
    ("afgelopen week", "2026-03-09", "2026-03-15"),
    ("last week", "2026-03-09", "2026-03-15"),
    ("previous week", "2026-03-09", "2026-03-15"),
    ("voorbije week", "2026-03-09", "2026-03-15"),
    ("volgende week", "2026-03-23", "2026-03-29"),
    ("next week", "2026-03-23", "2026-03-29"),
    ("komende week", "2026-03-23", "2026-03-29"),
    ("deze maand", "2026-03-01", "2026-03-18"),
    ("this month", "2026-03-01", "2026-03-18"),
    ("mtd", "2026-03-01", "2026-03-18"),
    ("vorige maand", "2026-02-01", "2026-02-28"),
    ("afgelopen maand", "2026-02-01", "2026-02-28"),
    ("verleden maand", "2026-02-01", "2026-02-28"),
    ("voorbije maand", "2026-02-01", "2026-02-28"),
    ("vorige mnd", "2026-02-01", "2026-02-28"),
    ("last month", "2026-02-01", "2026-02-28"),
    ("previous month", "2026-02-01", "2026-02-28"),
    ("the past month", "2026-02-01", "2026-02-28"),
    ("volgende maand", "2026-04-01", "2026-04-30"),
    ("next month", "2026-04-01", "2026-04-30"),
    ("dit jaar", "2026-01-01", "2026-03-18"),
    ("this year", "2026-01-01", "2026-03-18"),
    ("ytd", "2026-01-01", "2026-03-18"),
    ("year to date", "2026-01-01", "2026-03-18"),
    ("sinds het begin van het jaar", "2026-01-01", "2026-03-18"),
    ("since the start of the year", "2026-01-01", "2026-03-18"),
    ("since the beginning of the month", "2026-03-01", "2026-03-18"),
    ("vorig jaar", "2025-01-01", "2025-12-31"),
    ("verleden jaar", "2025-01-01", "2025-12-31"),
    ("afgelopen jaar", "2025-01-01", "2025-12-31"),
    ("last year", "2025-01-01", "2025-12-31"),
    ("volgend jaar", "2027-01-01", "2027-12-31"),
    ("dit kwartaal", "2026-01-01", "2026-03-18"),
    ("this quarter", "2026-01-01", "2026-03-18"),
    ("vorig kwartaal", "2025-10-01", "2025-12-31"),
    ("vorige kwartaal", "2025-10-01", "2025-12-31"),
    ("last quarter", "2025-10-01", "2025-12-31"),
    ("next quarter", "2026-04-01", "2026-06-30"),
    ("Q1", "2026-01-01", "2026-03-18"),
    ("q4", "2025-10-01", "2025-12-31"),
    ("Q2 2025", "2025-04-01", "2025-06-30"),
    ("eerste kwartaal", "2026-01-01", "2026-03-18"),
    ("het derde kwartaal van 2025", "2025-07-01", "2025-09-30"),
    ("laatste kwartaal van 2025", "2025-10-01", "2025-12-31"),
    ("in 2025", "2025-01-01", "2025-12-31"),
    ("uitgaven 2025", "2025-01-01", "2025-12-31"),
    ("in 2026", "2026-01-01", "2026-03-18"),
    ("2 weken geleden", "2026-03-02", "2026-03-08"),
    ("een maand geleden", "2026-02-01", "2026-02-28"),
    ("a year ago", "2025-01-01", "2025-12-31"),
]


@pytest.mark.parametrize(("text", "start", "end"), WEEKS_MONTHS_YEARS)
def test_calendar_units(text: str, start: str, end: str) -> None:
    check(text, WED, start, end)


ROLLING = [
    ("de afgelopen 7 dagen", "2026-03-12", "2026-03-18"),
    ("laatste 7 dagen", "2026-03-12", "2026-03-18"),
    ("the last 7 days", "2026-03-12", "2026-03-18"),
    ("past 30 days", "2026-02-17", "2026-03-18"),
    ("afgelopen 1 dag", "2026-03-18", "2026-03-18"),
    ("de laatste twee weken", "2026-03-05", "2026-03-18"),
    ("last 2 weeks", "2026-03-05", "2026-03-18"),
    ("the past fortnight", "2026-03-05", "2026-03-18"),
    ("afgelopen 3 maanden", "2025-12-19", "2026-03-18"),
    ("de afgelopen drie maanden", "2025-12-19", "2026-03-18"),
    ("past 3 months", "2025-12-19", "2026-03-18"),
    ("the last three months", "2025-12-19", "2026-03-18"),
    ("afgelopen 6 maanden", "2025-09-19", "2026-03-18"),
    ("het afgelopen half jaar", "2025-09-19", "2026-03-18"),
    ("last six months", "2025-09-19", "2026-03-18"),
    ("afgelopen twaalf maanden", "2025-03-19", "2026-03-18"),
    ("the last twelve months", "2025-03-19", "2026-03-18"),
    ("laatste 1 maand", "2026-02-19", "2026-03-18"),
    ("voorbije 10 dagen", "2026-03-09", "2026-03-18"),
    ("afgelopen tien dagen", "2026-03-09", "2026-03-18"),
    ("last twenty-one days", "2026-02-26", "2026-03-18"),
    ("afgelopen 2 jaar", "2024-03-19", "2026-03-18"),
    ("de komende 7 dagen", "2026-03-18", "2026-03-24"),
    ("the next 7 days", "2026-03-18", "2026-03-24"),
    ("coming 2 weeks", "2026-03-18", "2026-03-31"),
    ("komende drie maanden", "2026-03-18", "2026-06-17"),
    ("binnen 5 dagen", "2026-03-18", "2026-03-22"),
    ("within the next 10 days", "2026-03-18", "2026-03-27"),
]


@pytest.mark.parametrize(("text", "start", "end"), ROLLING)
def test_rolling_periods(text: str, start: str, end: str) -> None:
    check(text, WED, start, end)


MONTHS = [
    ("in maart", WED, "2026-03-01", "2026-03-18"),
    ("maart", WED, "2026-03-01", "2026-03-18"),
    ("in March", WED, "2026-03-01", "2026-03-18"),
    ("februari", WED, "2026-02-01", "2026-02-28"),
    ("febuari", WED, "2026-02-01", "2026-02-28"),
    ("feburary", WED, "2026-02-01", "2026-02-28"),
    ("feb", WED, "2026-02-01", "2026-02-28"),
    ("januari", WED, "2026-01-01", "2026-01-31"),
    ("in jan", WED, "2026-01-01", "2026-01-31"),
    ("april", WED, "2025-04-01", "2025-04-30"),
    ("in mei", WED, "2025-05-01", "2025-05-31"),
    ("in may", WED, "2025-05-01", "2025-05-31"),
    ("juni", WED, "2025-06-01", "2025-06-30"),
    ("jul", WED, "2025-07-01", "2025-07-31"),
    ("augustus", WED, "2025-08-01", "2025-08-31"),
    ("sept", WED, "2025-09-01", "2025-09-30"),
    ("okt", WED, "2025-10-01", "2025-10-31"),
    ("October", WED, "2025-10-01", "2025-10-31"),
    ("nov", WED, "2025-11-01", "2025-11-30"),
    ("december", WED, "2025-12-01", "2025-12-31"),
    ("maart 2025", WED, "2025-03-01", "2025-03-31"),
    ("march 2025", WED, "2025-03-01", "2025-03-31"),
    ("maart '25", WED, "2025-03-01", "2025-03-31"),
    ("maart 2026", WED, "2026-03-01", "2026-03-18"),
    ("in March last year", WED, "2025-03-01", "2025-03-31"),
    ("maart vorig jaar", WED, "2025-03-01", "2025-03-31"),
    ("maart van vorig jaar", WED, "2025-03-01", "2025-03-31"),
    ("last march", WED, "2025-03-01", "2025-03-31"),
    ("afgelopen februari", WED, "2026-02-01", "2026-02-28"),
    ("last may", WED, "2025-05-01", "2025-05-31"),
    ("next april", WED, "2026-04-01", "2026-04-30"),
    ("december", NEW_YEAR, "2025-12-01", "2025-12-31"),
    ("januari", NEW_YEAR, "2026-01-01", "2026-01-01"),
    ("februari", NEW_YEAR, "2025-02-01", "2025-02-28"),
    ("maart", SUNDAY, "2026-03-01", "2026-03-01"),
    ("februari", LEAP, "2024-02-01", "2024-02-29"),
    ("februari 2023", LEAP, "2023-02-01", "2023-02-28"),
]


@pytest.mark.parametrize(("text", "today", "start", "end"), MONTHS)
def test_month_names(text: str, today: date, start: str, end: str) -> None:
    check(text, today, start, end)


SINCE_AND_BETWEEN = [
    ("sinds maandag", "2026-03-16", "2026-03-18"),
    ("since monday", "2026-03-16", "2026-03-18"),
    ("sinds woensdag", "2026-03-11", "2026-03-18"),
    ("since friday", "2026-03-13", "2026-03-18"),
    ("sinds 3 maart", "2026-03-03", "2026-03-18"),
    ("since March 3rd", "2026-03-03", "2026-03-18"),
    ("vanaf 1 maart", "2026-03-01", "2026-03-18"),
    ("sinds maart", "2026-03-01", "2026-03-18"),
    ("since January", "2026-01-01", "2026-03-18"),
    ("sinds april", "2025-04-01", "2026-03-18"),
    ("sinds 2025", "2025-01-01", "2026-03-18"),
    ("since last month", "2026-02-01", "2026-03-18"),
    ("sinds vorige week", "2026-03-09", "2026-03-18"),
    ("sinds gisteren", "2026-03-17", "2026-03-18"),
    ("sinds 1/2", "2026-02-01", "2026-03-18"),
    ("since may", "2025-05-01", "2026-03-18"),
    ("after March 3", "2026-03-04", "2026-03-18"),
    ("tussen 1 en 15 maart", "2026-03-01", "2026-03-15"),
    ("tussen 1 maart en 15 maart", "2026-03-01", "2026-03-15"),
    ("between March 1 and March 15", "2026-03-01", "2026-03-15"),
    ("between March 1 and 15", "2026-03-01", "2026-03-15"),
    ("March 1-15", "2026-03-01", "2026-03-15"),
    ("1-15 maart", "2026-03-01", "2026-03-15"),
    ("van 1 tot 15 maart", "2026-03-01", "2026-03-15"),
    ("1 t/m 15 maart", "2026-03-01", "2026-03-15"),
    ("from 1 to 15 March", "2026-03-01", "2026-03-15"),
    ("tussen 1 januari en 15 februari", "2026-01-01", "2026-02-15"),
    ("van januari tot maart", "2026-01-01", "2026-03-18"),
    ("from january to march", "2026-01-01", "2026-03-18"),
    ("van december tot februari", "2025-12-01", "2026-02-28"),
    ("between may and june", "2025-05-01", "2025-06-30"),
    ("van januari tot nu", "2026-01-01", "2026-03-18"),
    ("from 1/1 until today", "2026-01-01", "2026-03-18"),
    ("tussen maandag en woensdag", "2026-03-09", "2026-03-11"),
    ("tussen 01-02-2026 en 14-02-2026", "2026-02-01", "2026-02-14"),
    ("between 2026-02-01 and 2026-02-14", "2026-02-01", "2026-02-14"),
    ("van 1-2 tot 14-2", "2026-02-01", "2026-02-14"),
    ("tussen 15 en 1 maart", "2026-03-01", "2026-03-15"),
    ("hoeveel heb ik uitgegeven sinds de 1e", "2026-03-01", "2026-03-18"),
    ("since the 31st", "2026-01-31", "2026-03-18"),
    ("tussen de 1e en de 15e", "2026-03-01", "2026-03-15"),
]


@pytest.mark.parametrize(("text", "start", "end"), SINCE_AND_BETWEEN)
def test_since_and_between(text: str, start: str, end: str) -> None:
    check(text, WED, start, end)


WEEKENDS = [
    ("afgelopen weekend", WED, "2026-03-14", "2026-03-15"),
    ("last weekend", WED, "2026-03-14", "2026-03-15"),
    ("vorig weekend", WED, "2026-03-14", "2026-03-15"),
    ("vorige weekend", WED, "2026-03-14", "2026-03-15"),
    ("this past weekend", WED, "2026-03-14", "2026-03-15"),
    ("afgelopen weekend", SUNDAY, "2026-02-28", "2026-03-01"),
    ("last weekend", SATURDAY, "2026-03-14", "2026-03-15"),
    ("last weekend", LEAP, "2024-02-24", "2024-02-25"),
    ("dit weekend", WED, "2026-03-21", "2026-03-22"),
    ("this weekend", SATURDAY, "2026-03-21", "2026-03-21"),
    ("dit weekend", SUNDAY, "2026-02-28", "2026-03-01"),
    ("volgend weekend", WED, "2026-03-21", "2026-03-22"),
    ("next weekend", SATURDAY, "2026-03-28", "2026-03-29"),
    ("next weekend", SUNDAY, "2026-03-07", "2026-03-08"),
]


@pytest.mark.parametrize(("text", "today", "start", "end"), WEEKENDS)
def test_weekends(text: str, today: date, start: str, end: str) -> None:
    check(text, today, start, end)


EDGE_DATES = [
    ("vorige maand", NEW_YEAR, "2025-12-01", "2025-12-31"),
    ("deze maand", NEW_YEAR, "2026-01-01", "2026-01-01"),
    ("dit jaar", NEW_YEAR, "2026-01-01", "2026-01-01"),
    ("vorig jaar", NEW_YEAR, "2025-01-01", "2025-12-31"),
    ("vorig kwartaal", NEW_YEAR, "2025-10-01", "2025-12-31"),
    ("dit kwartaal", NEW_YEAR, "2026-01-01", "2026-01-01"),
    ("deze week", NEW_YEAR, "2025-12-29", "2026-01-01"),
    ("vorige week", NEW_YEAR, "2025-12-22", "2025-12-28"),
    ("volgende week", NEW_YEAR, "2026-01-05", "2026-01-11"),
    ("gisteren", NEW_YEAR, "2025-12-31", "2025-12-31"),
    ("afgelopen 3 maanden", NEW_YEAR, "2025-10-02", "2026-01-01"),
    ("sinds maandag", NEW_YEAR, "2025-12-29", "2026-01-01"),
    ("op 31 december", NEW_YEAR, "2025-12-31", "2025-12-31"),
    ("last weekend", NEW_YEAR, "2025-12-27", "2025-12-28"),
    ("Q4", NEW_YEAR, "2025-10-01", "2025-12-31"),
    ("deze week", SUNDAY, "2026-02-23", "2026-03-01"),
    ("vorige week", SUNDAY, "2026-02-16", "2026-02-22"),
    ("deze maand", SUNDAY, "2026-03-01", "2026-03-01"),
    ("vorige maand", SUNDAY, "2026-02-01", "2026-02-28"),
    ("sinds zondag", SUNDAY, "2026-02-22", "2026-03-01"),
    ("maandag", SUNDAY, "2026-02-23", "2026-02-23"),
    ("afgelopen 3 maanden", SUNDAY, "2025-12-02", "2026-03-01"),
    ("afgelopen maand", SUNDAY, "2026-02-01", "2026-02-28"),
    ("29 februari", SUNDAY, "2024-02-29", "2024-02-29"),
    ("vorige maand", LEAP, "2024-01-01", "2024-01-31"),
    ("deze maand", LEAP, "2024-02-01", "2024-02-29"),
    ("volgende maand", LEAP, "2024-03-01", "2024-03-31"),
    ("afgelopen 1 maand", LEAP, "2024-01-30", "2024-02-29"),
    ("last 12 months", LEAP, "2023-03-01", "2024-02-29"),
    ("vorig jaar", LEAP, "2023-01-01", "2023-12-31"),
    ("op 29 februari", LEAP, "2024-02-29", "2024-02-29"),
    ("deze week", LEAP, "2024-02-26", "2024-02-29"),
    ("de komende 2 maanden", LEAP, "2024-02-29", "2024-04-28"),
    ("next month", date(2026, 12, 15), "2027-01-01", "2027-01-31"),
    ("next quarter", date(2026, 11, 2), "2027-01-01", "2027-03-31"),
    ("afgelopen 1 maand", date(2026, 3, 31), "2026-03-01", "2026-03-31"),
]


@pytest.mark.parametrize(("text", "today", "start", "end"), EDGE_DATES)
def test_edge_dates(text: str, today: date, start: str, end: str) -> None:
    check(text, today, start, end)


IN_SENTENCES = [
    ("hoeveel heb ik vorige maand bij de Appie uitgegeven?", "2026-02-01", "2026-02-28"),
    ("hoeveel spent ik last month bij de appie", "2026-02-01", "2026-02-28"),
    ("HOEVEEL HEB IK DEZE MAAND UITGEGEVEN", "2026-03-01", "2026-03-18"),
    ("wat gaf ik uit in de afgelopen 3 maanden aan boodschappen", "2025-12-19", "2026-03-18"),
    ("how much did i spend on groceries in the past 30 days", "2026-02-17", "2026-03-18"),
    ("did netflix charge me this month", "2026-03-01", "2026-03-18"),
    ("how much did I earn in March", "2026-03-01", "2026-03-18"),
    ("welke rekeningen moet ik volgende week betalen", "2026-03-23", "2026-03-29"),
    ("what bills are due next week", "2026-03-23", "2026-03-29"),
    ("laat transacties zien sinds 1 maart", "2026-03-01", "2026-03-18"),
    ("uitgaven tussen 1 en 15 maart bij de jumbo", "2026-03-01", "2026-03-15"),
    ("spent more than last month?", "2026-02-01", "2026-02-28"),
    ("afschrijvingen van gisteren", "2026-03-17", "2026-03-17"),
    ("vorige maand vs deze maand", "2026-02-01", "2026-02-28"),
    ("salaris binnen in feb", "2026-02-01", "2026-02-28"),
    ("wat komt er de komende 7 dagen af", "2026-03-18", "2026-03-24"),
    ("wat heb ik in het weekend van 14 maart uitgegeven", "2026-03-14", "2026-03-14"),
]


@pytest.mark.parametrize(("text", "start", "end"), IN_SENTENCES)
def test_periods_in_sentences(text: str, start: str, end: str) -> None:
    check(text, WED, start, end)


NOT_PERIODS = [
    "wat is mijn saldo",
    "wat is nu mijn saldo",
    "may I see my balance",
    "you may block my card",
    "maak 20 euro over naar Jan",
    "goede morgen",
    "good morning",
    "laatste 5 betalingen",
    "the last 5 transactions",
    "last 10 transactions",
    "card ending 2019",
    "kaart eindigend op 2024",
    "meer dan 2000 euro",
    "€ 2025",
    "14:02",
    "om 14:02 betaald",
    "12,50 euro",
    "tot maart",
    "until tomorrow",
    "begin vd maand",
    "afgelopen dagen",
    "de afgelopen 0 dagen",
    "31/2",
    "0/0",
    "blokkeer mijn kaart",
    "de 3e keer dat ik bel",
    "de 3 betalingen",
    "",
]


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_not_periods(text: str) -> None:
    assert extract_period(text, WED) is None


def test_an_impossible_date_falls_back_to_its_month() -> None:
    check("31 februari", WED, "2026-02-01", "2026-02-28")


def test_earliest_and_longest_phrase_wins() -> None:
    found = find_period(normalize("sinds 3 maart en vorige week"), WED)
    assert found is not None
    assert found.period == period("2026-03-03", "2026-03-18")
    assert normalize("sinds 3 maart en vorige week").text[found.span.start : found.span.end] == (
        "sinds 3 maart"
    )


def test_start_never_after_end_for_huge_counts() -> None:
    found = extract_period("de afgelopen 999 maanden", WED)
    assert found is not None
    assert found.start <= found.end
    assert extract_period("de afgelopen 999 jaar", date(100, 1, 1)) is None  # before year 1
