"""'Zet KPN onder energie', 'Tikkies from Priya are rent': a correction in chat becomes a
rule that every later answer counts with, checked against the sandbox bank's own amounts;
the undo button puts things back; the rule is exported and erased with the customer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kluis.config import Settings
from kluis.dialogue.engine import Dialogue
from kluis.privacy.erase import erase_customer
from kluis.privacy.export import export_customer
from kluis.runtime import Runtime
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, TruthTransaction


def _day(item: TruthTransaction) -> date:
    """The day Kluis files a payment under: booked on its booking date, else when made."""
    return item.booking_date if item.status == "booked" else item.transaction_date


def _this_year(truth: Truth, today: date, counterparty: str) -> list[TruthTransaction]:
    return [
        item
        for item in truth.transactions
        if counterparty in item.counterparty and date(today.year, 1, 1) <= _day(item) <= today
    ]


async def _spent(dialogue: Dialogue, customer: str, question: str) -> Decimal:
    turn = await dialogue.respond(customer, "web", question)
    assert turn.intent == "spending", turn
    return Decimal(str(turn.extra["spending"]))


async def test_a_payee_moved_to_energy_counts_there_and_undo_takes_it_out(
    dialogue: Dialogue, runtime: Runtime, truth: dict[str, Truth]
) -> None:
    question = "hoeveel gaf ik dit jaar uit aan energie?"
    today = runtime.today()
    before = await _spent(dialogue, "c-sanne", question)
    kpn = _this_year(truth["c-sanne"], today, "KPN")
    assert kpn, "Sanne pays KPN every month"
    moved = -sum((item.amount.amount for item in kpn), Decimal(0))

    corrected = await dialogue.respond("c-sanne", "web", "zet KPN onder energie")
    reply = corrected.replies[0]
    assert reply.text.startswith("Goed, vanaf nu zet ik KPN onder energie en water;")
    assert reply.buttons == ("Maak ongedaan",)
    every_kpn = [item for item in truth["c-sanne"].transactions if "KPN" in item.counterparty]
    changed = corrected.extra["changed"]
    assert isinstance(changed, int)
    # Every KPN payment Kluis has read changes, and it has read at least this year's.
    assert len(kpn) <= changed <= len(every_kpn)
    assert f"verandert {changed} eerdere betalingen" in reply.text

    undone = await dialogue.respond("c-sanne", "web", "Maak ongedaan")
    assert undone.replies[0].text.startswith("Ongedaan gemaakt")
    assert await _spent(dialogue, "c-sanne", question) == before

    await dialogue.respond("c-sanne", "web", "zet KPN onder energie")
    assert await _spent(dialogue, "c-sanne", question) == before + moved
    # Telecom lost them: the same payments are not counted twice.
    assert await _spent(dialogue, "c-sanne", "hoeveel gaf ik dit jaar uit aan telefoon?") == 0


async def test_tikkies_from_a_friend_become_rent_in_english(
    dialogue: Dialogue,
    runtime: Runtime,
    truth: dict[str, Truth],
    bank: SandboxBank,
    chat_settings: Settings,
) -> None:
    """Emily's Tikkies mentioning Priya (paid to her or received from her) are rent now:
    they change her housing total by exactly their amounts, as the bank booked them."""
    today = runtime.today()
    state = StateStore(chat_settings.sandbox_dir).load()
    texts = {
        entry.record.transaction_id: entry.record.remittance or ""
        for account in truth["c-emily"].accounts
        for entry in bank.entries(account.resource_id, card_blocks=state.card_blocks)
    }
    priya = [
        item
        for item in _this_year(truth["c-emily"], today, "Tikkie")
        if "Priya" in texts[item.transaction_id]
    ]
    question = "how much did I spend on rent this year?"
    before = await _spent(dialogue, "c-emily", question)

    corrected = await dialogue.respond("c-emily", "web", "Tikkies from Priya are rent")
    assert corrected.lang == "en"
    reply = corrected.replies[0]
    assert reply.buttons == ("Undo",)
    if priya:
        assert reply.text.startswith("Done: from now on I'll put Tikkies from Priya under ")
        changed = corrected.extra["changed"]
        assert isinstance(changed, int)
        assert changed >= len(priya)
    after = await _spent(dialogue, "c-emily", question)
    assert after == before - sum((item.amount.amount for item in priya), Decimal(0))


async def test_the_denied_category_is_not_the_one_chosen(dialogue: Dialogue) -> None:
    turn = await dialogue.respond(
        "c-sanne", "web", "Netflix is geen entertainment maar een abonnement"
    )
    # Kluis already had Netflix under subscriptions: nothing earlier changes.
    assert turn.replies[0].text == (
        "Goed, Netflix staat al onder abonnementen en blijft daar voortaan ook."
    )
    assert turn.extra["changed"] == 0


async def test_undo_takes_back_the_last_change_later_in_the_conversation_once(
    dialogue: Dialogue,
) -> None:
    first = await dialogue.respond("c-sanne", "web", "Maak ongedaan")
    assert first.replies[0].text.startswith("Er is niets om ongedaan te maken")
    # "undo" is never read as anything else (such as unblocking a card).
    english = await dialogue.respond("c-sanne", "web", "undo")
    assert english.replies[0].text.startswith("Er is niets om ongedaan te maken")
    assert not english.handoff
    # "wonen" is how Kluis itself names housing.
    moved = await dialogue.respond("c-sanne", "web", "zet Vattenfall onder wonen")
    assert moved.replies[0].text.startswith("Goed, vanaf nu zet ik Vattenfall onder wonen;")
    again = await dialogue.respond("c-sanne", "web", "zet Vattenfall onder abonnementen")
    assert again.replies[0].text.startswith("Goed, vanaf nu zet ik Vattenfall onder abonnementen")
    # Other questions in between do not lose the undo.
    await dialogue.respond("c-sanne", "web", "wat is mijn saldo?")
    await dialogue.respond("c-sanne", "web", "waar geef ik het meeste uit?")
    undone = await dialogue.respond("c-sanne", "web", "maak de laatste aanpassing ongedaan")
    assert undone.intent == "spending"
    assert undone.replies[0].text == "Ongedaan gemaakt: Vattenfall staat weer onder wonen."
    spent = await dialogue.respond("c-sanne", "web", "hoeveel gaf ik dit jaar uit aan wonen?")
    assert "wonen" in spent.replies[0].text
    twice = await dialogue.respond("c-sanne", "web", "Maak ongedaan")
    assert twice.replies[0].text.startswith("Er is niets om ongedaan te maken")


async def test_undo_of_a_first_rule_gives_the_payee_its_own_category_back(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-emily", "web", "put Vattenfall under rent")
    undone = await dialogue.respond("c-emily", "web", "undo that")
    assert undone.replies[0].text == "Undone: Vattenfall is back in the category I gave it myself."
    assert (await export_customer(runtime, "c-emily"))["category_rules"] == []


async def test_rules_are_exported_and_erased_with_the_customer(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "Tikkie's van Lotte zijn huur")
    exported = await export_customer(runtime, "c-sanne")
    assert exported["category_rules"] == [
        {
            "payee": "tikkie",
            "about": "lotte",
            "category": "housing",
            "created_at": exported["category_rules"][0]["created_at"],
        }
    ]
    assert (await export_customer(runtime, "c-emily"))["category_rules"] == []
    report = await erase_customer(runtime, "c-sanne")
    assert report.counts["category_rules"] == 1


async def test_a_correction_without_a_category_asks_for_one_and_changes_nothing(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    turn = await dialogue.respond("c-sanne", "web", "zet KPN in een andere categorie")
    assert turn.replies[0].text.startswith("Onder welke categorie wil je KPN zetten?")
    assert (await export_customer(runtime, "c-sanne"))["category_rules"] == []


async def test_a_follow_up_about_a_category_is_a_question_not_a_correction(
    dialogue: Dialogue, runtime: Runtime
) -> None:
    await dialogue.respond("c-sanne", "web", "hoeveel gaf ik uit vorige maand?")
    turn = await dialogue.respond("c-sanne", "web", "en aan boodschappen?")
    assert "gaf je" in turn.replies[0].text
    assert "boodschappen" in turn.replies[0].text
    assert (await export_customer(runtime, "c-sanne"))["category_rules"] == []
