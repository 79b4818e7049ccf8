"""Payment service providers in the payee's place: which provider, and the payee behind it."""

from __future__ import annotations

import pytest

from kluis.insights import merchant_knowledge
from kluis.insights.categories import normalise
from kluis.insights.processors import Processed, fallback, find


def _find(name: str | None) -> Processed | None:
    return find(name, tuple(normalise(name).split()))


@pytest.mark.parametrize(
    ("name", "processor", "payee"),
    [
        ("SumUp *Taxi bordeaux m", "sumup", "Taxi bordeaux m"),
        ("SUMUP  * Bakker Jansen", "sumup", "Bakker Jansen"),
        ("Zettle_*Cafe Noord", "zettle", "Cafe Noord"),
        ("iZ *Cafe Noord", "iz", "Cafe Noord"),
        ("SQ *BLUE BOTTLE COFFEE", "sq", "BLUE BOTTLE COFFEE"),
        ("TST* Joes Pizza", "tst", "Joes Pizza"),
        ("PAYPAL *STEAM GAMES", "paypal", "STEAM GAMES"),
        ("CCV*Stadsapotheek Zwolle", "ccv", "Stadsapotheek Zwolle"),
        ("Pay.nl*Webwinkel Noord", "pay nl", "Webwinkel Noord"),
        ("SumUp *", "sumup", None),
    ],
)
def test_a_card_descriptor_names_the_provider_before_the_star(
    name: str, processor: str, payee: str | None
) -> None:
    assert _find(name) == Processed(processor, payee)


@pytest.mark.parametrize(
    ("name", "processor", "payee"),
    [
        ("Next to Pay via Mollie", "mollie", "next to pay"),
        ("Spotify by Adyen", "adyen", "spotify"),
        ("CCV TRAVERSE P1", "ccv", "traverse p1"),
        ("Stichting Mollie Payments inz. Webwinkel Noord", "mollie", "webwinkel noord"),
        ("Stichting Derdengelden Notariskantoor Jansen", "derdengelden", "notariskantoor jansen"),
    ],
)
def test_the_payee_beside_the_provider_in_the_name(name: str, processor: str, payee: str) -> None:
    assert _find(name) == Processed(processor, payee)


@pytest.mark.parametrize(
    ("name", "processor"),
    [
        ("PayPal Europe S.a.r.l. et Cie S.C.A", "paypal"),
        ("PAYPAL (EUROPE) S.A R.L. ET CIE, S.C.A.", "paypal"),
        ("Stichting Mollie Payments", "mollie"),
        ("Adyen N.V.", "adyen"),
        ("Stripe Technology Europe Ltd", "stripe"),
        ("Klarna Bank AB (publ)", "klarna"),
        ("Riverty Services B.V.", "riverty"),
        ("Zettle by PayPal", "zettle"),
        # A foundation holding third-party money names the provider it holds it for.
        ("Stichting Derdengelden Buckaroo", "buckaroo"),
    ],
)
def test_a_providers_own_name_carries_no_payee(name: str, processor: str) -> None:
    assert _find(name) == Processed(processor, None)


@pytest.mark.parametrize(
    "name",
    [None, "", "Albert Heijn 1403", "Uber *Trip help.uber.com", "SQUARE BAR", "J. Stripes"],
)
def test_no_provider_no_answer(name: str | None) -> None:
    # A short descriptor prefix counts only before a star, a provider only as a whole word.
    assert _find(name) is None


def test_what_a_payment_through_a_provider_is_when_the_payee_stays_unknown() -> None:
    paypal = Processed("paypal", None)
    klarna = Processed("klarna", None)

    assert fallback(paypal, incoming=False, refund=False) == "other"
    assert fallback(paypal, incoming=True, refund=False) == "transfers"
    assert fallback(paypal, incoming=True, refund=True) == "other"
    assert fallback(klarna, incoming=True, refund=True) == "shopping"
    assert fallback(Processed("tst", "Joes"), incoming=False, refund=False) == "eating_out"


def test_every_provider_has_a_fallback_and_only_known_ones_pay_in_differently() -> None:
    known = set(merchant_knowledge.PAYMENT_PROCESSORS) | set(merchant_knowledge.PROCESSOR_PREFIXES)

    assert set(merchant_knowledge.PROCESSORS_PAYING_IN) <= known
    assert set(merchant_knowledge.PAYMENT_PROCESSORS).isdisjoint(
        merchant_knowledge.PROCESSOR_PREFIXES
    )
