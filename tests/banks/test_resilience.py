"""Retries with backoff and the circuit breaker, on a fake clock and a sleep that only records."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from kluis.banks.resilience import CircuitBreaker, RetryPolicy
from kluis.errors import BankError, BankUnavailable, MalformedResponse, RateLimited


@dataclass
class RecordingSleep:
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class FakeClock:
    now: float = 500.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Script:
    """A call that fails with the given errors in turn, then answers "ok"."""

    failures: list[BankError]
    calls: int = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def unavailable() -> BankUnavailable:
    return BankUnavailable("the bank is having trouble answering", status_code=503)


def policy(sleep: RecordingSleep, *, attempts: int = 3, jitter: float = 0.5) -> RetryPolicy:
    return RetryPolicy(attempts=attempts, sleep=sleep, jitter=lambda: jitter)


# -- backoff -------------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_ceiling() -> None:
    retry = RetryPolicy(base_delay=0.2, max_delay=1.0, jitter=lambda: 1.0)
    assert [retry.delay(attempt) for attempt in range(5)] == pytest.approx(
        [0.2, 0.4, 0.8, 1.0, 1.0]
    )


@pytest.mark.parametrize(("jitter", "factor"), [(0.0, 0.5), (0.5, 0.75), (1.0, 1.0)])
def test_jitter_keeps_the_delay_between_half_and_all_of_it(jitter: float, factor: float) -> None:
    retry = RetryPolicy(base_delay=0.4, jitter=lambda: jitter)
    assert retry.delay(1) == pytest.approx(0.8 * factor)


# -- retrying ------------------------------------------------------------------------------


async def test_a_call_that_succeeds_is_made_once() -> None:
    sleep, call = RecordingSleep(), Script([])
    assert await policy(sleep).run(call, CircuitBreaker()) == "ok"
    assert (call.calls, sleep.delays) == (1, [])


async def test_an_unavailable_bank_is_retried_until_it_answers() -> None:
    sleep, call = RecordingSleep(), Script([unavailable(), unavailable()])
    assert await policy(sleep).run(call, CircuitBreaker()) == "ok"
    assert call.calls == 3
    assert sleep.delays == pytest.approx([0.15, 0.3])


async def test_the_last_failure_is_raised_when_the_attempts_run_out() -> None:
    last = unavailable()
    sleep, call = RecordingSleep(), Script([unavailable(), unavailable(), last])
    with pytest.raises(BankUnavailable) as caught:
        await policy(sleep).run(call, CircuitBreaker())

    assert caught.value is last
    assert call.calls == 3
    assert len(sleep.delays) == 2  # no pointless wait after the last attempt


async def test_a_short_retry_after_is_honoured() -> None:
    sleep = RecordingSleep()
    call = Script([RateLimited("wait", retry_after=3.0)])
    assert await policy(sleep).run(call, CircuitBreaker()) == "ok"
    assert sleep.delays == [3.0]


@pytest.mark.parametrize("retry_after", [None, 10.5, 3600.0])
async def test_a_429_without_a_short_retry_after_is_raised_at_once(
    retry_after: float | None,
) -> None:
    sleep = RecordingSleep()
    call = Script([RateLimited("wait", retry_after=retry_after)])
    with pytest.raises(RateLimited) as caught:
        await policy(sleep).run(call, CircuitBreaker())

    assert caught.value.retry_after == retry_after
    assert (call.calls, sleep.delays) == (1, [])


async def test_a_bank_that_keeps_saying_wait_is_given_up_on() -> None:
    sleep = RecordingSleep()
    call = Script([RateLimited("wait", retry_after=1.0) for _ in range(5)])
    with pytest.raises(RateLimited):
        await policy(sleep, attempts=3).run(call, CircuitBreaker())

    assert call.calls == 3
    assert sleep.delays == [1.0, 1.0]


@pytest.mark.parametrize(
    "failure",
    [MalformedResponse("the answer is unreadable"), BankError("refused", status_code=400)],
)
async def test_other_bank_errors_are_not_retried(failure: BankError) -> None:
    sleep, call = RecordingSleep(), Script([failure])
    breaker = CircuitBreaker(failure_threshold=1)
    with pytest.raises(type(failure)):
        await policy(sleep).run(call, breaker)

    assert (call.calls, sleep.delays) == (1, [])
    assert not breaker.is_open


# -- the circuit breaker -------------------------------------------------------------------


def test_the_circuit_opens_after_the_threshold_of_failures_in_a_row() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, clock=clock)
    for _ in range(2):
        breaker.record_failure()
        breaker.before_call()
    breaker.record_failure()

    assert breaker.is_open
    with pytest.raises(BankUnavailable, match="try again"):
        breaker.before_call()


def test_a_success_in_between_starts_the_count_again() -> None:
    breaker = CircuitBreaker(failure_threshold=3, clock=FakeClock())
    for outcome in ["fail", "fail", "ok", "fail", "fail"]:
        if outcome == "ok":
            breaker.record_success()
        else:
            breaker.record_failure()

    assert not breaker.is_open


def test_the_circuit_half_opens_after_the_reset_time() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=30.0, clock=clock)
    breaker.record_failure()

    clock.now += 29.9
    assert breaker.is_open
    clock.now += 0.1
    assert not breaker.is_open
    breaker.before_call()  # the trial call is let through


def test_a_failed_trial_opens_the_circuit_for_another_full_period() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_seconds=30.0, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 30.0

    breaker.record_failure()

    assert breaker.is_open
    clock.now += 29.0
    assert breaker.is_open
    clock.now += 1.0
    assert not breaker.is_open


def test_a_successful_trial_closes_the_circuit() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, reset_seconds=30.0, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 30.0

    breaker.record_success()
    breaker.record_failure()  # one failure after closing is not enough to open it again

    assert not breaker.is_open


async def test_an_open_circuit_makes_no_call_at_all() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, clock=clock)
    breaker.record_failure()
    sleep, call = RecordingSleep(), Script([])

    with pytest.raises(BankUnavailable):
        await policy(sleep).run(call, breaker)

    assert (call.calls, sleep.delays) == (0, [])


async def test_retries_stop_as_soon_as_the_circuit_opens() -> None:
    sleep = RecordingSleep()
    call = Script([unavailable() for _ in range(5)])
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    with pytest.raises(BankUnavailable):
        await policy(sleep, attempts=5).run(call, breaker)

    assert call.calls == 2
    assert len(sleep.delays) == 1


async def test_a_rate_limit_is_not_an_outage() -> None:
    """A bank that says "wait" is answering: it must not count towards opening the circuit."""
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    breaker.record_failure()
    call = Script([RateLimited("wait", retry_after=None)])
    with pytest.raises(RateLimited):
        await policy(RecordingSleep()).run(call, breaker)

    breaker.record_failure()
    assert not breaker.is_open
