"""The gateway's rounds: every few seconds (`sync_interval_seconds`), read each linked
customer's bank for what is new, which gives the alerts that follow from it, and give the
held alerts whose quiet hours are over.

    rounds = Rounds(runtime); rounds.start(); ...; await rounds.stop()

The reads are unattended, so the bank's daily budget for them holds (PSD2 allows four a
day per consent): a customer whose budget is spent is skipped until the bank's next day.
A bank that is down or a consent that ended skips that customer this round only.
"""

from __future__ import annotations

import asyncio
import logging

from kluis.alerts.delivery import release_due
from kluis.background import Background
from kluis.banks.connector import UNATTENDED
from kluis.errors import KluisError
from kluis.runtime import Runtime
from kluis.store.consents import ConsentRepository

logger = logging.getLogger(__name__)


class Rounds:
    """A background task that syncs every customer with a valid consent, round after round."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._loop = Background("kluis-rounds", self._run)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _run(self) -> None:
        interval = self._runtime.settings.sync_interval_seconds
        while True:
            await self.once()
            await asyncio.sleep(interval)

    async def once(self) -> int:
        """One round; how many customers were read."""
        runtime = self._runtime
        async with runtime.database.session() as session:
            customers = await ConsentRepository(
                session, runtime.sealer
            ).customers_with_valid_consent()
        read = 0
        for customer_id in customers:
            try:
                await runtime.syncer().sync_customer(customer_id, UNATTENDED)
                read += 1
            except KluisError as error:  # this customer waits for the next round
                logger.info("round skipped a customer: %s", type(error).__name__)
        try:
            await release_due(runtime)
        except KluisError as error:
            logger.warning("held alerts not released this round: %s", type(error).__name__)
        return read
