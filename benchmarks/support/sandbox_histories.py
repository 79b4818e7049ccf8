"""Every demo customer's history at the sandbox bank, read as Kluis reads it (consented
Berlin Group reads through the client, in process), with what the bank knows of it.

    histories = await read_histories(seed, folder)

Used by `benchmarks/categories.py` and `benchmarks/recurring.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.connector import ConsentRequest, Presence, TransactionQuery
from kluis.config import load_settings
from kluis.domain import ConsentAccess, Transaction
from kluis.insights.categories import compact_iban
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.approve import decide_in_sandbox
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.generator import DEMO_PROFILES
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import Truth, build_truth

PRESENT = Presence(psu_ip_address="127.0.0.1")


@dataclass(frozen=True, slots=True)
class History:
    """One customer's transactions as Kluis read them, their own IBANs, the bank's truth."""

    customer_id: str
    transactions: tuple[Transaction, ...]
    own_ibans: frozenset[str]
    truth: Truth


async def read_histories(seed: int, folder: Path) -> list[History]:
    """Every demo customer's history at the sandbox bank for `seed`."""
    settings = load_settings(data_dir=folder)
    bank = SandboxBank(seed, SandboxClock(settings.sandbox_dir), profiles=DEMO_PROFILES)
    state = StateStore(settings.sandbox_dir).load()
    histories: list[History] = []
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
            read: list[Transaction] = []
            query = TransactionQuery(booking_status="both")
            for account in accounts:
                async for page in client.transactions(created.consent_id, account, query, PRESENT):
                    read.extend(page.transactions)
            histories.append(History(customer.id, tuple(read), own, truth))
    return histories
