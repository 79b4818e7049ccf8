"""What every sandbox route works with: settings, the bank, the remembered state, a lock."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from fastapi import Request

from kluis.config import Settings
from kluis.sandbox.ledger import LedgerEntry, SandboxBank, blocks_key
from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.paging import TransactionQuery, select
from kluis.sandbox.state import SandboxState, StateStore

_SELECTIONS_LIMIT = 64


class SandboxContext:
    """The running sandbox: one per app, kept in `app.state.sandbox`.

    The state is loaded at startup and saved after every change made inside `changing()`,
    which also serialises changes with an asyncio lock. Should another sandbox app (in this
    process or another) have saved since, the file is read again before it is used.
    """

    def __init__(self, settings: Settings, bank: SandboxBank, store: StateStore) -> None:
        self.settings = settings
        self.bank = bank
        self.store = store
        self._stamp = store.stamp()
        self._state = store.load()
        self.lock = asyncio.Lock()
        self._selections: dict[tuple[object, ...], tuple[LedgerEntry, ...]] = {}

    def selection(
        self, account: SandboxAccount, query: TransactionQuery
    ) -> tuple[LedgerEntry, ...]:
        """The account's entries a transaction query selects today, in the served order.

        Cached per account, day, card blocks and query, so that paging through a long history
        does not select and sort it again for every page.
        """
        blocks = self.state.card_blocks
        key = (account.resource_id, self.today(), blocks_key(blocks), query)
        cached = self._selections.get(key)
        if cached is None:
            entries = self.bank.entries(account.resource_id, card_blocks=blocks)
            cached = tuple(select(entries, query))
            if len(self._selections) >= _SELECTIONS_LIMIT:
                self._selections.clear()
            self._selections[key] = cached
        return cached

    def today(self) -> date:
        """The sandbox clock's date, read fresh."""
        return self.bank.today()

    @property
    def state(self) -> SandboxState:
        """The remembered state, as last saved by any sandbox app."""
        stamp = self.store.stamp()
        if stamp != self._stamp:
            self._state = self.store.load()
            self._stamp = stamp
        return self._state

    @asynccontextmanager
    async def changing(self) -> AsyncIterator[SandboxState]:
        """Hold the lock while the caller changes the state; save it when the block ends.

        Callers check everything that can fail before they change anything, so a refusal
        raised inside the block leaves nothing half done.
        """
        async with self.lock:
            state = self.state
            yield state
            state.forget_before(self.today())
            self.store.save(state)
            self._stamp = self.store.stamp()


def sandbox_context(request: Request) -> SandboxContext:
    """FastAPI dependency: the app's `SandboxContext`."""
    context = request.app.state.sandbox
    if not isinstance(context, SandboxContext):
        raise TypeError("the app was not built by create_sandbox_app")
    return context


def new_identifier() -> str:
    """A fresh, unguessable resource id (consents, card consents, page tokens)."""
    return str(uuid.uuid4())


def base_url(request: Request) -> str:
    """The URL the client reached the sandbox at, without a trailing slash."""
    return str(request.base_url).rstrip("/")
