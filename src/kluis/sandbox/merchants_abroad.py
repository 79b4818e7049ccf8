"""Merchants outside the Netherlands: US web shops and the places customers travel to.

The American expat among the demo customers buys from US web shops in dollars, and every
customer goes on holiday now and then: flights, a place to stay, and a week of card
payments in another country and currency. Prices are in cents of the merchant's currency;
the generator converts them to euros at the month's exchange rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from kluis.sandbox.merchants import MerchantGroup, merchant_group


@dataclass(frozen=True, slots=True)
class Destination:
    """A place customers travel to: its cities, currency and the merchants they pay there."""

    name: str
    currency: str
    cities: tuple[str, ...]
    merchants: MerchantGroup


UNITS_PER_EURO: Final[Mapping[str, float]] = MappingProxyType(
    {"EUR": 1.0, "USD": 1.10, "GBP": 0.85}
)
"""The usual exchange rates (what one euro buys); the generator lets them drift by month."""


def combined(key: str, *groups: MerchantGroup) -> MerchantGroup:
    """One group holding the merchants of several (of different categories)."""
    return MerchantGroup(key, tuple(item for group in groups for item in group.merchants))


US_ONLINE: Final = merchant_group(
    "us_online",
    "shopping",
    ("Amazon.com", "Amazon.com", "5942", (9, 34, 140), "online", 2.0),
    ("Etsy", "Etsy.com", "5999", (9, 32, 90), "online", 0.8),
    ("eBay", "eBay", "5999", (10, 38, 150), "online", 0.5),
    ("Kindle", "Kindle Svcs", "5942", (2.99, 9.99, 14.99), "online", 0.8),
    ("Target.com", "Target.com", "5310", (12, 45, 120), "online", 0.3),
    currency="USD",
)
"""US web shops an American abroad keeps ordering from, charged in dollars."""

_US: Final = combined(
    "united_states",
    merchant_group(
        "us_groceries",
        "groceries",
        ("Whole Foods", "Whole Foods Market {city}", "5411", (8, 46, 160), "day", 1.0),
        ("Trader Joe's", "Trader Joe's #{store} {city}", "5411", (8, 38, 120), "day", 1.0),
        ("Costco", "Costco Whse #{store} {city}", "5300", (30, 140, 350), "day", 0.4),
        currency="USD",
    ),
    merchant_group(
        "us_eating_out",
        "eating_out",
        ("Starbucks", "Starbucks Store {store} {city}", "5814", (3.5, 7, 16), "morning", 2.0),
        ("Chipotle", "Chipotle {store} {city}", "5814", (11, 15, 35), "meal", 1.0),
        ("Shake Shack", "Shake Shack {city}", "5814", (12, 19, 40), "meal", 0.6),
        ("Dunkin'", "Dunkin #{store} {city}", "5814", (3, 6, 14), "morning", 0.6),
        ("Diner", "Lou's Diner {city}", "5812", (18, 42, 90), "meal", 0.8),
        currency="USD",
    ),
    merchant_group(
        "us_shopping",
        "shopping",
        ("Walmart", "Walmart #{store} {city}", "5310", (8, 42, 180), "day", 1.0),
        ("Target", "Target T-{store} {city}", "5310", (8, 38, 160), "day", 1.2),
        ("Macy's", "Macy's {city}", "5311", (25, 75, 250), "day", 0.4),
        ("Barnes & Noble", "Barnes & Noble {city}", "5942", (8, 24, 70), "day", 0.4),
        currency="USD",
    ),
    merchant_group(
        "us_transport",
        "transport",
        ("Uber US", "Uber *Trip", "4121", (9, 23, 60), "night", 1.0),
        ("Lyft", "Lyft *Ride", "4121", (8, 21, 55), "night", 0.8),
        currency="USD",
    ),
    merchant_group(
        "us_health",
        "health",
        ("CVS", "CVS/Pharmacy #{store} {city}", "5912", (4, 16, 50), "day", 0.6),
        ("Walgreens", "Walgreens #{store} {city}", "5912", (4, 14, 45), "day", 0.4),
        currency="USD",
    ),
)
UNITED_STATES: Final = Destination(
    "United States", "USD", ("Chicago", "Evanston", "New York", "Boston"), _US
)

_UK: Final = combined(
    "united_kingdom",
    merchant_group(
        "uk_groceries",
        "groceries",
        ("Tesco", "Tesco Stores {store} {city}", "5411", (3, 18, 80), "day", 1.5),
        ("Sainsbury's", "Sainsbury's {city}", "5411", (3, 21, 85), "day", 1.0),
        ("M&S", "M&S Simply Food {city}", "5411", (3, 12, 40), "day", 1.0),
        currency="GBP",
    ),
    merchant_group(
        "uk_eating_out",
        "eating_out",
        ("Pret A Manger", "Pret A Manger {city}", "5814", (3, 8, 18), "meal", 1.5),
        ("Costa Coffee", "Costa Coffee {city}", "5814", (3, 5, 12), "morning", 1.0),
        ("Nando's", "Nando's {city}", "5812", (12, 28, 70), "meal", 0.8),
        ("Wetherspoon", "JD Wetherspoon {city}", "5813", (5, 18, 50), "night", 0.8),
        currency="GBP",
    ),
    merchant_group(
        "uk_transport",
        "transport",
        ("TfL", "TfL Travel Charge", "4111", (1.75, 8.5, 15), "commute", 1.5),
        ("Trainline", "Trainline.com", "4112", (12, 45, 120), "online", 0.5),
        currency="GBP",
    ),
    merchant_group(
        "uk_shopping",
        "shopping",
        ("Waterstones", "Waterstones {city}", "5942", (8, 18, 50), "day", 0.5),
        ("Boots", "Boots {city}", "5912", (3, 14, 45), "day", 0.8),
        currency="GBP",
    ),
)
UNITED_KINGDOM: Final = Destination("United Kingdom", "GBP", ("London", "Manchester", "Leeds"), _UK)

_ITALY: Final = combined(
    "italy",
    merchant_group(
        "it_groceries",
        "groceries",
        ("Conad", "Conad {city}", "5411", (5, 28, 90), "day", 1.0),
        ("Coop", "Coop {city}", "5411", (5, 26, 85), "day", 1.0),
    ),
    merchant_group(
        "it_eating_out",
        "eating_out",
        ("Trattoria da Mario", "Trattoria da Mario {city}", "5812", (25, 58, 130), "meal", 1.5),
        ("Bar Centrale", "Bar Centrale {city}", "5814", (2, 6, 18), "morning", 1.5),
        ("Gelateria del Ponte", "Gelateria del Ponte {city}", "5814", (3, 7, 15), "evening", 1.0),
    ),
    merchant_group(
        "it_other",
        "transport",
        ("Trenitalia", "Trenitalia", "4112", (9, 28, 80), "online", 0.6),
    ),
    merchant_group(
        "it_culture",
        "entertainment",
        ("Uffizi", "Galleria degli Uffizi {city}", "7991", (25, 25, 50), "day", 0.3),
    ),
)
ITALY: Final = Destination("Italy", "EUR", ("Firenze", "Bologna", "Roma"), _ITALY)

_FRANCE: Final = combined(
    "france",
    merchant_group(
        "fr_groceries",
        "groceries",
        ("Carrefour", "Carrefour {city}", "5411", (6, 42, 140), "day", 1.5),
        ("Intermarche", "Intermarche {city}", "5411", (6, 35, 120), "day", 1.0),
        ("Boulangerie", "Boulangerie du Marche {city}", "5462", (2, 7, 18), "morning", 1.2),
    ),
    merchant_group(
        "fr_eating_out",
        "eating_out",
        ("Brasserie du Port", "Brasserie du Port {city}", "5812", (25, 64, 150), "meal", 1.2),
        ("Creperie", "Creperie Ty Breiz {city}", "5812", (14, 32, 70), "meal", 0.8),
    ),
    merchant_group(
        "fr_fuel",
        "fuel",
        ("TotalEnergies FR", "TotalEnergies Relais {city}", "5541", (45, 78, 110), "day", 0.8),
    ),
    merchant_group(
        "fr_transport",
        "transport",
        ("APRR", "Peage APRR", "4784", (4, 18, 45), "day", 0.6),
    ),
)
FRANCE: Final = Destination("France", "EUR", ("Annecy", "Lyon", "Avignon"), _FRANCE)

_SPAIN: Final = combined(
    "spain",
    merchant_group(
        "es_groceries",
        "groceries",
        ("Mercadona", "Mercadona {city}", "5411", (5, 31, 110), "day", 1.5),
        ("Carrefour Express", "Carrefour Express {city}", "5411", (3, 14, 45), "day", 0.8),
    ),
    merchant_group(
        "es_eating_out",
        "eating_out",
        ("Bar La Tasca", "Bar La Tasca {city}", "5812", (12, 34, 90), "meal", 1.5),
        ("Chiringuito", "Chiringuito Playa {city}", "5813", (6, 22, 60), "evening", 1.0),
    ),
    merchant_group(
        "es_transport",
        "transport",
        ("Renfe", "Renfe Viajeros", "4112", (8, 26, 75), "online", 0.5),
    ),
)
SPAIN: Final = Destination("Spain", "EUR", ("Malaga", "Valencia", "Barcelona"), _SPAIN)

FLIGHTS: Final = merchant_group(
    "flights",
    "travel",
    ("KLM", "KLM Royal Dutch Airlines", "3010", (90, 450, 1400), "online", 1.0),
    ("Transavia", "Transavia.com", "4511", (60, 220, 600), "online", 1.0),
    ("easyJet", "easyJet", "3245", (50, 190, 500), "online", 1.0),
    ("Delta", "Delta Air Lines", "3058", (400, 850, 1600), "online", 1.0),
    ("British Airways", "British Airways", "3005", (80, 240, 600), "online", 1.0),
    ("Eurostar", "Eurostar International", "4112", (60, 180, 450), "online", 1.0),
)
LODGING: Final = merchant_group(
    "lodging",
    "travel",
    ("Booking.com", "Booking.com", "4722", (80, 600, 2500), "online", 1.0),
    ("Airbnb", "Airbnb", "7011", (80, 700, 2500), "online", 1.0),
    ("Marriott", "Marriott {city}", "3509", (150, 900, 2500), "day", 1.0),
    ("Camping", "Camping Les Pins {city}", "7011", (150, 650, 1500), "day", 1.0),
)
