"""A customer's own category rules: "zet Vattenfall onder energie" as data, and applying it.

A `CategoryRule` says: payments whose counterparty name contains the words `payee` (whole
words, in order, normalised like statement text by `categories.normalise`), and, when
`about` is set, whose name or description also contains the words `about`, belong to
`category`. "Tikkie's van Sanne zijn huur" is the rule payee "tikkie", about "sanne",
category housing.

A plural in the customer's words still finds the payee ("Tikkies" finds "Tikkie"), because
customers speak of a payee's payments in the plural.

When several rules match one transaction the most specific wins: the one with the most
words (payee and about together); between equally specific rules the newest. A customer's
rule decides before anything the categoriser would read (`categorise_with`), so it applies
to past and future payments alike. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kluis.domain import Category, Transaction
from kluis.insights.categories import categorise, normalise

__all__ = ["CategoryRule", "categorise_with", "matching_rule", "words_in"]


def _plural_free(word: str) -> str:
    """A word without a plural or possessive "s": "tikkies" -> "tikkie"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def words_in(words: Sequence[str], text: Sequence[str]) -> bool:
    """Whether `words` occur in `text` as whole words, in order and next to each other.

    A word also matches its form with or without a final "s", so that "tikkies" finds
    "tikkie" and "albert heijn" finds "albert heijns"."""
    if not words:
        return True
    wanted = [_plural_free(word) for word in words]
    size = len(wanted)
    folded = [_plural_free(word) for word in text]
    return any(folded[start : start + size] == wanted for start in range(len(folded) - size + 1))


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Payments to `payee` (and about `about`, when set) belong to `category`.

    `payee` and `about` are normalised text (`CategoryRule.of` normalises them); `id` and
    `created_at` are set once the rule is stored."""

    payee: str
    category: Category
    about: str = ""
    id: int | None = None
    created_at: datetime | None = None

    @classmethod
    def of(cls, payee: str, category: Category, about: str = "") -> CategoryRule:
        """A rule from the customer's own words, normalised; a `ValueError` without a payee."""
        normalised = normalise(payee)
        if not normalised:
            raise ValueError("a category rule needs the payee's name")
        return cls(normalised, category, normalise(about))

    @property
    def specificity(self) -> int:
        """How many words the rule asks for: the more, the more specific."""
        return len(self.payee.split()) + len(self.about.split())

    def matches(self, transaction: Transaction) -> bool:
        return self.matches_words(*_words(transaction))

    def matches_words(self, name: Sequence[str], remittance: Sequence[str]) -> bool:
        if not words_in(self.payee.split(), name):
            return False
        about = self.about.split()
        return not about or words_in(about, name) or words_in(about, remittance)


def _words(transaction: Transaction) -> tuple[list[str], list[str]]:
    return (
        normalise(transaction.counterparty_name).split(),
        normalise(transaction.remittance).split(),
    )


def _rank(rule: CategoryRule) -> tuple[int, float, int]:
    created = rule.created_at.timestamp() if rule.created_at is not None else 0.0
    return rule.specificity, created, rule.id or 0


def matching_rule(rules: Iterable[CategoryRule], transaction: Transaction) -> CategoryRule | None:
    """The most specific of `rules` that matches `transaction` (the newest on a tie)."""
    name, remittance = _words(transaction)
    found = [rule for rule in rules if rule.matches_words(name, remittance)]
    return max(found, key=_rank) if found else None


def categorise_with(
    rules: Sequence[CategoryRule], transaction: Transaction, own_ibans: frozenset[str]
) -> Category:
    """The customer's rule for `transaction` when one matches, else `categorise`."""
    if rules:
        rule = matching_rule(rules, transaction)
        if rule is not None:
            return rule.category
    return categorise(transaction, own_ibans)
