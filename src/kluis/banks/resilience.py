"""Retries with backoff and a circuit breaker for calls to a bank.

Only a bank that is unavailable is retried (5xx, timeouts, connection errors), and a 429
whose `Retry-After` is short. A bank that keeps failing opens the circuit: calls fail at once
for a while instead of piling up, then one trial call decides whether it closes again.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from kluis.errors import BankUnavailable, RateLimited

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(slots=True)
class CircuitBreaker:
    """Opens after `failure_threshold` failures in a row; half-opens after `reset_seconds`."""

    failure_threshold: int = 5
    reset_seconds: float = 30.0
    clock: Clock = time.monotonic
    _failures: int = 0
    _opened_at: float | None = None

    @property
    def is_open(self) -> bool:
        if self._opened_at is None:
            return False
        return self.clock() - self._opened_at < self.reset_seconds

    def before_call(self) -> None:
        if self.is_open:
            raise BankUnavailable("the bank is not answering; Kluis will try again shortly")

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None

    def record_failure(self) -> None:
        self._failures += 1
        if self._failures >= self.failure_threshold:
            self._opened_at = self.clock()


@dataclass(slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: base, 2×base, 4×base, ... up to `max_delay`."""

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_retry_after: float = 10.0
    sleep: Sleep = asyncio.sleep
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int) -> float:
        backoff: float = min(self.max_delay, self.base_delay * (2**attempt))
        return backoff * (0.5 + self.jitter() / 2)

    async def run(self, call: Callable[[], Awaitable[T]], breaker: CircuitBreaker) -> T:
        """Call until it succeeds, fails for good, or the attempts run out."""
        attempt = 0
        while True:
            breaker.before_call()
            try:
                result = await call()
            except BankUnavailable:
                breaker.record_failure()
                attempt += 1
                if attempt >= self.attempts or breaker.is_open:
                    raise
                await self.sleep(self.delay(attempt - 1))
                continue
            except RateLimited as exc:
                breaker.record_success()
                attempt += 1
                wait = exc.retry_after
                if wait is None or wait > self.max_retry_after or attempt >= self.attempts:
                    raise
                await self.sleep(wait)
                continue
            breaker.record_success()
            return result
