"""Every channel, the same promises: genuine requests answered with the bank's real figures,
retried deliveries answered once, forged, malformed and oversized requests refused with
nothing recorded, a failing platform retried and every send recorded, nothing personal in
the logs. Each test runs the real web app against the platform's stand-in on loopback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kluis.channels.proactive import queue_message
from kluis.money import Money
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from tests.channels.conformance import CHANNELS, STRANGER, USER, World, driver_for, world
from tests.channels.drivers import Driver

MESSAGING = tuple(name for name in CHANNELS if name not in {"alexa", "dialogflow"})


@pytest.fixture(params=CHANNELS)
def driver(request: pytest.FixtureRequest) -> Driver:
    return driver_for(str(request.param))


@pytest.fixture(params=MESSAGING)
def messaging(request: pytest.FixtureRequest) -> Driver:
    return driver_for(str(request.param))


def checking_balance(place: World, customer_id: str = "c-sanne") -> Money:
    state = StateStore(place.settings.sandbox_dir).load()
    truth = build_truth(
        place.bank,
        customer_id,
        card_blocks=state.card_blocks,
        blocked_cards=state.blocked_card_ids(),
    )
    return next(account.balance for account in truth.accounts if account.kind == "checking")


async def answer_of(place: World, user: str, text: str, event_id: str) -> str:
    """What the customer heard or read back, whatever the channel."""
    before = len(place.platform.sent())
    response = await place.say(user, text, event_id)
    assert response.status_code == 200, response.text
    if place.driver.voice:
        return place.driver.spoken(response.json())
    return "\n".join(text for who, text in place.platform.sent()[before:] if who == user)


async def test_a_linked_customer_gets_the_banks_real_balance(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()
        answer = await answer_of(place, USER, "wat is mijn saldo?", "evt-balance-1")
        assert checking_balance(place).format("nl") in answer
        deliveries = await place.rows("channel_deliveries")
        assert deliveries
        assert {row["status"] for row in deliveries} == {"sent"}
        assert all(row["body_sealed"] is None for row in deliveries)


async def test_a_voice_customer_is_asked_for_the_voice_code_before_any_amount(
    driver: Driver, tmp_path: Path
) -> None:
    if not driver.voice:
        pytest.skip("voice channels only")
    async with world(driver, tmp_path) as place:
        await place.link()
        answer = await answer_of(place, USER, "wat is mijn saldo?", "evt-voice-1")
        assert answer
        assert checking_balance(place).format("nl") not in answer
        assert "€" not in answer


async def test_an_unknown_person_gets_a_way_to_link_and_no_bank_data(
    driver: Driver, tmp_path: Path
) -> None:
    async with world(driver, tmp_path) as place:
        await place.link()  # someone else is linked; the stranger must not see their data
        answer = await answer_of(place, STRANGER, "wat is mijn saldo?", "evt-stranger-1")
        assert answer
        assert checking_balance(place).format("nl") not in answer
        assert "€" not in answer
        if not driver.voice:
            assert await place.count("link_tokens") == 1


async def test_a_retried_delivery_is_answered_once(driver: Driver, tmp_path: Path) -> None:
    async with world(driver, tmp_path) as place:
        await place.link()
        body = driver.text_event(USER, "hoi", "evt-twice-1")
        first = await place.post(body)
        second = await place.post(body)
        await place.worker.drain()
        assert first.status_code == second.status_code == 200
        if driver.voice:
            assert first.json() == second.json()
        else:
            assert len([who for who, _ in place.platform.sent() if who == USER]) >= 1
            replies = await place.rows("channel_deliveries")
            assert len({row["inbox_id"] for row in replies}) == 1
        incoming = [
            row for row in await place.rows("conversation_messages") if row["direction"] == "in"
        ]
        assert len(incoming) == 1


async def test_forged_and_unsigned_requests_are_refused_and_leave_no_trace(
    driver: Driver, tmp_path: Path
) -> None:
    async with world(driver, tmp_path) as place:
        await place.link()
        body = driver.text_event(USER, "wat is mijn saldo?", "evt-forged-1")
        forged = await place.post(body, driver.forged(body))
        unsigned = await place.post(body, driver.missing(body))
        await place.worker.drain()
        assert forged.status_code in driver.rejected_status()
        assert unsigned.status_code in driver.rejected_status()
        assert await place.count("channel_inbox") == 0
        assert await place.count("conversation_messages") == 0
        assert place.platform.sent() == []


async def test_a_signature_over_other_bytes_is_refused(driver: Driver, tmp_path: Path) -> None:
    async with world(driver, tmp_path) as place:
        body = driver.text_event(USER, "wat is mijn saldo?", "evt-swap-1")
        other = driver.text_event(USER, "wat is mijn saldo!", "evt-swap-1")
        response = await place.post(other, driver.genuine(body))
        if driver.channel in {"telegram", "dialogflow"}:
            # These platforms authenticate the sender, not the body (a secret header).
            assert response.status_code == 200
        else:
            assert response.status_code in driver.rejected_status()


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"entry": 5}', b"\xff\xfe"])
async def test_malformed_bodies_are_refused_and_leave_no_trace(
    driver: Driver, tmp_path: Path, body: bytes
) -> None:
    async with world(driver, tmp_path) as place:
        response = await place.post(body)
        await place.worker.drain()
        assert response.status_code == 400
        assert await place.count("conversation_messages") == 0
        assert place.platform.sent() == []


async def test_an_oversized_body_is_refused_before_it_is_read(
    driver: Driver, tmp_path: Path
) -> None:
    async with world(driver, tmp_path, webhook_max_body_bytes=4096) as place:
        body = driver.text_event(USER, "x" * 5000, "evt-big-1")
        response = await place.post(body)
        assert response.status_code == 413
        assert await place.count("channel_inbox") == 0


async def test_the_webhook_answers_before_the_customer_is_answered(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()
        response = await place.post(messaging.text_event(USER, "wat is mijn saldo?", "evt-q-1"))
        assert response.status_code == 200
        assert place.platform.sent() == []
        assert await place.count("channel_inbox") == 1
        await place.worker.drain()
        assert place.platform.sent()


async def test_a_platform_that_fails_then_recovers_gets_the_answer(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()
        place.platform.fail_next(500, 429)
        answer = await answer_of(place, USER, "wat is mijn saldo?", "evt-retry-1")
        assert checking_balance(place).format("nl") in answer
        statuses = {row["status"] for row in await place.rows("channel_deliveries")}
        assert statuses == {"sent"}


async def test_a_platform_that_keeps_failing_is_recorded_as_failed(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()
        place.platform.fail_next(*([503] * 40))
        response = await place.say(USER, "wat is mijn saldo?", "evt-down-1")
        assert response.status_code == 200
        deliveries = await place.rows("channel_deliveries")
        assert deliveries
        assert {row["status"] for row in deliveries} == {"failed"}
        assert all(str(row["error"]).startswith("http_503") for row in deliveries)
        inbox = await place.rows("channel_inbox")
        assert [row["status"] for row in inbox] == ["done"]
        assert inbox[0]["body_sealed"] is None


async def test_a_channel_that_is_not_configured_answers_404(driver: Driver, tmp_path: Path) -> None:
    async with world(driver, tmp_path) as place:
        others = [name for name in CHANNELS if name != driver.channel]
        for name in others:
            response = await place.client.post(f"/webhooks/{name}", content=b"{}")
            assert response.status_code == 404


async def test_nothing_personal_reaches_the_logs(
    driver: Driver, tmp_path: Path, captured: io.StringIO
) -> None:
    async with world(driver, tmp_path) as place:
        await place.link()
        question = "wat heb ik uitgegeven aan boodschappen vorige maand?"
        await answer_of(place, USER, question, "evt-logs-1")
        await answer_of(place, STRANGER, "geheimpje zeventien", "evt-logs-2")
        place.platform.fail_next(*([500] * 20))
        await answer_of(place, USER, "wat is mijn saldo?", "evt-logs-3")
        balance = checking_balance(place)
    secrets = {USER, STRANGER, question, "geheimpje", "Sanne", balance.format("nl")}
    for value in driver.settings("http://127.0.0.1:1").values():
        text = getattr(value, "get_secret_value", lambda v=value: v)()
        if isinstance(text, str) and len(text) >= 8 and "://" not in text and "/" not in text:
            secrets.add(text)
    logged = captured.getvalue()
    assert logged  # the scan saw the logs
    for secret in secrets:
        assert secret not in logged, secret


NOTICE_SECRET = "Je toestemming loopt op 31 mrt af"


async def test_a_message_kluis_starts_goes_out_inside_the_window(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()
        await answer_of(place, USER, "hoi", "evt-window-1")  # the customer wrote just now
        queued = await queue_message(
            place.runtime, "c-sanne", messaging.channel, NOTICE_SECRET, kind="test", lang="nl"
        )
        assert queued == 1
        before = len(place.platform.sent())
        await place.worker.drain()
        sent = place.platform.sent()[before:]
        assert [who for who, _ in sent] == [USER]
        assert NOTICE_SECRET in sent[0][1]
        kinds = {row["kind"]: row for row in await place.rows("channel_deliveries")}
        assert kinds["test"]["status"] == "sent"
        assert kinds["test"]["body_sealed"] is None


async def test_outside_the_window_only_the_neutral_template_goes_out(
    messaging: Driver, tmp_path: Path
) -> None:
    async with world(messaging, tmp_path) as place:
        await place.link()  # linked, but the customer never wrote: the window is closed
        await queue_message(
            place.runtime, "c-sanne", messaging.channel, NOTICE_SECRET, kind="test", lang="nl"
        )
        await place.worker.drain()
        bodies = b"".join(request.body for request in place.platform.requests)
        sent = place.platform.sent()
        assert [who for who, _ in sent] == [USER]
        if messaging.channel == "telegram":  # no window on Telegram
            assert NOTICE_SECRET in sent[0][1]
        else:
            assert NOTICE_SECRET.encode() not in bodies
            assert b"kluis_notice" in bodies
            assert place.settings.bank_name.encode() in bodies


async def test_a_customer_who_blocked_kluis_is_not_pushed_to(tmp_path: Path) -> None:
    driver = driver_for("telegram")
    async with world(driver, tmp_path) as place:
        await place.link()
        blocked = {
            "update_id": 99,
            "my_chat_member": {
                "chat": {"id": int(USER), "type": "private", "first_name": "S"},
                "from": {"id": int(USER), "is_bot": False, "first_name": "S"},
                "date": 1773835200,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 1, "is_bot": True, "first_name": "K"},
                },
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {"id": 1, "is_bot": True, "first_name": "K"},
                },
            },
        }
        body = json.dumps(blocked).encode()
        assert (await place.post(body)).status_code == 200
        await place.worker.drain()
        await queue_message(
            place.runtime, "c-sanne", "telegram", NOTICE_SECRET, kind="test", lang="nl"
        )
        await place.worker.drain()
        assert place.platform.sent() == []
        [delivery] = await place.rows("channel_deliveries")
        assert (delivery["status"], delivery["error"]) == ("failed", "unreachable")
