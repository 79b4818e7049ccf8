"""Accounts: "mijn spaarrekening" -> savings, "current account" -> checking, "visa" -> credit_card.

An account the customer named himself is returned by that name, lowercased, as written:
"op mijn vakantie-rekening" -> "vakantie", "my holiday account" -> "holiday", "de vakantiepot"
-> "vakantiepot". Bills that Dutch also calls "rekening" ("telefoonrekening", "de rekening van
KPN") are not accounts. When a sentence names two accounts ("van mijn betaalrekening naar mijn
spaarrekening") the first is returned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kluis.nlu.text import Lexicon, LexiconEntry, Normalized, Span, entries, normalize, word_set

_TYPES: dict[str, str] = {
    "checking": "betaalrekening|betaalrekeningen|betaal rekening|betaalrek|lopende rekening|"
    "current account|current acct|checking account|checkings|chequing|"
    "chequing account|zichtrekening|"
    "zicht rekening|hoofdrekening|main account|priverekening|prive rekening|gewone rekening|"
    "girorekening|privé rekening|privérekening",
    "savings": "spaarrekening|spaarrekeningen|spaar rekening|spaarrek|spaargeld|sparen|"
    "savings|savings account|saving account|savings accounts|savings acct|spaarpot|spaarpotje|"
    "spaardeposito|deposito|spaartegoed|spaarsaldo|spaarders rekening",
    "credit_card": "creditcard|creditcards|credit card|credit cards|credit kaart|creditkaart|"
    "kredietkaart|kredietkaarten|visa|visa card|visakaart|mastercard|master card|cc|amex|"
    "american express|creditcardrekening|creditcard rekening|credit card account",
}
_WEAK: dict[str, str] = {"checking": "betaal|checking", "savings": "spaar"}
"""Words that are an account only after "mijn", "the", "in", ... or alone ("checking?")."""
_WEAK_CONTEXT = frozenset(
    {"mijn", "mn", "n", "de", "op", "van", "naar", "my", "the", "from", "to", "in", "uit", "onze"}
)
_NOT_NAMES = word_set(
    """bank betaal spaar zicht prive hoofd lopende gewone andere ander other nieuwe new oude old
    eerste first tweede second welke which deze this die that alle all beide both elke each every
    your je jouw telefoon energie gas water stroom ziekenhuis tandarts dokter huisarts creditcard
    credit kredietkaart savings saving checking current main online internet email e-mail user
    gebruikers zakelijke en of de het een the a an what wat which iban eigen own hele whole
    volledige full wrong verkeerde juiste right correct"""
)
_POSSESSIVE = r"(?:mijn|m'n|mn|my|onze|our)"
_NAMED = re.compile(
    rf"\b{_POSSESSIVE}\s+(?P<name>[^\W\d_][\w]*?)-?(?:rekening|account|acct|rek)\b"
    rf"|\b(?:{_POSSESSIVE}|de|het|the)\s+(?P<spaced>[^\W\d_][\w-]*)[\s-]+(?:rekening|account)\b"
    r"(?!\s*(?:number|nummer|nr|holder|houder|details|gegevens|settings|instellingen))"
)
_POT = re.compile(
    rf"(?:^|\b(?:{_POSSESSIVE}|de|the|op|in|naar|van|from|to|into|uit)\s+)"
    r"(?P<name>[^\W\d_]{2,}pot(?:je)?)\b"
    rf"|\b(?:{_POSSESSIVE}|de|the)\s+(?P<spaced>[^\W\d_]{{2,}}\s+pot(?:je)?)\b"
)
_NOT_POTS = frozenset(
    {"spaarpot", "spaarpotje", "jackpot", "teapot", "hotpot", "despot", "depot", "compot", "kapot"}
)


@dataclass(frozen=True, slots=True)
class AccountMatch:
    """An account found in a normalised text, with the span it was read from."""

    account: str
    span: Span


def _lexicon() -> Lexicon:
    items: list[LexiconEntry] = []
    for account, phrases in _TYPES.items():
        items.extend(entries(account, phrases))
    for account, phrases in _WEAK.items():
        items.extend(entries(account, phrases, weak=True))
    return Lexicon(items, fuzzy_min_length=9)


_LEXICON = _lexicon()


def _typed(text: Normalized, taken: Sequence[Span]) -> list[AccountMatch]:
    found: list[AccountMatch] = []
    for hit in _LEXICON.find(text, taken):
        alone = hit.first == 0 and hit.last == len(text.tokens)
        after_context = hit.first > 0 and text.tokens[hit.first - 1].text in _WEAK_CONTEXT
        if hit.weak and not (alone or after_context):
            continue
        found.append(AccountMatch(hit.value, hit.span))
    return found


def _named(text: Normalized, taken: Sequence[Span]) -> list[AccountMatch]:
    found: list[AccountMatch] = []
    for pattern in (_NAMED, _POT):
        for match in pattern.finditer(text.text):
            group = "name" if match.group("name") else "spaced"
            name = match.group(group)
            span = Span(match.start(group), match.end(group))
            if name in _NOT_NAMES or name in _NOT_POTS or len(name) < 2:
                continue
            if any(span.overlaps(other) for other in taken):
                continue
            found.append(AccountMatch(text.raw(span.start, span.end).lower(), span))
    return found


def find_accounts(text: Normalized, taken: Sequence[Span] = ()) -> list[AccountMatch]:
    """Every account named in `text`, from left to right, ignoring words inside `taken`."""
    return sorted([*_typed(text, taken), *_named(text, taken)], key=lambda match: match.span.start)


def find_account(text: Normalized, taken: Sequence[Span] = ()) -> AccountMatch | None:
    """The first account named in `text`, ignoring words inside `taken`."""
    found = find_accounts(text, taken)
    return found[0] if found else None


def extract_account(text: str) -> str | None:
    """The account a customer means in `text`: checking, savings, credit_card or its own name."""
    found = find_account(normalize(text))
    return None if found is None else found.account
