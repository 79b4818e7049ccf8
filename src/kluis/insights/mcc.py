"""ISO 18245 merchant category codes, mapped to our spending categories.

A card payment carries the four-digit code the acquirer gave the merchant. It says what kind
of business the merchant is, not what the customer bought, so it is good evidence but not the
best: a known merchant name beats it (`merchant_knowledge`). Ranges come first and single
codes refine them; a code we have no opinion on maps to nothing, never to a guess.

Decisions worth knowing:

- 4899 (cable and pay TV) is `subscriptions`: on cards it is mostly streaming; cable bills
  come as direct debits from a telecom company, which the creditor's name settles.
- 4812 (telephone equipment) is `shopping`: a phone is goods; 4814/4816 (the service) is
  `telecom`.
- 5300 (wholesale clubs) is `groceries`, 5921 (liquor stores) is `groceries`.
- 5734 (software stores) is `shopping`; 7372 (programming, data processing: cloud and SaaS
  billing) and 5815/5817 (digital media, apps) are `subscriptions`; 5816 (digital games) is
  `entertainment`.
- 5940 (bicycle shops, sales and repair) is `transport`, like car repairs.
- 5945 (toy and hobby shops) and 5641 (children's wear) are `kids`.
- 7997 (membership clubs: sports, gyms) is `subscriptions`, as the contract puts gyms there.
- Personal care (hairdressers, 7230), postal services (9402), fines (9222) are `other`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kluis.domain import Category

# (first, last, category), inclusive; later rows and `_CODES` refine earlier ones.
_RANGES: Final[tuple[tuple[int, int, Category], ...]] = (
    (1, 1499, "other"),  # agricultural services
    (1500, 2999, "housing"),  # contractors: building, heating, electrical, roofing
    (3000, 3350, "travel"),  # airlines by name
    (3351, 3500, "travel"),  # car rental by name
    (3501, 3999, "travel"),  # hotels and resorts by name
    (4000, 4799, "transport"),  # passenger transport, tolls
    (4800, 4899, "telecom"),
    (4900, 4999, "utilities"),
    (5000, 5199, "shopping"),  # wholesale and durable goods
    (5200, 5399, "shopping"),  # home supply, department and discount stores
    (5400, 5499, "groceries"),
    (5500, 5599, "transport"),  # car dealers, parts, tyres
    (5600, 5699, "shopping"),  # clothing
    (5700, 5799, "shopping"),  # furniture, appliances, electronics, music
    (5800, 5899, "shopping"),  # antiques; 5811-5814 and digital goods refined below
    (5811, 5814, "eating_out"),
    (5900, 5999, "shopping"),  # other retail
    (6000, 6099, "transfers"),  # financial institutions, money orders
    (6200, 6299, "transfers"),  # brokers: investments
    (6300, 6399, "insurance"),
    (6500, 6599, "housing"),  # real estate
    (7000, 7099, "travel"),  # lodging, camps, campgrounds
    (7200, 7299, "other"),  # personal services
    (7300, 7399, "other"),  # business services
    (7500, 7599, "transport"),  # car rental (refined below), parking, car repairs
    (7600, 7699, "other"),  # repair shops
    (7800, 7999, "entertainment"),
    (8000, 8099, "health"),
    (8100, 8199, "other"),  # legal services
    (8200, 8299, "education"),
    (8300, 8399, "charity"),
    (8600, 8699, "subscriptions"),  # membership organisations
    (8700, 8999, "other"),  # professional services
    (9100, 9299, "other"),  # courts, fines, bail
    (9300, 9399, "taxes"),
    (9400, 9499, "other"),  # postal services, intra-government
)

_CODES: Final[dict[int, Category]] = {
    742: "pets",  # veterinary services
    780: "housing",  # landscaping and garden services
    2741: "other",  # publishing and printing
    2791: "other",
    2842: "shopping",  # cleaning preparations
    4119: "health",  # ambulance services
    4214: "other",  # moving and storage, delivery
    4215: "other",  # couriers
    4225: "other",  # storage
    4411: "travel",  # cruise lines
    4457: "travel",  # boat rentals
    4468: "entertainment",  # marinas
    4511: "travel",  # airlines
    4582: "travel",  # airports
    4722: "travel",  # travel agencies, tour operators
    4723: "travel",  # package tours
    4812: "shopping",  # telephone equipment
    4829: "transfers",  # money orders, wire transfers
    4899: "subscriptions",  # cable and pay TV: streaming on cards
    5047: "health",  # medical and dental supplies
    5122: "health",  # drugs, druggists' sundries
    5172: "fuel",  # petroleum products
    5300: "groceries",  # wholesale clubs
    5541: "fuel",  # service stations
    5542: "fuel",  # automated fuel dispensers
    5551: "shopping",  # boat dealers
    5561: "shopping",  # trailers
    5592: "shopping",  # motor homes
    5598: "shopping",  # snowmobiles
    5641: "kids",  # children's and infants' wear
    5815: "subscriptions",  # digital media: books, films, music
    5816: "entertainment",  # digital games
    5817: "subscriptions",  # digital applications
    5912: "health",  # drug stores and pharmacies
    5921: "groceries",  # beer, wine and liquor stores
    5940: "transport",  # bicycle shops: sales and repair
    5945: "kids",  # toy, hobby and game shops
    5960: "insurance",  # direct marketing of insurance
    5962: "travel",  # direct marketing of travel
    5968: "subscriptions",  # continuity and subscription merchants
    5975: "health",  # hearing aids
    5976: "health",  # orthopaedic goods
    5983: "fuel",  # fuel oil, wood, coal, LPG
    5995: "pets",  # pet shops and pet food
    6010: "cash",  # manual cash disbursements
    6011: "cash",  # automated cash machines
    6050: "cash",  # quasi cash
    6051: "transfers",  # foreign currency, money orders, crypto and wallet top-ups
    6513: "housing",  # real estate agents: rentals
    6540: "transfers",  # loading a stored-value card or wallet (not real estate)
    7012: "travel",  # timeshares
    7032: "travel",  # recreational camps
    7277: "health",  # counselling
    7276: "other",  # tax preparation
    7372: "subscriptions",  # programming and data processing: cloud and SaaS billing
    7375: "subscriptions",  # information retrieval services
    7511: "fuel",  # truck stops
    7512: "travel",  # car rental
    7519: "travel",  # motor home rental
    7623: "housing",  # heating and air-conditioning repair
    7641: "housing",  # furniture repair and refinishing
    7911: "entertainment",  # dance halls and studios
    7997: "subscriptions",  # membership clubs: sports, gyms
    8351: "kids",  # child care
    8651: "charity",  # political organisations
    8661: "charity",  # religious organisations
    8675: "transport",  # automobile associations
    9311: "taxes",
    9399: "taxes",  # government services: municipal fees
    9405: "other",
}


def _table() -> tuple[Category | None, ...]:
    table: list[Category | None] = [None] * 10_000
    for first, last, category in _RANGES:
        table[first : last + 1] = [category] * (last - first + 1)
    for code, category in _CODES.items():
        table[code] = category
    return tuple(table)


_TABLE: Final = _table()


def category_for_mcc(code: str | None) -> Category | None:
    """Our category for a merchant category code ("5411", or "742" without its zero).

    None when there is no code, it is not a number of at most four digits, or the code is
    one we do not map (Visa and Mastercard internal codes, unassigned ranges).
    """
    if not code or len(code) > 4 or not code.isascii() or not code.isdigit():
        return None
    return _TABLE[int(code)]
