"""The regular life of an account: salary, bills, savings, repayments, friends.

Each function writes one kind of activity into a customer's `MonthBook`. Amounts that
depend on balances (sweeps between checking and savings, the credit-card repayment,
interest) use the balances at the start of the month only, which the months before have
already fixed; so a month never changes once written, whatever comes after it.

The employer pays salary with the ISO 20022 purpose code "SALA" and the tax office its
refunds with "TAXR", as a creditor gives its collections its own code (`creditors`); a
standing order the customer set up carries none.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kluis.sandbox.bookkeeping import (
    BANK_CHARGES,
    DIRECT_DEBIT,
    INTEREST,
    ISSUED_TRANSFER,
    RECEIVED_TRANSFER,
    STANDING_ORDER,
    MonthBook,
    between,
)
from kluis.sandbox.creditors import TAX_OFFICE, TIKKIE, Beneficiary, Creditor, beneficiary
from kluis.sandbox.dates import business_day, day_in_month, month_name, previous_business_day
from kluis.sandbox.identifiers import BANK_NAMES, stable_int
from kluis.sandbox.merchants import Merchant
from kluis.sandbox.profiles import CustomerProfile, RecurringCharge, cents

_SAVINGS_RATE = Decimal("0.0125")
_FRIEND_BANKS = ("INGB", "RABO", "ABNA", "ASNB", "KNAB", "BUNQ", "SNSB", "TRIO")
_SHARED_COSTS = {
    "nl": ("Etentje", "Pizza", "Bioscoop", "Borrel", "Boodschappen weekend", "Concertkaartjes",
           "Cadeau Mark", "Uber naar huis", "Weekendje weg", "Festival tickets"),
    "en": ("Dinner", "Pizza", "Cinema", "Drinks", "Groceries weekend", "Concert tickets",
           "Birthday present", "Taxi home", "Weekend away", "Festival tickets"),
}  # fmt: skip


def _salary(profile: CustomerProfile, year: int) -> int:
    raised = profile.salary * (1 + profile.yearly_raise) ** (year - 2025)
    return cents(raised.quantize(Decimal("0.01")))


def add_income(book: MonthBook, profile: CustomerProfile) -> None:
    """Salary on payday, the holiday allowance in May and a tax refund in April."""
    rng = book.rng("income")
    english = profile.language == "en"
    first, checking, employer = book.first, book.accounts.checking, profile.employer
    month = month_name(first.month, profile.language)
    payday = previous_business_day(day_in_month(first, profile.payday))
    salary = _salary(profile, first.year)
    text = f"Salary {month} {first.year}" if english else f"Salaris {month} {first.year}"
    at = between(rng, 3, 6.5)
    book.record(
        checking, payday, at, salary, employer.name, RECEIVED_TRANSFER, "income",
        counterparty_iban=employer.iban, remittance=text, end_to_end_id=book.reference("SAL"),
        recurring=f"{profile.customer_id}:salary", purpose_code="SALA",
    )  # fmt: skip
    if profile.holiday_allowance and first.month == 5:
        allowance = salary * 3 // 4
        text = f"Holiday allowance {first.year}" if english else f"Vakantiegeld {first.year}"
        book.record(
            checking, payday, at, allowance, employer.name, RECEIVED_TRANSFER, "income",
            counterparty_iban=employer.iban, remittance=text, end_to_end_id=book.reference("VAK"),
            recurring=f"{profile.customer_id}:holiday-allowance", purpose_code="SALA",
        )  # fmt: skip
    if profile.tax_refund is not None and first.month == 4:
        refund = round(cents(profile.tax_refund) * rng.uniform(0.7, 1.3))
        reference = stable_int("aanslag", profile.customer_id, first.year) % 10**9
        book.record(
            checking, business_day(book.day(rng.randint(8, 24))), between(rng, 6, 9), refund,
            TAX_OFFICE.name, RECEIVED_TRANSFER, "taxes", counterparty_iban=TAX_OFFICE.iban,
            remittance=f"Teruggaaf inkomstenbelasting {first.year - 1} aanslagnr {reference:09d}",
            end_to_end_id=book.reference("BD"), purpose_code="TAXR",
        )  # fmt: skip


def _charge_dates(book: MonthBook, charge: RecurringCharge) -> list[date]:
    if charge.every_four_weeks:
        anchor = date(2025, 1, charge.day)
        offset = max((book.first - anchor).days, 0)
        on = anchor + timedelta(days=-(-offset // 28) * 28)
        dates = []
        while on <= book.last:
            dates.append(on)
            on += timedelta(days=28)
        return dates
    if book.first.month not in charge.months:
        return []
    on = day_in_month(book.first, charge.day)
    return [on if isinstance(charge.payee, Merchant) else business_day(on)]


def add_recurring_charges(book: MonthBook, profile: CustomerProfile) -> None:
    """Rent, direct debits and card subscriptions due this month."""
    rng = book.rng("charges")
    first, checking, customer_id = book.first, book.accounts.checking, profile.customer_id
    for charge in profile.charges:
        series = f"{customer_id}:{charge.key}"
        for on in _charge_dates(book, charge):
            amount = charge.price_on(on)
            payee = charge.payee
            term = charge.months.index(first.month) + 1 if first.month in charge.months else 1
            if isinstance(payee, Creditor):
                template = charge.remittance or payee.remittance
                text = template.format(
                    period=f"{first:%Y-%m}", month=month_name(first.month, "nl"),
                    year=first.year, reference=payee.reference(customer_id), term=term,
                )  # fmt: skip
                book.record(
                    checking, on, between(rng, 1, 7), -amount, payee.name, DIRECT_DEBIT,
                    payee.category, counterparty_iban=payee.iban, creditor_id=payee.creditor_id,
                    mandate_id=payee.mandate_id(customer_id), remittance=text,
                    end_to_end_id=book.reference(payee.mandate_prefix), recurring=series,
                    purpose_code=payee.purpose_code,
                )  # fmt: skip
            elif isinstance(payee, Beneficiary):
                month = month_name(first.month, profile.language)
                text = (charge.remittance or "{month} {year}").format(month=month, year=first.year)
                book.record(
                    checking, on, between(rng, 0.1, 1.5), -amount, payee.name, STANDING_ORDER,
                    payee.category, counterparty_iban=payee.iban, remittance=text,
                    end_to_end_id=book.reference("SO"), recurring=series,
                )  # fmt: skip
            else:
                card = book.choose_card(charge.on_credit_card, amount)
                book.card_payment(
                    card, on, between(rng, 0.5, 9), amount, payee.counterparty(0, ""),
                    payee.mcc, payee.category, booking_delay=rng.randint(1, 2), recurring=series,
                )  # fmt: skip


def add_bank_costs(book: MonthBook, profile: CustomerProfile) -> None:
    """The monthly package fee and, each quarter, interest on savings."""
    first, accounts = book.first, book.accounts
    english = profile.language == "en"
    bank = BANK_NAMES[profile.bank_code]
    month = month_name(first.month, profile.language)
    fee_text = (
        f"Account package fee {month} {first.year}"
        if english
        else (f"Kosten betaalpakket {month} {first.year}")
    )
    fee = cents(profile.package_fee)
    book.record(
        accounts.checking, first, between(book.rng("fee"), 0.2, 0.9), -fee, bank, BANK_CHARGES,
        "fees", remittance=fee_text, recurring=f"{profile.customer_id}:bank-fee",
    )  # fmt: skip
    savings = accounts.savings
    if savings is None or first.month not in (1, 4, 7, 10):
        return
    interest = int(book.opening(savings.resource_id) * _SAVINGS_RATE / 4)
    if interest > 0:
        quarter = (first.month - 2) % 12 // 3 + 1
        year = first.year if first.month > 1 else first.year - 1
        text = f"Interest Q{quarter} {year}" if english else f"Rente Q{quarter} {year}"
        book.record(
            savings, first, between(book.rng("interest"), 0.2, 0.9), interest, bank, INTEREST,
            "income", remittance=text, recurring=f"{profile.customer_id}:interest",
        )  # fmt: skip


def add_savings_moves(book: MonthBook, profile: CustomerProfile) -> None:
    """The monthly standing order to savings, and a sweep when checking runs high or low."""
    accounts, english = book.accounts, profile.language == "en"
    savings, checking = accounts.savings, accounts.checking
    if savings is None:
        return
    rng = book.rng("savings")
    if profile.savings_per_month > 0:
        on = business_day(day_in_month(book.first, profile.payday + 1))
        text = "Monthly savings" if english else "Maandelijks sparen"
        book.own_transfer(
            checking, savings, on, between(rng, 0.1, 1), cents(profile.savings_per_month), text,
            standing_order=True, recurring=f"{profile.customer_id}:savings",
        )  # fmt: skip
    # What checking can spend this month: its balance less what the credit card will
    # collect. Keep about a month and a third of salary there; sweep the rest.
    salary = _salary(profile, book.first.year)
    balance = book.opening(checking.resource_id)
    if accounts.credit is not None:
        balance += min(book.opening(accounts.credit.resource_id), 0)
    on, at = business_day(book.day(rng.randint(2, 6))), between(rng, 8, 22)
    if balance < salary:
        wanted = salary * 13 // 10 - balance
        moved = min(wanted + (-wanted % 5000), book.opening(savings.resource_id))
        moved -= moved % 1000
        if moved > 0:
            text = "From savings" if english else "Van spaarrekening"
            book.own_transfer(savings, checking, on, at, moved, text)
    elif balance > salary * 22 // 10:
        moved = balance - salary * 3 // 2
        moved -= moved % 5000
        text = "To savings" if english else "Naar spaarrekening"
        book.own_transfer(checking, savings, on, at, moved, text)


def add_card_repayment(book: MonthBook, profile: CustomerProfile) -> None:
    """Checking pays off what the credit card owed at the end of last month."""
    accounts = book.accounts
    credit, card = accounts.credit, accounts.credit_card
    if credit is None or card is None:
        return
    owed = -book.opening(credit.resource_id)
    if owed <= 0:
        return
    rng = book.rng("repayment")
    on = business_day(book.day(rng.randint(3, 6)))
    text = (
        f"Credit card repayment {card.masked_pan}"
        if profile.language == "en"
        else f"Aflossing creditcard {card.masked_pan}"
    )
    book.own_transfer(
        accounts.checking, credit, on, between(rng, 5, 7), owed, text,
        recurring=f"{profile.customer_id}:card-repayment",
    )  # fmt: skip


def _friend(name: str) -> Beneficiary:
    return beneficiary(name, _FRIEND_BANKS[stable_int("bank", name) % len(_FRIEND_BANKS)])


def add_friend_payments(book: MonthBook, profile: CustomerProfile) -> None:
    """Tikkie requests paid and received, and the odd transfer to a friend."""
    if not profile.friends:
        return
    rng = book.rng("friends")
    rate = profile.friend_payments_per_month
    count = int(rate) + (rng.random() < rate % 1)
    checking, english = book.accounts.checking, profile.language == "en"
    for _ in range(count):
        friend = _friend(rng.choice(profile.friends))
        what = rng.choice(_SHARED_COSTS[profile.language])
        on, at = book.day(rng.randint(1, book.days)), between(rng, 9, 23.5)
        tikkie_id = f"{rng.randrange(10**12):012d}"
        roll = rng.random()
        if roll < 0.8:
            amount = rng.randint(400, 4500)
            incoming = roll >= 0.5
            sender = f"From {friend.name}" if english else f"Van {friend.name}"
            text = f"Tikkie ID {tikkie_id}, {what}, {sender if incoming else friend.name}"
            book.record(
                checking, on, at, amount if incoming else -amount, TIKKIE.name,
                RECEIVED_TRANSFER if incoming else ISSUED_TRANSFER, "transfers",
                counterparty_iban=TIKKIE.iban, remittance=text, end_to_end_id=book.reference("TK"),
            )  # fmt: skip
        else:
            amount = rng.randint(3, 30) * 500
            book.record(
                checking, on, at, -amount, friend.name, ISSUED_TRANSFER, "transfers",
                counterparty_iban=friend.iban, remittance=what, end_to_end_id=book.reference("TR"),
            )  # fmt: skip
