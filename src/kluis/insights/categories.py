"""Which category a transaction belongs to, from what a bank statement really carries.

`categorise(transaction, own_ibans)` weighs the evidence in order of precision and stops at
the first that decides:

1. the counterparty is one of the customer's own accounts: `transfers`;
2. the bank's transaction code: charges are `fees`, interest `income` (or `fees` when
   paid), salary `income`, cash withdrawals and deposits `cash`, as is a cash machine's
   merchant category code;
3. the ISO 20022 purpose code the payer gave the payment, where it names a purpose
   (`purpose_codes`: "SALA" coming in is `income`, "RENT" paid `housing`, "INSU"
   `insurance`): the payer's own word, which the banks pass on unchanged, so it yields to
   the customer's own accounts and to the bank's code, which the bank itself knows. Care
   words (6.) overrule a premium's code: an insurer collects a deductible under it too;
4. a credit-card repayment in the description: `transfers`;
5. money coming in: with pay, benefit or interest words ("salaris", "holiday allowance",
   "rente") it is `income`; anything else a bank pays in, by transfer or as a card refund,
   is a reimbursement (a fraud chargeback) whose purpose we cannot know: `other`;
6. care words in the description ("eigen risico"): `health`, whoever collects it;
7. a merchant, creditor or payee we know by name (`merchant_knowledge.NAMES`, also written
   as one word: "TUIFLY"), unless it appears late in a card payment's label (a city) and
   the merchant category code disagrees; with no name at all, one the description names
   ("ACH DEBIT DUKE ENERGY PAYMENT");
8. a payment service provider in the payee's place (`processors`: "SumUp *Bakker Jansen",
   "Next to Pay via Mollie", "PayPal Europe"): the payee behind it if we know it by name,
   else the merchant category code, else the kind of business in the payee's name or the
   description, else what payments through that provider are (`other` for most);
9. the merchant category code (`mcc`);
10. names that are also words ("Plus", "Action"), for card payments only, or when a store
    number follows them ("TARGET 00012345", "Action 1234"), as a shop's till prints it;
11. the kind of business in the name ("restaurant", "tandarts");
12. what the description says it is for ("huur", "premie", "abonnement");
13. a bank that is paid without a charge code: `fees`;
14. the flow: money in from an organisation is `income`, from a person `transfers`; money
    out to a person by transfer is `transfers`; anything else `other`. A name with a store
    number is a shop's till, never a person.

Refunds keep the category of what was refunded because the same evidence decides them as the
purchase. The function is pure and deterministic, and reads nothing but the transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Generic, Literal, TypeVar

from kluis.domain import Category, Transaction
from kluis.insights import merchant_knowledge as knowledge
from kluis.insights import processors, purpose_codes, statement_words
from kluis.insights.mcc import category_for_mcc

Evidence = Literal[
    "own_account",
    "bank_code",
    "purpose_code",
    "card_repayment",
    "bank_reimbursement",
    "income_words",
    "care_words",
    "merchant",
    "described_merchant",
    "payment_processor",
    "mcc",
    "name",
    "remittance",
    "bank",
    "flow",
]


@dataclass(frozen=True, slots=True)
class Categorisation:
    """A category and the kind of evidence that decided it (strongest first in `Evidence`)."""

    category: Category
    evidence: Evidence


T = TypeVar("T")

_APOSTROPHES: Final = str.maketrans("", "", "'’`´")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")


def normalise(text: str | None) -> str:
    """Statement text as lower-case ASCII words separated by single spaces.

    Accents are dropped, apostrophes removed and everything else that is not a letter or a
    digit becomes a space: "McDonald's Utrecht" -> "mcdonalds utrecht", "Univé" -> "unive".
    """
    if not text:
        return ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text.lower().translate(_APOSTROPHES)).strip()


class _Phrases(Generic[T]):
    """Word sequences found as whole words; the longest wins, then the leftmost.

    With `names`, a phrase of only one- and two-letter words ("h m", "ns", "c a") counts
    only at the start: a label begins with the merchant's name, and such letters further on
    are initials or a legal form ("PayPal Europe S.C.A").
    """

    def __init__(self, table: Mapping[str, T], *, names: bool = False) -> None:
        self._table = dict(table)
        lengths: dict[str, set[int]] = {}
        for phrase in table:
            words = phrase.split()
            lengths.setdefault(words[0], set()).add(len(words))
        self._lengths = {word: sorted(sizes, reverse=True) for word, sizes in lengths.items()}
        self._initials = frozenset(
            phrase for phrase in table if names and max(map(len, phrase.split())) <= 2
        )

    def find(self, words: Sequence[str]) -> tuple[T, int] | None:
        """What the best phrase in `words` maps to, and the index of its first word."""
        best: tuple[T, int] | None = None
        best_size = 0
        count = len(words)
        for start, word in enumerate(words):
            sizes = self._lengths.get(word)
            if sizes is None:
                continue
            for size in sizes:
                if size <= best_size:
                    break
                if start + size > count:
                    continue
                phrase = word if size == 1 else " ".join(words[start : start + size])
                value = self._table.get(phrase)
                if value is not None and not (start and phrase in self._initials):
                    best, best_size = (value, start), size
                    break
        return best

    def category(self, words: Sequence[str]) -> T | None:
        found = self.find(words)
        return found[0] if found else None


class _Fragments:
    """Pieces of words (Dutch compounds: "tandarts" in "tandartspraktijk"); leftmost wins."""

    def __init__(self, table: Mapping[str, Category]) -> None:
        self._table = dict(table)
        alternatives = sorted(table, key=lambda fragment: (-len(fragment), fragment))
        self._pattern = re.compile("|".join(re.escape(fragment) for fragment in alternatives))

    def category(self, text: str) -> Category | None:
        found = self._pattern.search(text)
        return self._table[found.group(0)] if found else None


def _by_entry(*tables: Mapping[Category, str]) -> dict[str, Category]:
    """Entry -> category; an entry listed under two categories is a mistake in the tables."""
    result: dict[str, Category] = {}
    for table in tables:
        for category, block in table.items():
            for entry in knowledge.entries(block):
                if result.setdefault(entry, category) != category:
                    raise ValueError(f"{entry!r} is listed as {result[entry]} and {category}")
    return result


def _word_set(block: str) -> _Phrases[bool]:
    return _Phrases(dict.fromkeys(knowledge.entries(block), True))


# Names written as one word count from this many letters on.
_ONE_WORD_LENGTH: Final = 6


def _with_one_word_forms(table: Mapping[str, T]) -> dict[str, T]:
    """`table` with each name of several words also written as one ("tuifly",
    "burgerking"), as card terminals and short statement fields often print them.

    Short ones are left out: "hm" or "att" is more often something else.
    """
    result = dict(table)
    for name, value in table.items():
        one_word = name.replace(" ", "")
        if one_word != name and len(one_word) >= _ONE_WORD_LENGTH:
            result.setdefault(one_word, value)
    return result


# name -> (category of money paid to it, category of money it pays in)
_NAMES: Final = _Phrases(
    _with_one_word_forms(
        {
            name: (category, knowledge.INCOMING.get(name, category))
            for name, category in _by_entry(knowledge.NAMES).items()
        }
    ),
    names=True,
)
_CARD_NAMES: Final = _Phrases(_by_entry(knowledge.CARD_NAMES), names=True)
_NAME_WORDS: Final = _Phrases(_by_entry(statement_words.NAME_WORDS), names=True)
_NAME_FRAGMENTS: Final = _Fragments(_by_entry(statement_words.NAME_FRAGMENTS))
_REMITTANCE_WORDS: Final = _Phrases(_by_entry(statement_words.REMITTANCE_WORDS))
_REMITTANCE_FRAGMENTS: Final = _Fragments(_by_entry(statement_words.REMITTANCE_FRAGMENTS))
_CARD_REPAYMENT: Final = _word_set(statement_words.CARD_REPAYMENT_WORDS)
_CARE: Final = _word_set(statement_words.CARE_WORDS)
_INCOME: Final = _word_set(statement_words.INCOME_WORDS)
_REFUND: Final = _word_set(statement_words.REFUND_WORDS)
_BANKS: Final = _word_set(knowledge.BANKS)
_ORGANISATION: Final = _word_set(statement_words.ORGANISATION_WORDS)

# ISO 20022 bank transaction sub-family codes (the last part of "PMNT-MDOP-CHRG").
_CHARGES: Final = frozenset({"CHRG", "FEES", "COMM"})
_CASH: Final = frozenset({"CWDL", "CDPT"})
_DIRECT_DEBITS: Final = frozenset({"IDDT", "RDDT"})
_FINANCIAL_INSTITUTION: Final = "6012"  # the merchant category code of a bank's own services
# A card label starts with the merchant; a known name further on is usually a place.
_LEADING_WORDS: Final = 2
# A store or terminal number after the name ("BOOTS 1234", "TRADER JOE S 552"): a person's
# name never carries one.
_STORE_NUMBER: Final = re.compile(r"\d{3,}")


def compact_iban(iban: str) -> str:
    """An IBAN in its electronic form: no spaces, upper case."""
    return "".join(iban.split()).upper()


@dataclass(frozen=True, slots=True)
class _Statement:
    """What the rules read of one transaction, normalised once."""

    incoming: bool
    family: str
    sub_family: str
    mcc: str | None
    mcc_category: Category | None
    card: bool
    card_account: bool
    store_number: bool
    name: tuple[str, ...]
    name_text: str
    remittance: tuple[str, ...]
    remittance_text: str
    processor: processors.Processed | None


def _statement(transaction: Transaction) -> _Statement:
    parts = (transaction.bank_transaction_code or "").upper().split("-")
    family = parts[1] if len(parts) > 2 else ""
    sub_family = parts[-1] if len(parts) > 2 else ""
    mcc = transaction.merchant_category_code or None
    card_account = transaction.masked_pan is not None
    name_text = normalise(transaction.counterparty_name)
    name = tuple(name_text.split())
    remittance_text = normalise(transaction.remittance)
    return _Statement(
        incoming=transaction.amount.amount > 0,
        family=family,
        sub_family=sub_family,
        mcc=mcc,
        mcc_category=category_for_mcc(mcc),
        card=family == "CCRD" or mcc is not None or card_account,
        card_account=card_account,
        store_number=any(_STORE_NUMBER.search(word) for word in name[1:]),
        name=name,
        name_text=name_text,
        remittance=tuple(remittance_text.split()),
        remittance_text=remittance_text,
        processor=processors.find(transaction.counterparty_name, name),
    )


def _is_bank(words: Sequence[str]) -> bool:
    # "ing" alone is too common a word to look for inside a longer name.
    return words == ("ing",) or _BANKS.find(words) is not None


def _own_account(transaction: Transaction, own_ibans: frozenset[str]) -> bool:
    iban = transaction.counterparty_iban
    return iban is not None and compact_iban(iban) in own_ibans


def _by_code(statement: _Statement) -> Category | None:
    if statement.sub_family in _CHARGES:
        return "fees"
    if statement.sub_family == "INTR":
        return "income" if statement.incoming else "fees"
    if statement.sub_family == "SALA":
        return "income"
    if statement.sub_family in _CASH or statement.mcc_category == "cash":
        return "cash"
    return None


def _by_purpose(transaction: Transaction, statement: _Statement) -> Category | None:
    found = purpose_codes.category(transaction.purpose_code, incoming=statement.incoming)
    if found == "insurance" and _CARE.find(statement.remittance):
        return None  # the insurer collects a deductible: care words decide it later
    return found


def _money_in(statement: _Statement) -> Categorisation | None:
    """Interest, reimbursements and pay, which only money coming in can be."""
    if statement.card:
        if statement.mcc == _FINANCIAL_INSTITUTION or _is_bank(statement.name):
            return Categorisation("other", "bank_reimbursement")
        return None
    # Pay before banks: a bank is an employer too.
    if _INCOME.find(statement.remittance) and not _REFUND.find(statement.remittance):
        return Categorisation("income", "income_words")
    if _is_bank(statement.name):
        return Categorisation("other", "bank_reimbursement")
    return None


def _known_name(statement: _Statement) -> Category | None:
    found = _NAMES.find(statement.name)
    if found is None:
        return None
    (paid_to, paid_by), start = found
    mcc_category = statement.mcc_category
    if mcc_category is not None and mcc_category != paid_to and start >= _LEADING_WORDS:
        return None
    return paid_by if statement.incoming else paid_to


def _described_merchant(statement: _Statement) -> Category | None:
    """A merchant we know, named in the description of a line that names no one, unless
    the description says what the payment was for ("ATM FEE" is a fee, not cash)."""
    if statement.name or _in_description(statement) is not None:
        return None
    found = _NAMES.category(statement.remittance)
    if found is None:
        return None
    paid_to, paid_by = found
    return paid_by if statement.incoming else paid_to


def _in_description(statement: _Statement) -> Category | None:
    return _REMITTANCE_WORDS.category(statement.remittance) or _REMITTANCE_FRAGMENTS.category(
        statement.remittance_text
    )


def _payee_by_name(statement: _Statement, processed: processors.Processed) -> Category | None:
    """The payee behind a payment provider, if we know it by name: in the counterparty's
    name after the provider, else in the description."""
    payee = tuple(normalise(processed.payee).split())
    known = _NAMES.category(payee) or _NAMES.category(statement.remittance)
    if known is not None:
        return known[1] if statement.incoming else known[0]
    return _CARD_NAMES.category(payee)  # a provider's payee is a business


def _payee_by_kind(statement: _Statement, processed: processors.Processed) -> Category:
    """The kind of business the payee behind a provider is, or what the description says
    the payment is for; else what payments through that provider are."""
    payee = normalise(processed.payee)
    return (
        _NAME_WORDS.category(payee.split())
        or _NAME_FRAGMENTS.category(payee)
        or _NAME_WORDS.category(statement.remittance)
        or _NAME_FRAGMENTS.category(statement.remittance_text)
        or _in_description(statement)
        or processors.fallback(
            processed,
            incoming=statement.incoming,
            refund=_REFUND.find(statement.remittance) is not None,
        )
    )


def _card_name(statement: _Statement) -> Category | None:
    """A brand whose name is also a word: a shop on a card payment, or at the start of a
    till's label that carries a store number ("Action 1234", never "Returned check 319")."""
    found = _CARD_NAMES.find(statement.name)
    if found is None or _into_card_account(statement):
        return None
    category, start = found
    return category if statement.card or (statement.store_number and start == 0) else None


