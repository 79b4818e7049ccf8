"""Spending answers beyond a total, checked against the sandbox bank's truth: the top
merchants, the usual month, what stands out, and the month-by-month line."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from kluis.dialogue.engine import Dialogue
from kluis.dialogue.formatting import MONTHS, Lang
from kluis.dialogue.handlers.spending_extras import question_kind
from kluis.insights.trends import merchant_key, merchant_name
from kluis.money import Money
from kluis.runtime import Runtime
from kluis.sandbox.truth import Truth, TruthTransaction
from tests.linked_customers import VOICE_PIN, set_preferences

SANNE, EMILY = "c-sanne", "c-emily"
NOT_SPENDING = {"income", "transfers"}


def _day(item: TruthTransaction) -> date:
    return item.booking_date if item.status == "booked" else item.transaction_date


def _spent(truth: Truth, start: date, end: date, category: str | None = None) -> Decimal:
    return sum(
        (
            -t.amount.amount
            for t in truth.transactions
            if t.category not in NOT_SPENDING
            and (category is None or t.category == category)
            and start <= _day(t) <= end
        ),
        Decimal(0),
    )


def _month(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def _months_before(day: date, count: int) -> list[tuple[date, date]]:
    months: list[tuple[date, date]] = []
    start = day.replace(day=1)
    for _ in range(count):
        start = (start - timedelta(days=1)).replace(day=1)
        months.append(_month(start))
    return months[::-1]


def _usual(truth: Truth, month_start: date, category: str | None = None) -> Money:
    totals = [_spent(truth, *month, category) for month in _months_before(month_start, 6)]
    return Money(Decimal(median(totals)).quantize(Decimal("0.01")), "EUR")


def _merchants(
    truth: Truth, start: date, end: date, category: str | None = None
) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for t in truth.transactions:
        if t.category in NOT_SPENDING or not start <= _day(t) <= end:
            continue
        if category is not None and t.category != category:
            continue
        key = merchant_key(t.counterparty)
        if key:
            totals[key] -= t.amount.amount
            names[key] = merchant_name(t.counterparty) or key
    return sorted(((names[k], v) for k, v in totals.items()), key=lambda pair: -pair[1])


def test_the_kind_of_question_is_read_from_its_words() -> None:
    assert question_kind("waar geef ik het meeste uit?") == "top"
    assert question_kind("top 5 winkels deze maand") == "top"
    assert question_kind("where do I spend most") == "top"
    assert question_kind("wat is er bijzonder deze maand?") == "unusual"
    assert question_kind("geef ik meer uit dan normaal?") == "unusual"
    assert question_kind("what stands out in my spending this month?") == "unusual"
    assert question_kind("what stood out last month?") == "unusual"
    assert question_kind("uitgaven per maand") == "trend"
    assert question_kind("hoeveel geef ik gewoonlijk uit per maand?") == "trend"
    assert question_kind("how much did I spend on groceries last month") is None
    assert question_kind("spent more than last month?") is None


async def test_where_i_spent_most_last_month_lists_the_largest_merchants(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[EMILY].today
    start, end = _month(today.replace(day=1) - timedelta(days=1))
    turn = await dialogue.respond(EMILY, "web", "where did I spend most last month")
    assert turn.intent == "spending"
    reply = turn.replies[0]
    lines = reply.text.splitlines()
    assert lines[0].startswith("In February")
    assert lines[0].endswith("you spent most at:")
    expected = _merchants(truth[EMILY], start, end)[:5]
    assert len(lines) == 1 + len(expected)
    for rank, (line, (name, amount)) in enumerate(zip(lines[1:], expected, strict=True), 1):
        assert line.startswith(f"{rank}. {name}: {Money(amount, 'EUR').format('en')}"), line
    assert reply.chart is not None
    assert reply.chart.kind == "bar"
    assert reply.chart.values == tuple(amount for _, amount in expected)
    assert "Unusual spending" in reply.buttons


async def test_top_shops_leave_out_the_rent_and_a_number_is_honoured(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    turn = await dialogue.respond(SANNE, "web", "bij welke 3 winkels geef ik het meest uit?")
    lines = turn.replies[0].text.splitlines()
    assert lines[0].startswith("Deze maand")
    assert len(lines) == 4
    housing = {t.counterparty for t in truth[SANNE].transactions if t.category == "housing"}
    assert not any(name in turn.replies[0].text for name in housing)


async def test_with_names_hidden_the_top_is_by_category(
    runtime: Runtime, dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    turn = await dialogue.respond(SANNE, "whatsapp", "waar geef ik het meeste uit?")
    text = turn.replies[0].text
    assert text.startswith("Namen van winkels laat ik hier niet zien")
    names = {t.counterparty for t in truth[SANNE].transactions}
    assert not [name for name in names if name and name in text]
    start = truth[SANNE].today.replace(day=1)
    groceries = Money(_spent(truth[SANNE], start, truth[SANNE].today, "groceries"), "EUR")
    assert f"Boodschappen: {groceries.format('nl')}" in text


async def test_a_months_total_stands_beside_the_usual_month(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    start, end = _month(today.replace(day=1) - timedelta(days=1))
    turn = await dialogue.respond(SANNE, "web", "hoeveel gaf ik vorige maand uit?")
    text = turn.replies[0].text
    assert Money(_spent(truth[SANNE], start, end), "EUR").format("nl") in text
    usual = _usual(truth[SANNE], start)
    assert f"Normaal is dat {usual.format('nl')} per maand." in text
    groceries = await dialogue.respond(
        SANNE, "web", "hoeveel gaf ik vorige maand uit aan boodschappen?"
    )
    usual_groceries = _usual(truth[SANNE], start, "groceries")
    assert f"Normaal is dat {usual_groceries.format('nl')}" in groceries.replies[0].text
    running = await dialogue.respond(SANNE, "web", "hoeveel heb ik deze maand uitgegeven?")
    assert f"Een gewone maand komt in totaal op {_usual(truth[SANNE], today).format('nl')}" in (
        running.replies[0].text
    )


async def test_what_stands_out_is_above_the_usual_by_the_rule(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[EMILY].today
    start, end = _month(today.replace(day=1) - timedelta(days=1))
    turn = await dialogue.respond(EMILY, "web", "what stood out in my spending last month?")
    text = turn.replies[0].text
    spent = Money(_spent(truth[EMILY], start, end), "EUR").format("en")
    usual = _usual(truth[EMILY], start).format("en")
    assert text.startswith(f"In February (1–28 Feb) you spent {spent}; a usual month is {usual}.")
    found = [line for line in text.splitlines() if line.startswith("• ")]
    for line in found:
        match = re.match(r"• (.+): €([\d,.]+), usually (?:€([\d,.]+)|nothing)$", line)
        assert match, line
        amount = Decimal(match.group(2).replace(",", ""))
        typical = Decimal((match.group(3) or "0").replace(",", ""))
        assert amount - typical > max(typical * Decimal("0.3"), Decimal(50)), line
    if found:
        assert "more than 30% and more than €50.00" in text
    else:
        assert "Nothing stands out" in text


async def test_spending_per_month_is_a_line_of_the_last_six_months(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    turn = await dialogue.respond(SANNE, "web", "uitgaven per maand")
    reply = turn.replies[0]
    assert reply.chart is not None
    assert reply.chart.kind == "line"
    months = _months_before(today, 6)
    assert reply.chart.values == tuple(_spent(truth[SANNE], *month) for month in months)
    assert len(reply.chart.labels) == 6
    highest = max(reply.chart.values)
    assert Money(highest, "EUR").format("nl") in reply.text
    # The usual month the text names is the chart's dashed reference line.
    assert reply.chart.reference == median(reply.chart.values).quantize(Decimal("0.01"))
    assert f"normaal {Money(reply.chart.reference, 'EUR').format('nl')}" in reply.text
    so_far = Money(_spent(truth[SANNE], today.replace(day=1), today), "EUR")
    assert f"Deze maand tot nu toe: {so_far.format('nl')}." in reply.text
    groceries = await dialogue.respond(EMILY, "web", "how much do I spend on groceries per month")
    chart = groceries.replies[0].chart
    assert chart is not None
    expected = tuple(_spent(truth[EMILY], *m, "groceries") for m in _months_before(today, 6))
    assert chart.values == expected
    assert groceries.replies[0].text.startswith("Your spending on groceries per month")


async def test_on_voice_the_line_is_a_short_spoken_summary(
    runtime: Runtime, dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, pin=VOICE_PIN)
    await dialogue.respond(SANNE, "alexa", "uitgaven per maand")
    turn = await dialogue.respond(SANNE, "alexa", VOICE_PIN)
    answer = next(reply for reply in turn.replies if "per maand" in reply.text)
    assert answer.chart is None
    assert len(answer.text) < 300
    assert "het meest in" in answer.text
    assert "het minst in" in answer.text


# -- follow-ups keep the kind of question -----------------------------------------------------


def _top_lines(text: str) -> list[str]:
    """The merchants' lines of a top list, 'Naam: € 12,34' without the count."""
    return [line.split(". ", 1)[1].split(" (")[0] for line in text.splitlines()[1:]]


