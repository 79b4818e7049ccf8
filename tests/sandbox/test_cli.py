"""`kluis sandbox customers | truth | advance` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kluis.cli.main import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KLUIS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KLUIS_SANDBOX_SEED", raising=False)
    return CliRunner()


def test_customers_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "customers", "--json"])
    assert result.exit_code == 0, result.output
    customers = json.loads(result.stdout)
    assert {"id": "c-sanne", "name": "Sanne de Vries", "language": "nl"} in customers
    assert all(set(item) == {"id", "name", "language"} for item in customers)
    assert {item["language"] for item in customers} == {"nl", "en"}


def test_customers_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "customers"])
    assert result.exit_code == 0
    assert "Sanne de Vries" in result.stdout


def test_truth_json_and_advance(runner: CliRunner) -> None:
    before = runner.invoke(app, ["sandbox", "truth", "--customer", "c-sanne", "--json"])
    assert before.exit_code == 0, before.output
    truth = json.loads(before.stdout)
    assert truth["today"] == "2026-03-18"
    assert truth["customer"]["id"] == "c-sanne"
    moved = runner.invoke(app, ["sandbox", "advance", "--days", "3"])
    assert moved.exit_code == 0
    assert moved.stdout.strip() == "2026-03-21"
    after = json.loads(
        runner.invoke(app, ["sandbox", "truth", "--customer", "c-sanne", "--json"]).stdout
    )
    assert after["today"] == "2026-03-21"
    assert len(after["transactions"]) > len(truth["transactions"])


def test_truth_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "truth", "--customer", "c-emily"])
    assert result.exit_code == 0
    assert "Emily Carter" in result.stdout


def test_unknown_customer_is_a_one_line_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "truth", "--customer", "c-nobody", "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "c-nobody" in result.stderr


def test_advance_refuses_going_back(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "advance", "--days", "-1"])
    assert result.exit_code == 2


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in ("serve", "customers", "truth", "advance"):
        result = runner.invoke(app, ["sandbox", command, "--help"])
        assert result.exit_code == 0
        assert "--" in result.stdout
