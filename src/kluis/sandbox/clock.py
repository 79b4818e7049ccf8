"""The sandbox clock: the one date the whole sandbox bank agrees is today.

The date lives in `clock.json` in the sandbox directory, so that `kluis sandbox advance` run
in one process is seen by a server running in another. Readers cache the date by the file's
modification time, which makes reading it on every request cheap.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from kluis.errors import SandboxError
from kluis.sandbox.generator import SANDBOX_EPOCH

CLOCK_FILE = "clock.json"
MAX_ADVANCE_DAYS = 3660


def write_json_atomically(path: Path, payload: object) -> None:
    """Write `payload` as JSON to `path` so that readers see the old or the new file, never half.

    The text goes to a temporary file in the same directory, which then replaces the target.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, indent=2, sort_keys=True)
            stream.write("\n")
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise SandboxError(f"cannot write {path.name} in the sandbox directory") from exc


class SandboxClock:
    """Today's date in the sandbox, persisted in `directory / "clock.json"`.

    A missing file means the clock was never moved: today is `default` (`SANDBOX_EPOCH`).
    The clock only moves forward.
    """

    def __init__(self, directory: Path, *, default: date = SANDBOX_EPOCH) -> None:
        self._path = directory / CLOCK_FILE
        self._default = default
        self._cached: tuple[tuple[int, int, int], date] | None = None

    @property
    def path(self) -> Path:
        """Where the clock is kept."""
        return self._path

    def today(self) -> date:
        """The sandbox's date now, re-read when the file changed since the last call."""
        try:
            status = self._path.stat()
        except FileNotFoundError:
            self._cached = None
            return self._default
        except OSError as exc:
            raise SandboxError("cannot read the sandbox clock") from exc
        # Every write replaces the file, so the inode changes even when two writes share
        # a coarse modification time.
        stamp = (status.st_mtime_ns, status.st_ino, status.st_size)
        if self._cached is not None and self._cached[0] == stamp:
            return self._cached[1]
        day = self._read()
        self._cached = (stamp, day)
        return day

    def advance(self, days: int) -> date:
        """Move the clock `days` forward (0 leaves it) and return the new date."""
        if days < 0:
            raise SandboxError("the sandbox clock only moves forward")
        if days > MAX_ADVANCE_DAYS:
            raise SandboxError(f"advance at most {MAX_ADVANCE_DAYS} days at a time")
        new_today = self.today() + timedelta(days=days)
        write_json_atomically(self._path, {"today": new_today.isoformat()})
        self._cached = None
        return new_today

    def _read(self) -> date:
        try:
            payload = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self._default
        except (OSError, ValueError) as exc:
            raise SandboxError("the sandbox clock file is unreadable") from exc
        text = payload.get("today") if isinstance(payload, dict) else None
        if not isinstance(text, str):
            raise SandboxError("the sandbox clock file has no date")
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise SandboxError("the sandbox clock file has no valid date") from exc


def start_clock_at(directory: Path, day: date) -> SandboxClock:
    """A clock for a new sandbox directory, starting on `day` (any date, past or future).

    Used for sessions that fix their own date (`kluis chat --today`) in a fresh directory; an
    existing clock is never moved backwards by it.
    """
    clock = SandboxClock(directory)
    if clock.path.exists():
        raise SandboxError("this sandbox directory already has a clock")
    write_json_atomically(clock.path, {"today": day.isoformat()})
    return clock
