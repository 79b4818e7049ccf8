"""What every command shares: running a coroutine and rendering errors once, politely."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

from kluis.errors import (
    BankUnavailable,
    ConfigError,
    ConsentError,
    KluisError,
    RateLimited,
)

T = TypeVar("T")

console = Console()
errors = Console(stderr=True)

EXIT_USAGE = 2
EXIT_BANK = 3
EXIT_CONSENT = 4
EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    """One line on standard error, then exit with `code`."""
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _exit_code(error: KluisError) -> int:
    if isinstance(error, ConsentError):
        return EXIT_CONSENT
    if isinstance(error, BankUnavailable | RateLimited):
        return EXIT_BANK
    if isinstance(error, ConfigError):
        return EXIT_USAGE
    return EXIT_FAILURE


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a Kluis error becomes one line and an exit code."""
    try:
        return asyncio.run(coroutine)
    except KluisError as error:
        message = str(error)
        if isinstance(error, RateLimited) and error.retry_after is not None:
            message += f" (try again in {round(error.retry_after / 60)} minutes)"
        fail(message, _exit_code(error))
    except KeyboardInterrupt:
        errors.print("stopped")
        sys.exit(130)
