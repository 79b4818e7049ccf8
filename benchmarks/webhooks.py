"""Figure: webhook acknowledgements per second and their p50/p99 latency, per channel.

Kluis runs as `kluis serve` in a process of its own, with every channel configured and the
platforms' APIs pointing at a stand-in that accepts every send; its worker answers in the
same process while the load runs (unknown people get the link prompt), as it would in
production. Each channel gets genuine, signed webhook requests shaped as its platform sends
them (Alexa's signed with a test certificate chain the stand-in serves). The baseline is a
bare FastAPI endpoint that answers 200 and does nothing else, served by uvicorn the same
way and loaded with the same requests in the same run. The ratio of throughputs is the
figure (target: at least 0.5, and p99 under 50 ms). Each run is a burst that starts with the
worker idle; "answered/s" is how fast the worker answered that burst, counted from its first
request (for unknown people: a link token, and the link prompt sent to the stand-in).

The load comes from a small HTTP/1.1 client on raw asyncio streams with keep-alive
connections, so that the client is not what is measured.

    python benchmarks/webhooks.py [--requests 2000] [--concurrency 16] [--runs 3]
                                  [--channels ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.channels.conformance import CHANNELS, driver_for  # noqa: E402
from tests.channels.drivers import Driver, Recorded  # noqa: E402
from tests.channels.fake_platform import free_port  # noqa: E402

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def median(results: list[Result]) -> Result:
    """The run with the median throughput (its latencies with it)."""
    ordered = sorted(results, key=lambda result: result.rate)
    return ordered[len(ordered) // 2]


def env_value(value: Any) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def start(
    command: list[str], port: int, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env)  # noqa: S603 - our own programs
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"a benchmark server on port {port} did not start")


def wait_until_answered(database: Path, timeout: float = 300.0) -> float:
    """Wait until the worker has handled every recorded event; when that was."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
            waiting = connection.execute(
                "SELECT count(*) FROM channel_inbox WHERE status IN ('pending', 'working')"
            ).fetchone()[0]
        if waiting == 0:
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit("the worker did not answer the burst in time")


def request_bytes(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


async def load(port: int, requests: list[bytes], concurrency: int) -> Result:
    latencies: list[float] = []
    errors = 0
    queue = list(reversed(requests))

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while queue:
                payload = queue.pop()
                began = time.perf_counter()
                writer.write(payload)
                await writer.drain()
                status = await read_response(reader)
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return Result(
        len(latencies) / elapsed,
        statistics.median(latencies) * 1000,
        latencies[int(len(latencies) * 0.99) - 1] * 1000,
        errors,
    )


def bodies(driver: Driver, count: int, prefix: str) -> list[bytes]:
    path = f"/webhooks/{driver.channel}"
    made = []
    for number in range(count):
        user = f"3160{number % 500:07d}"
        body = driver.text_event(user, "wat is mijn saldo?", f"{prefix}-{number}")
        made.append(request_bytes(path, body, driver.genuine(body)))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3, help="runs per channel; the median")
    parser.add_argument("--channels", nargs="*", default=list(CHANNELS))
    args = parser.parse_args()
    console = Console()
    drivers = [driver_for(name) for name in args.channels]
    with tempfile.TemporaryDirectory() as folder:
        platform_port, bare_port, kluis_port = free_port(), free_port(), free_port()
        platform_url = f"http://127.0.0.1:{platform_port}"
        env = {**os.environ, "KLUIS_DATA_DIR": str(Path(folder) / "data")}
        database = Path(folder) / "data" / "kluis.db"
        chain: Path | None = None
        for driver in drivers:
            for key, value in driver.settings(platform_url).items():
                env[f"KLUIS_{key.upper()}"] = env_value(value)
            # Alexa's stand-in serves the certificate chain its requests are signed with.
            probe = Recorded("GET", "/echo.api/echo-api-cert.pem", {}, {}, b"")
            status, pem = driver.platform_reply(probe)
            if status == 200 and isinstance(pem, str):
                chain = Path(folder) / "chain.pem"
                chain.write_text(pem)
        env["KLUIS_PUBLIC_URL"] = f"http://127.0.0.1:{kluis_port}"
        support = str(HERE / "support" / "webhook_servers.py")
        platform_command = [sys.executable, support, "platform", "--port", str(platform_port)]
        if chain:
            platform_command += ["--chain", str(chain)]
        servers = [
            start(platform_command, platform_port),
            start([sys.executable, support, "bare", "--port", str(bare_port)], bare_port),
            start(
                [sys.executable, "-m", "kluis.cli.main", "serve", "--port", str(kluis_port)],
                kluis_port,
                env,
            ),
        ]
        try:
            table = Table(
                title=(
                    f"Webhook acknowledgements, {args.requests:,} requests per channel, "
                    f"{args.concurrency} connections, median of {args.runs} runs"
                )
            )
            for column in (
                "channel",
                "Kluis acks/s",
                "p50 ms",
                "p99 ms",
                "bare acks/s",
                "bare p99 ms",
                "ratio",
                "answered/s",
            ):
                table.add_column(column, justify="right" if column != "channel" else "left")
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("channels", total=len(drivers))
                for driver in drivers:
                    warm = bodies(driver, 200, "warm")
                    asyncio.run(load(kluis_port, warm, args.concurrency))
                    asyncio.run(load(bare_port, warm, args.concurrency))
                    kluis_runs: list[Result] = []
                    bare_runs: list[Result] = []
                    answered: list[float] = []
                    for run in range(args.runs):  # side by side, so drift hits both
                        began = time.perf_counter()
                        kluis_runs.append(
                            asyncio.run(
                                load(
                                    kluis_port,
                                    bodies(driver, args.requests, f"k{run}"),
                                    args.concurrency,
                                )
                            )
                        )
                        # Each run starts with the worker idle: wait until it has answered
                        # the burst (the rate it did so is a figure of its own).
                        drained = wait_until_answered(database)
                        answered.append(args.requests / (drained - began))
                        bare_runs.append(
                            asyncio.run(
                                load(
                                    bare_port,
                                    bodies(driver, args.requests, f"b{run}"),
                                    args.concurrency,
                                )
                            )
                        )
                    kluis, bare = median(kluis_runs), median(bare_runs)
                    failed = sum(result.errors for result in kluis_runs)
                    if failed:
                        console.print(f"[red]{driver.channel}: {failed} requests failed")
                    table.add_row(
                        driver.channel,
                        f"{kluis.rate:,.0f}",
                        f"{kluis.p50_ms:.1f}",
                        f"{kluis.p99_ms:.1f}",
                        f"{bare.rate:,.0f}",
                        f"{bare.p99_ms:.1f}",
                        f"{kluis.rate / bare.rate:.2f}",
                        f"{statistics.median(answered):,.0f}",
                    )
                    progress.advance(task)
            console.print(table)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
