"""Calls to a platform's API, retried with backoff on 429, 5xx and network failures.

Only the status and the platform's error code are ever recorded: URLs carry bot tokens
(Telegram) and bodies carry what customers are told, so neither reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from kluis.errors import ChannelError

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_MAX_RETRY_AFTER = 30.0


class PlatformError(ChannelError):
    """A platform call that failed for good. `code` names why, without content."""

    def __init__(self, code: str, *, status: int | None = None) -> None:
        super().__init__(code)
        self.code = code[:64]
        self.status = status


def _retry_after(response: httpx.Response) -> float | None:
    """How long the platform asked us to wait: the Retry-After header, or Telegram's
    `parameters.retry_after` in the body."""
    value: object = response.headers.get("Retry-After")
    if value is None:
        try:
            body = response.json()
        except ValueError:
            return None
        parameters = body.get("parameters") if isinstance(body, dict) else None
        value = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if not isinstance(value, str | int | float):
        return None
    try:
        return min(max(float(value), 0.0), _MAX_RETRY_AFTER)
    except ValueError:
        return None


def _error_code(response: httpx.Response) -> str:
    """`http_400`, with the platform's own error code when the body names one."""
    code = f"http_{response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return code
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("code") is not None:
            return f"{code}:{str(error.get('code'))[:16]}"
        if body.get("error_code") is not None:  # Telegram
            return f"{code}:{str(body.get('error_code'))[:16]}"
    return code


class PlatformAPI:
    """POSTs to one platform with retries; shared by a channel's sends."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        attempts: int = 4,
        backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.http = http
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._sleep = sleep

    async def post(
        self,
        url: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST and return the JSON answer ({} when it has none). Raises `PlatformError`
        once the attempts are used up or the platform refuses the request (4xx)."""
        last = "unreachable"
        status: int | None = None
        wait: float | None = None
        for attempt in range(self._attempts):
            if attempt:
                await self._sleep(self._delay(attempt, wait))
            wait = None
            try:
                response = await self.http.post(
                    url, json=json, data=data, files=files, params=params, headers=headers
                )
            except httpx.TimeoutException:
                last, status = "timeout", None
                continue
            except httpx.TransportError:
                last, status = "unreachable", None
                continue
            if response.status_code < 300:
                try:
                    body = response.json()
                except ValueError:
                    return {}
                return body if isinstance(body, dict) else {"result": body}
            last, status = _error_code(response), response.status_code
            if response.status_code == 429 or response.status_code >= 500:
                wait = _retry_after(response)
                continue
            break  # another 4xx: the request itself is wrong; retrying will not help
        logger.warning("platform call failed: %s", last)
        raise PlatformError(last, status=status)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        base: float = self._backoff * 2.0 ** (attempt - 1)
        return base * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not a secret
