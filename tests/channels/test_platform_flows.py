"""Flows particular to one platform, through the real web app and the worker: Messenger's
handover to a person's inbox and back, the verification handshake, numbered options."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from kluis.consent.reminders import send_expiry_reminders
from kluis.privacy.preferences import update_preferences
from kluis.store.models import ConsentRow
from tests.channels.conformance import USER, World, driver_for, world
from tests.channels.drivers.messenger import envelope, event


def messages_to(place: World, user: str) -> list[str]:
    return [text for who, text in place.platform.sent() if who == user]


async def owner(place: World) -> str:
    [contact] = await place.rows("channel_contacts")
    return str(contact["owner"])


async def test_messenger_hands_the_conversation_to_a_person_and_takes_it_back(
    tmp_path: Path,
) -> None:
    driver = driver_for("messenger")
    async with world(driver, tmp_path) as place:
        await place.link()
        await place.say(USER, "ik wil een medewerker spreken", "m-1")
        passes = [r for r in place.platform.requests if r.path.endswith("/pass_thread_control")]
        assert len(passes) == 1
        assert passes[0].json["recipient"] == {"id": USER}
        assert str(passes[0].json["target_app_id"]) == place.settings.messenger_handover_app_id
        assert await owner(place) == "human"
        assert any("medewerker" in text for text in messages_to(place, USER))
        before = len(place.platform.requests)

        # While a person has the conversation, Kluis answers nothing.
        await place.say(USER, "wat is mijn saldo?", "m-2")
        assert len(place.platform.requests) == before

        # The person marks it done: the Page Inbox passes the thread back to Kluis.
        back = event(
            USER,
            pass_thread_control={
                "new_owner_app_id": "1234",
                "previous_owner_app_id": "263902037430900",
                "metadata": "done",
            },
        )
        body = envelope(back)
        assert (await place.post(body)).status_code == 200
        await place.worker.drain()
        assert await owner(place) == "bot"
        await place.say(USER, "wat is mijn saldo?", "m-3")
        assert len(place.platform.requests) > before


async def test_standby_events_are_never_answered(tmp_path: Path) -> None:
    driver = driver_for("messenger")
    async with world(driver, tmp_path) as place:
        await place.link()
        standby = [event(USER, message={"mid": "m-standby", "text": "wat is mijn saldo?"})]
        response = await place.post(envelope(standby=standby))
        await place.worker.drain()
        assert response.status_code == 200
        assert place.platform.sent() == []


@pytest.mark.parametrize("channel", ["messenger", "whatsapp"])
async def test_the_verification_handshake_echoes_the_challenge(
    channel: str, tmp_path: Path
) -> None:
    driver = driver_for(channel)
    async with world(driver, tmp_path) as place:
        token = driver.settings(place.platform.url)[f"{channel}_verify_token"]
        good = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token}
        answer = await place.client.get(f"/webhooks/{channel}", params=good)
        assert (answer.status_code, answer.text) == (200, "1158201444")
        wrong = {**good, "hub.verify_token": "not-the-token"}
        assert (await place.client.get(f"/webhooks/{channel}", params=wrong)).status_code == 403
        other = {**good, "hub.mode": "unsubscribe"}
        assert (await place.client.get(f"/webhooks/{channel}", params=other)).status_code == 403
        # Telegram has no handshake: its GET is not a webhook.
        assert (await place.client.get("/webhooks/telegram")).status_code == 404


async def test_a_bare_number_answers_the_options_last_offered(tmp_path: Path) -> None:
    driver = driver_for("telegram")
    async with world(driver, tmp_path) as place:
        await place.link()
        await place.say(USER, "wat is mijn saldo?", "t-1")
        [contact] = await place.rows("channel_contacts")
        offered = (
            json.loads(contact["offered"])
            if isinstance(contact["offered"], str)
            else contact["offered"]
        )
        assert offered
        await place.say(USER, "1", "t-2")
        [(_, question)] = [
            (row["direction"], row["text"])
            for row in await place.rows("conversation_messages")
            if row["direction"] == "in"
        ][-1:]
        assert question == offered[0]


async def test_a_consent_reminder_reaches_the_customer_on_telegram(tmp_path: Path) -> None:
    driver = driver_for("telegram")
    async with world(driver, tmp_path) as place:
        await place.link()
        runtime = place.runtime
        async with runtime.database.session() as session:
            await update_preferences(session, "c-sanne", preferred_channel="telegram")
            await session.execute(
                update(ConsentRow)
                .where(ConsentRow.customer_id == "c-sanne")
                .values(valid_until=runtime.today() + timedelta(days=5))
            )
        [reminder] = await send_expiry_reminders(runtime, days_before=14)
        assert reminder.channel == "telegram"
        await place.worker.drain()
        [(who, text)] = place.platform.sent()
        assert who == USER
        assert reminder.check_code in text
        sends = [r for r in place.platform.requests if r.path.endswith("/sendMessage")]
        assert sends[-1].json["protect_content"] is True
        [delivery] = await place.rows("channel_deliveries")
        assert (delivery["kind"], delivery["status"]) == ("consent_expiry", "sent")


async def test_alexas_certificate_chain_is_downloaded_once_for_a_burst(tmp_path: Path) -> None:
    driver = driver_for("alexa")
    async with world(driver, tmp_path) as place:

        async def ask(number: int) -> int:
            body = driver.text_event(f"amzn-user-{number}", "hoi", f"req-{number}")
            return (await place.post(body)).status_code

        statuses = await asyncio.gather(*(ask(number) for number in range(24)))
        assert set(statuses) == {200}
        downloads = [r for r in place.platform.requests if r.method == "GET"]
        assert len(downloads) == 1
