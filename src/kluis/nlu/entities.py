"""All entities of one utterance: period, amount, merchant, category and account.

The extractors claim the words they use in a fixed order, so that one word is read once:
periods first ("3 maart" is a date, not an amount), then amounts, accounts, known merchants,
categories, and last merchants Kluis does not know, which may not be made of category or
account words ("aan boodschappen").
"""

from __future__ import annotations

from datetime import date

from kluis.nlu.accounts import find_account, find_accounts
from kluis.nlu.amounts import find_amount
from kluis.nlu.categories import category_spans, find_category
from kluis.nlu.merchants import find_merchant
from kluis.nlu.periods import find_period
from kluis.nlu.text import Span, normalize
from kluis.nlu.types import Entities, Language


def extract_entities(text: str, today: date, lang: Language) -> Entities:
    """The entities in `text`, periods resolved against `today`.

    Dutch and English forms are recognised whatever `lang` is (customers mix them); `lang`,
    the language of the reply, only settles words that differ between them ("gas").
    Never raises; looks at the first `text.MAX_CHARS` characters only.
    """
    normalized = normalize(text)
    spans: dict[str, str] = {}
    taken: list[Span] = []

    period = find_period(normalized, today)
    if period is not None:
        taken.append(period.span)
        spans["period"] = normalized.raw(period.span.start, period.span.end)

    amount = find_amount(normalized, taken)
    if amount is not None:
        taken.append(amount.span)
        spans["amount"] = normalized.raw(amount.span.start, amount.span.end)

    account = find_account(normalized, taken)
    if account is not None:
        taken.append(account.span)
        spans["account"] = normalized.raw(account.span.start, account.span.end)

    known = find_merchant(normalized, taken)
    if known is not None and not known.known:
        known = None
    # no category from inside a merchant's name ("new york pizza"), unless the whole name is
    # also a category word ("uber" is transport)
    category = find_category(normalized, lang, taken if known is None else [*taken, known.span])
    if category is None and known is not None:
        whole = find_category(normalized, lang, taken)
        if whole is not None and whole.span == known.span:
            category = whole
    if category is not None:
        spans["category"] = normalized.raw(category.span.start, category.span.end)

    merchant = known
    if merchant is None:
        # a name Kluis does not know is never made of account or category words alone
        accounts = [match.span for match in find_accounts(normalized, taken)]
        merchant = find_merchant(
            normalized, [*taken, *accounts], category_spans(normalized, [*taken, *accounts])
        )
    if merchant is not None:
        spans["merchant"] = normalized.raw(merchant.span.start, merchant.span.end)

    return Entities(
        period=None if period is None else period.period,
        amount=None if amount is None else amount.amount,
        merchant=None if merchant is None else merchant.merchant,
        category=None if category is None else category.category,
        account=None if account is None else account.account,
        spans=spans,
    )