def _expected_top(truth: Truth, start: date, end: date, lang: Lang) -> list[str]:
    return [
        f"{name}: {Money(amount, 'EUR').format(lang)}"
        for name, amount in _merchants(truth, start, end)[:5]
    ]


async def test_after_the_top_merchants_a_follow_up_lists_them_for_its_period(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    february = _month(today.replace(day=1) - timedelta(days=1))
    january = _month(february[0] - timedelta(days=1))
    await dialogue.respond(SANNE, "web", "waar geef ik het meeste uit?")
    follow = await dialogue.respond(SANNE, "web", "en vorige maand?")
    text = follow.replies[0].text
    assert follow.intent == "spending"
    assert text.splitlines()[0] == "In februari (1–28 feb) gaf je het meest uit bij:"
    assert _top_lines(text) == _expected_top(truth[SANNE], *february, "nl")
    assert follow.replies[0].chart is not None
    before = await dialogue.respond(SANNE, "web", "en daarvoor?")
    assert before.replies[0].text.startswith("In januari (1–31 jan) gaf je het meest uit bij:")
    assert _top_lines(before.replies[0].text) == _expected_top(truth[SANNE], *january, "nl")
    # A question of its own is answered as asked: a total, no list.
    total = await dialogue.respond(SANNE, "web", "hoeveel heb ik uitgegeven in januari?")
    said = total.replies[0].text
    assert said.startswith(
        f"In januari (1–31 jan) gaf je {Money(_spent(truth[SANNE], *january), 'EUR').format('nl')}"
    )
    assert "het meest uit bij" not in said
    again = await dialogue.respond(SANNE, "web", "en vorige maand?")
    assert "het meest uit bij" not in again.replies[0].text


async def test_in_english_and_the_year_before(dialogue: Dialogue, truth: dict[str, Truth]) -> None:
    today = truth[EMILY].today
    january = _month(date(today.year, 1, 1))
    a_year_before = _month(date(today.year - 1, 1, 1))
    await dialogue.respond(EMILY, "web", "where do I spend most?")
    follow = await dialogue.respond(EMILY, "web", "and in January?")
    assert follow.intent == "spending"
    assert follow.replies[0].text.startswith("In January (1–31 Jan) you spent most at:")
    assert _top_lines(follow.replies[0].text) == _expected_top(truth[EMILY], *january, "en")
    before = await dialogue.respond(EMILY, "web", "and the year before?")
    assert before.replies[0].text.startswith(f"In January {today.year - 1} ")
    expected = _expected_top(truth[EMILY], *a_year_before, "en")
    assert expected
    assert _top_lines(before.replies[0].text) == expected


async def test_a_merchant_after_the_top_merchants_gets_its_total(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    await dialogue.respond(SANNE, "web", "waar geef ik het meeste uit?")
    turn = await dialogue.respond(SANNE, "web", "en bij Albert Heijn?")
    text = turn.replies[0].text
    spent = sum(
        (
            -t.amount.amount
            for t in truth[SANNE].transactions
            if "albert heijn" in t.counterparty.lower() and today.replace(day=1) <= _day(t) <= today
        ),
        Decimal(0),
    )
    assert text.startswith(
        f"Deze maand (1–{today.day} mrt) gaf je {Money(spent, 'EUR').format('nl')}"
    )
    assert "bij Albert Heijn" in text
    assert "het meest uit bij" not in text


async def test_after_what_stands_out_a_follow_up_asks_the_same_of_its_month_or_category(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    start, end = _month(today.replace(day=1) - timedelta(days=1))
    await dialogue.respond(SANNE, "web", "wat valt op deze maand?")
    follow = await dialogue.respond(SANNE, "web", "en vorige maand?")
    spent = Money(_spent(truth[SANNE], start, end), "EUR").format("nl")
    usual = _usual(truth[SANNE], start).format("nl")
    assert follow.replies[0].text.startswith(
        f"In februari (1–28 feb) gaf je {spent} uit; normaal is {usual} per maand."
    )
    groceries = await dialogue.respond(SANNE, "web", "en aan boodschappen?")
    text = groceries.replies[0].text
    spent_on = Money(_spent(truth[SANNE], start, end, "groceries"), "EUR").format("nl")
    usual_on = _usual(truth[SANNE], start, "groceries").format("nl")
    assert text.startswith(
        f"In februari (1–28 feb) gaf je {spent_on} aan boodschappen uit; normaal is {usual_on}"
    )
    # Only groceries are set beside the usual month for groceries.
    for line in text.splitlines():
        assert not line.startswith(("• Wonen", "• Reizen", "• Winkelen")), line


async def test_after_the_months_one_by_one_a_follow_up_keeps_the_line(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    await dialogue.respond(SANNE, "web", "uitgaven per maand")
    follow = await dialogue.respond(SANNE, "web", "en aan boodschappen?")
    reply = follow.replies[0]
    assert reply.text.startswith("Je uitgaven aan boodschappen per maand, van ")
    assert reply.chart is not None
    months = _months_before(today, 6)
    assert reply.chart.values == tuple(_spent(truth[SANNE], *m, "groceries") for m in months)
    before = await dialogue.respond(SANNE, "web", "en daarvoor?")
    chart = before.replies[0].chart
    assert chart is not None
    earlier = _months_before(today, 12)[:6]
    assert chart.values == tuple(_spent(truth[SANNE], *m, "groceries") for m in earlier)
    # One month is no line: its total, still on groceries.
    february = _month(today.replace(day=1) - timedelta(days=1))
    month = await dialogue.respond(SANNE, "web", "en vorige maand?")
    assert month.replies[0].chart is None
    groceries = Money(_spent(truth[SANNE], *february, "groceries"), "EUR").format("nl")
    assert month.replies[0].text.startswith(
        f"In februari (1–28 feb) gaf je {groceries} uit aan boodschappen."
    )


async def test_another_question_in_between_ends_the_kind(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    await dialogue.respond(EMILY, "web", "where do I spend most?")
    balance = await dialogue.respond(EMILY, "web", "what's my balance")
    assert balance.intent == "balance"
    follow = await dialogue.respond(EMILY, "web", "and on groceries?")
    assert follow.intent == "spending"
    assert "you spent most at" not in follow.replies[0].text
    assert "on groceries" in follow.replies[0].text


async def test_a_correction_in_between_keeps_the_question_it_followed(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    await dialogue.respond(SANNE, "web", "waar geef ik het meeste uit?")
    corrected = await dialogue.respond(SANNE, "web", "zet GAMMA onder wonen")
    assert corrected.replies[0].text.startswith("Goed, vanaf nu zet ik GAMMA onder wonen")
    follow = await dialogue.respond(SANNE, "web", "en vorige maand?")
    assert follow.replies[0].text.startswith("In februari (1–28 feb) gaf je het meest uit bij:")


async def test_after_the_top_merchants_a_category_names_it_in_the_heading(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    await dialogue.respond(SANNE, "web", "waar geef ik het meeste uit?")
    follow = await dialogue.respond(SANNE, "web", "en aan boodschappen?")
    text = follow.replies[0].text
    assert text.splitlines()[0] == (
        f"Deze maand (1–{today.day} mrt) gaf je aan boodschappen het meest uit bij:"
    )
    expected = [
        f"{name}: {Money(amount, 'EUR').format('nl')}"
        for name, amount in _merchants(truth[SANNE], today.replace(day=1), today, "groceries")[:5]
    ]
    assert _top_lines(text) == expected
    chart = follow.replies[0].chart
    assert chart is not None
    assert chart.title.startswith("Meeste uitgaven aan boodschappen ")
    await dialogue.respond(EMILY, "web", "where do I spend most?")
    english = await dialogue.respond(EMILY, "web", "and on groceries?")
    assert english.replies[0].text.splitlines()[0] == (
        f"This month (1–{today.day} Mar) you spent most on groceries at:"
    )


async def test_with_names_hidden_a_category_after_the_top_gets_its_total(
    runtime: Runtime, dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    await set_preferences(runtime, SANNE, hide_counterparties=True)
    today = truth[SANNE].today
    await dialogue.respond(SANNE, "whatsapp", "waar geef ik het meeste uit?")
    follow = await dialogue.respond(SANNE, "whatsapp", "en aan boodschappen?")
    groceries = Money(_spent(truth[SANNE], today.replace(day=1), today, "groceries"), "EUR")
    assert follow.replies[0].text == (
        "Namen van winkels laat ik hier niet zien. Deze maand "
        f"(1–{today.day} mrt) gaf je {groceries.format('nl')} uit aan boodschappen."
    )
    assert follow.replies[0].chart is None


def _first_whole_month(truth: Truth) -> tuple[date, date]:
    """The first month the history surely holds whole: the one after its first payment's."""
    first = min(_day(t) for t in truth.transactions)
    return _month(_month(first)[1] + timedelta(days=1))


async def test_months_one_by_one_with_history_for_one_month_say_that_months_total(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth[SANNE].today
    start, end = _first_whole_month(truth[SANNE])
    asked_from = _months_before(start, 3)[0][0]
    nl, en = MONTHS["nl"], MONTHS["en"]
    question = (
        f"uitgaven per maand van {nl[asked_from.month - 1]} {asked_from.year} "
        f"t/m {nl[start.month - 1]} {start.year}"
    )
    turn = await dialogue.respond(SANNE, "web", question)
    reply = turn.replies[0]
    spent = Money(_spent(truth[SANNE], start, end), "EUR").format("nl")
    so_far = Money(_spent(truth[SANNE], today.replace(day=1), today), "EUR").format("nl")
    assert reply.text == (
        f"In {nl[start.month - 1]} {start.year} gaf je {spent} uit; van de maanden daarvoor "
        f"heb ik je betalingen niet compleet. Deze maand tot nu toe: {so_far}."
    )
    assert reply.chart is None
    start, end = _first_whole_month(truth[EMILY])
    asked_from = _months_before(start, 3)[0][0]
    english = await dialogue.respond(
        EMILY,
        "web",
        f"how much did I spend on groceries per month from {en[asked_from.month - 1]} "
        f"{asked_from.year} to {en[start.month - 1]} {start.year}",
    )
    groceries = Money(_spent(truth[EMILY], start, end, "groceries"), "EUR").format("en")
    assert english.replies[0].text.startswith(
        f"In {en[start.month - 1]} {start.year} you spent {groceries} on groceries; I don't "
        "have all your payments for the months before."
    )


def _amounts(text: str, lang: Lang) -> list[Decimal]:
    """Every euro amount in a reply, in the order written."""
    if lang == "nl":
        found = re.findall(r"€ (-?[\d.]+,\d\d)", text)
        return [Decimal(item.replace(".", "").replace(",", ".")) for item in found]
    return [Decimal(item.replace(",", "")) for item in re.findall(r"€(-?[\d,]+\.\d\d)", text)]


async def test_what_was_left_is_what_came_in_less_what_went_out(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    february = _month(truth[SANNE].today.replace(day=1) - timedelta(days=1))
    came_in = await dialogue.respond(SANNE, "web", "hoeveel kwam er binnen in februari?")
    went_out = await dialogue.respond(SANNE, "web", "hoeveel gaf ik uit in februari?")
    income = _amounts(came_in.replies[0].text, "nl")[0]
    spent = _amounts(went_out.replies[0].text, "nl")[0]
    assert spent == _spent(truth[SANNE], *february)
    turn = await dialogue.respond(SANNE, "web", "hoeveel heb ik in februari overgehouden?")
    assert turn.intent in ("spending", "income")
    text = turn.replies[0].text
    assert text.startswith("In februari (1–28 feb) kwam er ")
    said_in, said_out, difference = _amounts(text, "nl")[:3]
    assert (said_in, said_out) == (income, spent)
    assert difference == abs(income - spent)
    assert ("je hield" in text) == (income >= spent)
    # "En de maand daarvoor?" asks the same of January.
    january = await dialogue.respond(SANNE, "web", "en de maand daarvoor?")
    assert january.replies[0].text.startswith("In januari (1–31 jan) kwam er ")


async def test_what_was_saved_in_english(dialogue: Dialogue) -> None:
    turn = await dialogue.respond(EMILY, "web", "how much did I save last month?")
    text = turn.replies[0].text
    assert " came in and you spent " in text
    income, spent, difference = _amounts(text, "en")[:3]
    assert difference == abs(income - spent)
