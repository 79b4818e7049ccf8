"""The web chat shows alerts as they are given: the page asks for the ones after the last it
showed; only the signed-in customer's own, with buttons only while unanswered."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from kluis.alerts.candidates import AlertCandidate, AlertMessage
from kluis.alerts.delivery import give
from kluis.dialogue.formatting import Lang
from kluis.privacy.policy import DisclosurePolicy
from kluis.store.alerts import AlertRepository
from kluis.store.customers import CustomerRepository
from tests.web.support import runtime_of, sign_in


def fraud(customer_id: str, key: str) -> AlertCandidate:
    def compose(lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        return AlertMessage(f"Was this you? ({key})", ("Yes, that was me", "No"))

    return AlertCandidate(customer_id, "fraud", key, "fraud", compose, urgent=True)


async def test_the_chat_page_gets_new_alerts_and_only_its_own(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        await CustomerRepository(session).ensure("c-emily", "Emily Carter", "en")
        await CustomerRepository(session).ensure("c-oliver", "Oliver Hughes", "en")
    assert (await client.get("/chat/api/alerts")).status_code == 401
    await sign_in(client, "c-emily")
    empty = (await client.get("/chat/api/alerts")).json()
    assert empty == {"alerts": [], "latest": 0}

    first = await give(runtime, fraud("c-emily", "tx-1"))
    await give(runtime, fraud("c-oliver", "tx-2"))
    assert first is not None
    shown = (await client.get("/chat/api/alerts")).json()
    assert shown["alerts"] == [
        {"id": first.id, "text": "Was this you? (tx-1)", "buttons": ["Yes, that was me", "No"]}
    ]
    after = (await client.get(f"/chat/api/alerts?after={shown['latest']}")).json()
    assert after["alerts"] == []

    async with runtime.database.session() as session:
        await AlertRepository(session).answer(first.id, "genuine", datetime.now(UTC))
    again = (await client.get("/chat/api/alerts?after=0")).json()
    assert again["alerts"][0]["buttons"] == []  # answered: nothing left to press
