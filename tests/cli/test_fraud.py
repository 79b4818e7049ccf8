"""`kluis fraud replay` as an operator runs it: scores out, progress and errors on stderr."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kluis.cli.main import app

HEADER = "id,timestamp,customer,counterparty,amount,currency,label\n"
FRAUD_SIM = next(
    (
        folder
        for folder in (
            Path(__file__).resolve().parents[3] / "shared" / "data" / "fraud-sim",
            Path("/work/shared/data/fraud-sim"),
        )
        if folder.is_dir()
    ),
    None,
)

runner = CliRunner()


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def day_rows(day: int, count: int, prefix: str) -> list[str]:
    return [
        f"{prefix}{n},2018-04-{day:02d}T{n // 60 % 24:02d}:{n % 60:02d}:00,c{n % 7},t{n % 5},"
        f"{10 + n % 13}.50,EUR,{int(n % 50 == 0)}"
        for n in range(count)
    ]


def flat(text: str) -> str:
    """The text with rich's wrapping at the terminal's width undone."""
    return " ".join(text.split())


def scores(text: str) -> dict[str, float]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "score"]
    return {identifier: float(score) for identifier, score in rows[1:]}


def test_scores_every_transaction_to_stdout_in_timestamp_order(tmp_path: Path) -> None:
    second = write(tmp_path / "b.csv", day_rows(2, 120, "b"))
    first = tmp_path / "a.csv.gz"
    with gzip.open(first, "wt", encoding="utf-8") as handle:
        handle.write(HEADER + "".join(row + "\n" for row in day_rows(1, 120, "a")))
    result = runner.invoke(app, ["fraud", "replay", str(second), str(first), "-q"])
    assert result.exit_code == 0, result.output
    found = scores(result.stdout)
    assert list(found) == [f"a{n}" for n in range(120)] + [f"b{n}" for n in range(120)]
    assert all(0.0 <= score <= 1.0 for score in found.values())
    assert "scored 240 transactions" in flat(result.stderr)
    assert "tx/s" in flat(result.stderr)


def test_out_writes_a_file_and_a_folder_counts_as_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "days"
    folder.mkdir()
    write(folder / "2018-04-01.csv", day_rows(1, 50, "x"))
    write(folder / "2018-04-02.csv", day_rows(2, 50, "y"))
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["fraud", "replay", str(folder), "--out", str(out), "--label-delay-days", "0.5"]
    )
    assert result.exit_code == 0, result.output
    assert len(scores(out.read_text(encoding="utf-8"))) == 100
    assert "id,score" not in result.stdout
    assert "labels learnt from" in flat(result.stderr)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("bad,2018-04-01T25:00:00,c1,t1,1.00,EUR,0", "timestamp"),
        ("bad,2018-04-01T23:59:00,c1,t1,12.3.4,EUR,0", "amount"),
        ("bad,2018-04-01T23:59:00,c1,t1,1.00,EUR,maybe", "label"),
        ("bad,2018-04-01T23:59:00,c1,t1,1.00,EUR", "expected 7 fields"),
    ],
)
def test_a_malformed_row_stops_the_run_with_file_and_line(
    tmp_path: Path, row: str, reason: str
) -> None:
    path = write(tmp_path / "day.csv", [*day_rows(1, 30, "ok"), row])
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["fraud", "replay", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{path}:32: " in flat(result.stderr)
    assert reason in flat(result.stderr)
    assert not out.exists()


def test_a_wrong_header_stops_the_run(tmp_path: Path) -> None:
    path = tmp_path / "day.csv"
    path.write_text("id,when,who\n1,2,3\n", encoding="utf-8")
    result = runner.invoke(app, ["fraud", "replay", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1: expected the header" in flat(result.stderr)


def test_a_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fraud", "replay", str(tmp_path / "nowhere.csv")])
    assert result.exit_code == 2


def test_help_explains_the_command() -> None:
    result = runner.invoke(app, ["fraud", "replay", "--help"])
    assert result.exit_code == 0
    assert "--label-delay-days" in result.output
    assert "FILE:LINE" in result.output


@pytest.mark.skipif(FRAUD_SIM is None, reason="shared/data/fraud-sim is not beside the repo")
def test_three_real_days_of_fraud_sim(tmp_path: Path) -> None:
    assert FRAUD_SIM is not None
    days = [FRAUD_SIM / f"2018-04-0{day}.csv.gz" for day in (1, 2, 3)]
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["fraud", "replay", *map(str, days), "--out", str(out), "--label-delay-days", "1"]
    )
    assert result.exit_code == 0, result.output
    found = scores(out.read_text(encoding="utf-8"))
    ids = []
    for day in days:
        with gzip.open(day, "rt", encoding="utf-8") as handle:
            ids += [row["id"] for row in csv.DictReader(handle)]
    assert list(found) == ids
    assert all(0.0 <= score <= 1.0 for score in found.values())
    assert len(set(found.values())) > 100
