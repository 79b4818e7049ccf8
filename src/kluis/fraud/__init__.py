"""Fraud scoring: customer and counterparty profiles, an online learner fed by late labels,
and the replay of a recorded stream (`kluis fraud replay`). See docs/fraud.md."""

from __future__ import annotations

from kluis.fraud.engine import EngineConfig, FraudEngine
from kluis.fraud.records import Transaction, read_transactions
from kluis.fraud.replay import ReplayCounts, replay

__all__ = [
    "EngineConfig",
    "FraudEngine",
    "ReplayCounts",
    "Transaction",
    "read_transactions",
    "replay",
]
