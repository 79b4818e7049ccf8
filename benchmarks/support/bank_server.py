"""A sandbox bank with one very busy customer, served on loopback for the benchmarks.

Run by `benchmarks/sync.py` in a process of its own, so that the bank and the client each
have a core:

    python benchmarks/support/bank_server.py --port 18090 --data-dir DIR [--per-month 720]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from kluis.config import load_settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.profiles import busy_profile

BUSY_CUSTOMER = "c-busy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--per-month", type=int, default=720)
    args = parser.parse_args()
    settings = load_settings(data_dir=args.data_dir)
    bank = SandboxBank(
        settings.sandbox_seed,
        SandboxClock(settings.sandbox_dir),
        profiles=(busy_profile(args.per_month),),
    )
    app = create_sandbox_app(settings, bank)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
