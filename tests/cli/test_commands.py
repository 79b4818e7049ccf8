"""The `kluis` command as an operator uses it, on the embedded defaults."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kluis.cli.main import app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A fresh data directory, a sandbox port nothing listens on (so: embedded), and a free
    port for the web chat."""
    port = _free_port()
    return {
        "KLUIS_DATA_DIR": str(tmp_path / "data"),
        "KLUIS_SANDBOX_PORT": str(port),
        "KLUIS_BANK_URL": f"http://127.0.0.1:{port}",
        "KLUIS_PUBLIC_URL": f"http://127.0.0.1:{_free_port()}",
        "COLUMNS": "200",
    }


runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["sync"],
        ["link"],
        ["demo"],
        ["serve"],
        ["sandbox"],
        ["sandbox", "serve"],
        ["sandbox", "truth"],
    ],
)
def test_every_command_explains_itself(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_link_then_sync_reads_the_bank_and_a_second_sync_adds_nothing(
    env: dict[str, str],
) -> None:
    linked = runner.invoke(
        app, ["link", "--customer", "c-emily", "--channel", "telegram", "--user", "42"], env=env
    )
    assert linked.exit_code == 0, linked.output
    assert "Emily Carter" in linked.output
    first = runner.invoke(app, ["sync", "--quiet"], env=env)
    assert first.exit_code == 0, first.output
    match = re.search(r"c-emily: 3 accounts, (\d+) transactions read, (\d+) new", first.output)
    assert match is not None, first.output
    assert int(match.group(1)) == int(match.group(2)) > 500
    second = runner.invoke(app, ["sync", "--quiet", "--customer", "c-emily"], env=env)
    assert second.exit_code == 0, second.output
    assert ", 0 new, 0 changed, 0 removed" in second.output


def test_sync_without_consent_says_so_and_exits_with_the_consent_code(
    env: dict[str, str],
) -> None:
    result = runner.invoke(app, ["sync", "--customer", "c-daan"], env=env)
    assert result.exit_code == 4
    assert "no valid consent" in result.output


def test_link_refuses_an_unknown_customer_and_channel(env: dict[str, str]) -> None:
    unknown = runner.invoke(app, ["link", "--customer", "c-nobody"], env=env)
    assert unknown.exit_code == 2
    assert "c-sanne" in unknown.output
    channel = runner.invoke(app, ["link", "--customer", "c-sanne", "--channel", "fax"], env=env)
    assert channel.exit_code == 2


def test_the_fifth_unattended_sync_of_the_day_is_refused_politely(env: dict[str, str]) -> None:
    assert runner.invoke(app, ["link", "--customer", "c-daan"], env=env).exit_code == 0
    for _ in range(4):
        assert runner.invoke(app, ["sync", "-q"], env=env).exit_code == 0
    refused = runner.invoke(app, ["sync", "-q"], env=env)
    assert refused.exit_code == 3
    assert "used up" in refused.output
    attended = runner.invoke(app, ["sync", "-q", "--attended", "192.0.2.1"], env=env)
    assert attended.exit_code == 0, attended.output


def test_demo_once_serves_the_bank_links_everyone_and_shows_balances(
    env: dict[str, str],
) -> None:
    result = runner.invoke(app, ["demo", "--once"], env=env)
    assert result.exit_code == 0, result.output
    for name in ("Sanne de Vries", "Daan Jansen", "Emily Carter", "Oliver Hughes"):
        assert name in result.output
    assert "€" in result.output
    assert f"http://127.0.0.1:{env['KLUIS_SANDBOX_PORT']}" in result.output
    assert f"Open {env['KLUIS_PUBLIC_URL']}/chat" in result.output
    # The fraud engine starts from the sandbox bank's records, then only when linking afresh.
    assert "Fraud engine started from" in result.output
    again = runner.invoke(app, ["demo", "--once"], env=env)
    assert again.exit_code == 0, again.output
    assert "Fraud engine started from" not in again.output
