"""One handler module per intent family; `HANDLERS` maps each base intent to its handler,
and a sub-intent with a handler of its own (`spending.recategorise`) to that one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from kluis.dialogue.context import Outcome, TurnContext
from kluis.dialogue.handlers import (
    alerts,
    balance,
    consent,
    conversation,
    corrections,
    money_flows,
    recurring,
    service,
    transactions,
)

Handler = Callable[[TurnContext], Awaitable[Outcome]]

HANDLERS: dict[str, Handler] = {
    "balance": balance.handle,
    "transactions": transactions.handle,
    "spending": money_flows.spending,
    corrections.INTENT: corrections.handle,
    "income": money_flows.income,
    "greeting": conversation.greeting,
    "thanks": conversation.thanks,
    "goodbye": conversation.goodbye,
    "help": conversation.help_,
    "affirm": conversation.affirm,
    "deny": conversation.deny,
    "out_of_scope": conversation.out_of_scope,
    "payment": service.payment,
    "support": service.support,
    "human": service.human,
    "card_freeze": service.card_freeze,
    "card_unfreeze": service.card_unfreeze,
    "report_fraud": service.report_fraud,
    "consent": consent.handle,
    "alerts": alerts.handle,
    "recurring": recurring.handle,
}
