"""Entry point of the `kluis` command."""

from __future__ import annotations

import typer

from kluis import __version__
from kluis.cli import demo, link, sandbox, sync

app = typer.Typer(
    name="kluis",
    help="Kluis: your bank in the chat apps you already use, under your consent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox.app, name="sandbox")
app.command(name="sync")(sync.sync)
app.command(name="link")(link.link)
app.command(name="demo")(demo.demo)


@app.command()
def version() -> None:
    """Print the version of Kluis."""
    typer.echo(__version__)


def main() -> None:
    """Run the command line."""
    app()
