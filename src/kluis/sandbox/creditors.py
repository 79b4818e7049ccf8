"""Who the demo customers pay regularly: direct-debit creditors and credit-transfer payees.

A `Creditor` collects SEPA direct debits: it has a SEPA creditor identifier (valid
ISO 7064 MOD 97-10 check digits; the companies are real, their identifiers are made up),
an account of its own and a remittance text it puts on every collection. A `Beneficiary`
is paid by credit transfer: a landlord, a friend, a new payee in a fraud.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kluis.domain import Category
from kluis.sandbox.identifiers import dutch_iban, stable_int


@dataclass(frozen=True, slots=True)
class Creditor:
    """A company collecting direct debits.

    `remittance` is a template with the placeholders `{period}` (2026-03), `{month}` (the
    Dutch month name), `{year}`, `{reference}` (the customer's number at the creditor)
    and `{term}` (the instalment number, for bills paid in terms). `purpose_code` is the
    ISO 20022 purpose code it gives its collections, if it gives one.
    """

    key: str
    name: str
    creditor_id: str
    iban: str
    category: Category
    remittance: str
    mandate_prefix: str
    purpose_code: str | None = None

    def reference(self, customer_id: str) -> str:
        """The customer's number at this creditor (klantnummer, polisnummer, ...)."""
        return f"{stable_int('reference', self.key, customer_id) % 9_000_000 + 1_000_000}"

    def mandate_id(self, customer_id: str) -> str:
        """The mandate the customer signed for this creditor; stable per customer."""
        number = stable_int("mandate", self.key, customer_id) % 10**9
        return f"{self.mandate_prefix}{number:09d}"


@dataclass(frozen=True, slots=True)
class Beneficiary:
    """Someone paid by credit transfer: a landlord, an employer, a friend."""

    name: str
    iban: str
    category: Category = "transfers"


def beneficiary(name: str, bank_code: str, category: Category = "transfers") -> Beneficiary:
    """A payee whose (valid) Dutch IBAN at `bank_code` is derived from their name."""
    return Beneficiary(name, dutch_iban(bank_code, "beneficiary", name), category)


def _creditor(
    key: str,
    name: str,
    creditor_id: str,
    bank_code: str,
    category: Category,
    remittance: str,
    mandate_prefix: str,
    purpose_code: str | None = None,
) -> Creditor:
    iban = dutch_iban(bank_code, "creditor", key)
    return Creditor(
        key, name, creditor_id, iban, category, remittance, mandate_prefix, purpose_code
    )


VATTENFALL: Final = _creditor(
    "vattenfall", "Vattenfall Klantenservice N.V.", "NL98ZZZ602041590000", "INGB",
    "utilities", "Termijnbedrag energie {period} klantnr {reference}", "VF", "ENRG",
)  # fmt: skip
ENECO: Final = _creditor(
    "eneco", "Eneco Consumenten B.V.", "NL84ZZZ721384850000", "RABO",
    "utilities", "Eneco termijnbedrag {month} {year} klantnummer {reference}", "ENC", "ENRG",
)  # fmt: skip
ESSENT: Final = _creditor(
    "essent", "Essent Retail Energie B.V.", "NL66ZZZ367307080000", "ABNA",
    "utilities", "Voorschot energie {period} contractrekening {reference}", "ESS", "ENRG",
)  # fmt: skip
VITENS: Final = _creditor(
    "vitens", "Vitens N.V.", "NL79ZZZ167361690000", "INGB",
    "utilities", "Voorschot drinkwater {period} klantnr {reference}", "VIT", "WTER",
)  # fmt: skip
WATERNET: Final = _creditor(
    "waternet", "Waternet", "NL10ZZZ939476280000", "ABNA",
    "utilities", "Waternet termijn {month} {year} debiteurnr {reference}", "WN", "WTER",
)  # fmt: skip
EVIDES: Final = _creditor(
    "evides", "Evides Waterbedrijf N.V.", "NL47ZZZ286448260000", "RABO",
    "utilities", "Evides voorschot water {period} klantnr {reference}", "EVI", "WTER",
)  # fmt: skip
DUNEA: Final = _creditor(
    "dunea", "Dunea N.V.", "NL77ZZZ113261920000", "INGB",
    "utilities", "Dunea termijnbedrag {period} klantnummer {reference}", "DUN", "WTER",
)  # fmt: skip
WATERBEDRIJF_GRONINGEN: Final = _creditor(
    "wbg", "Waterbedrijf Groningen N.V.", "NL73ZZZ302133610000", "ABNA",
    "utilities", "Termijnbedrag water {period} klantnr {reference}", "WBG", "WTER",
)  # fmt: skip
KPN: Final = _creditor(
    "kpn", "KPN B.V.", "NL09ZZZ759555850000", "ABNA",
    "telecom", "KPN factuur {period} klantnr {reference}", "KPN", "TBIL",
)  # fmt: skip
VODAFONE: Final = _creditor(
    "vodafone", "Vodafone Libertel B.V.", "NL65ZZZ483547050000", "INGB",
    "telecom", "Vodafone factuur {month} {year} klantnr {reference}", "VFL", "PHON",
)  # fmt: skip
ODIDO: Final = _creditor(
    "odido", "Odido Netherlands B.V.", "NL47ZZZ439975010000", "ABNA",
    "telecom", "Odido factuur {period} klantnummer {reference}", "ODI", "PHON",
)  # fmt: skip
ZIGGO: Final = _creditor(
    "ziggo", "Ziggo B.V.", "NL38ZZZ361164630000", "INGB",
    "telecom", "Ziggo abonnement {month} {year} klantnr {reference}", "ZIG", "CBTV",
)  # fmt: skip
ZILVEREN_KRUIS: Final = _creditor(
    "zilveren_kruis", "Zilveren Kruis Zorgverzekeringen N.V.", "NL81ZZZ579412800000", "INGB",
    "insurance", "Premie zorgverzekering {month} {year} relatienr {reference}", "ZK", "HLTI",
)  # fmt: skip
CZ: Final = _creditor(
    "cz", "CZ Zorgverzekeringen N.V.", "NL26ZZZ581210340000", "RABO",
    "insurance", "CZ premie {period} relatienummer {reference}", "CZ", "HLTI",
)  # fmt: skip
MENZIS: Final = _creditor(
    "menzis", "Menzis Zorgverzekeraar N.V.", "NL80ZZZ482762020000", "ABNA",
    "insurance", "Menzis premie {month} {year} klantnr {reference}", "MEN", "HLTI",
)  # fmt: skip
CENTRAAL_BEHEER: Final = _creditor(
    "centraal_beheer", "Centraal Beheer", "NL66ZZZ827815550000", "INGB",
    "insurance", "Premie woonverzekering {period} polisnr {reference}", "CB", "PPTI",
)  # fmt: skip
UNIVE: Final = _creditor(
    "unive", "Univé Verzekeringen", "NL70ZZZ571126310000", "RABO",
    "insurance", "Univé premie {period} polisnummer {reference}", "UNI", "INSU",
)  # fmt: skip
PETSECUR: Final = _creditor(
    "petsecur", "Petsecur B.V.", "NL56ZZZ528293330000", "ABNA",
    "insurance", "Petsecur premie {period} polisnr {reference}", "PS", "INSU",
)  # fmt: skip
RABOBANK_HYPOTHEKEN: Final = _creditor(
    "rabo_hypotheken", "Rabobank Hypotheken", "NL27ZZZ358341180000", "RABO",
    "housing", "Maandtermijn hypotheek {period} leningnr {reference}", "RHY", "HLRP",
)  # fmt: skip
FLORIUS: Final = _creditor(
    "florius", "Florius Hypotheken", "NL55ZZZ227648640000", "ABNA",
    "housing", "Florius hypotheek termijn {period} leningnummer {reference}", "FLO", "HLRP",
)  # fmt: skip
GEMEENTE_ROTTERDAM: Final = _creditor(
    "gemeente_rotterdam", "Gemeente Rotterdam Belastingen", "NL12ZZZ262045700000", "INGB",
    "taxes", "Gemeentelijke belastingen {year} termijn {term} aanslagnr {reference}",
    "GRB", "TAXS",
)  # fmt: skip
NOORDELIJK_BELASTINGKANTOOR: Final = _creditor(
    "nbk", "Noordelijk Belastingkantoor", "NL25ZZZ104366120000", "ABNA",
    "taxes", "Aanslag gemeentelijke belastingen {year} termijn {term} nr {reference}",
    "NBK", "TAXS",
)  # fmt: skip
BELASTINGDIENST: Final = _creditor(
    "belastingdienst", "Belastingdienst", "NL63ZZZ823331300000", "INGB",
    "taxes", "Motorrijtuigenbelasting tijdvak {period} aanslagnr {reference}", "BD", "RDTX",
)  # fmt: skip
PARTOU: Final = _creditor(
    "partou", "Partou Kinderopvang", "NL05ZZZ111004230000", "RABO",
    "kids", "Kinderopvang {month} {year} klantnr {reference}", "PAR",
)  # fmt: skip
DUO: Final = _creditor(
    "duo", "DUO Dienst Uitvoering Onderwijs", "NL72ZZZ409866680000", "INGB",
    "education", "Aflossing studieschuld {month} {year} relatienr {reference}", "DUO", "LOAR",
)  # fmt: skip
KWF: Final = _creditor(
    "kwf", "KWF Kankerbestrijding", "NL21ZZZ800929990000", "INGB",
    "charity", "Donatie KWF {month} {year} dank u wel", "KWF", "CHAR",
)  # fmt: skip
RODE_KRUIS: Final = _creditor(
    "rode_kruis", "Het Nederlandse Rode Kruis", "NL10ZZZ305336840000", "INGB",
    "charity", "Maandelijkse gift {month} {year} donateurnr {reference}", "NRK", "CHAR",
)  # fmt: skip
NS_FLEX: Final = _creditor(
    "ns", "NS Reizigers B.V.", "NL91ZZZ122500890000", "INGB",
    "transport", "NS Flex {month} {year} klantnr {reference}", "NS", "RLWY",
)  # fmt: skip
SWAPFIETS: Final = _creditor(
    "swapfiets", "Swapfiets", "NL93ZZZ367577170000", "ABNA",
    "transport", "Swapfiets abonnement {period} lidnr {reference}", "SWF",
)  # fmt: skip
VIDEOLAND: Final = _creditor(
    "videoland", "Videoland", "NL58ZZZ733074840000", "ABNA",
    "subscriptions", "Videoland abonnement {period} {reference}", "VL", "SUBS",
)  # fmt: skip
NRC: Final = _creditor(
    "nrc", "NRC Media B.V.", "NL83ZZZ500871860000", "ABNA",
    "subscriptions", "NRC digitaal abonnement {month} {year} abonneenr {reference}", "NRC", "SUBS",
)  # fmt: skip
VOLKSKRANT: Final = _creditor(
    "volkskrant", "DPG Media B.V.", "NL74ZZZ433239760000", "INGB",
    "subscriptions", "de Volkskrant digitaal {period} abonneenr {reference}", "DPG", "SUBS",
)  # fmt: skip
BASIC_FIT: Final = _creditor(
    "basic_fit", "Basic-Fit Nederland B.V.", "NL85ZZZ384517410000", "INGB",
    "subscriptions", "Basic-Fit lidmaatschap {period} lidnr {reference}", "BF",
)  # fmt: skip

ALL_CREDITORS: Final = (
    VATTENFALL, ENECO, ESSENT, VITENS, WATERNET, EVIDES, DUNEA, WATERBEDRIJF_GRONINGEN,
    KPN, VODAFONE, ODIDO, ZIGGO, ZILVEREN_KRUIS, CZ, MENZIS, CENTRAAL_BEHEER, UNIVE,
    PETSECUR, RABOBANK_HYPOTHEKEN, FLORIUS, GEMEENTE_ROTTERDAM, NOORDELIJK_BELASTINGKANTOOR,
    BELASTINGDIENST, PARTOU, DUO, KWF, RODE_KRUIS, NS_FLEX, SWAPFIETS, VIDEOLAND, NRC,
    VOLKSKRANT, BASIC_FIT,
)  # fmt: skip

TIKKIE: Final = Beneficiary("Tikkie", dutch_iban("ABNA", "tikkie"), "transfers")
"""ABN AMRO's payment-request service: friends settle shared costs through it."""
TAX_OFFICE: Final = Beneficiary("Belastingdienst", dutch_iban("INGB", "belastingdienst"), "taxes")
