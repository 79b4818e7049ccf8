"""Conversations in Dutch and English, each answer checked against the bank's truth."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kluis.dialogue.engine import Dialogue
from kluis.dialogue.formatting import day, period, previous_period
from kluis.dialogue.state import BEFORE, ConversationState, period_before, refers_back
from kluis.money import Money
from kluis.nlu import parse
from kluis.nlu.types import Entities, Period
from kluis.runtime import Runtime
from kluis.sandbox.truth import Truth, TruthTransaction
from kluis.store.handoffs import HandoffRepository


def _balance(truth: Truth, kind: str) -> Money:
    return next(account.balance for account in truth.accounts if account.kind == kind)


def _last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _entry_day(item: TruthTransaction) -> date:
    return item.booking_date if item.status == "booked" else item.transaction_date


def _category_spending(truth: Truth, category: str, start: date, end: date) -> Money:
    total = sum(
        (
            -t.amount.amount
            for t in truth.transactions
            if t.category == category and start <= _entry_day(t) <= end
        ),
        Decimal(0),
    )
    return Money(total, "EUR")


async def test_balance_in_dutch_is_what_the_bank_reports(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    turn = await dialogue.respond("c-sanne", "web", "wat is mijn saldo?")
    assert turn.intent == "balance"
    assert turn.lang == "nl"
    text = turn.replies[0].text
    assert _balance(truth["c-sanne"], "checking").format("nl") in text
    assert _balance(truth["c-sanne"], "savings").format("nl") in text
    assert turn.replies[0].buttons


async def test_balance_in_english_and_the_savings_follow_up(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    first = await dialogue.respond("c-emily", "web", "how much money do I have")
    assert first.lang == "en"
    assert _balance(truth["c-emily"], "checking").format("en") in first.replies[0].text
    follow = await dialogue.respond("c-emily", "web", "and my savings?")
    assert follow.intent == "balance"
    assert _balance(truth["c-emily"], "savings").format("en") in follow.replies[0].text
    assert _balance(truth["c-emily"], "checking").format("en") not in follow.replies[0].text


async def test_groceries_last_month_and_the_follow_up_for_the_month_before(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-sanne"].today
    start, end = _last_month(today)
    turn = await dialogue.respond(
        "c-sanne", "web", "hoeveel heb ik vorige maand uitgegeven aan boodschappen?"
    )
    assert turn.intent == "spending"
    expected = _category_spending(truth["c-sanne"], "groceries", start, end)
    assert expected.amount > 0
    text = turn.replies[0].text
    assert expected.format("nl") in text
    january_end = start - timedelta(days=1)
    january = _category_spending(
        truth["c-sanne"], "groceries", january_end.replace(day=1), january_end
    )
    follow = await dialogue.respond("c-sanne", "web", "en de maand daarvoor?")
    assert follow.intent == "spending"
    assert january.format("nl") in follow.replies[0].text
    december_end = january_end.replace(day=1) - timedelta(days=1)
    december = _category_spending(
        truth["c-sanne"], "groceries", december_end.replace(day=1), december_end
    )
    again = await dialogue.respond("c-sanne", "web", f"en in {_dutch_month(december_end)}?")
    assert again.intent == "spending"
    assert december.format("nl") in again.replies[0].text


def _dutch_month(day: date) -> str:
    return [
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
    ][day.month - 1]


async def test_spending_in_english_compares_with_the_month_before(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-emily"].today
    start, end = _last_month(today)
    turn = await dialogue.respond("c-emily", "web", "how much did I spend on groceries last month")
    expected = _category_spending(truth["c-emily"], "groceries", start, end)
    assert expected.format("en") in turn.replies[0].text
    overall = await dialogue.respond("c-emily", "web", "what did I spend this month")
    assert overall.intent == "spending"
    assert overall.replies[0].chart is not None
    assert overall.replies[0].chart.labels


async def test_the_last_five_payments_and_more(dialogue: Dialogue, truth: dict[str, Truth]) -> None:
    outgoing = sorted(
        (t for t in truth["c-sanne"].transactions if t.amount.amount < 0),
        key=_entry_day,
        reverse=True,
    )
    turn = await dialogue.respond("c-sanne", "web", "laatste 5 betalingen")
    assert turn.intent == "transactions"
    shown = [line for line in turn.replies[0].text.splitlines() if " · " in line]
    assert len(shown) == 5
    # The five newest payments: each line's amount belongs to a payment no older than the
    # fifth newest one (payments on the same day may come in either order).
    fifth = _entry_day(outgoing[4])
    recent = [t for t in outgoing if _entry_day(t) >= fifth]
    for line in shown:
        assert any(t.amount.format("nl") in line and t.counterparty in line for t in recent)
    more = await dialogue.respond("c-sanne", "web", "meer")
    assert more.intent == "transactions"
    next_lines = [line for line in more.replies[0].text.splitlines() if " · " in line]
    assert len(next_lines) == 5
    assert not set(next_lines) & set(shown)


async def test_kluis_never_moves_money_and_explains_where_to(dialogue: Dialogue) -> None:
    turn = await dialogue.respond("c-sanne", "web", "maak 20 euro over naar Piet")
    assert turn.intent == "payment"
    assert not turn.handoff
    assert "app" in turn.replies[0].text


async def test_asking_for_a_person_opens_a_handoff_with_context(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "wat is mijn saldo")
    turn = await dialogue.respond("c-sanne", "web", "ik wil een medewerker spreken")
    assert turn.intent == "human"
    assert turn.handoff
    async with runtime.database.session() as session:
        handoffs = await HandoffRepository(session).open_for_customer("c-sanne")
    assert len(handoffs) == 1
    assert handoffs[0].reference in turn.replies[0].text
    assert any("saldo" in item["text"] for item in handoffs[0].context["recent"])


async def test_two_misunderstandings_in_a_row_offer_help_and_a_person(dialogue: Dialogue) -> None:
    first = await dialogue.respond("c-sanne", "web", "blorp fnargle wibble")
    second = await dialogue.respond("c-sanne", "web", "qwx zzkv prrt")
    assert first.intent == second.intent == "out_of_scope"
    assert len(second.replies[0].buttons) == 2
    assert "medewerker" in second.replies[0].text.lower()


async def test_hostile_input_gets_a_polite_answer(dialogue: Dialogue) -> None:
    for text in ["🤖🤖🤖", "x" * 10_000, "\x00\x1b[31m", "明天天气怎么样", ""]:
        turn = await dialogue.respond("c-sanne", "web", text)
        assert turn.replies
        assert turn.replies[0].text


async def test_a_restart_loses_nothing(runtime: Runtime, truth: dict[str, Truth]) -> None:
    await Dialogue(runtime).respond("c-emily", "web", "what's my balance")
    restarted = Dialogue(runtime)
    follow = await restarted.respond("c-emily", "web", "and my savings?")
    assert _balance(truth["c-emily"], "savings").format("en") in follow.replies[0].text


async def test_a_restart_keeps_the_kind_of_spending_question(
    runtime: Runtime, truth: dict[str, Truth]
) -> None:
    await Dialogue(runtime).respond("c-emily", "web", "where did I spend most this month?")
    follow = await Dialogue(runtime).respond("c-emily", "web", "and last month?")
    assert follow.replies[0].text.startswith("In February (1–28 Feb) you spent most at:")


def test_a_state_stored_before_kinds_were_remembered_still_loads() -> None:
    stored = {"lang": "nl", "last_intent": "spending", "last_entities": {}, "shown": 0}
    state = ConversationState.from_json(stored)
    assert state.last_intent == "spending"
    assert state.kind is None
    remembered = state.remember("spending", Entities(), kind="top")
    assert ConversationState.from_json(remembered.to_json()) == remembered
    assert remembered.remember("balance", Entities()).kind is None


def _entities(text: str) -> Entities:
    return parse(text, today=date(2026, 3, 18), lang="auto", fallback="nl").entities


def test_a_follow_up_that_only_changes_what_it_is_about_refers_back() -> None:
    for text in [
        "en vorige maand?",
        "vorige maand?",
        "and in January?",
        "en daarvoor?",
        "and the year before?",
        "en bij Albert Heijn?",
        "en aan boodschappen?",
        "what about last month?",
        "en m'n spaarrekening?",
    ]:
        assert refers_back(text, _entities(text)), text
    for text in [
        "hoeveel heb ik uitgegeven in januari?",
        "and how much did I spend in January?",
        "what's my balance",
        "en?",
        "uitgaven per maand",
    ]:
        assert not refers_back(text, _entities(text)), text


def test_the_period_before_keeps_the_shape_or_goes_back_a_year() -> None:
    def before(start: date, end: date, text: str) -> Period:
        said = BEFORE.search(text)
        assert said, text
        return period_before(Period(start, end), said.group(0))

    february = (date(2026, 2, 1), date(2026, 2, 28))
    assert before(*february, "en daarvoor?") == Period(date(2026, 1, 1), date(2026, 1, 31))
    assert before(*february, "and the year before?") == Period(date(2025, 2, 1), date(2025, 2, 28))
    half_year = (date(2025, 9, 1), date(2026, 2, 28))
    assert before(*half_year, "en daarvoor?") == Period(date(2025, 3, 1), date(2025, 8, 31))
    year = (date(2025, 1, 1), date(2025, 12, 31))
    assert before(*year, "en het jaar daarvoor?") == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert before(*year, "before that?") == Period(date(2024, 1, 1), date(2024, 12, 31))
    # This month, week or year so far stands for the whole of it.
    so_far = (date(2026, 3, 1), date(2026, 3, 18))
    assert before(*so_far, "en de maand daarvoor?") == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert before(*so_far, "the year before") == Period(date(2025, 3, 1), date(2025, 3, 31))
    week_so_far = (date(2026, 3, 16), date(2026, 3, 18))  # Monday to Wednesday
    assert before(*week_so_far, "en daarvoor?") == Period(date(2026, 3, 9), date(2026, 3, 15))
    year_so_far = (date(2026, 1, 1), date(2026, 3, 18))
    assert before(*year_so_far, "before that?") == Period(date(2025, 1, 1), date(2025, 12, 31))
    january = (date(2026, 1, 1), date(2026, 1, 31))  # a whole month, not a year so far
    assert before(*january, "en daarvoor?") == Period(date(2025, 12, 1), date(2025, 12, 31))
    # Days that are not the start of a month or week keep their shape.
    days = (date(2026, 3, 10), date(2026, 3, 18))
    assert before(*days, "en daarvoor?") == Period(date(2026, 3, 1), date(2026, 3, 9))
    leap = (date(2024, 2, 1), date(2024, 2, 29))
    assert before(*leap, "the year before") == Period(date(2023, 2, 1), date(2023, 2, 28))


def test_this_week_so_far_is_named_so() -> None:
    wednesday = date(2026, 3, 18)
    monday = date(2026, 3, 16)
    assert period(monday, wednesday, "nl", wednesday) == "deze week (16–18 mrt)"
    assert period(monday, wednesday, "en", wednesday) == "this week (16–18 Mar)"
    # Monday to Tuesday seen on Wednesday is not "this week", nor is a week that is over.
    assert period(monday, date(2026, 3, 17), "nl", wednesday).startswith("van 16 mrt")
    assert period(date(2026, 3, 9), date(2026, 3, 15), "en", wednesday).startswith("from 9 Mar")


@pytest.mark.parametrize(
    ("asked", "compared"),
    [
        # A month so far with the same days of last month; a month with last month.
        ((date(2026, 3, 1), date(2026, 3, 18)), (date(2026, 2, 1), date(2026, 2, 18))),
        ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        # Monday to Wednesday with Monday to Wednesday of the week before.
        ((date(2026, 3, 16), date(2026, 3, 18)), (date(2026, 3, 9), date(2026, 3, 11))),
        # This year so far with the same days of last year; a year with last year.
        ((date(2026, 1, 1), date(2026, 3, 18)), (date(2025, 1, 1), date(2025, 3, 18))),
        ((date(2024, 1, 1), date(2024, 2, 29)), (date(2023, 1, 1), date(2023, 2, 28))),
        ((date(2025, 1, 1), date(2025, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31))),
        # Any other days with as many days just before.
        ((date(2026, 3, 10), date(2026, 3, 18)), (date(2026, 3, 1), date(2026, 3, 9))),
    ],
)
def test_a_period_is_compared_with_the_one_before_of_the_same_shape(
    asked: tuple[date, date], compared: tuple[date, date]
) -> None:
    assert previous_period(*asked) == compared


async def test_a_bare_period_asks_the_last_question_again(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-emily"].today
    await dialogue.respond("c-emily", "web", "how much did I spend on groceries last month")
    january_end = today.replace(day=1) - timedelta(days=1)
    january_end = january_end.replace(day=1) - timedelta(days=1)
    january = _category_spending(
        truth["c-emily"], "groceries", january_end.replace(day=1), january_end
    )
    follow = await dialogue.respond("c-emily", "web", "and in January?")
    assert follow.intent == "spending"
    assert january.format("en") in follow.replies[0].text


def _came_in(truth: Truth, own_name: str, start: date, end: date) -> Money:
    """What came in from others (not from the customer's own accounts)."""
    total = sum(
        (
            t.amount.amount
            for t in truth.transactions
            if t.amount.amount > 0 and t.counterparty != own_name and start <= _entry_day(t) <= end
        ),
        Decimal(0),
    )
    return Money(total, "EUR")


async def test_after_what_came_in_the_month_before_is_what_came_in_then(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-emily"].today
    first = await dialogue.respond("c-emily", "web", "what came in?")
    assert first.intent == "income"
    follow = await dialogue.respond("c-emily", "web", "and the month before?")
    assert follow.intent == "income"
    # This month so far stands for the month: the month before is all of it, salary included.
    start, end = _last_month(today)
    came_in = _came_in(truth["c-emily"], "Emily Carter", start, end)
    assert came_in.amount > 0
    assert follow.replies[0].text.startswith(
        f"In February (1–{end.day} Feb) {came_in.format('en')} came in."
    )


async def test_after_the_salary_question_before_that_is_the_whole_month_before(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-sanne"].today
    await dialogue.respond("c-sanne", "web", "is mijn salaris binnen?")
    february = await dialogue.respond("c-sanne", "web", "en daarvoor?")
    assert february.intent == "income"
    start, end = _last_month(today)
    came_in = _came_in(truth["c-sanne"], "Sanne de Vries", start, end)
    assert came_in.amount > 0
    text = february.replies[0].text
    assert text.startswith(f"In februari (1–28 feb) kwam er {came_in.format('nl')} binnen.")
    salary = max(
        (
            t
            for t in truth["c-sanne"].transactions
            if t.category == "income" and start <= _entry_day(t) <= end
        ),
        key=lambda t: t.amount.amount,
    )
    assert f"{salary.counterparty} ({salary.amount.format('nl')})" in text
    january_end = start - timedelta(days=1)
    january = await dialogue.respond("c-sanne", "web", "en de maand daarvoor?")
    came_in = _came_in(truth["c-sanne"], "Sanne de Vries", january_end.replace(day=1), january_end)
    assert january.replies[0].text.startswith(
        f"In januari (1–31 jan) kwam er {came_in.format('nl')} binnen."
    )


def _payments(truth: Truth, start: date, end: date) -> list[TruthTransaction]:
    return [t for t in truth.transactions if t.amount.amount < 0 and start <= _entry_day(t) <= end]


async def test_the_week_before_last_weeks_payments_is_payments_too(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-sanne"].today
    monday = today - timedelta(days=today.weekday())
    start, end = monday - timedelta(days=14), monday - timedelta(days=8)
    await dialogue.respond("c-sanne", "web", "betalingen van vorige week")
    follow = await dialogue.respond("c-sanne", "web", "en de week daarvoor?")
    assert follow.intent == "transactions"
    lines = follow.replies[0].text.splitlines()
    assert lines[0] == f"Je betalingen van {day(start, 'nl')} t/m {day(end, 'nl')}:"
    shown = [line for line in lines if " · " in line]
    assert len(shown) == 5
    assert all("€ -" in line for line in shown)
    assert f"Er zijn er nog {len(_payments(truth['c-sanne'], start, end)) - 5}." in lines[-1]


async def test_before_the_latest_payments_are_the_ones_before_them(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    latest = await dialogue.respond("c-sanne", "web", "laatste 5 betalingen")
    shown = [line for line in latest.replies[0].text.splitlines() if " · " in line]
    before = await dialogue.respond("c-sanne", "web", "en daarvoor?")
    assert before.intent == "transactions"
    lines = before.replies[0].text.splitlines()
    assert lines[0] == "Verder met je betalingen:"
    earlier = [line for line in lines if " · " in line]
    assert len(earlier) == 5
    assert all("€ -" in line for line in earlier)
    assert not set(earlier) & set(shown)


async def test_the_month_before_the_latest_payments_is_last_months_payments(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    start, end = _last_month(truth["c-sanne"].today)
    await dialogue.respond("c-sanne", "web", "laatste 5 betalingen")
    follow = await dialogue.respond("c-sanne", "web", "en de maand daarvoor?")
    assert follow.intent == "transactions"
    lines = follow.replies[0].text.splitlines()
    assert lines[0] == f"Je betalingen in februari (1–{end.day} feb):"
    shown = [line for line in lines if " · " in line]
    assert len(shown) == 5
    assert f"Er zijn er nog {len(_payments(truth['c-sanne'], start, end)) - 5}." in lines[-1]


async def test_before_the_earliest_payment_held_kluis_says_so_instead_of_nothing(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    first = min(_entry_day(item) for item in truth["c-sanne"].transactions)
    month_before = _last_month(first)
    asked = month_before[0]
    turn = await dialogue.respond(
        "c-sanne", "web", f"hoeveel gaf ik uit in {_dutch_month(asked)} {asked.year}?"
    )
    assert turn.intent == "spending"
    text = turn.replies[0].text
    assert "zie ik geen uitgaven (€ 0,00), maar ik heb je betalingen ook pas vanaf" in text
    assert f"pas vanaf {day(first, 'nl', today=truth['c-sanne'].today)}." in text
    assert "gaf je" not in text, "no total that claims to know"
    income = await dialogue.respond(
        "c-sanne", "web", f"wat kwam er binnen in {_dutch_month(asked)} {asked.year}?"
    )
    assert income.intent == "income"
    assert "zie ik niets binnenkomen (€ 0,00), maar" in income.replies[0].text


async def test_a_period_running_into_the_history_says_so_and_compares_with_nothing(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    first = min(_entry_day(item) for item in truth["c-emily"].transactions)
    turn = await dialogue.respond(
        "c-emily", "web", f"how much did I spend since 1 {first:%B} {first.year - 1}?"
    )
    assert turn.intent == "spending"
    text = turn.replies[0].text
    assert "I only have your payments from" in text
    assert "more than" not in text, "a period before the history is no measure"
    assert "less than" not in text


@pytest.mark.parametrize(
    ("question", "follow_up", "words"),
    [
        (
            "how much did I spend on groceries last month?",
            "compared to usual?",
            ("February", "groceries", "usual"),
        ),
        (
            "hoeveel gaf ik vorige maand uit aan boodschappen?",
            "en vergeleken met normaal?",
            ("februari", "boodschappen", "normaal"),
        ),
    ],
)
async def test_compared_to_usual_asks_about_the_same_spending(
    dialogue: Dialogue, question: str, follow_up: str, words: tuple[str, ...]
) -> None:
    await dialogue.respond("c-emily", "web", question)
    turn = await dialogue.respond("c-emily", "web", follow_up)
    assert turn.intent == "spending"
    text = turn.replies[0].text
    for word in words:
        assert word in text, (word, text)
