"""The sandbox bank's fraud records, for starting the engine in the demo and in tests.

A bank starts Kluis's fraud engine from its own records of confirmed fraud (`live.seed`);
the sandbox bank knows which of its customers' past payments were fraud, so the demo does
the same with those: the engine then knows each customer's habits and what fraud looked
like before, and the fraud still to come on the sandbox clock gets asked about.
"""

from __future__ import annotations

from kluis.fraud.live import record_id, seed
from kluis.runtime import Runtime
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.store.accounts import AccountRepository


async def sandbox_labels(
    runtime: Runtime, bank: SandboxBank, customers: list[str]
) -> dict[str, bool]:
    """The bank's verdict on each stored payment of `customers`, by the engine's id."""
    state = StateStore(runtime.settings.sandbox_dir).load()
    labels: dict[str, bool] = {}
    for customer_id in customers:
        truth = build_truth(
            bank,
            customer_id,
            card_blocks=state.card_blocks,
            blocked_cards=state.blocked_card_ids(),
        )
        async with runtime.database.session() as session:
            accounts = await AccountRepository(session).for_customer(customer_id)
        ids = {account.resource_id: account_id for account_id, account in accounts}
        for item in truth.transactions:
            account_id = ids.get(item.resource_id)
            if account_id is not None and item.amount.amount < 0:
                labels[record_id(account_id, item.transaction_id)] = item.fraud
    return labels


async def seed_from_sandbox(runtime: Runtime, bank: SandboxBank, customers: list[str]) -> int:
    """Start the engine from the sandbox bank's records; how many payments it saw."""
    return await seed(runtime, await sandbox_labels(runtime, bank, customers))
