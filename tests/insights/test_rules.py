"""The customer's category rules: what a rule matches, which rule wins, and that a rule
decides before the categoriser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kluis.domain import BookingStatus, Transaction
from kluis.insights.categories import categorise
from kluis.insights.rules import CategoryRule, categorise_with, matching_rule, words_in
from kluis.money import Money

NO_IBANS: frozenset[str] = frozenset()


def _payment(
    name: str | None, remittance: str | None = None, amount: str = "-25.00"
) -> Transaction:
    return Transaction(
        resource_id="acc-1",
        transaction_id=f"t-{name}-{remittance}",
        status=BookingStatus.BOOKED,
        amount=Money.parse(amount, "EUR"),
        counterparty_name=name,
        remittance=remittance,
    )


def test_a_rule_is_normalised_like_statement_text() -> None:
    rule = CategoryRule.of("Tikkie's", "housing", about="Sanne  de Vriés")
    assert (rule.payee, rule.about, rule.category) == ("tikkies", "sanne de vries", "housing")
    with pytest.raises(ValueError, match="payee"):
        CategoryRule.of("  '' ", "housing")


def test_the_payee_is_found_as_whole_words_in_the_name_plural_or_not() -> None:
    vattenfall = CategoryRule.of("Vattenfall", "utilities")
    assert vattenfall.matches(_payment("Vattenfall Klantenservice N.V."))
    assert not vattenfall.matches(_payment("Vattenfallen B.V."))  # another word
    assert not vattenfall.matches(_payment(None, "Vattenfall"))  # a name, not a description
    assert CategoryRule.of("Tikkies", "housing").matches(_payment("Tikkie"))
    assert CategoryRule.of("albert heijn", "eating_out").matches(_payment("ALBERT HEIJN 1403"))
    assert not CategoryRule.of("albert heijn", "eating_out").matches(_payment("Heijn Albert"))
    assert words_in([], ["anything"])
    assert not words_in(["bus"], ["bu"])  # short words keep their s


def test_about_must_be_in_the_name_or_the_description() -> None:
    rule = CategoryRule.of("tikkie", "housing", about="Sanne")
    assert rule.matches(_payment("Tikkie", "Tikkie ID 123, huur, Van Sanne de Vries"))
    assert rule.matches(_payment("Tikkie Sanne"))
    assert not rule.matches(_payment("Tikkie", "Tikkie ID 124, pizza, Van Lotte Bakker"))
    assert not rule.matches(_payment("Sanne de Vries", "Tikkie"))  # the payee is not Tikkie


def test_the_most_specific_rule_wins_then_the_newest() -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)
    late = datetime(2026, 2, 1, tzinfo=UTC)
    tikkie = CategoryRule("tikkie", "eating_out", created_at=late, id=1)
    from_sanne = CategoryRule("tikkie", "housing", about="sanne", created_at=early, id=2)
    rules = [tikkie, from_sanne]
    assert matching_rule(rules, _payment("Tikkie", "Van Sanne de Vries")) == from_sanne
    assert matching_rule(rules, _payment("Tikkie", "Van Lotte Bakker")) == tikkie
    assert matching_rule(rules, _payment("Albert Heijn")) is None
    newer = CategoryRule("tikkie", "kids", created_at=datetime(2026, 3, 1, tzinfo=UTC), id=3)
    assert matching_rule([*rules, newer], _payment("Tikkie")) == newer
    assert matching_rule([newer, *rules], _payment("Tikkie")) == newer  # order does not matter


def test_a_rule_decides_before_the_categoriser_and_only_where_it_matches() -> None:
    energy = _payment("Vattenfall Klantenservice N.V.", "Termijnbedrag energie")
    groceries = _payment("ALBERT HEIJN 1403 UTRECHT")
    assert categorise(energy, NO_IBANS) == "utilities"
    rules = [CategoryRule.of("vattenfall", "housing")]
    assert categorise_with(rules, energy, NO_IBANS) == "housing"
    assert categorise_with(rules, groceries, NO_IBANS) == categorise(groceries, NO_IBANS)
    assert categorise_with([], energy, NO_IBANS) == "utilities"
    # A refund follows its payee's rule too: it keeps the category of what it refunds.
    refund = _payment("Vattenfall Klantenservice N.V.", "Terugbetaling", amount="40.00")
    assert categorise_with(rules, refund, NO_IBANS) == "housing"
