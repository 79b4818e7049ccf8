"""Calls to a platform: retried with backoff on 429, 5xx and network failures, honouring
Retry-After; a refused request is not retried; nothing about the call is logged but a code."""

from __future__ import annotations

import logging

import httpx
import pytest

from kluis.channels.platform_api import PlatformAPI, PlatformError

URL = "https://api.telegram.test/botSECRET-TOKEN/sendMessage"


class Clock:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def api_answering(
    *answers: httpx.Response | Exception, clock: Clock
) -> tuple[PlatformAPI, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return PlatformAPI(client, attempts=4, backoff=0.5, sleep=clock.sleep), seen


async def test_a_success_returns_the_platforms_json() -> None:
    clock = Clock()
    api, seen = api_answering(httpx.Response(200, json={"ok": True}), clock=clock)
    assert await api.post(URL, json={"text": "hoi"}) == {"ok": True}
    assert len(seen) == 1
    assert clock.waits == []


async def test_429_and_5xx_are_retried_with_growing_waits_and_retry_after() -> None:
    clock = Clock()
    api, seen = api_answering(
        httpx.Response(500),
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"id": "m1"}),
        clock=clock,
    )
    assert await api.post(URL, json={}) == {"id": "m1"}
    assert len(seen) == 4
    assert 0.25 <= clock.waits[0] <= 0.5  # first backoff, with jitter
    assert clock.waits[1] == 7.0  # the platform's Retry-After
    assert 1.0 <= clock.waits[2] <= 2.0


async def test_retry_after_is_capped() -> None:
    clock = Clock()
    api, _ = api_answering(
        httpx.Response(429, headers={"Retry-After": "86400"}),
        httpx.Response(200, json={}),
        clock=clock,
    )
    await api.post(URL)
    assert clock.waits == [30.0]


async def test_a_refused_request_is_not_retried_and_names_the_platforms_code() -> None:
    clock = Clock()
    api, seen = api_answering(
        httpx.Response(400, json={"error": {"code": 100, "message": "Invalid parameter"}}),
        clock=clock,
    )
    with pytest.raises(PlatformError) as failure:
        await api.post(URL)
    assert failure.value.code == "http_400:100"
    assert failure.value.status == 400
    assert len(seen) == 1


async def test_a_platform_that_stays_down_fails_after_the_attempts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    api, seen = api_answering(*[httpx.Response(503)] * 4, clock=clock)
    with pytest.raises(PlatformError) as failure:
        await api.post(URL, json={"text": "Je saldo is € 1.234,56"})
    assert failure.value.code == "http_503"
    assert len(seen) == 4
    assert len(clock.waits) == 3
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "SECRET-TOKEN" not in logged
    assert "1.234,56" not in logged


async def test_timeouts_are_retried_then_reported_as_timeout() -> None:
    clock = Clock()
    api, _ = api_answering(*[httpx.ReadTimeout("slow")] * 4, clock=clock)
    with pytest.raises(PlatformError) as failure:
        await api.post(URL)
    assert failure.value.code == "timeout"
    assert failure.value.status is None


async def test_a_telegram_error_code_is_named(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    api, _ = api_answering(
        httpx.Response(403, json={"ok": False, "error_code": 403, "description": "blocked"}),
        clock=clock,
    )
    with pytest.raises(PlatformError) as failure:
        await api.post(URL)
    assert failure.value.code == "http_403:403"


async def test_telegrams_retry_after_in_the_body_is_honoured() -> None:
    clock = Clock()
    api, _ = api_answering(
        httpx.Response(
            429, json={"ok": False, "error_code": 429, "parameters": {"retry_after": 3}}
        ),
        httpx.Response(200, json={"ok": True, "result": {"message_id": 5}}),
        clock=clock,
    )
    await api.post(URL)
    assert clock.waits == [3.0]
