"""What each rule's alert says: one small composer per kind, holding the facts it needs and
writing them in the customer's language under the channel's disclosure policy.

Every composer obeys the policy in the same way:
- `lock_screen_safe`: no amount and no name at all (the `.private` sentence);
- `hide_counterparties`: the sentence without the counterparty's name (`.unnamed`);
- `round_amounts`: amounts said approximately (`ongeveer € 1.200`).
The buttons offered are chat input the understanding reads as the customer means them:
"Stop saldomeldingen" stops exactly this kind (`AlertKind.stop_button`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kluis.alerts import texts
from kluis.alerts.candidates import AlertMessage
from kluis.alerts.kinds import KINDS
from kluis.dialogue.formatting import Lang, day, money
from kluis.dialogue.texts import ACCOUNT_NAMES
from kluis.dialogue.texts import say as dialogue_say
from kluis.insights.recurring import Cadence
from kluis.money import Money
from kluis.privacy.policy import DisclosurePolicy

_DOUBLE_STOP = re.compile(r"\.\.(?=\s|$)")


def _say(key: str, lang: Lang, **values: object) -> str:
    """The sentence, without the second full stop a name ending in one leaves ("B.V..")."""
    return _DOUBLE_STOP.sub(".", texts.say(key, lang, **values))


def _amount(value: Money, lang: Lang, policy: DisclosurePolicy) -> str:
    return money(abs(value), lang, approximate=policy.round_amounts)


def _account(kind: str, lang: Lang) -> str:
    return ACCOUNT_NAMES[lang].get(kind, _say("account", lang))


def _form(base: str, policy: DisclosurePolicy, name: str | None) -> str:
    """Which sentence of `base` this policy allows: named, unnamed or private."""
    if policy.lock_screen_safe:
        return f"{base}.private"
    if policy.hide_counterparties or not name:
        return f"{base}.unnamed"
    return base


def _stop(kind: str, lang: Lang) -> str:
    return KINDS[kind].stop_button[lang]


@dataclass(frozen=True, slots=True)
class LowBalance:
    account_kind: str
    threshold: Money
    balance: Money

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        account = _account(self.account_kind, lang)
        buttons = (dialogue_say("button.balance", lang), _stop("low_balance", lang))
        if policy.lock_screen_safe:
            return AlertMessage(_say("low_balance.private", lang, account=account), buttons)
        text = _say(
            "low_balance",
            lang,
            account=account,
            threshold=_amount(self.threshold, lang, policy),
            balance=money(self.balance, lang, approximate=policy.round_amounts),
        )
        return AlertMessage(text, buttons)


@dataclass(frozen=True, slots=True)
class LargeTransaction:
    account_kind: str
    amount: Money
    name: str | None

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        key = _form("large_transaction", policy, self.name)
        text = _say(
            key,
            lang,
            account=_account(self.account_kind, lang),
            amount=_amount(self.amount, lang, policy),
            name=self.name,
        ) + _say("large_transaction.check", lang)
        buttons = (_say("button.not_me", lang), _stop("large_transaction", lang))
        return AlertMessage(text, buttons)


@dataclass(frozen=True, slots=True)
class Income:
    account_kind: str
    amount: Money
    name: str | None

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        text = _say(
            _form("income", policy, self.name),
            lang,
            account=_account(self.account_kind, lang),
            amount=_amount(self.amount, lang, policy),
            name=self.name,
        )
        return AlertMessage(text, (dialogue_say("button.income", lang), _stop("income", lang)))


@dataclass(frozen=True, slots=True)
class DuplicateCharge:
    amount: Money
    name: str | None
    first: date
    second: date
    today: date

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        text = _say(
            _form("duplicate_charge", policy, self.name),
            lang,
            amount=_amount(self.amount, lang, policy),
            name=self.name,
            first=day(self.first, lang, today=self.today),
            second=day(self.second, lang, today=self.today),
        )
        buttons = (dialogue_say("button.human", lang), _stop("duplicate_charge", lang))
        return AlertMessage(text, buttons)


@dataclass(frozen=True, slots=True)
class PriceIncrease:
    amount: Money
    usual: Money
    cadence: Cadence
    name: str | None

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        text = _say(
            _form("price_increase", policy, self.name),
            lang,
            amount=_amount(self.amount, lang, policy),
            usual=_amount(self.usual, lang, policy),
            cadence=_say(f"cadence.{self.cadence}", lang),
            name=self.name,
        )
        buttons = (dialogue_say("button.latest", lang), _stop("price_increase", lang))
        return AlertMessage(text, buttons)


@dataclass(frozen=True, slots=True)
class NewRecurring:
    account_kind: str
    amount: Money
    cadence: Cadence
    name: str | None
    last: date
    today: date

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        text = _say(
            _form("new_recurring", policy, self.name),
            lang,
            account=_account(self.account_kind, lang),
            amount=_amount(self.amount, lang, policy),
            cadence=_say(f"cadence.{self.cadence}", lang),
            name=self.name,
            day=day(self.last, lang, today=self.today),
        )
        buttons = (_say("button.not_me", lang), _stop("new_recurring", lang))
        return AlertMessage(text, buttons)


@dataclass(frozen=True, slots=True)
class UpcomingOverdraft:
    account_kind: str
    amount: Money
    total: Money  # this debit with the ones expected before it
    balance: Money
    name: str | None
    expected: date
    today: date

    def __call__(self, lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        key = _form("upcoming_overdraft", policy, self.name)
        text = _say(
            key,
            lang,
            account=_account(self.account_kind, lang),
            amount=_amount(self.amount, lang, policy),
            balance=money(self.balance, lang, approximate=policy.round_amounts),
            name=self.name,
            day=day(self.expected, lang, today=self.today),
        )
        if not policy.lock_screen_safe and self.total != self.amount:
            total = _amount(self.total, lang, policy)
            text += _say("upcoming_overdraft.together", lang, total=total)
        text += _say("upcoming_overdraft.advice", lang)
        buttons = (dialogue_say("button.balance", lang), _stop("upcoming_overdraft", lang))
        return AlertMessage(text, buttons)
