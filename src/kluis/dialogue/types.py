"""What a conversation turn produces, whatever channel shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol

ChartKind = Literal["bar", "line"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A picture of figures: bars per category or a line per month.

    Channels render it as they can: inline SVG on the web, an image on messengers, a spoken
    summary on voice. `values` are amounts in `currency`, positive for spending.

    `reference` is an amount to compare the figures with, such as the usual month: a line
    chart draws it as a dashed level named `reference_label` ("normaal"), and the chart's
    description in words names it after the figures.
    """

    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    currency: str = "EUR"
    reference: Decimal | None = None
    reference_label: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "title": self.title,
            "labels": list(self.labels),
            "values": [f"{value:.2f}" for value in self.values],
            "currency": self.currency,
        }
        if self.reference is not None:
            data["reference"] = f"{self.reference:.2f}"
            data["reference_label"] = self.reference_label
        return data


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to the customer, with quick replies and an optional chart."""

    text: str
    buttons: tuple[str, ...] = ()
    chart: Chart | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """The answer to one customer message (contracts/chat.md)."""

    user: str
    intent: str
    replies: tuple[Reply, ...]
    handoff: bool = False
    lang: str = "nl"
    today: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Responder(Protocol):
    """Answers a customer's message on a channel; state is kept between calls."""

    async def respond(
        self,
        customer_id: str,
        channel: str,
        text: str,
        *,
        psu_ip_address: str | None = None,
        lang: Literal["nl", "en"] | None = None,
    ) -> Turn: ...
