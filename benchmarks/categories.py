"""Figure: how well Kluis categorises transactions, against the sandbox bank's truth.

Every demo customer's whole history is read as Kluis reads it (consented Berlin Group
reads through the client, in process) for two seeds, categorised, and compared with the
category the sandbox bank knows. Beside Kluis, in the same run, the baseline is what a
merchant category code alone gives (its category, else "other"); the majority class
("everything other") is printed too. Per category: precision, recall and F1; then accuracy,
macro F1 and the time per transaction.

    python benchmarks/categories.py [--seeds 20260318 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.connector import ConsentRequest, Presence, TransactionQuery
from kluis.config import load_settings
from kluis.domain import CATEGORIES, ConsentAccess, Transaction
from kluis.insights.categories import compact_iban, explain
from kluis.insights.mcc import category_for_mcc
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.generator import DEMO_PROFILES
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth

PRESENT = Presence(psu_ip_address="127.0.0.1")
DEFAULT_SEEDS = (20260318, 7)
TIMING_RUNS = 5


@dataclass(frozen=True, slots=True)
class Case:
    """One transaction as Kluis read it, the customer's own IBANs and the bank's category."""

    transaction: Transaction
    own_ibans: frozenset[str]
    truth: str


async def read_seed(seed: int, folder: Path) -> list[Case]:
    """Every demo customer's transactions at the sandbox bank for `seed`, with the truth."""
    settings = load_settings(data_dir=folder)
    bank = SandboxBank(seed, SandboxClock(settings.sandbox_dir), profiles=DEMO_PROFILES)
    state = StateStore(settings.sandbox_dir).load()
    cases: list[Case] = []
    transport = httpx.ASGITransport(app=create_sandbox_app(settings, bank))
    async with httpx.AsyncClient(transport=transport) as http:
        client = BerlinGroupClient(http, "http://sandbox.test", page_size=500)
        for customer in bank.customers():
            created = await client.create_consent(
                ConsentRequest(
                    psu_id=customer.id,
                    access=ConsentAccess(all_accounts=True),
                    valid_until=bank.today() + timedelta(days=90),
                    frequency_per_day=4,
                    recurring=True,
                    redirect_uri="https://kluis.test/callback",
                    psu_ip_address="127.0.0.1",
                )
            )
            if created.sca_redirect is None:
                raise SystemExit("the sandbox gave no approval link")
            await decide_in_sandbox(http, created.sca_redirect, customer.id)
            accounts = await client.accounts(created.consent_id, PRESENT)
            own = frozenset(compact_iban(account.iban) for account in accounts if account.iban)
            truth = build_truth(
                bank,
                customer.id,
                card_blocks=state.card_blocks,
                blocked_cards=state.blocked_card_ids(),
            )
            labels = {item.transaction_id: item.category for item in truth.transactions}
            query = TransactionQuery(booking_status="both")
            for account in accounts:
                async for page in client.transactions(created.consent_id, account, query, PRESENT):
                    cases.extend(
                        Case(item, own, labels[item.transaction_id]) for item in page.transactions
                    )
    return cases


def kluis(case: Case) -> str:
    return explain(case.transaction, case.own_ibans).category


def mcc_only(case: Case) -> str:
    return category_for_mcc(case.transaction.merchant_category_code) or "other"


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(pairs: Counter[tuple[str, str]], category: str) -> Scores:
    hits = pairs[(category, category)]
    chosen = sum(n for (_, guess), n in pairs.items() if guess == category)
    relevant = sum(n for (truth, _), n in pairs.items() if truth == category)
    precision = hits / chosen if chosen else 0.0
    recall = hits / relevant if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def accuracy(pairs: Counter[tuple[str, str]]) -> float:
    right = sum(n for (truth, guess), n in pairs.items() if truth == guess)
    return right / sum(pairs.values())


def microseconds_per_transaction(cases: Sequence[Case]) -> float:
    """Median over runs of the time `explain` takes, per transaction."""
    runs = []
    for _ in range(TIMING_RUNS):
        started = time.perf_counter()
        for case in cases:
            explain(case.transaction, case.own_ibans)
        runs.append((time.perf_counter() - started) / len(cases) * 1e6)
    return statistics.median(runs)


def report(console: Console, cases: Sequence[Case], seeds: Sequence[int]) -> None:
    ours = Counter((case.truth, kluis(case)) for case in cases)
    baseline = Counter((case.truth, mcc_only(case)) for case in cases)
    support = Counter(case.truth for case in cases)
    seen = [category for category in CATEGORIES if support[category]]
    table = Table(
        title=f"Categorisation vs the sandbox truth: {len(cases):,} transactions, "
        f"6 customers, seeds {', '.join(map(str, seeds))}"
    )
    table.add_column("category")
    table.add_column("n", justify="right")
    for measure in ("P", "R", "F1", "P (MCC)", "R (MCC)", "F1 (MCC)"):
        table.add_column(measure, justify="right")
    for category in seen:
        row = [category, f"{support[category]:,}"]
        for pairs in (ours, baseline):
            found = scores(pairs, category)
            row += [f"{found.precision:.3f}", f"{found.recall:.3f}", f"{found.f1:.3f}"]
        table.add_row(*row)
    macro = [statistics.mean(scores(pairs, c).f1 for c in seen) for pairs in (ours, baseline)]
    table.add_section()
    table.add_row(
        "accuracy", "", "", "", f"{accuracy(ours):.4f}", "", "", f"{accuracy(baseline):.4f}"
    )
    table.add_row("macro F1", "", "", "", f"{macro[0]:.4f}", "", "", f"{macro[1]:.4f}")
    console.print(table)
    console.print("P, R, F1: Kluis; (MCC): the merchant category code alone, else 'other'")
    largest, count = support.most_common(1)[0]
    console.print(
        f"everything 'other': accuracy {support['other'] / len(cases):.4f}; "
        f"everything {largest!r} (the largest category): {count / len(cases):.4f}"
    )
    console.print(
        f"ratio of errors, MCC only / Kluis: "
        f"{(1 - accuracy(baseline)) / max(1 - accuracy(ours), 1e-9):.1f}x"
    )
    console.print(f"time per transaction: {microseconds_per_transaction(cases):.1f} µs (median)")
    wrong = Counter(
        (case.truth, kluis(case), case.transaction.counterparty_name)
        for case in cases
        if kluis(case) != case.truth
    )
    for (truth, guess, name), count in wrong.most_common(8):
        console.print(f"  {count:>4} x {name!r}: truth {truth}, Kluis {guess}")


async def run(seeds: Sequence[int]) -> None:
    cases: list[Case] = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            cases.extend(await read_seed(seed, Path(folder) / str(seed)))
    report(Console(width=max(Console().width, 100)), cases, seeds)


def main() -> None:
    parser = argparse.ArgumentParser(description="Categorisation against the sandbox truth.")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    args = parser.parse_args()
    asyncio.run(run(args.seeds))


if __name__ == "__main__":
    main()
