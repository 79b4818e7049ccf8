"""What an ISO 20022 purpose code says a payment was for, as one of our categories.

A Berlin Group transaction may carry `purposeCode`, an ISO 20022 ExternalPurpose1Code: four
capitals the payer gave the payment at its bank (for a direct debit, the creditor when it
collected), passed on unchanged to the payee's bank. It is what the payer said, so it decides
where the code names one thing ("SALA" salary, "RENT", "ELEC" electricity, "HLTI" health
insurance), and says nothing where it names a way of paying or a party rather than a purpose:
"IVPT" an invoice, "SUPP" a supplier, "GDDS" goods, "OTHR", "CASH" (a cash-management transfer,
no cash at all), "LOAR" (a loan, but for a house, a study or a car?), "GOVT" (from the
government: a benefit or a tax refund?), "REFU" (a refund of what?), "INSC" (an insurance claim
pays for whatever was insured), "NWCH" (network charges: of a power grid or of a telephone
network?).

Some codes mean the same whichever way the money goes, because a refund keeps the category of
what it refunds (contracts/insights.md): a premium paid back is `insurance`, a tax refund
`taxes`. Others hold in one direction only: "SALA" coming in is the customer's `income`, while
a salary the customer pays is better judged by the flow of money; rent coming in may be a
tenant paying or a landlord refunding, so only rent paid is `housing`. "INTE" (interest) is
`income` received and `fees` paid, as the bank's own interest code is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from kluis.domain import Category


@dataclass(frozen=True, slots=True)
class Purpose:
    """The category a purpose code gives money paid with it and money received with it;
    None where the code decides nothing in that direction."""

    paid: Category | None
    received: Category | None


def _both(category: Category) -> Purpose:
    return Purpose(category, category)


def _paid(category: Category) -> Purpose:
    return Purpose(category, None)


def _received(category: Category) -> Purpose:
    return Purpose(None, category)


PURPOSES: Final[Mapping[str, Purpose]] = {
    # Pay, benefits and returns: the customer's income when they come in.
    "SALA": _received("income"),  # salary
    "PAYR": _received("income"),  # payroll
    "BONU": _received("income"),  # bonus
    "COMM": _received("income"),  # commission
    "ALLW": _received("income"),  # an allowance
    "PENS": _received("income"),  # pension
    "ANNI": _received("income"),  # an annuity paid out
    "BENE": _received("income"),  # unemployment or disability benefit
    "SSBE": _received("income"),  # social security benefit
    "BECH": _received("income"),  # child benefit
    "BBSC": _received("income"),  # a government's bonus for a newborn child
    "AEMP": _received("income"),  # paid under an active employment policy
    "CCHD": _received("income"),  # a government's compensation for disability or need of care
    "RHBS": _received("income"),  # support during occupational rehabilitation
    "GFRP": _received("income"),  # pay from a guarantee fund when the employer is insolvent
    "HREC": _received("income"),  # an employer's contribution to the employee's housing
    "GVEA": _received("income"),  # pay of (Austrian) government employees, categories A-D
    "GVEB": _received("income"),
    "GVEC": _received("income"),
    "GVED": _received("income"),
    "GWLT": _received("income"),  # a government's payment to victims of war
    "DIVD": _received("income"),  # dividend
    "INTE": Purpose(paid="fees", received="income"),  # interest
    # Maintenance from a former partner comes in as income; paid, it goes to a person.
    "ALMY": Purpose(paid="transfers", received="income"),
    # Taxes and levies, and their refunds.
    "TAXS": _both("taxes"),  # tax payment
    "TAXR": _both("taxes"),  # tax refund
    "INTX": _both("taxes"),  # income tax
    "NITX": _both("taxes"),  # net income tax
    "WHLD": _both("taxes"),  # withholding tax
    "PTXP": _both("taxes"),  # property tax
    "HSTX": _both("taxes"),  # housing tax
    "ESTX": _both("taxes"),  # estate tax
    "RDTX": _both("taxes"),  # road (vehicle) tax
    "VATX": _both("taxes"),  # value added tax
    "GSTX": _both("taxes"),  # goods and services tax
    "FWLV": _both("taxes"),  # foreign worker levy
    "TCSC": _both("taxes"),  # a town council's charges
    # Energy and water.
    "ELEC": _both("utilities"),  # electricity
    "GASB": _both("utilities"),  # gas
    "ENRG": _both("utilities"),  # energy
    "WTER": _both("utilities"),  # water
    "UBIL": _both("utilities"),  # a bill for gas, water or electricity
    # Telephone, internet and television.
    "PHON": _both("telecom"),  # telephone
    "CBTV": _both("telecom"),  # cable television
    "NWCM": _both("telecom"),  # network communication
    "OTLC": _both("telecom"),  # another telecom bill
    "TBIL": _both("telecom"),  # telecommunications bill
    "MTUP": _both("telecom"),  # a prepaid mobile phone topped up
    # Premiums, and premiums paid back.
    "INSU": _both("insurance"),  # insurance premium
    "INPR": _both("insurance"),  # insurance premium refund
    "HLTI": _both("insurance"),  # health insurance
    "LIFI": _both("insurance"),  # life insurance
    "PPTI": _both("insurance"),  # property insurance
    "INPC": _both("insurance"),  # car insurance premium
    "GOVI": _both("insurance"),  # government insurance
    "LBRI": _both("insurance"),  # labour insurance
    "MAFC": _both("insurance"),  # a contribution to a medical aid fund
    # Care, and care paid back.
    "MDCS": _both("health"),  # medical services
    "HSPC": _both("health"),  # hospital care
    "HLTC": _both("health"),  # care at home
    "DNTS": _both("health"),  # dental services
    "ANTS": _both("health"),  # anaesthesia
    "VIEW": _both("health"),  # vision care
    "DMEQ": _both("health"),  # durable medical equipment
    "LTCF": _both("health"),  # a long-term care facility
    "ICRF": _both("health"),  # an intermediate care facility
    "CVCF": _both("health"),  # a convalescent care facility
    "MARF": _both("health"),  # a medical aid refund
    # A home: paid only (money coming in with these is a tenant or a refund).
    "RENT": _paid("housing"),  # rent
    "HLRP": _paid("housing"),  # a housing loan repaid: the mortgage
    "HLST": _paid("housing"),  # a housing loan settled
    "BLDM": _paid("housing"),  # building maintenance
    # Study costs paid; money coming in may be a grant (income) or a fee paid back.
    "STDY": _paid("education"),  # study
    "EDUC": _paid("education"),  # education
    "CHAR": _paid("charity"),  # a donation
    "SUBS": _both("subscriptions"),  # printed or online information and entertainment
    # Getting about.
    "RLWY": _both("transport"),  # rail
    "BUSB": _both("transport"),  # bus
    "FERB": _both("transport"),  # ferry
    "TRPT": _both("transport"),  # road pricing, tolls
    "CPKC": _both("transport"),  # car park charges
    "AIRB": _both("travel"),  # air travel
    # Between the customer's own accounts, savings and investments.
    "ACCT": _both("transfers"),  # between two accounts of one holder at one bank
    "SAVG": _both("transfers"),  # to or from savings
    "CDBL": _both("transfers"),  # a credit card's bill paid off
    "INVS": _both("transfers"),  # investments and securities
    "SECU": _both("transfers"),  # securities
    "UNIT": _both("transfers"),  # units of an investment fund
    # Cash from a machine or a counter, paid by card.
    "CDCD": _both("cash"),
    "CDCS": _both("cash"),  # with a surcharge
}
"""Purpose code -> what it says, for the codes that say what a payment was for."""


def category(code: str | None, *, incoming: bool) -> Category | None:
    """The category the purpose `code` gives a payment in the direction it went; None when
    there is no code or it decides nothing that way."""
    if not code:
        return None
    purpose = PURPOSES.get(code.upper())
    if purpose is None:
        return None
    return purpose.received if incoming else purpose.paid
