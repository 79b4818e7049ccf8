"""`kluis chat` as tests and evaluations use it: scripted, JSON lines, on the embedded sandbox."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    port = _free_port()
    return {
        **os.environ,
        "KLUIS_DATA_DIR": str(tmp_path / "data"),
        "KLUIS_SANDBOX_PORT": str(port),
        "KLUIS_BANK_URL": f"http://127.0.0.1:{port}",
    }


def _kluis(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "kluis", *args],
        input=stdin.encode(),
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout.decode()


def test_scripted_json_chat_answers_each_line_from_the_banks_data(env: dict[str, str]) -> None:
    script = "wat is mijn saldo?\n\nhow much is in my savings\nmaak 20 euro over naar Piet\n"
    lines = _kluis(["chat", "--customer", "c-sanne", "--json"], env, script).splitlines()
    assert len(lines) == 4
    turns = [json.loads(line) for line in lines]
    for turn, user in zip(turns, script.splitlines(), strict=True):
        assert set(turn) == {"user", "intent", "replies", "handoff"}
        assert turn["user"] == user
        assert turn["replies"]
        for reply in turn["replies"]:
            assert set(reply) == {"text", "buttons", "image"}
    truth = json.loads(_kluis(["sandbox", "truth", "--customer", "c-sanne", "--json"], env))
    checking = next(a for a in truth["accounts"] if a["type"] == "checking")
    savings = next(a for a in truth["accounts"] if a["type"] == "savings")
    assert turns[0]["intent"] == "balance"
    euros, cents = checking["balance"]["amount"].split(".")
    assert f"€ {int(euros):,}".replace(",", ".") + f",{cents}" in turns[0]["replies"][0]["text"]
    assert turns[1]["intent"] == "out_of_scope"
    assert turns[2]["intent"] == "balance"
    euros, cents = savings["balance"]["amount"].split(".")
    assert f"€{int(euros):,}.{cents}" in turns[2]["replies"][0]["text"]
    assert turns[3]["intent"] == "payment"


def test_lang_forces_the_reply_language(env: dict[str, str]) -> None:
    out = _kluis(["chat", "--customer", "c-sanne", "--json", "--lang", "en"], env, "saldo?\n")
    assert "account" in json.loads(out)["replies"][0]["text"]


def test_unknown_customer_is_a_clear_error(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kluis", "chat", "--customer", "c-nobody", "--json"],
        input=b"hoi\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert b"c-sanne" in done.stderr
