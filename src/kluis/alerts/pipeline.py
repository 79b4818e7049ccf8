"""From a sync to the customer's chat: the alerts new transactions give rise to.

    subscribe(runtime)    # done by `open_runtime`: every process that syncs also alerts

A sync writes a `TransactionsArrived` event with the transactions it stored; dispatching it
scores the payments for fraud, applies the customer's alert rules (`kluis.alerts.rules`:
low balance, large payments, income, duplicates, price rises, new and upcoming recurring
charges) and gives each alert that results (`kluis.alerts.delivery`).
An alert that cannot be given leaves the event in the outbox, so the next dispatch tries
again; alerts already given are recognised and not given twice.
"""

from __future__ import annotations

import logging
from typing import Any

from kluis.alerts.delivery import give
from kluis.alerts.watch import rule_alerts
from kluis.events.types import TransactionsArrived
from kluis.fraud.live import score_arrivals
from kluis.runtime import Runtime

logger = logging.getLogger(__name__)


async def on_transactions(runtime: Runtime, payload: dict[str, Any]) -> int:
    """Give the alerts for one `TransactionsArrived` event; how many were given or held."""
    event = TransactionsArrived.from_payload(payload)
    candidates = await score_arrivals(runtime, event)
    candidates += await rule_alerts(runtime, event)
    given = 0
    for candidate in candidates:
        if await give(runtime, candidate) is not None:
            given += 1
    return given


def subscribe(runtime: Runtime) -> None:
    async def handle(payload: dict[str, Any]) -> None:
        await on_transactions(runtime, payload)

    runtime.bus.subscribe(TransactionsArrived.KIND, handle)
