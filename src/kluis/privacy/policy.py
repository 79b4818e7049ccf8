"""Channel trust levels and the disclosure policy the gate applies to every answer.

- The bank's own web chat and the terminal show everything.
- Messengers (Messenger, WhatsApp, Telegram) show account numbers masked to the last four
  digits, and leave out counterparty names when the customer asked for that.
- Voice (Alexa, Dialogflow) says no account numbers, says amounts only after the voice PIN
  was given in the conversation, and in discreet mode rounds amounts and leaves out names.
- A channel Kluis does not know gets the messenger rules with names left out.
- Alert previews, which a lock screen shows to anyone nearby, carry no amounts, no names
  and no account numbers at all.

The gate (`kluis.consent.gate`) picks the policy for each request and builds the views it
hands out with it; nothing else decides what a channel may show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from kluis.domain import Account, Transaction
from kluis.money import Money
from kluis.privacy.masking import group_iban, mask_number
from kluis.privacy.preferences import Preferences

FULL_TRUST = frozenset({"web", "terminal"})
MESSENGERS = frozenset({"messenger", "whatsapp", "telegram"})
VOICE = frozenset({"alexa", "dialogflow"})

Purpose = Literal["answer", "alert_preview"]
AlertTopic = Literal["payment", "fraud", "balance", "income", "consent", "message"]

_ROUNDING_LIMIT = Decimal(1000)
_SMALL = Decimal(100)


@dataclass(frozen=True, slots=True)
class DisclosurePolicy:
    """What one answer on one channel may show.

    `name` goes into the audit record. Account numbers are shown in full, masked to their
    last four characters, or (neither) not at all."""

    name: str
    show_full_numbers: bool
    mask_numbers: bool
    hide_counterparties: bool
    needs_voice_pin: bool
    round_amounts: bool
    lock_screen_safe: bool = False

    @property
    def shows_amounts(self) -> bool:
        return not self.lock_screen_safe

    def account_number(self, account: Account) -> str:
        """The account's IBAN or card number as this policy shows it ('' when it may not)."""
        number = account.iban or account.masked_pan or ""
        if not number or self.lock_screen_safe:
            return ""
        if self.show_full_numbers:
            return group_iban(number) if account.iban else number
        if self.mask_numbers:
            return mask_number(number)
        return ""

    def amount(self, money: Money) -> Money:
        """The amount, rounded when the policy is discreet (see `round_amount`)."""
        return round_amount(money) if self.round_amounts else money

    def transaction(self, transaction: Transaction) -> Transaction:
        """A copy of the transaction with what this policy hides taken out.

        Hidden names take every field that may carry one (the counterparty, its IBAN, the
        remittance text); masked numbers keep only the last four characters of the
        counterparty's IBAN and the card number."""
        changes: dict[str, object] = {}
        if self.hide_counterparties or self.lock_screen_safe:
            changes.update(
                counterparty_name=None, counterparty_iban=None, remittance=None, creditor_id=None
            )
        elif not self.show_full_numbers and transaction.counterparty_iban:
            changes["counterparty_iban"] = mask_number(transaction.counterparty_iban)
        if not self.show_full_numbers and transaction.masked_pan:
            changes["masked_pan"] = mask_number(transaction.masked_pan)
        if self.round_amounts:
            changes["amount"] = round_amount(transaction.amount)
        return replace(transaction, **changes) if changes else transaction  # type: ignore[arg-type]


FULL = DisclosurePolicy(
    "full",
    show_full_numbers=True,
    mask_numbers=False,
    hide_counterparties=False,
    needs_voice_pin=False,
    round_amounts=False,
)
ALERT_PREVIEW = DisclosurePolicy(
    "alert_preview",
    show_full_numbers=False,
    mask_numbers=False,
    hide_counterparties=True,
    needs_voice_pin=False,
    round_amounts=False,
    lock_screen_safe=True,
)


def policy_for(
    channel: str, preferences: Preferences, *, purpose: Purpose = "answer"
) -> DisclosurePolicy:
    """The disclosure policy for an answer (or an alert preview) on `channel`."""
    if purpose == "alert_preview":
        return ALERT_PREVIEW
    if channel in FULL_TRUST:
        return FULL
    if channel in VOICE:
        discreet = preferences.discreet_voice
        return DisclosurePolicy(
            "voice_discreet" if discreet else "voice",
            show_full_numbers=False,
            mask_numbers=False,
            hide_counterparties=discreet or preferences.hide_counterparties,
            needs_voice_pin=True,
            round_amounts=discreet,
        )
    known = channel in MESSENGERS
    return DisclosurePolicy(
        "messenger" if known else "restricted",
        show_full_numbers=False,
        mask_numbers=True,
        hide_counterparties=preferences.hide_counterparties or not known,
        needs_voice_pin=False,
        round_amounts=False,
    )


def round_amount(money: Money) -> Money:
    """To whole euros below 100, the nearest 10 below 1,000 and the nearest 100 from there
    (half away from zero), keeping the sign: 4.35 -> 4, 123.45 -> 120, 1,234.56 -> 1,200.
    Small amounts stay recognisable; rounding twice changes nothing."""
    magnitude = abs(money.amount)
    near_ten = (magnitude / 10).quantize(Decimal(1), ROUND_HALF_UP) * 10
    near_one = magnitude.quantize(Decimal(1), ROUND_HALF_UP)
    if near_one < _SMALL:
        step = Decimal(1)
    elif near_ten < _ROUNDING_LIMIT:
        step = Decimal(10)
    else:
        step = Decimal(100)
    rounded = (magnitude / step).quantize(Decimal(1), ROUND_HALF_UP) * step
    return Money(rounded.copy_sign(money.amount) if rounded else Decimal(0), money.currency)


_PREVIEWS: dict[AlertTopic, dict[str, str]] = {
    "payment": {
        "nl": "Er is een betaling die je aandacht vraagt. Open de chat om hem te bekijken.",
        "en": "A payment needs your attention. Open the chat to see it.",
    },
    "fraud": {
        "nl": "Controleer een mogelijk verdachte betaling. Open de chat om te antwoorden.",
        "en": "Please check a possibly suspicious payment. Open the chat to answer.",
    },
    "balance": {
        "nl": "Er is nieuws over je saldo. Open de chat om het te bekijken.",
        "en": "There is news about your balance. Open the chat to see it.",
    },
    "income": {
        "nl": "Er is geld binnengekomen. Open de chat om het te bekijken.",
        "en": "Money has come in. Open the chat to see it.",
    },
    "consent": {
        "nl": "Je toestemming om je rekeningen te lezen loopt bijna af. Open de chat.",
        "en": "Your consent to read your accounts ends soon. Open the chat.",
    },
    "message": {
        "nl": "Je hebt een nieuw bericht van je bank. Open de chat om het te lezen.",
        "en": "You have a new message from your bank. Open the chat to read it.",
    },
}


def lock_screen_preview(topic: AlertTopic, lang: str) -> str:
    """What a notification may say where anyone can see it: the kind of news, never an
    amount, a name or an account number. The full alert waits inside the chat."""
    texts = _PREVIEWS.get(topic, _PREVIEWS["message"])
    return texts["en" if lang == "en" else "nl"]
