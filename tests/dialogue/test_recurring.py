"""'Welke abonnementen heb ik?': the customer's recurring payments, checked against what the
sandbox bank knows are recurring series, with their yearly cost and next dates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kluis.dialogue.engine import Dialogue
from kluis.dialogue.formatting import day
from kluis.dialogue.handlers.recurring import days_ahead
from kluis.insights.recurring import next_date
from kluis.money import Money
from kluis.nlu.types import Period
from kluis.privacy.erase import erase_customer
from kluis.privacy.export import export_customer
from kluis.runtime import Runtime
from kluis.sandbox.truth import Truth, TruthTransaction


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


def _head(text: str) -> tuple[int, Decimal]:
    """The count and yearly cost in the overview's first line."""
    found = re.search(r"Je hebt (\d+) vaste lasten .* zo'n € ([\d.]+,\d\d) per jaar", text)
    assert found, text
    return int(found.group(1)), Decimal(found.group(2).replace(".", "").replace(",", "."))


def _asked(text: str) -> str:
    """The series name in Kluis's question 'Klopt X, € .. per maand? ...'."""
    found = re.search(r"Klopt (.+?), € [\d.,]+ per ", text)
    assert found, text
    return found.group(1)


async def test_the_customer_confirms_or_dismisses_each_series(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    overview = await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    count, yearly = _head(overview.replies[0].text)
    question = overview.replies[-1]
    assert question.buttons == ("Klopt", "Klopt niet", "Sla over")
    assert "alles klopt" in question.text
    first = _asked(question.text)
    assert first in overview.replies[0].text.splitlines()[1]  # the largest is asked first

    confirmed = await dialogue.respond("c-sanne", "web", "Klopt")
    assert confirmed.replies[0].text.startswith(f"Genoteerd: {first} hoort bij je vaste lasten.")
    second = _asked(confirmed.replies[0].text)
    dismissed = await dialogue.respond("c-sanne", "web", "Klopt niet")
    said = dismissed.replies[0].text
    assert said.startswith(f"Goed, {second} laat ik voortaan weg.")
    third = _asked(said)
    skipped = await dialogue.respond("c-sanne", "web", "sla over")
    assert skipped.replies[0].text.startswith("Die sla ik over.")
    assert _asked(skipped.replies[0].text) not in {first, second, third}
    stopped = await dialogue.respond("c-sanne", "web", "later")
    assert stopped.replies[0].text.startswith("Goed, dan stop ik hier.")

    again = await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    listing = again.replies[0].text
    now_count, now_yearly = _head(listing)
    assert now_count == count - 1
    assert now_yearly < yearly
    assert second not in listing
    assert "Eén die je hebt weggelaten, tel ik niet mee." in listing
    assert _asked(again.replies[-1].text) == third  # skipped is not settled
    upcoming = await dialogue.respond("c-sanne", "web", "welke rekeningen komen er aan?")
    assert second not in upcoming.replies[0].text

    exported = await export_customer(runtime, "c-sanne")
    choices = sorted(item["choice"] for item in exported["recurring_choices"])
    assert choices == ["confirmed", "dismissed"]
    assert (await export_customer(runtime, "c-emily"))["recurring_choices"] == []
    report = await erase_customer(runtime, "c-sanne")
    assert report.counts["recurring_choices"] == 2


async def test_dismissing_a_direct_debit_says_how_to_stop_it(dialogue: Dialogue) -> None:
    await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    said = [(await dialogue.respond("c-sanne", "web", "nee")).replies[0].text for _ in range(4)]
    debits = [text for text in said if "8 weken" in text]
    assert debits, said
    assert all("app van Kluis Sandbox Bank" in text for text in debits)


async def test_another_question_ends_the_review_and_a_later_no_changes_nothing(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    balance = await dialogue.respond("c-sanne", "web", "wat is mijn saldo?")
    assert balance.intent == "balance"
    await dialogue.respond("c-sanne", "web", "nee")
    assert (await export_customer(runtime, "c-sanne"))["recurring_choices"] == []


async def test_a_dismissed_series_can_be_brought_back(dialogue: Dialogue) -> None:
    overview = await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    count, _ = _head(overview.replies[0].text)
    first = _asked(overview.replies[-1].text)
    await dialogue.respond("c-sanne", "web", "klopt niet")
    await dialogue.respond("c-sanne", "web", "stop")
    back = await dialogue.respond("c-sanne", "web", "welke heb ik weggelaten?")
    assert back.replies[0].text.startswith(f"Je hebt {first} (€ ")
    assert back.replies[0].buttons == ("Hoort erbij", "Laat maar weg", "Sla over")
    restored = await dialogue.respond("c-sanne", "web", "Hoort erbij")
    assert restored.replies[0].text.startswith(f"Genoteerd: {first} hoort bij je vaste lasten.")
    assert "Dat waren ze allemaal." in restored.replies[0].text
    listing = (await dialogue.respond("c-sanne", "web", "mijn abonnementen")).replies[0].text
    assert _head(listing)[0] == count
    none_left = await dialogue.respond("c-sanne", "web", "welke heb ik weggelaten?")
    assert none_left.replies[0].text == "Je hebt geen vaste lasten of abonnementen weggelaten."


async def test_all_correct_confirms_every_series_and_no_question_is_left(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    overview = await dialogue.respond("c-emily", "web", "what subscriptions do I have?")
    assert overview.replies[-1].buttons == ("Yes, that's right", "No, leave it out", "Skip")
    count = int(re.search(r"You have (\d+) ", overview.replies[0].text).group(1))  # type: ignore[union-attr]
    done = await dialogue.respond("c-emily", "web", "all correct")
    assert done.replies[0].text.startswith(f"Noted: those {count} are among your regular bills.")
    assert "now come to about" in done.replies[0].text
    again = await dialogue.respond("c-emily", "web", "what subscriptions do I have?")
    assert len(again.replies) == 1  # nothing left to ask
    choices = (await export_customer(runtime, "c-emily"))["recurring_choices"]
    assert [item["choice"] for item in choices] == ["confirmed"] * count


async def test_undo_takes_back_the_last_choice_even_after_other_questions(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    overview = await dialogue.respond("c-sanne", "web", "welke abonnementen heb ik?")
    count, _ = _head(overview.replies[0].text)
    first = _asked(overview.replies[-1].text)
    await dialogue.respond("c-sanne", "web", "klopt niet")
    await dialogue.respond("c-sanne", "web", "hoeveel gaf ik vorige maand uit?")
    undone = await dialogue.respond("c-sanne", "web", "maak ongedaan")
    assert undone.intent == "recurring"
    assert undone.replies[0].text == f"Ongedaan gemaakt: {first} staat weer bij je vaste lasten."
    assert (await export_customer(runtime, "c-sanne"))["recurring_choices"] == []
    listing = await dialogue.respond("c-sanne", "web", "mijn abonnementen")
    assert _head(listing.replies[0].text)[0] == count

    await dialogue.respond("c-sanne", "web", "alles klopt")
    undone_all = await dialogue.respond("c-sanne", "web", "undo")
    assert undone_all.replies[0].text.startswith(
        f"Ongedaan gemaakt: die {count} zijn niet meer bevestigd"
    )
    assert (await export_customer(runtime, "c-sanne"))["recurring_choices"] == []


def _latest(truth: Truth, series: str) -> TruthTransaction:
    """The newest booked transaction of one of the bank's recurring series."""
    items = [item for item in truth.transactions if item.recurring == series]
    return max(items, key=lambda item: item.booking_date)


async def test_the_salary_answer_says_when_the_next_one_is_expected(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    sanne = truth["c-sanne"]
    salary = max(
        (item for item in sanne.transactions if item.recurring and item.category == "income"),
        key=lambda item: (item.amount.amount, item.booking_date),
    )
    last = _latest(sanne, salary.recurring or "")
    expected = next_date(last.booking_date, "monthly")
    turn = await dialogue.respond("c-sanne", "web", "wanneer komt mijn salaris?")
    text = turn.replies[0].text
    if last.booking_date.month == sanne.today.month:
        assert text.startswith("Ja, op ")
    else:
        assert f"Het volgende verwacht ik rond {day(expected, 'nl', today=sanne.today)}." in text
    english = await dialogue.respond("c-sanne", "web", "when is my salary coming?")
    assert english.intent in {"income", "recurring"}
    assert english.lang == "en"
    assert "salary" in english.replies[0].text or english.replies[0].text.startswith("Yes, ")


async def test_regular_income_lists_the_salary_with_its_next_date(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    turn = await dialogue.respond("c-sanne", "web", "wat zijn mijn vaste inkomsten?")
    text = turn.replies[0].text
    assert text.startswith("Je vaste inkomsten zijn samen zo'n ")
    payers = {
        item.counterparty
        for item in truth["c-sanne"].transactions
        if item.recurring and item.category == "income"
    }
    assert any(payer in text for payer in payers), text
    assert "per maand, volgende rond " in text


async def test_when_the_rent_is_due_names_the_landlord_and_the_date(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    sanne = truth["c-sanne"]
    rent = max(
        (
            item
            for item in sanne.transactions
            if item.recurring and item.category == "housing" and item.amount.amount < 0
        ),
        key=lambda item: item.booking_date,
    )
    turn = await dialogue.respond("c-sanne", "web", "wanneer moet ik de huur betalen?")
    text = turn.replies[0].text
    assert text.startswith(rent.counterparty)
    expected = next_date(rent.booking_date, "monthly")
    assert text.endswith(f"verwacht ik weer op {day(expected, 'nl', today=sanne.today)}.")
    nothing = await dialogue.respond("c-sanne", "web", "wanneer betaal ik de dierenarts?")
    assert nothing.replies[0].text.startswith("Ik zie geen vaste betaling voor huisdieren")


async def test_bills_this_month_run_to_the_end_of_the_month(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    today = truth["c-sanne"].today
    turn = await dialogue.respond("c-sanne", "web", "welke incasso's komen er deze maand nog?")
    end = days_ahead(Period(today.replace(day=1), today), today)[1]
    assert end.month == today.month
    assert (end + timedelta(days=1)).day == 1
    assert day(end, "nl", today=today) in turn.replies[0].text


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 1), date(2026, 3, 18), (date(2026, 3, 18), date(2026, 3, 31))),
        (date(2026, 3, 16), date(2026, 3, 18), (date(2026, 3, 18), date(2026, 3, 22))),
        (date(2026, 1, 1), date(2026, 3, 18), (date(2026, 3, 18), date(2026, 12, 31))),
        (date(2026, 3, 23), date(2026, 3, 29), (date(2026, 3, 23), date(2026, 3, 29))),
        (date(2026, 2, 1), date(2026, 2, 28), (date(2026, 3, 18), date(2026, 3, 25))),
        (date(2026, 3, 10), date(2026, 3, 18), (date(2026, 3, 18), date(2026, 3, 25))),
    ],
)
def test_the_days_a_question_about_bills_to_come_means(
    start: date, end: date, expected: tuple[date, date]
) -> None:
    assert days_ahead(Period(start, end), date(2026, 3, 18)) == expected
    assert days_ahead(None, date(2026, 3, 18)) == (date(2026, 3, 18), date(2026, 3, 25))


async def test_salary_over_a_longer_period_is_a_total_not_the_latest_payment(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    sanne = truth["c-sanne"]
    start = date(sanne.today.year, 1, 1)
    came_in = sum(
        (
            item.amount.amount
            for item in sanne.transactions
            if item.category == "income"
            and item.amount.amount > 0
            and start <= item.booking_date <= sanne.today
        ),
        Decimal(0),
    )
    turn = await dialogue.respond("c-sanne", "web", "hoeveel salaris heb ik dit jaar ontvangen?")
    text = turn.replies[0].text
    assert text.startswith("Van 1 jan t/m ")
    assert "aan salaris" in text
    assert Money(came_in, "EUR").format("nl") in text


async def test_what_a_subscription_costs_a_year(
    dialogue: Dialogue, truth: dict[str, Truth]
) -> None:
    emily = truth["c-emily"]
    netflix = [
        item
        for item in emily.transactions
        if item.recurring and "Netflix" in item.counterparty and item.amount.amount < 0
    ]
    assert netflix, "the sandbox's Emily pays Netflix every month"
    monthly = Money(-netflix[-1].amount.amount, "EUR")
    yearly = Money(monthly.amount * 12, "EUR")
    turn = await dialogue.respond("c-emily", "web", "how much does netflix cost me a year?")
    assert turn.intent.startswith("recurring")
    text = turn.replies[0].text
    assert f"costs you {monthly.format('en')} a month, about {yearly.format('en')} a year" in text
    dutch = await dialogue.respond("c-emily", "web", "hoeveel kost netflix per jaar?")
    assert f"zo'n {yearly.format('nl')} per jaar" in dutch.replies[0].text
    # Without "a year" the answer is when it comes next.
    plain = await dialogue.respond("c-emily", "web", "when does netflix take money next?")
    assert "a year" not in plain.replies[0].text


async def test_a_kind_of_payment_a_year_names_the_kind_and_adds_up_its_series(
    dialogue: Dialogue,
) -> None:
    turn = await dialogue.respond("c-sanne", "web", "hoeveel kosten mijn verzekeringen per jaar?")
    text = turn.replies[0].text
    head, *lines = text.splitlines()
    assert head.startswith("Je vaste betalingen voor verzekeringen zijn samen zo'n € ")
    assert lines, "each insurance with its next date"
    monthly = [
        Decimal(found.replace(".", "").replace(",", "."))
        for found in re.findall(r"€ ([\d.]+,\d\d) per maand", text)
    ]
    yearly = Decimal(
        re.search(r"zo'n € ([\d.]+,\d\d)", head).group(1).replace(".", "").replace(",", ".")  # type: ignore[union-attr]
    )
    assert len(monthly) == len(lines), "Sanne's insurances are all monthly"
    assert yearly == sum(monthly) * 12
