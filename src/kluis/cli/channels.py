"""`kluis channels`: which platforms are on, registering the Telegram webhook, the Alexa
skill's interaction model, and sending waiting messages now."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import func, select

from kluis.channels.hub import ADAPTERS, open_channels
from kluis.channels.platform_api import PlatformAPI, PlatformError
from kluis.cli.common import EXIT_USAGE, console, fail, run
from kluis.config import load_settings, secret
from kluis.runtime import open_runtime
from kluis.store.inbox import InboxRepository
from kluis.store.models import ChannelDeliveryRow

app = typer.Typer(
    help="Chat platforms: status, webhook registration, the Alexa model.", no_args_is_help=True
)


@app.command()
def status() -> None:
    """Which channels are on, their webhook addresses, and how sending went in the last day."""
    settings = load_settings()

    async def main() -> tuple[int, dict[tuple[str, str], int]]:
        async with open_runtime(settings) as runtime, runtime.database.session() as session:
            waiting = await InboxRepository(session).waiting()
            since = datetime.now(UTC) - timedelta(days=1)
            rows = await session.execute(
                select(ChannelDeliveryRow.channel, ChannelDeliveryRow.status, func.count())
                .where(ChannelDeliveryRow.created_at >= since)
                .group_by(ChannelDeliveryRow.channel, ChannelDeliveryRow.status)
            )
            return waiting, {(channel, state): count for channel, state, count in rows.all()}

    waiting, counts = run(main())
    public = settings.public_url.rstrip("/")
    table = Table(title="Channels")
    for column in ("channel", "on", "webhook", "sent (24 h)", "failed (24 h)", "pending"):
        table.add_column(column)
    for name in ADAPTERS:
        on = settings.channel_enabled(name)
        table.add_row(
            name,
            "yes" if on else "no",
            f"{public}/webhooks/{name}" if on else "-",
            str(
                counts.get((name, "sent"), 0)
                + counts.get((name, "delivered"), 0)
                + counts.get((name, "read"), 0)
            ),
            str(counts.get((name, "failed"), 0)),
            str(counts.get((name, "pending"), 0)),
        )
    console.print(table)
    console.print(f"Webhook events waiting for the worker: {waiting}", highlight=False)


@app.command(name="register-telegram")
def register_telegram() -> None:
    """Tell Telegram where Kluis's webhook is (setWebhook, with the secret token)."""
    settings = load_settings()
    if not settings.channel_enabled("telegram"):
        fail(
            "Telegram is off: set KLUIS_TELEGRAM_BOT_TOKEN and KLUIS_TELEGRAM_SECRET_TOKEN",
            EXIT_USAGE,
        )
    url = f"{settings.public_url.rstrip('/')}/webhooks/telegram"
    if not url.startswith("https://"):
        fail(
            "Telegram only calls https addresses: set KLUIS_PUBLIC_URL to the public https address",
            EXIT_USAGE,
        )

    async def main() -> None:
        async with open_runtime(settings) as runtime, open_channels(runtime) as hub:
            api = PlatformAPI(
                hub.http,
                attempts=settings.channel_send_attempts,
                backoff=settings.channel_backoff_seconds,
            )
            base = settings.telegram_api_base.rstrip("/")
            await api.post(
                f"{base}/bot{secret(settings.telegram_bot_token)}/setWebhook",
                json={
                    "url": url,
                    "secret_token": secret(settings.telegram_secret_token),
                    "allowed_updates": ["message", "callback_query", "my_chat_member"],
                    "drop_pending_updates": False,
                },
            )

    try:
        run(main())
    except PlatformError as failure:
        fail(f"Telegram refused the webhook ({failure.code})")
    console.print(f"Telegram now sends updates to {url}", highlight=False)


@app.command(name="alexa-model")
def alexa_model(
    locale: Annotated[str, typer.Option(help="nl-NL or en-GB.")] = "nl-NL",
) -> None:
    """Print the Alexa skill's interaction model (JSON) for the developer console."""
    from kluis.channels.alexa_model import interaction_model

    if locale not in {"nl-NL", "en-GB"}:
        fail("choose --locale nl-NL or en-GB", EXIT_USAGE)
    typer.echo(json.dumps(interaction_model(locale), ensure_ascii=False, indent=2))


@app.command()
def work() -> None:
    """Answer webhook events and send waiting messages, as a process of its own (run the
    web app with KLUIS_CHANNEL_WORKER=false). Stops on Ctrl-C."""
    import asyncio

    from kluis.channels.worker import ChannelWorker
    from kluis.dialogue.engine import Dialogue

    settings = load_settings()

    async def main() -> None:
        async with open_runtime(settings) as runtime, open_channels(runtime) as hub:
            # Events recorded by another process are noticed by looking, five times a second.
            worker = ChannelWorker(hub, Dialogue(runtime), idle=0.2)
            worker.start()
            console.print("Answering webhook events; Ctrl-C stops.", highlight=False)
            try:
                await asyncio.Event().wait()
            finally:
                await worker.stop()

    run(main())


@app.command()
def deliver() -> None:
    """Send the messages Kluis started (reminders) that are waiting, now."""
    from kluis.channels.worker import ChannelWorker
    from kluis.dialogue.engine import Dialogue

    settings = load_settings()

    async def main() -> int:
        async with open_runtime(settings) as runtime, open_channels(runtime) as hub:
            worker = ChannelWorker(hub, Dialogue(runtime))
            return await worker.deliver_due()

    sent = run(main())
    console.print(f"Handled {sent} waiting messages.", highlight=False)
