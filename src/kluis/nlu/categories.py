"""Spending categories named by the customer: "boodschappen", "eating out", "de huur", "fuel".

Words map to the categories of contracts/nlu.md (`CATEGORIES`). Long words also match with one
typo ("boodschapen", "verzekeringn"). Decisions on ambiguous words:

- "gas" alone is fuel in English (American "gas") and utilities in Dutch ("gas en licht");
  the reply language decides. "gas bill", "gas en licht", "gasrekening" are always utilities;
  "gas station", "tanken", "petrol" are always fuel.
- "uber" is transport (and also the merchant "uber"); "uber eats" is eating out.
- "kosten" alone is a weak hint for fees, used only when nothing else is named; "vaste kosten"
  (fixed costs) is no category.
- "eten" and "food" alone are groceries; "uit eten", "eten bestellen", "fast food" are eating
  out.
- "pinnen" is cash (withdrawing it), "gepind" is not a category (it also means paying by card).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kluis.nlu.text import Lexicon, LexiconEntry, Normalized, Span, entries, normalize, word_set
from kluis.nlu.types import Language

_GAS = "gas"
_NONE = ""

_PHRASES: dict[str, str] = {
    "groceries": "boodschappen|boodschap|boodschappen doen|supermarkt|supermarkten|"
    "groceries|grocery|grocery shopping|grocery store|food shopping|supermarket|supermarkets|"
    "levensmiddelen|eten|food|etenswaren|boodschappies",
    "eating_out": "uit eten|uiteten|buiten de deur eten|eten buiten de deur|buiten de deur|"
    "uit eten gaan|buiten eten|buitenshuis eten|eten buitenshuis|out to eat|going out to eat|"
    "go out to eat|went out to eat|restaurant|restaurants|resto|restos|"
    "eating out|eat out|dining out|dine out|takeaway|takeaways|take away|takeout|"
    "afhaal|afhalen|afhaaleten|afhaalmaaltijden|bezorgd eten|eten bestellen|eten laten bezorgen|"
    "maaltijdbezorging|food delivery|fast food|fastfood|snackbar|frituur|frietkot|cafetaria|"
    "horeca|lunch|lunches|"
    "lunchen|dinner|dinners|diner|etentjes|etentje|koffie|coffee|cafe|cafes|kroeg|bar|bars|eating|"
    "drinks|borrel|borrels|pizza|uber eats",
    "transport": "vervoer|openbaar vervoer|ov|ov chipkaart|ov chip|ovchipkaart|ov kaart|"
    "public transport|public transportation|transport|transportation|trein|treinen|"
    "treinkaartje|treinkaartjes|train|trains|train tickets|bus|bussen|tram|metro|taxi|taxis|"
    "taxi's|cab|cabs|uber|parkeren|parking|parkeergeld|tol|tolls|toll|reiskosten|"
    "woon werkverkeer|commute|commuting|auto onderhoud|car maintenance|garage",
    "fuel": "tanken|getankt|benzine|diesel|brandstof|fuel|petrol|gas station|gas stations|"
    "tankstation|tankstations|pomp|laadpaal|laadpalen|opladen auto|ev charging|"
    "gas for the car|gas for my car",
    "housing": "huur|huren|hypotheek|hypotheken|rent|renting|mortgage|mortgages|woonlasten|"
    "woning|housing|vve|servicekosten|kale huur|huurwoning|wonen",
    "utilities": "energie|energy|gas en licht|gas en stroom|gas water licht|gas water en licht|"
    "gas licht|gas and electric|gas and electricity|gas bill|gasrekening|energierekening|"
    "stroom|elektriciteit|electricity|electric bill|power bill|water|waterrekening|water bill|"
    "utilities|utility|utility bills|nutsvoorzieningen|verwarming|stadsverwarming|heating|"
    "afvalinzameling",
    "telecom": "telefoon|telefoonrekening|telefoonabonnement|mobiel|mobiel abonnement|"
    "mobiele telefoon|mobile|mobile phone|phone|phone bill|cell phone|cellphone|internet|"
    "wifi|telecom|gsm|beltegoed|prepaid|tv|televisie|tv abonnement|kabel|broadband",
    "insurance": "verzekering|verzekeringen|verzekeringspremie|premie|premies|insurance|"
    "insurances|zorgverzekering|autoverzekering|inboedelverzekering|reisverzekering|"
    "aansprakelijkheidsverzekering|health insurance|car insurance|home insurance|"
    "travel insurance|life insurance|levensverzekering",
    "health": "zorgkosten|gezondheid|gezondheidszorg|apotheek|apotheker|dokter|huisarts|"
    "arts|tandarts|orthodontist|ziekenhuis|fysio|fysiotherapie|fysiotherapeut|medicijnen|"
    "medicatie|eigen risico|opticien|pharmacy|chemist|doctor|doctors|gp|dentist|hospital|"
    "medical|medicine|medicines|healthcare|health care|health|physio|physiotherapy|drugstore",
    "shopping": "kleding|kleren|kleding en schoenen|winkelen|shoppen|shopping|clothes|"
    "clothing|schoenen|shoes|elektronica|electronics|meubels|furniture|online shopping|"
    "webshops|webshop|cadeaus|cadeautjes|gifts|presents|christmas presents|kerstcadeaus|"
    "klussen|diy|bouwmarkt",
    "entertainment": "uitgaan|uitjes|uitje|dagje uit|dagjes uit|bioscoop|bios|film|films|"
    "concert|concerten|concerts|festival|festivals|theater|theatre|cinema|movies|"
    "entertainment|pretpark|museum|musea|museums|concert tickets|games|gaming|"
    "going out|nights out|night out|amusement|hobby|hobbys|hobby's|hobbies|vrije tijd|"
    "leisure",
    "subscriptions": "abonnementen|abonnement|abo|abos|abo's|abbo|abbos|abbo's|subscriptions|"
    "subscription|subs|streaming|streamingdiensten|streamingdienst|streaming services|"
    "lidmaatschap|lidmaatschappen|memberships|membership|sportschool|gym|fitness|contributie",
    "travel": "vakantie|vakanties|reizen|reis|reisjes|hotel|hotels|hotelovernachting|"
    "vliegtickets|vliegticket|vliegen|vlucht|vluchten|flights|flight|airfare|travel|"
    "traveling|travelling|trips|trip|holiday|holidays|vacation|vacations|huurauto|car rental|"
    "rental car|rent a car|renting a car|accommodation|accommodations|overnachtingen|camping",
    "cash": "contant geld|contant|contanten|cash|pinnen|geld pinnen|geldautomaat|"
    "geldautomaten|pinautomaat|geldopname|geldopnames|opnames|opnamen|atm|atms|"
    "cash withdrawals|cash withdrawal|withdrawals|geld opnemen|geld halen",
    "income": "salaris|salarissen|loon|inkomen|inkomsten|income|salary|salaries|wages|wage|"
    "paycheck|paychecks|pay check|earnings|holiday pay|child benefit|uitkering|uitkeringen|"
    "toeslag|toeslagen|"
    "zorgtoeslag|huurtoeslag|kinderbijslag|kindgebonden budget|studiefinanciering|stufi|"
    "dividend|dividenden|pensioen|aow|vakantiegeld|dertiende maand|bonus|freelance inkomsten",
    "transfers": "overboekingen|overboeking|overschrijving|overschrijvingen|overmakingen|"
    "transfers|bank transfers|betaalverzoeken|betaalverzoek|tikkies|"
    "payment requests|eigen rekeningen|between my accounts",
    "fees": "bankkosten|transactiekosten|administratiekosten|rekeningkosten|pakketkosten|"
    "kosten bank|kosten van de bank|fees|fee|bank fees|bank charges|service charges|"
    "overdraft fees|provisie|commissie",
    "education": "studie|studiekosten|school|schoolgeld|schoolkosten|collegegeld|opleiding|"
    "opleidingen|cursus|cursussen|studieschuld|studielening|onderwijs|education|tuition|"
    "tuition fees|"
    "courses|college|university|universiteit|school fees|student loan|student loans",
    "charity": "goede doelen|goed doel|donaties|donatie|giften|collecte|charity|"
    "charities|donations|donation|charitable",
    "pets": "huisdier|huisdieren|dierenarts|dierenwinkel|dierenvoer|hondenvoer|kattenvoer|"
    "hond|honden|kat|katten|pets|pet|pet food|pet shop|vets|vet bill|vet bills|the vet|"
    "veterinarian|dog|dogs|cat|cats",
    "kids": "kinderen|kids|kinderopvang|opvang|creche|kinderdagverblijf|bso|"
    "buitenschoolse opvang|speelgoed|toys|children|child|childcare|child care|daycare|"
    "day care|oppas|babysitter|babysitting|baby|nursery",
    "taxes": "belasting|belastingen|belastingdienst|aanslag|taxes|tax|gemeentelijke belastingen|"
    "gemeentebelasting|waterschapsbelasting|waterschap|wegenbelasting|"
    "motorrijtuigenbelasting|ozb|inkomstenbelasting|belastingteruggave|tax return|irs|hmrc|"
    "council tax|property tax|income tax",
    "other": "overig|overige|overige uitgaven|other|misc|miscellaneous|diversen",
}

_WEAK: dict[str, str] = {"fees": "kosten"}
_BLOCKERS = (
    "vaste kosten|vaste lasten|fixed costs|fixed expenses|kosten koper|gas geven|"
    "maandelijkse kosten|monthly costs|kosten per maand|bank holiday|terugkerende kosten|"
    "recurring costs|recurring charges|totale kosten|total costs|take out|"
    "internetbankieren|online bankieren|mobiel bankieren|mobile banking|phone number|"
    "telefoonnummer|phone banking|zorg ervoor|zorg dat|transfer money|geld overmaken|"
    "eten en drinken"
)


_NOT_FUZZY = word_set(
    """uitgaven uitgave betaling rekening steaming shipping opnemen warnings eventjes precies
    interesse transfer"""
)
"""Real words one letter away from a category word: never read as a typo."""


def _lexicon() -> Lexicon:
    items: list[LexiconEntry] = [LexiconEntry("gas", _GAS)]
    for category, phrases in _PHRASES.items():
        items.extend(entries(category, phrases))
    for category, phrases in _WEAK.items():
        items.extend(entries(category, phrases, weak=True))
    items.extend(entries(_NONE, _BLOCKERS))
    return Lexicon(
        sorted(items, key=lambda entry: entry.value == _NONE, reverse=True),
        fuzzy_min_length=8,
        not_fuzzy=_NOT_FUZZY,
    )


_LEXICON = _lexicon()


@dataclass(frozen=True, slots=True)
class CategoryMatch:
    """A category found in a normalised text, with the span it was read from."""

    category: str
    span: Span


def find_category(
    text: Normalized, lang: Language = "nl", taken: Sequence[Span] = ()
) -> CategoryMatch | None:
    """The first category named in `text`, ignoring words inside `taken`.

    `lang` (the reply language) only decides "gas": fuel in English, utilities in Dutch.
    """
    weak: CategoryMatch | None = None
    for hit in _LEXICON.find(text, taken):
        if hit.value == _NONE:
            continue
        category = hit.value
        if category == _GAS:
            category = "fuel" if lang == "en" else "utilities"
        if hit.weak:
            weak = weak or CategoryMatch(category, hit.span)
            continue
        return CategoryMatch(category, hit.span)
    return weak


def category_spans(text: Normalized, taken: Sequence[Span] = ()) -> list[Span]:
    """Every span that names a category or a phrase like "vaste lasten": never a merchant."""
    return [hit.span for hit in _LEXICON.find(text, taken)]


def extract_category(text: str, lang: Language = "nl") -> str | None:
    """The spending category a customer names in `text` ("boodschappen" -> "groceries")."""
    found = find_category(normalize(text), lang)
    return None if found is None else found.category
