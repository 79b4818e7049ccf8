"""Figure: how well Kluis understands utterances it never saw, in Dutch and English.

The held-out split (`tests/nlu/data/heldout_*.jsonl`, written apart from the training
corpus and never trained on) is parsed with `kluis.nlu.parse` and scored: intent accuracy
per language and per intent (the part before the dot), macro and overall; the reply language;
the sub-intent where one is expected; and, on the items that carry them, whether the period
and the amount came out exactly right. A keyword-rule baseline runs on the same items in the
same run: a first-match table of words per intent (majority class when nothing matches), a
fixed table of period phrases and the first number as an amount.

    python benchmarks/nlu_quality.py
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kluis.nlu import parse

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "data"
TODAY = date(2026, 3, 18)

KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("report_fraud", ("herken", "recogni", "fraud", "scam", "opgelicht", "phishing", "hack")),
    ("card_unfreeze", ("deblok", "unblock", "unfreeze", "unlock", "gevonden", "found")),
    ("card_freeze", ("blokkeer", "block", "freeze", "gestolen", "stolen", "kwijt", "lost")),
    ("alerts", ("melding", "waarschuw", "notif", "alert", "seintje")),
    ("consent", ("toestemming", "consent", "koppel", "gegevens", "data", "privacy")),
    ("payment", ("overmaken", "maak", "stuur", "transfer", "send", "betaal", "pay ")),
    ("recurring", ("abonnement", "subscription", "incasso", "direct debit", "vaste lasten")),
    ("income", ("salaris", "loon", "salary", "paid", "verdien", "earn", "binnen")),
    ("spending", ("uitgegeven", "uitgaven", "spend", "spent", "spending")),
    ("transactions", ("transacties", "betalingen", "afschrijving", "transaction", "payments")),
    ("balance", ("saldo", "balance", "staat er", "rekening", "account")),
    ("human", ("medewerker", "mens", "human", "agent", "person", "bel me", "call me")),
    ("support", ("app", "adres", "address", "lening", "loan", "pin", "limiet", "limit")),
    ("help", ("help", "hulp", "wat kun", "what can")),
    ("thanks", ("dank", "bedankt", "merci", "thank", "thx", "cheers")),
    ("goodbye", ("doei", "tot ziens", "bye", "see you", "dag")),
    ("greeting", ("hoi", "hallo", "hello", "hi", "hey", "goedemorgen", "morning")),
    ("deny", ("nee", "niet", "no", "not")),
    ("affirm", ("ja", "klopt", "yes", "yeah", "yep", "correct")),
)
MAJORITY = "balance"


def keyword_intent(text: str) -> str:
    lowered = f" {text.lower()} "
    for intent, words in KEYWORDS:
        if any(word in lowered for word in words):
            return intent
    return MAJORITY


def keyword_period(text: str) -> dict[str, str] | None:
    lowered = text.lower()
    first_of_month = TODAY.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    monday = TODAY - timedelta(days=TODAY.weekday())
    table = {
        ("vandaag", "today"): (TODAY, TODAY),
        ("gisteren", "yesterday"): (TODAY - timedelta(days=1), TODAY - timedelta(days=1)),
        ("deze maand", "this month"): (first_of_month, TODAY),
        ("vorige maand", "last month"): (last_month_end.replace(day=1), last_month_end),
        ("deze week", "this week"): (monday, TODAY),
        ("vorige week", "last week"): (monday - timedelta(days=7), monday - timedelta(days=1)),
    }
    for phrases, (start, end) in table.items():
        if any(phrase in lowered for phrase in phrases):
            return {"start": start.isoformat(), "end": end.isoformat()}
    return None


def keyword_amount(text: str) -> dict[str, str] | None:
    match = re.search(r"\d+(?:[.,]\d{1,2})?", text)
    if match is None:
        return None
    value = float(match.group().replace(",", "."))
    return {"value": f"{value:.2f}", "currency": "EUR", "op": "eq"}


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Scores:
    intent: dict[str, Tally]
    per_intent: dict[str, Tally]
    lang: Tally
    sub: Tally
    period: Tally
    amount: Tally
    spurious_period: int = 0
    spurious_amount: int = 0


def load() -> list[dict[str, Any]]:
    items = []
    for lang in ("nl", "en"):
        lines = (HELDOUT / f"heldout_{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        items += [json.loads(line) for line in lines if line.strip()]
    return items


def score(items: list[dict[str, Any]], *, baseline: bool) -> Scores:
    result = Scores(defaultdict(Tally), defaultdict(Tally), Tally(), Tally(), Tally(), Tally())
    for item in items:
        expected = item["intent"].split(".", 1)[0]
        if baseline:
            intent, lang = keyword_intent(item["text"]), "nl"
            entities = {
                "period": keyword_period(item["text"]),
                "amount": keyword_amount(item["text"]),
            }
        else:
            parsed = parse(item["text"], today=TODAY).to_json()
            intent, lang, entities = parsed["intent"], parsed["lang"], parsed["entities"]
        base = intent.split(".", 1)[0]
        result.intent[item["lang"]].add(base == expected)
        result.intent["all"].add(base == expected)
        result.per_intent[expected].add(base == expected)
        result.lang.add(lang == item["lang"])
        if "." in item["intent"] and base == expected:
            result.sub.add(intent == item["intent"])
        for key, tally in (("period", result.period), ("amount", result.amount)):
            if key in item:
                tally.add(entities.get(key) == item[key])
            elif entities.get(key) is not None:
                if key == "period":
                    result.spurious_period += 1
                else:
                    result.spurious_amount += 1
    return result


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def main() -> None:
    items = load()
    kluis, rules = score(items, baseline=False), score(items, baseline=True)
    console = Console()
    intents = sorted(kluis.per_intent)
    macro = sum(kluis.per_intent[i].rate for i in intents) / len(intents)
    rules_macro = sum(rules.per_intent[i].rate for i in intents) / len(intents)

    summary = Table(title=f"Held-out split: {len(items)} utterances never trained on")
    summary.add_column("measure")
    summary.add_column("keyword baseline", justify="right")
    summary.add_column("kluis", justify="right")
    summary.add_column("ratio", justify="right")
    rows = [
        ("intent accuracy, nl", rules.intent["nl"].rate, kluis.intent["nl"].rate),
        ("intent accuracy, en", rules.intent["en"].rate, kluis.intent["en"].rate),
        ("intent accuracy, overall", rules.intent["all"].rate, kluis.intent["all"].rate),
        ("intent accuracy, macro over intents", rules_macro, macro),
        ("reply language right", rules.lang.rate, kluis.lang.rate),
        ("period exactly right", rules.period.rate, kluis.period.rate),
        ("amount exactly right", rules.amount.rate, kluis.amount.rate),
    ]
    for name, base, ours in rows:
        summary.add_row(name, percent(base), percent(ours), f"{ours / base:.2f}" if base else "-")
    summary.add_row("sub-intent right (base right)", "-", percent(kluis.sub.rate), "-")
    console.print(summary)
    console.print(
        f"periods checked: {kluis.period.total}, amounts checked: {kluis.amount.total}; "
        f"a period found where none was expected: {kluis.spurious_period}, "
        f"an amount: {kluis.spurious_amount}"
    )

    detail = Table(title="Intent accuracy per intent (nl + en)")
    detail.add_column("intent")
    detail.add_column("items", justify="right")
    detail.add_column("keyword baseline", justify="right")
    detail.add_column("kluis", justify="right")
    for intent in sorted(intents, key=lambda name: kluis.per_intent[name].rate):
        detail.add_row(
            intent,
            str(kluis.per_intent[intent].total),
            percent(rules.per_intent[intent].rate),
            percent(kluis.per_intent[intent].rate),
        )
    console.print(detail)


if __name__ == "__main__":
    main()
