"""`kluis link`: the operator's shortcut to link a platform user to a sandbox customer."""

from __future__ import annotations

from typing import Annotated

import typer

from kluis.cli.common import EXIT_USAGE, console, fail, run
from kluis.config import load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.domain import Consent
from kluis.runtime import open_runtime
from kluis.sandbox.demo_profiles import DEMO_PROFILES

CHANNELS = ("web", "messenger", "whatsapp", "telegram", "alexa", "dialogflow", "terminal")


def link(
    customer: Annotated[str, typer.Option("--customer", "-c", help="The customer's id.")],
    channel: Annotated[
        str, typer.Option("--channel", help=f"The channel: {', '.join(CHANNELS)}.")
    ] = "web",
    user: Annotated[
        str | None,
        typer.Option("--user", help="The user's id on that platform. Default: the customer id."),
    ] = None,
) -> None:
    """Link a platform user to a customer, with a full, valid consent at the sandbox bank."""
    if channel not in CHANNELS:
        fail(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}", EXIT_USAGE)
    profile = next((p for p in DEMO_PROFILES if p.customer_id == customer), None)
    if profile is None:
        known = ", ".join(p.customer_id for p in DEMO_PROFILES)
        fail(f"the sandbox has no customer {customer!r}; its customers are {known}", EXIT_USAGE)
    settings = load_settings()

    async def main() -> Consent:
        async with open_runtime(settings) as runtime:
            return await link_sandbox_customer(
                runtime,
                profile.customer_id,
                profile.name,
                profile.language,
                channel=channel,
                platform_user_id=user or customer,
            )

    consent = run(main())
    console.print(
        f"Linked {channel} user {user or customer} to {profile.name} ({customer}); "
        f"consent valid until {consent.valid_until.isoformat()}, "
        f"{consent.frequency_per_day} unattended reads a day."
    )
