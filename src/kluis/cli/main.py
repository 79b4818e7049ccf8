"""Entry point of the `kluis` command."""

from __future__ import annotations

from typing import Annotated

import typer

from kluis import __version__
from kluis.cli import (
    categorise,
    channels,
    chat,
    consent,
    demo,
    fraud,
    link,
    nlu,
    privacy,
    sandbox,
    serve,
    sync,
)
from kluis.privacy.log_redaction import configure_logging

app = typer.Typer(
    name="kluis",
    help="Kluis: your bank in the chat apps you already use, under your consent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(nlu.app, name="nlu")
app.add_typer(privacy.app, name="privacy")
app.add_typer(consent.app, name="consent")
app.add_typer(channels.app, name="channels")
app.add_typer(fraud.app, name="fraud")
app.command(name="sync")(sync.sync)
app.command(name="link")(link.link)
app.command(name="demo")(demo.demo)
app.command(name="serve")(serve.serve)
app.command(name="chat")(chat.chat)
app.command(name="categorise")(categorise.categorise)


@app.callback()
def _options(
    log_level: Annotated[
        str,
        typer.Option(
            "--log-level",
            envvar="KLUIS_LOG_LEVEL",
            help="DEBUG, INFO, WARNING or ERROR. Logs never hold account numbers, amounts, "
            "names or tokens.",
        ),
    ] = "WARNING",
) -> None:
    level = log_level.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise typer.BadParameter("choose DEBUG, INFO, WARNING or ERROR", param_hint="--log-level")
    configure_logging(level)


@app.command()
def version() -> None:
    """Print the version of Kluis."""
    typer.echo(__version__)


def main() -> None:
    """Run the command line."""
    app()


if __name__ == "__main__":
    main()
