"""Figure: a full sync of a customer with 10,000 transactions, through the real HTTP stack.

Kluis's sync (consented, paged reads through the Berlin Group client, idempotent upserts in
SQLite, the outbox event) is timed against the floor: fetching and decoding the very same
pages with bare httpx, in the same run, against the same sandbox bank served by uvicorn in
a process of its own. The ratio is the figure: the share of the raw fetch rate the full sync
keeps.

    python benchmarks/sync.py [--runs 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from kluis.banks.connector import Presence
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.runtime import open_runtime
from kluis.security import new_key

HERE = Path(__file__).resolve().parent
CUSTOMER = "c-busy"
PRESENT = Presence(psu_ip_address="127.0.0.1")
PAGE_SIZE = 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_bank(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        str(HERE / "support" / "bank_server.py"),
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    process = subprocess.Popen(command)  # noqa: S603 - our own script, fixed arguments
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/sandbox/clock", timeout=1).raise_for_status()
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the benchmark bank did not start")


async def raw_fetch(base: str, consent_id: str) -> int:
    """The floor: every page of every account's transactions, fetched and decoded."""
    count = 0
    headers = {"Consent-ID": consent_id, "PSU-IP-Address": "127.0.0.1", "X-Request-ID": "bench"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as http:
        accounts = (await http.get("/v1/accounts")).json()["accounts"]
        cards = (await http.get("/v1/card-accounts")).json()["cardAccounts"]
        paths = [f"/v1/accounts/{a['resourceId']}" for a in accounts]
        paths += [f"/v1/card-accounts/{c['resourceId']}" for c in cards]
        for path in paths:
            await http.get(f"{path}/balances")
            url: str | None = f"{path}/transactions"
            params: dict[str, str] | None = {
                "bookingStatus": "both",
                "dateFrom": "2024-01-01",
                "itemsPerPage": str(PAGE_SIZE),
            }
            while url is not None:
                body = (await http.get(url, params=params)).json()
                report = body.get("transactions") or body.get("cardTransactions") or {}
                count += len(report.get("booked", [])) + len(report.get("pending", []))
                following = (report.get("_links") or {}).get("next")
                url = urljoin(base + "/", following["href"]) if following else None
                params = None
    return count


@dataclass(frozen=True, slots=True)
class SyncRun:
    inserted: int
    seconds: float
    consent_id: str


async def kluis_sync(settings: Settings) -> SyncRun:
    """A full first sync into an empty store (linking the customer is not timed)."""
    async with open_runtime(settings) as runtime:
        consent = await link_sandbox_customer(runtime, CUSTOMER, "Bram Visser", "nl")
        started = time.perf_counter()
        report = await runtime.syncer().sync_customer(CUSTOMER, PRESENT)
        elapsed = time.perf_counter() - started
        return SyncRun(report.inserted, elapsed, consent.bank_consent_id)


async def run(runs: int, database_url: str | None) -> None:
    console = Console()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        port = free_port()
        bank = start_bank(port, root / "bank")
        base = f"http://127.0.0.1:{port}"
        raw_rates: list[float] = []
        sync_rates: list[float] = []
        counts: set[int] = set()
        try:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("runs", total=runs)
                for run_index in range(runs):
                    settings = load_settings(
                        data_dir=root / f"kluis-{run_index}",
                        database_url=database_url,
                        seal_keys=[new_key()],
                        bank_url=base,
                        embedded_sandbox=False,
                        sync_page_size=PAGE_SIZE,
                    )
                    synced = await kluis_sync(settings)
                    sync_rates.append(synced.inserted / synced.seconds)
                    started = time.perf_counter()
                    fetched = await raw_fetch(base, synced.consent_id)
                    raw_rates.append(fetched / (time.perf_counter() - started))
                    counts.update({synced.inserted, fetched})
                    progress.advance(task)
        finally:
            bank.terminate()
            bank.wait()
    if len(counts) != 1:
        raise SystemExit(f"the sync and the raw fetch disagree on the count: {sorted(counts)}")
    raw, sync_rate = statistics.median(raw_rates), statistics.median(sync_rates)
    table = Table(title=f"Full sync of one customer, {counts.pop():,} transactions, {runs} runs")
    table.add_column("what")
    table.add_column("transactions/s (median)", justify="right")
    table.add_row("raw httpx fetch of the same pages (floor)", f"{raw:,.0f}")
    table.add_row("kluis sync (SQLite)" if not database_url else "kluis sync", f"{sync_rate:,.0f}")
    table.add_row("ratio sync / raw", f"{sync_rate / raw:.2f}")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description="Full sync of 10,000 transactions vs raw fetch.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args()
    asyncio.run(run(args.runs, args.database_url))


if __name__ == "__main__":
    main()
