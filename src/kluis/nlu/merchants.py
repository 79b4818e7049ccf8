"""Merchants: "bij de Appie" -> "albert heijn", "did Netflix charge me" -> "netflix".

Known merchants come from a gazetteer of shops, services and payees that customers of a Dutch
bank mention, with their nicknames and common spellings. A merchant Kluis does not know is
still found after "bij", "at", "betaald aan", "payment from", "did X charge me": it is returned
lowercased as the customer wrote it ("bij de bakker van Dam" -> "bakker van dam").

Decisions:
- "t-mobile" is "odido" (T-Mobile Netherlands was renamed Odido in 2023); `merchant_aliases`
  gives the old name too, so transactions under either name can be matched.
- Short names that are also ordinary words ("plus", "action", "target", "mac", "bol") count
  only after "bij", "at", "de", "van", ... or as a whole message.
- "naar X" / "to X" name a payee only next to a transfer word ("20 euro naar Piet
  overgemaakt", "sent to Piet"); "aan X" / "on X" only next to a spending word ("uitgegeven
  aan de kapper"). Category and account words are never merchant names ("aan boodschappen").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kluis.nlu.accounts import find_accounts
from kluis.nlu.categories import category_spans
from kluis.nlu.numbers import is_number_word
from kluis.nlu.periods import MONTHS, WEEKDAYS
from kluis.nlu.text import (
    Lexicon,
    LexiconEntry,
    Normalized,
    Span,
    entries,
    free_tokens,
    normalize,
    word_set,
)

# One merchant a line: the canonical name first, then nicknames and spellings. "~" marks a
# name that is also an ordinary word and needs a context ("bij de plus").
MERCHANTS: tuple[str, ...] = (
    # supermarkets and drugstores
    "albert heijn|~ah|appie|ah to go|albert hein|albertheijn|albert heyn|ah.nl|ah xl",
    "jumbo|jumbo supermarkten|jumbo.com",
    "lidl",
    "aldi",
    "~plus|plus supermarkt",
    "~dirk|dirk van den broek",
    "~coop|coop supermarkt",
    "~spar|spar city",
    "vomar",
    "hoogvliet",
    "~deen|deen supermarkten",
    "poiesz",
    "dekamarkt|deka markt",
    "jan linders",
    "~picnic|picnic boodschappen",
    "ekoplaza",
    "~flink",
    "delhaize",
    "colruyt",
    "carrefour",
    "kruidvat",
    "etos",
    "trekpleister",
    # shops
    "hema",
    "~action|action winkel",
    "~blokker",
    "primark",
    "h&m|h en m|h and m|hennes & mauritz",
    "zara",
    "c&a|c en a",
    "wehkamp",
    "bol.com|bolcom|~bol",
    "coolblue",
    "zalando",
    "mediamarkt|media markt|mediamarket",
    "ikea",
    "gamma",
    "praxis",
    "karwei",
    "hornbach",
    "intertoys",
    "bart smit",
    "xenos",
    "rituals",
    "decathlon",
    "jysk",
    "leen bakker",
    "kwantum",
    "de bijenkorf|bijenkorf",
    "amazon|amazon.com|amazon.nl|amazon.de|amazon.co.uk|amazon prime|amzn",
    "aliexpress|ali express",
    "temu",
    "shein",
    "vinted",
    "marktplaats",
    "nike",
    "adidas",
    "uniqlo",
    "apple|apple.com|icloud|itunes|app store|apple store|apple music|apple tv",
    "google|google play|google one|google cloud",
    "microsoft|microsoft 365|office 365",
    "xbox|xbox game pass",
    "playstation|psn|playstation network|playstation plus",
    "nintendo",
    "~steam",
    # american and british shops
    "walmart",
    "~target",
    "costco",
    "best buy|bestbuy",
    "home depot|the home depot",
    "whole foods|whole foods market",
    "trader joe's|trader joes|trader joe",
    "cvs|cvs pharmacy",
    "walgreens",
    "kroger",
    "safeway",
    "7-eleven|7 eleven|seven eleven",
    "tesco",
    "sainsbury's|sainsburys|sainsbury",
    "asda",
    "morrisons",
    "waitrose",
    "~boots",
    "argos",
    "marks & spencer|m&s|marks and spencer|marks en spencer",
    "john lewis",
    # food and drink
    "mcdonald's|mcdonalds|mcdonald|mc donalds|mc donald's|mc donald|mcdo|mcd|macdonalds|"
    "mac donalds|mickey d's|~mac",
    "burger king",
    "kfc",
    "starbucks|starbuck",
    "~subway",
    "domino's|dominos|domino's pizza|dominos pizza",
    "new york pizza|nyp",
    "febo",
    "five guys",
    "wagamama",
    "vapiano",
    "la place",
    "smullers",
    "dunkin|dunkin donuts|dunkin' donuts",
    "chipotle",
    "pret a manger|~pret",
    "greggs",
    "nando's|nandos",
    "costa coffee|~costa",
    "thuisbezorgd|thuisbezorgd.nl|just eat takeaway",
    "just eat",
    "uber eats|ubereats",
    "deliveroo",
    "doordash",
    "grubhub",
    "instacart",
    # transport and fuel
    "ns|de ns|ns.nl|nederlandse spoorwegen|ns international",
    "gvb",
    "ret",
    "htm",
    "arriva",
    "connexxion",
    "qbuzz",
    "keolis",
    "ebs",
    "~de lijn",
    "nmbs|sncb",
    "stib",
    "uber",
    "bolt",
    "lyft",
    "swapfiets",
    "q-park|qpark",
    "parkmobile",
    "yellowbrick",
    "easypark",
    "anwb",
    "greenwheels",
    "felyx",
    "flixbus",
    "eurostar",
    "thalys",
    "tfl|transport for london",
    "trainline",
    "shell",
    "bp",
    "esso",
    "tango",
    "tinq",
    "texaco",
    "totalenergies|total energies",
    "avia",
    "q8",
    "fastned",
    # energy, water, telecom
    "vattenfall|nuon",
    "eneco",
    "essent",
    "greenchoice",
    "budget energie",
    "vandebron",
    "engie",
    "oxxio",
    "energiedirect|energiedirect.nl",
    "pure energie",
    "frank energie",
    "tibber",
    "vitens",
    "waternet",
    "evides",
    "brabant water",
    "pwn",
    "dunea",
    "oasen",
    "kpn",
    "vodafone",
    "odido|t-mobile|tmobile|t mobile",
    "ziggo",
    "tele2",
    "simyo",
    "lebara",
    "youfone",
    "hollandsnieuwe",
    "budget mobiel",
    "telenet",
    "proximus",
    "verizon",
    "at&t|at and t",
    "comcast|xfinity",
    # insurance
    "zilveren kruis",
    "cz",
    "centraal beheer",
    "univé|unive",
    "ohra",
    "interpolis",
    "fbto",
    "menzis",
    "vgz",
    "achmea",
    "nationale nederlanden|~nn",
    "aegon",
    "allianz",
    "a.s.r.|~asr",
    "ditzo",
    "inshared",
    # subscriptions, gyms, media
    "basic-fit|basic fit|basicfit",
    "sportcity",
    "anytime fitness",
    "netflix",
    "spotify",
    "disney+|disney plus|disney|disneyplus",
    "videoland",
    "hbo max|hbo|hbomax",
    "youtube premium|youtube|yt premium",
    "viaplay",
    "npo plus|npo start",
    "chatgpt|openai",
    "adobe",
    "dropbox",
    "audible",
    "storytel",
    "linkedin",
    "nrc",
    "de volkskrant|volkskrant",
    "de telegraaf|telegraaf",
    # payments and money apps
    "tikkie",
    "paypal|pay pal",
    "klarna",
    "afterpay|riverty",
    "~wise",
    "revolut",
    "venmo",
    "zelle",
    # travel
    "booking.com|booking com|~booking",
    "airbnb",
    "transavia",
    "klm",
    "easyjet",
    "ryanair",
    "tui",
    "corendon",
    "center parcs",
    "landal",
    "expedia",
    "hotels.com",
    "vueling",
    "lufthansa",
    "sunweb",
    "sixt",
    "hertz",
    "europcar",
    # public bodies and parcels
    "duo",
    "cjib",
    "postnl",
    "dhl",
)

_ALIASES: dict[str, tuple[str, ...]] = {}
_ENTRIES: list[LexiconEntry] = []
for _line in MERCHANTS:
    _names = [name.strip() for name in _line.split("|") if name.strip()]
    _canonical = _names[0].lstrip("~")
    _ALIASES[_canonical] = tuple(name.lstrip("~") for name in _names)
    _ENTRIES.extend(
        LexiconEntry(name.lstrip("~"), _canonical, name.startswith("~")) for name in _names
    )

# wallets and sayings, not merchants: "betaald met apple pay", "een medewerker aan de lijn"
_ENTRIES.extend(
    entries("", "apple pay|google pay|samsung pay|garmin pay|fitbit pay|aan de lijn|in de lijn")
)

_LEXICON = Lexicon(
    _ENTRIES,
    fuzzy_min_length=7,
    # real words one letter away from a merchant's name: never read as a typo
    not_fuzzy=word_set("primary blocker blockers blokken blokkeer blokeer actions targets boeking"),
)

_WEAK_CONTEXT = word_set("bij at de het van naar aan from to via by op met with")
_ARTICLES = word_set("de het t the a an een mijn my mn m n onze our")
_PARTICLES = word_set("van de der den het t la le du di da del von ter ten y and &")
_SPEND = word_set(
    """uitgegeven uitgeven uitgaven uitgave gaf geef geeft besteed besteden betaald betaal betaalde
    betalen betaling betalingen kwijt spent spend spending spends paid pay paying payment payments
    afgeschreven gespendeerd verspild uit kost kostte costs cost"""
)
_SHOPPING = _SPEND | word_set(
    """hoeveel much transacties transactie transactions transaction afschrijving afschrijvingen
    gekocht bought besteld ordered gelaten aankopen aankoop purchases purchase gepind getankt
    bestellingen charges charged charge gespend verkwist blow blew splash splashed afgerekend
    receipt bonnetje bonnetjes"""
)
"""Words that make "bij X" / "at X" a place where money was spent (not "bij de kassa")."""
_TRANSFER = word_set(
    """overgemaakt overmaken overmaak maak gemaakt gestuurd sturen stuur stuurde overgeboekt
    overboeking overboekingen overschrijving betaald betaling betalingen geld euro euros tikkie
    over sent send paid pay payment payments transfer transferred transfers money wire wired
    gave give"""
)
_TO_BEFORE = word_set(
    """sent send paid pay transfer transferred transfers payment payments money wire wired gave
    give euro euros dollars pounds"""
)
_FROM_BEFORE = word_set(
    """betaling betalingen afschrijving afschrijvingen incasso incassos factuur factuurtje
    terugbetaling terugstorting storting stortingen geld bedrag bedragen payment payments charge
    charges refund refunds debit debits transaction transactions transactie transacties money
    bill bills invoice purchase purchases received got"""
)
_BY_BEFORE = word_set("charged billed debited paid charges")
_CHARGE_VERBS = word_set(
    """charge charged bill billed take taken debit debited afgeschreven geincasseerd
    gefactureerd geschreven gerekend"""
)
_CHARGE_FILLERS = word_set("al nog me mij geld iets weer again already you")
_STOP = (
    word_set(
        """ik jij je u hij zij ze we wij jullie hun hen mij me mijn jouw uw ons onze zijn haar dit
    dat deze die wat wie welke waar wanneer hoe hoeveel waarom en of maar want dus als dan toen
    nu nog al ook niet geen wel er hier daar van aan bij in op uit met voor naar over onder tot
    door om te na tegen sinds vanaf tussen zonder per via is was ben bent waren heb hebt heeft
    hebben had hadden wordt worden werd kan kun kunt kon moet moeten mag mogen wil willen zou zal
    gaat ga gaan doe doet deed gedaan krijg kreeg gekregen maak maakte gemaakt gekocht kopen koop
    kocht totaal allemaal alles iets niks niets elke elk alle keer laatste eerste vorige vorig
    afgelopen volgende komende huidige the a an i you he she it they them me my mine your our us
    him her their this that these those what who whom which where when how much many why and or
    but so if then than now still already also not no yes is was are were be been am have has
    had do does did done can could will would shall should may might must get got buy bought
    purchase purchased send sent money total all everything anything something every last first
    next previous past today yesterday tomorrow week weeks month months year years day days
    quarter weekend vandaag gisteren morgen maand maanden jaar jaren dag dagen kwartaal weken
    euro euros eur dollar dollars pound pounds pond cent cents meer minder more less dan boven
    under above below ongeveer about around rond circa least most once home thuis werk work
    moment tijd time benadering elkaar voorbaat bank banken app website site online winkel
    winkels store shop shops shopping place plaats rekening rekeningen account accounts kaart
    card cards pas passen saldo balance transacties transactions transactie transaction
    afschrijving afschrijvingen uitgegeven uitgeven betaald betaal betalen spent spend spending
    paid pay charged charge charges afgeschreven geincasseerd overgemaakt gestuurd besteed kwijt
    bill bills geld cash contant ja nee yes no ok oke please alsjeblieft graag dank thanks bedankt
    hoi hallo hey hi nou even eens toch zo zoals like for from to at by on with of into onto out
    up down off again please show laat zien tonen geef give tell vertel iemand someone anyone
    somebody anybody everyone iedereen alleen only just net wel ever ooit nooit never samen
    together all hele whole ander andere other others betalingen betaling payments payment
    uitgaven uitgave aankopen purchases bestellingen orders laag lage hoog hoge groot grote klein
    kleine nieuw nieuwe oud oude inkomende uitgaande onbekende verdachte vreemde nep valse big
    small large new old incoming outgoing unknown suspicious strange fake welk welke some any
    medewerker employee kassa buren neighbours data night nacht start begin eind end einde
    overdraft abroad buitenland bedrijf company come came komt kwam binnen while terwijl sturen
    versturen overmaken overboeken storten opnemen vaste lasten drank rekeningnummer verkeerde
    wrong verkeerd automaat machine filiaal branch"""
    )
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
)
_ALLOWED_GAPS = frozenset({" ", "'", " '", "-", "&", " & ", " - ", ".", "+"})
_MAX_NAME_TOKENS = 5
_MAX_ATTEMPTS = 16


@dataclass(frozen=True, slots=True)
class MerchantMatch:
    """A merchant found in a normalised text, with the span it was read from."""

    merchant: str
    span: Span
    known: bool


def merchant_aliases(merchant: str) -> tuple[str, ...]:
    """The names a known merchant goes by ("odido" -> "odido", "t-mobile", ...), or itself."""
    return _ALIASES.get(merchant, (merchant,))


def known_merchants() -> tuple[str, ...]:
    """The canonical names of all merchants Kluis knows."""
    return tuple(_ALIASES)


def _known(text: Normalized, taken: Sequence[Span]) -> MerchantMatch | None:
    tokens = text.tokens
    for hit in _LEXICON.find(text, taken):
        if not hit.value:
            continue
        if hit.weak:
            alone = hit.first == 0 and hit.last == len(tokens)
            after_context = hit.first > 0 and tokens[hit.first - 1].text in _WEAK_CONTEXT
            if not (alone or after_context):
                continue
        return MerchantMatch(hit.value, hit.span, known=True)
    return None


def _name_at(
    text: Normalized, index: int, free: list[bool], own: list[bool]
) -> tuple[int, int] | None:
    """The token range (first, last exclusive) of an unknown name starting at `index`.

    Words that are not `own` (category words: "café", "pizza") may be part of a name, but a
    name needs one own word ("café Brüll"): "aan boodschappen" names no merchant.
    """
    tokens = text.tokens
    while index < len(tokens) and tokens[index].text in _ARTICLES and free[index]:
        index += 1
    last = index
    while last < len(tokens) and last - index < _MAX_NAME_TOKENS:
        token = tokens[last]
        if last > index:
            gap = text.text[tokens[last - 1].end : token.start]
            abbreviation = gap == ". " and len(tokens[last - 1].text) <= 2  # "st. john's"
            if gap not in _ALLOWED_GAPS and not abbreviation:
                break
        word = token.text
        if not free[last] or any(char.isdigit() for char in word) or is_number_word(word):
            break
        if word in _PARTICLES and last > index:
            last += 1
            continue
        if word in _STOP or (word in _PARTICLES and last == index):
            break
        last += 1
    while last > index and tokens[last - 1].text in _PARTICLES:
        last -= 1
    own_words = [
        position
        for position in range(index, last)
        if own[position] and tokens[position].text not in _PARTICLES
    ]
    return (index, last) if own_words else None


def _charged_after(text: Normalized, last: int) -> bool:
    tokens = text.tokens
    while last < len(tokens) and tokens[last].text in _CHARGE_FILLERS:
        last += 1
    return last < len(tokens) and tokens[last].text in _CHARGE_VERBS


def _triggered(word: str, before: str, words: set[str]) -> bool:
    return (
        word in ("bij", "at")
        or (word in ("aan", "on") and bool(words & _SPEND))
        or (word == "naar" and bool(words & _TRANSFER))
        or (word == "to" and (before in _TO_BEFORE or before.isdigit()))
        or (word in ("van", "from") and before in _FROM_BEFORE)
        or (word == "by" and before in _BY_BEFORE)
    )


def _terse(text: Normalized, trigger: int, last: int, free: list[bool]) -> bool:
    """Whether "bij X" is a fragment on its own ("bij de bakker van Dam vorige maand").

    Without a word about spending, "bij X" is a merchant only near the start of a message
    and followed by nothing but a period or small words: not "laat mijn pas bij de kassa
    liggen", "hoe kom ik bij het station".
    """
    rest = range(last, len(text.tokens))
    return trigger <= 2 and all(
        not free[index] or text.tokens[index].text in _STOP for index in rest
    )


def _unknown(
    text: Normalized, taken: Sequence[Span], soft_taken: Sequence[Span]
) -> MerchantMatch | None:
    tokens = text.tokens
    words = {token.text for token in tokens}
    free = free_tokens(text, taken)
    own = free_tokens(text, soft_taken)
    attempts = 0
    for index, token in enumerate(tokens):
        if not free[index] or attempts >= _MAX_ATTEMPTS:
            continue
        word = token.text
        charge_question = word in ("did", "has", "have", "heeft", "hebben")
        before = tokens[index - 1].text if index > 0 else ""
        if not (charge_question or _triggered(word, before, words)):
            continue
        attempts += 1
        found = _name_at(text, index + 1, free, [True] * len(tokens) if charge_question else own)
        if found is None:
            continue
        first, last = found
        if charge_question and not _charged_after(text, last):
            continue
        if word in ("bij", "at") and not (words & _SHOPPING or _terse(text, index, last, free)):
            continue
        start, end = tokens[first].start, tokens[last - 1].end
        name = text.raw(start, end).lower()
        return MerchantMatch(name, Span(start, end), known=False)
    return None


def find_merchant(
    text: Normalized, taken: Sequence[Span] = (), soft_taken: Sequence[Span] = ()
) -> MerchantMatch | None:
    """The merchant in `text`: a known one first, else a name after "bij", "at", ...

    Known names skip words inside `taken` (periods, amounts, accounts). An unknown name also
    may not consist of words inside `soft_taken` (categories) alone, so that "aan
    boodschappen" names no merchant while "bij café Brüll" does.
    """
    known = _known(text, taken)
    if known is not None:
        return known
    return _unknown(text, taken, soft_taken)


def extract_merchant(text: str) -> str | None:
    """The merchant a customer names in `text` ("bij de Appie" -> "albert heijn"), or None."""
    normalized = normalize(text)
    accounts = [match.span for match in find_accounts(normalized)]
    found = find_merchant(normalized, accounts, category_spans(normalized, accounts))
    return None if found is None else found.merchant
