"""Payment service providers in the payee's place, and the payee behind them.

Card terminals and web shops are often paid through a provider, and the statement then
names the provider where the payee should stand: SumUp, Zettle, CCV and Square on card
lines; Mollie, Adyen, Buckaroo, Klarna and PayPal on iDEAL payments and direct debits. The
payee is mostly still there:

- after the provider's descriptor on a card line: "SumUp *Bakker Jansen", "Zettle_*Cafe
  Noord", "SQ *Blue Bottle Coffee", "PAYPAL *STEAM GAMES";
- beside the provider in the name: "Next to Pay via Mollie", "Spotify by Adyen",
  "CCV Traverse P1";
- in the description, when the name is only the provider's own ("Stichting Mollie
  Payments", "PayPal Europe S.a.r.l. et Cie S.C.A"): the categoriser looks there next.

`find(name, words)` names the provider and, where the name carries it, the payee. The
providers and what a payment through one is when the payee stays unknown are in
`merchant_knowledge` (`PAYMENT_PROCESSORS`, `PROCESSOR_PREFIXES`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from kluis.insights import merchant_knowledge as knowledge

if TYPE_CHECKING:
    from kluis.domain import Category


@dataclass(frozen=True, slots=True)
class Processed:
    """A payment through a provider.

    `processor` is the provider's key in `merchant_knowledge`; `payee` the payee's name as
    the counterparty's name gives it, None when the name is only the provider's own.
    """

    processor: str
    payee: str | None


# "SumUp *Bakker Jansen", "Zettle_*Cafe Noord", "TST* Joes Pizza", "Pay.nl*Webwinkel".
_DESCRIPTOR: Final = re.compile(
    r"^\s*(?P<prefix>[a-z][a-z0-9.]{1,15})\s*_?\s*\*\s*(?P<payee>.*)$", re.IGNORECASE
)
_NOT_ALPHANUMERIC: Final = re.compile(r"[^a-z0-9]")
# Any provider's name written as one word, for descriptors: "paynl", "sumup", "sq".
_BY_DESCRIPTOR: Final = {
    key.replace(" ", ""): key
    for key in (*knowledge.PAYMENT_PROCESSORS, *knowledge.PROCESSOR_PREFIXES)
}
_BY_WORDS: Final = {tuple(key.split()): key for key in knowledge.PAYMENT_PROCESSORS}
_LONGEST: Final = max(len(words) for words in _BY_WORDS)
# A third-party funds foundation holds money for someone else, often a provider named next
# to it ("Stichting Derdengelden Buckaroo"): that provider is the better answer.
_FOUNDATION: Final = "derdengelden"
_OWN_NAME_WORDS: Final = frozenset(knowledge.entries(knowledge.PROCESSOR_NAME_WORDS))
_JOINING_WORDS: Final = frozenset(knowledge.entries(knowledge.PROCESSOR_JOINING_WORDS))
_FALLBACK: Final[dict[str, Category]] = {
    **knowledge.PAYMENT_PROCESSORS,
    **knowledge.PROCESSOR_PREFIXES,
}


def find(name: str | None, words: Sequence[str]) -> Processed | None:
    """The provider a payment went through and its payee, from the counterparty's name.

    `name` is the name as the statement gives it, `words` the same name normalised
    (`categories.normalise`) and split. None when no provider is named.
    """
    if not name:
        return None
    descriptor = _DESCRIPTOR.match(name)
    if descriptor is not None:
        key = _BY_DESCRIPTOR.get(_NOT_ALPHANUMERIC.sub("", descriptor["prefix"].lower()))
        if key is not None:
            return Processed(key, descriptor["payee"].strip() or None)
    spans = _provider_spans(words)
    if not spans:
        return None
    keys = [key for key, _, _ in spans]
    key = next((key for key in keys if key != _FOUNDATION), keys[0])
    return Processed(key, _payee(words, spans))


def fallback(processed: Processed, *, incoming: bool, refund: bool) -> Category:
    """What a payment through the provider is when nothing tells who the payee is.

    `refund` says that the description calls money coming in a refund: that keeps the
    category of the payment it undoes, as far as the provider tells it.
    """
    if incoming and not refund:
        paying_in = knowledge.PROCESSORS_PAYING_IN.get(processed.processor)
        if paying_in is not None:
            return paying_in
    return _FALLBACK[processed.processor]


def _provider_spans(words: Sequence[str]) -> list[tuple[str, int, int]]:
    """Every provider named in `words`: its key, its first word and the word after it."""
    spans: list[tuple[str, int, int]] = []
    start = 0
    while start < len(words):
        for size in range(min(_LONGEST, len(words) - start), 0, -1):
            key = _BY_WORDS.get(tuple(words[start : start + size]))
            if key is not None:
                spans.append((key, start, start + size))
                start += size
                break
        else:
            start += 1
    return spans


def _payee(words: Sequence[str], spans: Sequence[tuple[str, int, int]]) -> str | None:
    """The words of `words` that are neither a provider's own name nor joining words."""
    own = [False] * len(words)
    for _, start, end in spans:
        own[start:end] = [True] * (end - start)
    # The provider's own name reaches over its legal form and words like "Payments".
    grown = True
    while grown:
        grown = False
        for index, word in enumerate(words):
            if own[index] or not (word in _OWN_NAME_WORDS or len(word) == 1):
                continue
            if _next_to(own, index):
                own[index] = grown = True
    payee = [
        word
        for index, word in enumerate(words)
        if not own[index] and not (word in _JOINING_WORDS and _next_to(own, index))
    ]
    return " ".join(payee) or None


def _next_to(own: Sequence[bool], index: int) -> bool:
    return (index > 0 and own[index - 1]) or (index + 1 < len(own) and own[index + 1])
