"""The fraud engine on live data: new transactions from the sync are scored, suspicious
ones become alerts, and the customers' answers teach the engine.

    candidates = await score_arrivals(runtime, event)    # after a sync stored transactions
    await learn(runtime, alert, is_fraud=True)           # the customer said "No"

The engine is the one `kluis fraud replay` runs (`FraudEngine`). Its learned state (each
customer's and counterparty's profile, the model) is kept sealed in the store, one row,
saved after every batch under an optimistic version check: when two processes score at
once, the later one reloads and scores again, so no update is lost. Only payments out are
scored; a transaction is described to the engine by its customer, its counterparty (the
IBAN, else the name, normalised), its amount and the moment it happened (the bank's, to the
minute, where it says; else midday of its date).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update

from kluis.alerts.candidates import AlertCandidate
from kluis.channels.identity import lookup_key
from kluis.domain import BANK_TIME_ZONE, StoredTransaction
from kluis.errors import StorageError, UnusableFraudState
from kluis.events.types import TransactionsArrived
from kluis.fraud import records
from kluis.fraud.engine import FraudEngine
from kluis.fraud.profiles import DAY
from kluis.fraud.replay import replay
from kluis.fraud.texts import fraud_alert_composer
from kluis.runtime import Runtime
from kluis.store.alerts import AlertRecord
from kluis.store.models import FraudStateRow
from kluis.store.transactions import TransactionRepository

logger = logging.getLogger(__name__)

STATE_CONTEXT = "fraud-state"
_ROW = 1
_ATTEMPTS = 3
_RECENT_DAYS = 2
_NOT_NAME = re.compile(r"[^a-z]+")


@dataclass(frozen=True, slots=True)
class Loaded:
    engine: FraudEngine
    version: int
    seen: int


def counterparty_key(stored: StoredTransaction) -> str:
    """Who was paid, the same way every time: the IBAN, else the name without digits,
    punctuation or case (card terminals add numbers to a shop's name)."""
    transaction = stored.transaction
    if transaction.counterparty_iban:
        return transaction.counterparty_iban.replace(" ", "").upper()
    name = _NOT_NAME.sub(" ", (transaction.counterparty_name or "").lower()).strip()
    return name or "unknown"


def counterparty_hasher(runtime: Runtime) -> Callable[[str], str]:
    """Counterparties as the engine keeps them: keyed hashes, so that its state names no
    payee (an IBAN or a name), even opened."""
    key = lookup_key(runtime)

    def hashed(counterparty: str) -> str:
        message = f"fraud-counterparty\x00{counterparty}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]

    return hashed


def moment_of(stored: StoredTransaction) -> datetime:
    transaction = stored.transaction
    if transaction.occurred_at is not None:
        return transaction.occurred_at
    day = transaction.effective_date or stored.first_seen.date()
    return datetime.combine(day, time(12), tzinfo=BANK_TIME_ZONE)


def record_of(
    customer_id: str, stored: StoredTransaction, hashed: Callable[[str], str]
) -> records.Transaction | None:
    """The engine's view of a payment out; None for money coming in."""
    amount = stored.transaction.amount
    if amount.amount >= 0:
        return None
    return records.Transaction(
        id=record_id(stored.account_id, stored.transaction.transaction_id),
        timestamp=moment_of(stored).timestamp(),
        customer=customer_id,
        counterparty=hashed(counterparty_key(stored)),
        amount=float(-amount.amount),
        currency=amount.currency,
    )


async def load(runtime: Runtime) -> Loaded:
    """The engine as last saved (a fresh one the first time, or when the saved state no
    longer fits this engine)."""
    async with runtime.database.session() as session:
        row = await session.get(FraudStateRow, _ROW, populate_existing=True)
        if row is None:
            return Loaded(FraudEngine(), 0, 0)
        version, seen, sealed = row.version, row.transactions_seen, row.state_sealed
    try:
        state: dict[str, Any] = json.loads(runtime.sealer.open(sealed, context=STATE_CONTEXT))
        return Loaded(FraudEngine.from_state(state), version, seen)
    except (UnusableFraudState, ValueError) as error:
        logger.warning("the saved fraud state is not usable (%s): starting afresh", error)
        return Loaded(FraudEngine(), version, seen)


async def has_state(runtime: Runtime) -> bool:
    """Whether the engine was saved before (seeded, or learning from live payments)."""
    async with runtime.database.session() as session:
        return (
            await session.scalar(select(FraudStateRow.id).where(FraudStateRow.id == _ROW))
            is not None
        )


async def save(runtime: Runtime, loaded: Loaded, seen: int) -> bool:
    """Save the engine if nobody else saved since it was loaded; whether it was saved."""
    sealed = runtime.sealer.seal(
        json.dumps(loaded.engine.to_state(), separators=(",", ":")), context=STATE_CONTEXT
    )
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        if loaded.version == 0:
            exists = await session.scalar(select(FraudStateRow.id).where(FraudStateRow.id == _ROW))
            if exists is not None:
                return False
            session.add(
                FraudStateRow(
                    id=_ROW, version=1, state_sealed=sealed, transactions_seen=seen, saved_at=now
                )
            )
            return True
        result = await session.execute(
            update(FraudStateRow)
            .where(FraudStateRow.id == _ROW, FraudStateRow.version == loaded.version)
            .values(
                version=loaded.version + 1,
                state_sealed=sealed,
                transactions_seen=seen,
                saved_at=now,
            )
        )
        return bool(getattr(result, "rowcount", 0))


async def score_arrivals(runtime: Runtime, event: TransactionsArrived) -> list[AlertCandidate]:
    """Score the payments a sync stored; the suspicious ones as alert candidates."""
    if not event.inserted:
        return []
    async with runtime.database.session() as session:
        arrived = await TransactionRepository(session).with_ids(
            event.account_id, list(event.inserted)
        )
    hashed = counterparty_hasher(runtime)
    payments = [
        (row_id, stored, record)
        for row_id, stored in arrived
        if (record := record_of(event.customer_id, stored, hashed)) is not None
    ]
    if not payments:
        return []
    threshold = runtime.settings.fraud_alert_threshold
    today = runtime.today()
    # History (a first sync, a long gap) teaches the engine; only what is recent is asked
    # about: a payment from weeks ago is the bank's to investigate, not a chat's.
    recent = today - timedelta(days=_RECENT_DAYS)
    ordered = sorted(payments, key=lambda item: item[2].timestamp)
    for _ in range(_ATTEMPTS):
        loaded = await load(runtime)
        scores = [loaded.engine.process(record) for _, _, record in ordered]
        if await save(runtime, loaded, loaded.seen + len(payments)):
            break
    else:
        logger.warning("fraud state changed under every attempt: scores not saved")
    flagged = [
        (row_id, stored, score)
        for (row_id, stored, _), score in zip(ordered, scores, strict=True)
        if score >= threshold and moment_of(stored).astimezone(BANK_TIME_ZONE).date() >= recent
    ]
    logger.info("fraud scored %d payments, %d above the threshold", len(payments), len(flagged))
    return [_question(event, flagged, today)] if flagged else []


def _question(
    event: TransactionsArrived, flagged: list[tuple[int, StoredTransaction, float]], today: date
) -> AlertCandidate:
    """One question for the suspicious payments of one sync: asked about the riskiest, the
    others with it (each still its own alert, answered with it)."""
    riskiest = max(flagged, key=lambda item: item[2])
    others = tuple(_candidate(event, *item, today) for item in flagged if item is not riskiest)
    payments = [(stored.transaction, moment_of(stored)) for _, stored, _ in flagged]
    return replace(
        _candidate(event, *riskiest, today),
        compose=fraud_alert_composer(payments, today),
        bundled=others,
    )


def _candidate(
    event: TransactionsArrived, row_id: int, stored: StoredTransaction, score: float, today: date
) -> AlertCandidate:
    payment = [(stored.transaction, moment_of(stored))]
    return AlertCandidate(
        customer_id=event.customer_id,
        kind="fraud",
        dedupe_key=record_id(stored.account_id, stored.transaction.transaction_id),
        topic="fraud",
        compose=fraud_alert_composer(payment, today),
        urgent=True,
        account_id=stored.account_id,
        transaction_id=row_id,
        card_id=stored.transaction.masked_pan,
        score=round(score, 4),
    )


async def forget(runtime: Runtime, customer_id: str) -> None:
    """Erase a customer from the engine's state (their profile, their waiting payments)."""
    for _ in range(_ATTEMPTS):
        loaded = await load(runtime)
        if loaded.version == 0:
            return
        loaded.engine.forget(customer_id)
        if await save(runtime, loaded, loaded.seen):
            return
    raise StorageError("the fraud engine's state kept changing: the customer is not erased")


async def learn(runtime: Runtime, alert: AlertRecord, *, is_fraud: bool) -> bool:
    """Tell the engine what the customer said about an alert's payment; whether it could
    still learn from it (its features are kept for a while after scoring)."""
    transaction_id = alert.dedupe_key
    now = datetime.now(UTC).timestamp()
    for _ in range(_ATTEMPTS):
        loaded = await load(runtime)
        learned = loaded.engine.feedback(transaction_id, is_fraud, at=now)
        if await save(runtime, loaded, loaded.seen):
            logger.info("fraud feedback recorded (learned: %s)", learned)
            return learned
    logger.warning("fraud state changed under every attempt: feedback not saved")
    return False


async def seed(runtime: Runtime, labels: Mapping[str, bool], *, label_delay_days: int = 7) -> int:
    """Start the engine afresh from everything stored: every customer's payments replayed in
    time order, the bank's confirmed labels (`labels`, by the engine's transaction id, as
    `record_id` gives it) arriving `label_delay_days` late, as in `kluis fraud replay`.
    A bank does this once, from its own fraud records, before alerts go live; how many
    payments the engine saw."""
    async with runtime.database.session() as session:
        stored = await TransactionRepository(session).payments_with_customers()
    hashed = counterparty_hasher(runtime)
    found = [
        record._replace(label=labels.get(record.id))
        for customer_id, item in stored
        if (record := record_of(customer_id, item, hashed)) is not None
    ]
    found.sort(key=lambda record: record.timestamp)
    engine = FraudEngine()
    for _ in replay(found, engine, label_delay=label_delay_days * DAY):
        pass
    for _ in range(_ATTEMPTS):
        current = await load(runtime)
        if await save(runtime, Loaded(engine, current.version, 0), len(found)):
            break
    logger.info("fraud engine seeded from %d payments", len(found))
    return len(found)


def record_id(account_id: int, transaction_id: str) -> str:
    """The engine's id for a stored transaction."""
    return f"{account_id}:{transaction_id}"
