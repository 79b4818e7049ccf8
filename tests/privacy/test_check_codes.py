"""Check codes on both databases: short, unambiguous, unique per customer, read back loosely."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kluis.errors import StorageError
from kluis.privacy import check_codes
from kluis.privacy.check_codes import issue_check_code, normalise, verify_check_code
from kluis.store.database import Database
from tests.customers import add_two_customers


async def test_a_code_looks_like_7q3f_m2_and_verifies_however_it_is_typed(
    database: Database,
) -> None:
    await add_two_customers(database)
    async with database.session() as session:
        code = await issue_check_code(session, "c-1", "telegram", "consent_expiry")
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", code)
    async with database.session() as session:
        for typed in (code, code.lower(), code.replace("-", ""), f" {code[:4]} {code[5:]} "):
            message = await verify_check_code(session, "c-1", typed)
            assert message is not None, typed
            assert (message.kind, message.channel) == ("consent_expiry", "telegram")
        assert await verify_check_code(session, "c-2", code) is None
        assert await verify_check_code(session, "c-1", "") is None
        assert await verify_check_code(session, "c-1", "0O1I-LL") is None
        assert await verify_check_code(session, "c-1", code + "7") is None


def _codes(*values: str) -> Iterator[str]:
    yield from values


async def test_codes_are_unique_per_customer(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_two_customers(database)
    drawn = _codes("AAAAAA", "AAAAAA", "AAAAAA", "BBBBBB")
    monkeypatch.setattr(check_codes, "_new_code", lambda: next(drawn))
    async with database.session() as session:
        first = await issue_check_code(session, "c-1", "web", "consent_expiry")
        other = await issue_check_code(session, "c-2", "web", "consent_expiry")
        second = await issue_check_code(session, "c-1", "web", "consent_expiry")
    assert (first, other, second) == ("AAAA-AA", "AAAA-AA", "BBBB-BB")
    monkeypatch.setattr(check_codes, "_new_code", lambda: "AAAAAA")
    async with database.session() as session:
        with pytest.raises(StorageError):
            await issue_check_code(session, "c-1", "web", "consent_expiry")


def test_normalise_keeps_letters_and_digits_only() -> None:
    assert normalise(" 7q3f–m2 ") == "7Q3FM2"
    assert normalise("7Q3F-M2") == "7Q3FM2"
