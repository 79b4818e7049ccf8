"""The strict reader: every row checked, errors say file and line, streams merged by time."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kluis.errors import MalformedTransaction
from kluis.fraud.records import (
    Transaction,
    parse_amount,
    parse_timestamp,
    read_transactions,
)

HEADER = "id,timestamp,customer,counterparty,amount,currency,label\n"


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_reads_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path / "day.csv",
        "tx1,2018-04-01T00:00:31,c1,t1,57.16,EUR,0",
        "tx2,2018-04-01T00:01:00,c2,t2,12,EUR,1",
        "tx3,2018-04-01T00:02:00,c2,t3,-3.50,EUR,",
    )
    found = list(read_transactions([path]))
    assert found == [
        Transaction("tx1", 1522540831.0, "c1", "t1", 57.16, "EUR", False),
        Transaction("tx2", 1522540860.0, "c2", "t2", 12.0, "EUR", True),
        Transaction("tx3", 1522540920.0, "c2", "t3", -3.5, "EUR", None),
    ]


def test_timestamps_in_any_iso_form_agree() -> None:
    assert parse_timestamp("2018-04-01T00:00:31") == 1522540831.0
    assert parse_timestamp("2018-04-01 00:00:31") == 1522540831.0
    assert parse_timestamp("2018-04-01T02:00:31+02:00") == 1522540831.0
    assert parse_timestamp("2018-04-01T00:00:31.500Z") == 1522540831.5


@pytest.mark.parametrize(
    "text", ["2018-04-31T00:00:00", "2018-04-01T24:00:00", "yesterday", "", "2018-04-01T1:2:3"]
)
def test_bad_timestamps_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_timestamp(text)


@pytest.mark.parametrize("text", ["nan", "inf", "1e5", "1,5", "", ".5", "5.", "1_000", "--1"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="decimal"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("tx2,2018-04-01 at noon,c1,t1,5.00,EUR,0", "timestamp is not ISO 8601"),
        ("tx2,2018-04-01T00:01:00,c1,t1,five,EUR,0", "amount is not a decimal"),
        ("tx2,2018-04-01T00:01:00,c1,t1,5.00,EUR,yes", "label must be 1"),
        ("tx2,2018-04-01T00:01:00,c1,t1,5.00,0", "expected 7 fields"),
        ("tx2,2018-04-01T00:01:00,,t1,5.00,EUR,0", "customer is empty"),
        ("tx2,2018-04-01T00:01:00,c1,t1,5.00,EURO,0", "currency"),
        ("tx1,2018-04-01T00:01:00,c1,t1,5.00,EUR,0", "repeats"),
        ("tx2,2018-03-31T23:59:59,c1,t1,5.00,EUR,0", "earlier than the row before"),
        ("", "expected 7 fields"),
    ],
)
def test_a_malformed_row_names_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    path = write(tmp_path / "day.csv", "tx1,2018-04-01T00:00:31,c1,t1,57.16,EUR,0", row)
    with pytest.raises(MalformedTransaction, match=reason) as caught:
        list(read_transactions([path]))
    assert str(caught.value).startswith(f"{path}:3: ")
    assert caught.value.line == 3
    assert "57.16" not in str(caught.value)


def test_a_wrong_header_is_line_one(tmp_path: Path) -> None:
    path = write(tmp_path / "day.csv", "tx1,2018-04-01T00:00:31,c1,5.00,EUR,0", header="id,ts\n")
    with pytest.raises(MalformedTransaction, match=r"day\.csv:1: expected the header"):
        list(read_transactions([path]))


def test_rows_before_the_bad_one_are_all_delivered(tmp_path: Path) -> None:
    path = write(
        tmp_path / "day.csv",
        "tx1,2018-04-01T00:00:31,c1,t1,57.16,EUR,0",
        "tx2,2018-04-01T00:00:32,c1,t1,bad,EUR,0",
    )
    seen: list[Transaction] = []
    with pytest.raises(MalformedTransaction):
        seen.extend(read_transactions([path]))
    assert [item.id for item in seen] == ["tx1"]


def test_files_merge_in_timestamp_order_whatever_their_order(tmp_path: Path) -> None:
    late = write(tmp_path / "a.csv", "b1,2018-04-02T00:00:00,c1,t1,1.00,EUR,0")
    early = tmp_path / "b.csv.gz"
    with gzip.open(early, "wt", encoding="utf-8") as handle:
        handle.write(HEADER + "a1,2018-04-01T00:00:00,c1,t1,1.00,EUR,0\n")
        handle.write("a2,2018-04-03T00:00:00,c1,t1,1.00,EUR,0\n")
    assert [item.id for item in read_transactions([late, early])] == ["a1", "b1", "a2"]


def test_a_folder_is_read_in_name_order_and_other_files_ignored(tmp_path: Path) -> None:
    write(tmp_path / "2.csv", "second,2018-04-01T00:00:00,c1,t1,1.00,EUR,0")
    write(tmp_path / "1.csv", "first,2018-04-01T00:00:00,c1,t1,1.00,EUR,0")
    (tmp_path / "notes.txt").write_text("not transactions")
    assert [item.id for item in read_transactions([tmp_path])] == ["first", "second"]


def test_a_broken_gzip_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "day.csv.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(MalformedTransaction, match=r"day\.csv\.gz:1: cannot be read"):
        list(read_transactions([path]))


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MalformedTransaction, match=r"no \.csv"):
        list(read_transactions([tmp_path]))
