"""`kluis nlu parse` and `kluis nlu train` as the contract and an operator use them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kluis.cli.main import app
from kluis.cli.nlu import parse_stream
from kluis.nlu.classifier import LinearModel, load_packaged

runner = CliRunner()
TODAY = "2026-03-18"


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


def test_one_json_object_per_line_in_order() -> None:
    stdin = "wat is mijn saldo\nI lost my card\nhoeveel heb ik vorige maand uitgegeven?\n"
    result = runner.invoke(app, ["nlu", "parse", "--today", TODAY], input=stdin)
    assert result.exit_code == 0, result.output
    parsed = lines(result.stdout)
    assert [row["text"] for row in parsed] == stdin.splitlines()
    assert [row["intent"] for row in parsed] == ["balance", "card_freeze", "spending"]
    assert [row["lang"] for row in parsed] == ["nl", "en", "nl"]
    assert parsed[2]["entities"]["period"] == {"start": "2026-02-01", "end": "2026-02-28"}
    assert set(parsed[0]) == {"text", "lang", "intent", "confidence", "entities"}


def test_empty_lines_and_odd_bytes_never_stop_the_stream() -> None:
    stdin = b"\n\xff\xfe\xfd\n" + "😀 你好 \x00".encode() + b"\n" + b"x" * 10_000 + b"\nsaldo\r\n"
    result = runner.invoke(app, ["nlu", "parse", "--today", TODAY], input=stdin)
    assert result.exit_code == 0, result.output
    parsed = lines(result.stdout)
    assert len(parsed) == 5
    assert parsed[0] == {
        "text": "",
        "lang": "nl",
        "intent": "out_of_scope",
        "confidence": parsed[0]["confidence"],
        "entities": {},
    }
    assert parsed[0]["confidence"] < 0.5
    assert parsed[1]["text"] == "\ufffd\ufffd\ufffd"
    assert all(row["intent"] == "out_of_scope" for row in parsed[:4])
    assert all(row["confidence"] < 0.5 for row in parsed[:4])
    assert parsed[4]["text"] == "saldo"
    assert parsed[4]["intent"] == "balance"


def test_lang_forces_the_reply_language() -> None:
    result = runner.invoke(app, ["nlu", "parse", "--lang", "en"], input="wat is mijn saldo\n")
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[0]["lang"] == "en"


def test_bad_options_are_usage_errors() -> None:
    bad_lang = runner.invoke(app, ["nlu", "parse", "--lang", "de"], input="saldo\n")
    assert bad_lang.exit_code == 2
    assert "auto, nl or en" in bad_lang.output
    bad_date = runner.invoke(app, ["nlu", "parse", "--today", "18-03-2026"], input="saldo\n")
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.output


def test_parse_stream_writes_utf8_whatever_the_terminal() -> None:
    target = io.BytesIO()
    count = parse_stream(io.BytesIO("café €5\n".encode()), target, date(2026, 3, 18), "auto")
    assert count == 1
    assert json.loads(target.getvalue().decode("utf-8"))["text"] == "café €5"


def test_each_answer_is_flushed_before_the_next_line_is_read() -> None:
    command = [sys.executable, "-c", "from kluis.cli.main import main; main()", "nlu", "parse"]
    with subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(b"wat is mijn saldo\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())
        assert first["intent"] == "balance"
        process.stdin.write(b"doei\n")
        process.stdin.close()
        second = json.loads(process.stdout.readline())
        assert second["intent"] == "goodbye"
        assert process.wait(timeout=30) == 0


def test_train_writes_both_models_where_asked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["nlu", "train", "--output", str(tmp_path / "models")])
    assert result.exit_code == 0, result.output
    assert "trained on" in result.output
    for name in ("intents", "language"):
        written = LinearModel.load(tmp_path / "models" / f"{name}.npz")
        assert written.labels == load_packaged(name).labels


def test_both_commands_explain_themselves() -> None:
    for command in (["nlu"], ["nlu", "parse"], ["nlu", "train"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output
