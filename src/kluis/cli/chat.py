"""`kluis chat`: talk to Kluis in the terminal, or script a conversation (contracts/chat.md)."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.panel import Panel
from rich.prompt import Prompt

from kluis.cli.common import EXIT_USAGE, console, fail, run
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.dialogue.engine import Dialogue
from kluis.dialogue.render import turn_to_json
from kluis.dialogue.types import Turn
from kluis.runtime import Runtime, open_runtime
from kluis.sandbox.clock import SandboxClock, start_clock_at
from kluis.sandbox.demo_profiles import DEMO_PROFILES
from kluis.store.consents import ConsentRepository

CHANNELS = ("web", "messenger", "whatsapp", "telegram", "alexa")
PRESENT_AT_TERMINAL = "127.0.0.1"


@asynccontextmanager
async def chat_runtime(settings: Settings, today: date | None) -> AsyncIterator[Runtime]:
    """The runtime for a chat session. A fixed `--today` on the sandbox gets a sandbox and a
    store of its own, whose clock starts that day, so that answers and truth agree."""
    if (
        today is None
        or settings.clock != "sandbox"
        or SandboxClock(settings.sandbox_dir).today() == today
    ):
        async with open_runtime(settings, today=(lambda: today) if today else None) as runtime:
            yield runtime
        return
    with tempfile.TemporaryDirectory(prefix="kluis-chat-") as folder:
        session_settings = settings.model_copy(
            update={"data_dir": Path(folder), "database_url": None, "seal_keys": []}
        )
        start_clock_at(session_settings.sandbox_dir, today)
        async with open_runtime(session_settings) as runtime:
            yield runtime


async def ensure_linked(runtime: Runtime, customer_id: str) -> None:
    """On the sandbox, a customer without a valid consent is linked with a full one."""
    async with runtime.database.session() as session:
        consent = await ConsentRepository(session, runtime.sealer).active_for_customer(customer_id)
    if consent is not None and consent.valid_until >= runtime.today():
        return
    profile = next((p for p in DEMO_PROFILES if p.customer_id == customer_id), None)
    if profile is None:
        known = ", ".join(p.customer_id for p in DEMO_PROFILES)
        fail(f"the sandbox has no customer {customer_id!r}; its customers are {known}", EXIT_USAGE)
    await link_sandbox_customer(
        runtime,
        profile.customer_id,
        profile.name,
        profile.language,
        channel="terminal",
        platform_user_id=profile.customer_id,
    )


def _print_turn(turn: Turn) -> None:
    for reply in turn.replies:
        body = reply.text
        if reply.chart is not None:
            body += "\n\n" + "\n".join(
                f"  {label:<22} {value:>10.2f}"
                for label, value in zip(reply.chart.labels, reply.chart.values, strict=True)
            )
        console.print(Panel(body, title="Kluis", title_align="left", border_style="green"))
        if reply.buttons:
            console.print(
                "  " + "   ".join(f"[bold]{i}[/] {b}" for i, b in enumerate(reply.buttons, 1))
            )


async def _interactive(dialogue: Dialogue, customer_id: str, channel: str) -> None:
    console.print(
        "[dim]Type your question; a number picks a quick reply; Ctrl-D or 'stop' ends.[/]"
    )
    buttons: tuple[str, ...] = ()
    while True:
        try:
            text = Prompt.ask("[bold cyan]jij/you[/]", console=console)
        except EOFError:
            return
        if text.strip().lower() in {"stop", "quit", "exit"}:
            return
        if text.strip().isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]
        with console.status("…", spinner="simpleDots"):
            turn = await dialogue.respond(
                customer_id, channel, text, psu_ip_address=PRESENT_AT_TERMINAL
            )
        _print_turn(turn)
        buttons = turn.replies[-1].buttons if turn.replies else ()


async def _scripted(dialogue: Dialogue, customer_id: str, channel: str, as_json: bool) -> None:
    stream = sys.stdin.buffer
    for raw in stream:
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        turn = await dialogue.respond(
            customer_id, channel, text, psu_ip_address=PRESENT_AT_TERMINAL
        )
        if as_json:
            sys.stdout.write(json.dumps(turn_to_json(turn), ensure_ascii=False) + "\n")
        else:
            for reply in turn.replies:
                sys.stdout.write(reply.text + "\n")
                if reply.buttons:
                    sys.stdout.write("  [" + "] [".join(reply.buttons) + "]\n")
        sys.stdout.flush()


def chat(
    customer: Annotated[str, typer.Option("--customer", "-c", help="The customer's id.")],
    channel: Annotated[
        str, typer.Option(help=f"Whose disclosure rules apply: {', '.join(CHANNELS)}.")
    ] = "web",
    lang: Annotated[
        str | None, typer.Option(help="Answer in nl or en whatever the customer writes.")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            help="The date Kluis believes it is, YYYY-MM-DD (default: the sandbox clock)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Scripted mode: one JSON object per message.")
    ] = False,
) -> None:
    """Chat with Kluis as a customer: interactive on a terminal, scripted from standard input."""
    if channel not in CHANNELS:
        fail(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}", EXIT_USAGE)
    if lang not in (None, "nl", "en"):
        fail("--lang must be nl or en", EXIT_USAGE)
    try:
        fixed_today = date.fromisoformat(today) if today else None
    except ValueError:
        fail("--today must be a date like 2026-03-18", EXIT_USAGE)
    forced: Literal["nl", "en"] | None = "nl" if lang == "nl" else "en" if lang == "en" else None
    settings = load_settings()

    async def main() -> None:
        async with chat_runtime(settings, fixed_today) as runtime:
            await ensure_linked(runtime, customer)
            dialogue = Dialogue(runtime, forced_lang=forced)
            if sys.stdin.isatty() and not as_json:
                await _interactive(dialogue, customer, channel)
            else:
                await _scripted(dialogue, customer, channel, as_json)

    run(main())
