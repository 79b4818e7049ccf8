"""Where the demo customers use their cards in the Netherlands.

Each `Merchant` says how it appears on a statement (its counterparty label, with the
store number and city filled in), its category, its ISO 18245 merchant category code and
what a purchase there usually costs. Merchants are grouped (`MerchantGroup`) by the kind
of spending a customer profile mixes: groceries, eating out, shopping and so on.
Foreign merchants and holiday destinations live in `merchants_abroad`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Final, Literal

from kluis.domain import Category

Hours = Literal["morning", "day", "meal", "evening", "night", "online", "commute"]
"""When in the day a merchant is typically paid: picks a realistic time of day."""

MerchantRow = tuple[str, str, str, tuple[float, float, float], Hours, float]
"""(name, label, MCC, (low, typical, high) price in whole units, hours, popularity)."""


@dataclass(frozen=True, slots=True)
class Merchant:
    """A card acceptor.

    `label` is the counterparty text on a statement; it may hold `{store}` (a four-digit
    store number) and `{city}`. A label without `{city}` is an online or nationwide
    merchant. Amounts are in cents of `currency`: most purchases cost about `typical`,
    never less than `low` or more than `high`. `popularity` weighs the merchant against
    the others in its group. `cities`, when set, are the only places the merchant has a
    shop (IKEA is not in every town).
    """

    name: str
    label: str
    category: Category
    mcc: str
    low: int
    typical: int
    high: int
    hours: Hours = "day"
    popularity: float = 1.0
    currency: str = "EUR"
    cities: tuple[str, ...] = ()

    @property
    def local(self) -> bool:
        """Whether the label names a city, i.e. the purchase happens in a shop."""
        return "{city}" in self.label

    def counterparty(self, store: int, city: str) -> str:
        """The statement text for a purchase at store `store` in `city`."""
        return self.label.format(store=store, city=city)


@dataclass(frozen=True, slots=True)
class MerchantGroup:
    """Merchants of one kind of spending; a profile weighs groups against each other."""

    key: str
    merchants: tuple[Merchant, ...]

    def named(self, name: str) -> Merchant:
        """The merchant called `name`; a `KeyError` names a typo in the catalogue."""
        for candidate in self.merchants:
            if candidate.name == name:
                return candidate
        raise KeyError(name)


def merchant_group(
    key: str, category: Category, *rows: MerchantRow, currency: str = "EUR"
) -> MerchantGroup:
    """A group of merchants of one category from compact catalogue rows."""
    merchants = tuple(
        Merchant(
            name,
            label,
            category,
            mcc,
            round(low * 100),
            round(typical * 100),
            round(high * 100),
            hours,
            popularity,
            currency,
        )
        for name, label, mcc, (low, typical, high), hours, popularity in rows
    )
    return MerchantGroup(key, merchants)


DUTCH_CITIES: Final = (
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Haarlem",
    "Leiden",
    "Groningen",
    "Eindhoven",
    "Zwolle",
    "Arnhem",
    "Nijmegen",
    "Amersfoort",
    "Delft",
    "Breda",
)
"""Where customers shop when they are not at home (day trips, visits)."""

GROCERIES: Final = merchant_group(
    "groceries",
    "groceries",
    ("Albert Heijn", "Albert Heijn {store} {city}", "5411", (4, 31, 135), "day", 3.0),
    ("AH to go", "AH to go {store} {city}", "5411", (2.5, 7.5, 19), "commute", 1.0),
    ("Jumbo", "Jumbo {city}", "5411", (4, 34, 140), "day", 2.0),
    ("Lidl", "Lidl {store} {city}", "5411", (5, 29, 95), "day", 1.5),
    ("Aldi", "ALDI {city}", "5411", (5, 26, 80), "day", 0.8),
    ("Plus", "PLUS {city}", "5411", (4, 27, 90), "day", 1.0),
    ("Dirk", "Dirk vd Broek {store} {city}", "5411", (4, 25, 85), "day", 0.7),
    ("Ekoplaza", "Ekoplaza {city}", "5411", (5, 23, 70), "day", 0.4),
    ("Spar", "SPAR {city}", "5411", (3, 11, 40), "day", 0.4),
    ("Bakkerij Bart", "Bakkerij Bart {city}", "5462", (2.5, 7, 20), "morning", 0.6),
    ("Gall & Gall", "Gall & Gall {city}", "5921", (8, 21, 70), "day", 0.3),
)
ALBERT_HEIJN: Final = GROCERIES.named("Albert Heijn")

EATING_OUT: Final = merchant_group(
    "eating_out",
    "eating_out",
    ("Thuisbezorgd", "Thuisbezorgd.nl", "5814", (14, 29, 62), "evening", 1.5),
    ("McDonald's", "McDonald's {city}", "5814", (4, 11, 30), "meal", 1.2),
    ("Burger King", "Burger King {city}", "5814", (5, 12, 28), "meal", 0.5),
    ("FEBO", "FEBO {city}", "5814", (2.5, 6, 15), "evening", 0.5),
    ("Domino's", "Domino's Pizza {city}", "5814", (12, 26, 48), "evening", 0.6),
    ("New York Pizza", "New York Pizza {city}", "5814", (12, 24, 45), "evening", 0.5),
    ("Uber Eats", "Uber Eats", "5814", (14, 27, 55), "evening", 0.4),
    ("Starbucks", "Starbucks {city} Centraal", "5814", (3.5, 6, 14), "morning", 0.7),
    ("Coffee Company", "Coffee Company {city}", "5814", (3, 5.5, 12), "morning", 0.6),
    ("Smullers", "Smullers {city} CS", "5814", (3, 7, 14), "commute", 0.5),
    ("Bagels & Beans", "Bagels & Beans {city}", "5812", (6, 14, 32), "day", 0.5),
    ("La Place", "La Place {city}", "5812", (8, 16, 35), "meal", 0.4),
    ("Vapiano", "Vapiano {city}", "5812", (14, 32, 75), "meal", 0.4),
    ("Wagamama", "Wagamama {city}", "5812", (16, 38, 85), "meal", 0.4),
    ("Loetje", "Loetje {city}", "5812", (25, 58, 140), "meal", 0.4),
    ("Eetcafe De Zwaan", "Eetcafe De Zwaan {city}", "5812", (20, 47, 120), "meal", 0.6),
    ("Sushi Sensei", "Sushi Sensei {city}", "5812", (18, 42, 95), "meal", 0.4),
    ("Cafe De Buurvrouw", "Cafe De Buurvrouw {city}", "5813", (5, 19, 65), "night", 0.6),
)
THUISBEZORGD: Final = EATING_OUT.named("Thuisbezorgd")

_SHOPS: Final = merchant_group(
    "shopping",
    "shopping",
    ("Bol.com", "Bol.com", "5999", (8, 34, 220), "online", 1.5),
    ("Coolblue", "Coolblue B.V.", "5732", (20, 119, 900), "online", 0.4),
    ("Zalando", "Zalando SE", "5651", (20, 69, 180), "online", 0.6),
    ("Amazon.nl", "Amazon.nl", "5999", (8, 29, 120), "online", 0.6),
    ("Wehkamp", "Wehkamp", "5311", (15, 49, 150), "online", 0.2),
    ("HEMA", "HEMA {city}", "5311", (3, 14, 60), "day", 1.5),
    ("Action", "Action {store} {city}", "5331", (3, 17, 60), "day", 1.5),
    ("Blokker", "Blokker {city}", "5719", (5, 19, 80), "day", 0.5),
    ("MediaMarkt", "MediaMarkt {city}", "5732", (15, 79, 650), "day", 0.3),
    ("IKEA", "IKEA {city}", "5712", (10, 85, 450), "day", 0.3),
    ("Gamma", "GAMMA {city}", "5200", (4, 34, 220), "day", 0.5),
    ("Praxis", "Praxis {city}", "5200", (4, 31, 200), "day", 0.4),
    ("Karwei", "Karwei {city}", "5211", (4, 29, 180), "day", 0.3),
    ("Primark", "Primark {city}", "5651", (8, 32, 90), "day", 0.4),
    ("H&M", "H&M {city}", "5651", (10, 39, 120), "day", 0.6),
    ("Zara", "Zara {city}", "5691", (20, 55, 160), "day", 0.4),
    ("Decathlon", "Decathlon {city}", "5941", (8, 45, 250), "day", 0.3),
    ("Bruna", "Bruna {city}", "5942", (3, 12, 40), "day", 0.5),
    ("Flying Tiger", "Flying Tiger {city}", "5331", (3, 10, 30), "day", 0.3),
    ("de Bijenkorf", "de Bijenkorf {city}", "5311", (25, 89, 400), "day", 0.2),
)
SHOPPING: Final = MerchantGroup(
    "shopping",
    tuple(
        replace(shop, cities=("Amsterdam", "Utrecht", "Delft", "Barendrecht", "Groningen"))
        if shop.name == "IKEA"
        else shop
        for shop in _SHOPS.merchants
    ),
)
BOL_COM: Final = SHOPPING.named("Bol.com")
ONLINE_SHOPS: Final = tuple(shop for shop in SHOPPING.merchants if shop.hours == "online")
"""Web shops customers send things back to: where most refunds come from."""

HEALTH: Final = merchant_group(
    "health",
    "health",
    ("Kruidvat", "Kruidvat {store} {city}", "5912", (2.5, 12, 45), "day", 1.5),
    ("Etos", "Etos {city}", "5912", (2.5, 11, 40), "day", 1.0),
    ("BENU Apotheek", "BENU Apotheek {city}", "5912", (4, 12, 40), "day", 0.4),
    ("Holland & Barrett", "Holland & Barrett {city}", "5912", (5, 18, 50), "day", 0.3),
    ("Tandarts", "Tandartspraktijk Centrum {city}", "8021", (35, 85, 260), "day", 0.1),
    ("Hans Anders", "Hans Anders {city}", "8043", (20, 75, 300), "day", 0.05),
)

ENTERTAINMENT: Final = merchant_group(
    "entertainment",
    "entertainment",
    ("Pathé", "Pathe {city}", "7832", (11, 16, 42), "evening", 1.0),
    ("Vue", "Vue {city}", "7832", (10, 14, 38), "evening", 0.5),
    ("Ticketmaster", "Ticketmaster NL", "7922", (25, 68, 180), "online", 0.4),
    ("Eventim", "Eventim NL", "7922", (20, 55, 150), "online", 0.3),
    ("Steam", "Steam Purchase", "5734", (3, 15, 60), "online", 0.3),
    ("Rijksmuseum", "Rijksmuseum Amsterdam", "7991", (22.5, 22.5, 45), "day", 0.1),
    ("Efteling", "Efteling Kaatsheuvel", "7996", (35, 95, 180), "day", 0.1),
    ("Bowling", "Bowlingcentrum {city}", "7933", (15, 32, 70), "evening", 0.2),
)

PETS: Final = merchant_group(
    "pets",
    "pets",
    ("Pets Place", "Pets Place {city}", "5995", (6, 28, 90), "day", 1.0),
    ("Zooplus", "Zooplus", "5995", (20, 45, 110), "online", 0.6),
    ("Dierenkliniek", "Dierenkliniek {city}", "0742", (35, 78, 320), "day", 0.25),
)

KIDS: Final = merchant_group(
    "kids",
    "kids",
    ("Prenatal", "Prenatal {city}", "5641", (10, 42, 180), "day", 1.0),
    ("Intertoys", "Intertoys {city}", "5945", (8, 27, 90), "day", 1.0),
    ("Bart Smit", "Bart Smit {city}", "5945", (8, 24, 80), "day", 0.6),
    ("Ballorig", "Ballorig {city}", "7996", (8, 24, 60), "day", 0.5),
)

EDUCATION: Final = merchant_group(
    "education",
    "education",
    ("Studystore", "Studystore", "5942", (15, 45, 120), "online", 1.0),
    ("Coursera", "Coursera", "8299", (20, 45, 80), "online", 0.5),
)

FUEL: Final = merchant_group(
    "fuel",
    "fuel",
    ("Shell", "Shell {city}", "5541", (35, 68, 95), "day", 1.5),
    ("BP", "BP {city}", "5541", (35, 66, 95), "day", 1.0),
    ("Tango", "Tango {city}", "5542", (30, 62, 90), "day", 1.2),
    ("TinQ", "TinQ {city}", "5542", (30, 61, 90), "day", 0.8),
    ("Esso", "Esso {city}", "5541", (35, 67, 95), "day", 0.6),
    ("TotalEnergies", "TotalEnergies {city}", "5541", (35, 69, 95), "day", 0.6),
)

_TRANSPORT: Final = merchant_group(
    "transport",
    "transport",
    ("NS", "NS {city}", "4112", (3.5, 14, 45), "commute", 2.0),
    ("OV-fiets", "NS OV-fiets", "4112", (4.65, 4.65, 9.3), "commute", 0.3),
    ("Uber", "Uber *Trip help.uber.com", "4121", (9, 19, 45), "night", 0.4),
    ("Bolt", "Bolt.eu", "4121", (7, 15, 35), "night", 0.3),
    ("Q-Park", "Q-Park {city}", "7523", (3, 9, 28), "day", 0.5),
    ("Yellowbrick", "Yellowbrick parkeren", "7523", (1.5, 4.5, 14), "online", 0.5),
    ("GVB", "GVB Amsterdam", "4111", (1.2, 3.4, 9), "commute", 1.5),
    ("RET", "RET Rotterdam", "4111", (1.2, 3.2, 9), "commute", 1.5),
    ("HTM", "HTM Den Haag", "4111", (1.2, 3.1, 8), "commute", 1.5),
    ("U-OV", "U-OV Utrecht", "4111", (1.2, 2.6, 6), "commute", 1.0),
    ("Qbuzz", "Qbuzz Groningen", "4131", (1.2, 2.9, 7), "commute", 1.0),
)
CITY_TRANSIT: Final[Mapping[str, Merchant]] = MappingProxyType(
    {
        "Amsterdam": _TRANSPORT.named("GVB"),
        "Rotterdam": _TRANSPORT.named("RET"),
        "Den Haag": _TRANSPORT.named("HTM"),
        "Utrecht": _TRANSPORT.named("U-OV"),
        "Groningen": _TRANSPORT.named("Qbuzz"),
    }
)
"""The public-transport operator a customer living in a city taps in with."""


def transport(city: str, *, driver: bool = False) -> MerchantGroup:
    """How a customer in `city` travels: train, local transit, taxis and, if they drive, parking."""
    names = ["NS", "OV-fiets", "Uber", "Bolt"] + (["Q-Park", "Yellowbrick"] if driver else [])
    local = (CITY_TRANSIT[city],) if city in CITY_TRANSIT else ()
    return MerchantGroup("transport", (*local, *(_TRANSPORT.named(name) for name in names)))


_SPECIAL: Final = merchant_group(
    "special",
    "other",
    ("Geldmaat", "Geldmaat {city}", "6011", (20, 50, 200), "day", 1.0),
)
GELDMAAT: Final = replace(_SPECIAL.named("Geldmaat"), category="cash")
"""The Dutch banks' shared cash machines."""

_SUBSCRIPTIONS: Final = merchant_group(
    "subscriptions",
    "subscriptions",
    ("Netflix", "Netflix.com", "4899", (0, 0, 0), "online", 1.0),
    ("Spotify", "Spotify", "5735", (0, 0, 0), "online", 1.0),
    ("Disney+", "Disney Plus", "4899", (0, 0, 0), "online", 1.0),
    ("iCloud", "Apple.com/bill", "5734", (0, 0, 0), "online", 1.0),
    ("Spotify USA", "Spotify USA", "5735", (0, 0, 0), "online", 1.0),
)
NETFLIX: Final = _SUBSCRIPTIONS.named("Netflix")
SPOTIFY: Final = _SUBSCRIPTIONS.named("Spotify")
DISNEY_PLUS: Final = _SUBSCRIPTIONS.named("Disney+")
APPLE_ICLOUD: Final = _SUBSCRIPTIONS.named("iCloud")
SPOTIFY_USA: Final = _SUBSCRIPTIONS.named("Spotify USA")
"""Merchants of subscriptions paid by card; what they cost is set per customer."""