def _into_card_account(statement: _Statement) -> bool:
    """Money paid into a card account that no card scheme reported: mostly its repayment,
    named after the card holder."""
    return (
        statement.incoming
        and statement.card_account
        and statement.mcc is None
        and statement.family != "CCRD"
    )


def _by_flow(statement: _Statement) -> Category:
    organisation = _ORGANISATION.find(statement.name) is not None
    if statement.incoming:
        if _into_card_account(statement):
            return "transfers"
        if statement.card or _REFUND.find(statement.remittance):
            return "other"
        return "income" if organisation else "transfers"
    shop = statement.card or statement.store_number
    if shop or statement.family in _DIRECT_DEBITS or organisation:
        return "other"
    return "transfers"  # a transfer to a private person


def explain(transaction: Transaction, own_ibans: frozenset[str]) -> Categorisation:
    """The category of `transaction` and the evidence that decided it.

    `own_ibans` are the IBANs of all the customer's accounts, at any bank, in electronic
    form (`compact_iban`).
    """
    if _own_account(transaction, own_ibans):
        return Categorisation("transfers", "own_account")
    statement = _statement(transaction)
    coded = _by_code(statement)
    if coded is not None:
        return Categorisation(coded, "bank_code")
    purpose = _by_purpose(transaction, statement)
    if purpose is not None:
        return Categorisation(purpose, "purpose_code")
    if _CARD_REPAYMENT.find(statement.remittance):
        return Categorisation("transfers", "card_repayment")
    if statement.incoming:
        money_in = _money_in(statement)
        if money_in is not None:
            return money_in
    if _CARE.find(statement.remittance):
        return Categorisation("health", "care_words")
    known = _known_name(statement)
    if known is not None:
        return Categorisation(known, "merchant")
    described = _described_merchant(statement)
    if described is not None:
        return Categorisation(described, "described_merchant")
    processed = statement.processor
    if processed is not None:
        payee = _payee_by_name(statement, processed)
        if payee is not None:
            return Categorisation(payee, "payment_processor")
    if statement.mcc_category is not None:
        return Categorisation(statement.mcc_category, "mcc")
    if processed is not None:
        return Categorisation(_payee_by_kind(statement, processed), "payment_processor")
    card_name = _card_name(statement)
    if card_name is not None:
        return Categorisation(card_name, "merchant")
    kind = _NAME_WORDS.category(statement.name) or _NAME_FRAGMENTS.category(statement.name_text)
    if kind is not None:
        return Categorisation(kind, "name")
    described = _in_description(statement)
    if described is not None:
        return Categorisation(described, "remittance")
    if not statement.incoming and _is_bank(statement.name):
        return Categorisation("fees", "bank")
    return Categorisation(_by_flow(statement), "flow")


def categorise(transaction: Transaction, own_ibans: frozenset[str]) -> Category:
    """The category of `transaction` (contracts/insights.md), one of `CATEGORIES`."""
    own = frozenset(compact_iban(iban) for iban in own_ibans)
    return explain(transaction, own).category


def categorise_all(transactions: Iterable[Transaction], own_ibans: Iterable[str]) -> dict[str, str]:
    """transaction id -> category, for every transaction of one customer."""
    own = frozenset(compact_iban(iban) for iban in own_ibans)
    return {
        transaction.transaction_id: explain(transaction, own).category
        for transaction in transactions
    }
