"""A stand-in for the platforms' APIs, served by uvicorn on loopback: it records every
request Kluis makes, checks it against the platform's rules (refusing, as the platform
would, what breaks one, and failing the test), answers as the platform would (through the
channel's driver), and can be told to fail the next requests with 500 or 429.

    async with fake_platform(driver) as platform:
        settings = load_settings(**driver.settings(platform.url))
        ...
        platform.fail_next(500, 500)       # the next two requests get 500
        platform.requests                  # what Kluis sent, in order
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.channels.drivers import Driver, Recorded


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class FakePlatform:
    driver: Driver
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def fail_next(self, *statuses: int) -> None:
        self.failures.extend(statuses)

    def sent(self) -> list[tuple[str, str]]:
        """(user, text) of every message the platform accepted, in order."""
        messages: list[tuple[str, str]] = []
        for request in self.requests:
            if request.headers.get("x-fake-answer") == "failed":
                continue
            messages.extend(self.driver.sent(request))
        return messages

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        form: dict[str, str] = {}
        files: dict[str, bytes] = {}
        parsed: Any = None
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            async with request.form() as data:
                for key, value in data.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = await value.read()
                    else:
                        form[key] = str(value)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            async with request.form() as data:
                form = {key: str(value) for key, value in data.multi_items()}
        elif body:
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        headers = {key.lower(): value for key, value in request.headers.items()}
        status: int | None = self.failures.pop(0) if self.failures else None
        if status is not None:
            headers["x-fake-answer"] = "failed"
        recorded = Recorded(
            request.method,
            request.url.path,
            dict(request.query_params),
            headers,
            body,
            parsed,
            form,
            files,
        )
        self.requests.append(recorded)
        self.arrived.set()
        if status is not None:
            extra = {"Retry-After": "0"} if status == 429 else {}
            return JSONResponse({"error": {"code": status}}, status_code=status, headers=extra)
        problems = self.driver.check(recorded)
        if problems:  # refused, as the platform would; the test fails on it at the end
            self.problems.extend(problems)
            headers["x-fake-answer"] = "failed"
            return JSONResponse({"error": {"code": 100, "message": "; ".join(problems)}}, 400)
        answer_status, answer = self.driver.platform_reply(recorded)
        if isinstance(answer, str):
            return PlainTextResponse(answer, status_code=answer_status)
        return JSONResponse(answer, status_code=answer_status)


@asynccontextmanager
async def fake_platform(driver: Driver) -> AsyncIterator[FakePlatform]:
    platform = FakePlatform(driver)
    app = Starlette(
        routes=[Route("/{path:path}", platform.handle, methods=["GET", "POST", "DELETE"])]
    )
    port = free_port()
    platform.url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield platform
    finally:
        server.should_exit = True
        await task
    assert platform.problems == [], platform.problems
