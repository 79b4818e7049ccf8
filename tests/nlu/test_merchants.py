"""Merchants: the gazetteer with nicknames and typos, names Kluis does not know, and the
words that only look like merchants."""

from __future__ import annotations

import pytest

from kluis.nlu.merchants import extract_merchant, known_merchants, merchant_aliases

KNOWN = [
    ("hoeveel heb ik vorige maand bij de Appie uitgegeven?", "albert heijn"),
    ("hoeveel spent ik last month bij de appie", "albert heijn"),
    ("appie", "albert heijn"),
    ("AH", "albert heijn"),
    ("bij de ah", "albert heijn"),
    ("AH to go", "albert heijn"),
    ("Albert Heijn", "albert heijn"),
    ("albert hein", "albert heijn"),
    ("albertheijn", "albert heijn"),
    ("jumbo", "jumbo"),
    ("de Jumbo", "jumbo"),
    ("lidl", "lidl"),
    ("ALDI", "aldi"),
    ("bij de plus", "plus"),
    ("bij de dirk", "dirk"),
    ("bij de coop", "coop"),
    ("spar", "spar"),
    ("hema", "hema"),
    ("bij de action", "action"),
    ("kruidvat", "kruidvat"),
    ("kruidvat?", "kruidvat"),
    ("etos", "etos"),
    ("bol.com", "bol.com"),
    ("bol com", "bol.com"),
    ("Bol.com's", "bol.com"),
    ("bij bol", "bol.com"),
    ("coolblue", "coolblue"),
    ("zalando", "zalando"),
    ("thuisbezorgd", "thuisbezorgd"),
    ("uber eats", "uber eats"),
    ("Uber Eats bestelling", "uber eats"),
    ("deliveroo", "deliveroo"),
    ("ns", "ns"),
    ("de NS", "ns"),
    ("ns.nl", "ns"),
    ("gvb", "gvb"),
    ("ret", "ret"),
    ("htm", "htm"),
    ("shell", "shell"),
    ("bp", "bp"),
    ("esso", "esso"),
    ("tango", "tango"),
    ("tinq", "tinq"),
    ("ikea", "ikea"),
    ("gamma", "gamma"),
    ("praxis", "praxis"),
    ("karwei", "karwei"),
    ("mediamarkt", "mediamarkt"),
    ("media markt", "mediamarkt"),
    ("blokker", "blokker"),
    ("primark", "primark"),
    ("h&m", "h&m"),
    ("H & M", "h&m"),
    ("h en m", "h&m"),
    ("zara", "zara"),
    ("wehkamp", "wehkamp"),
    ("vattenfall", "vattenfall"),
    ("nuon", "vattenfall"),
    ("eneco", "eneco"),
    ("essent", "essent"),
    ("greenchoice", "greenchoice"),
    ("vitens", "vitens"),
    ("waternet", "waternet"),
    ("kpn", "kpn"),
    ("vodafone", "vodafone"),
    ("odido", "odido"),
    ("t-mobile", "odido"),
    ("T Mobile", "odido"),
    ("ziggo", "ziggo"),
    ("zilveren kruis", "zilveren kruis"),
    ("cz", "cz"),
    ("centraal beheer", "centraal beheer"),
    ("univé", "univé"),
    ("unive", "univé"),
    ("ohra", "ohra"),
    ("basic-fit", "basic-fit"),
    ("basic fit", "basic-fit"),
    ("basicfit", "basic-fit"),
    ("netflix", "netflix"),
    ("Netflix's", "netflix"),
    ("spotify", "spotify"),
    ("disney+", "disney+"),
    ("disney plus", "disney+"),
    ("videoland", "videoland"),
    ("hbo max", "hbo max"),
    ("youtube premium", "youtube premium"),
    ("youtube", "youtube premium"),
    ("apple.com", "apple"),
    ("icloud", "apple"),
    ("google", "google"),
    ("amazon.com", "amazon"),
    ("amazon.nl", "amazon"),
    ("mcdonald's", "mcdonald's"),
    ("mcdonalds", "mcdonald's"),
    ("McDonalds", "mcdonald's"),
    ("mc donalds", "mcdonald's"),
    ("mcdo", "mcdonald's"),
    ("mcd", "mcdonald's"),
    ("bij de mac", "mcdonald's"),
    ("burger king", "burger king"),
    ("kfc", "kfc"),
    ("starbucks", "starbucks"),
    ("at subway", "subway"),
    ("domino's", "domino's"),
    ("dominos", "domino's"),
    ("new york pizza", "new york pizza"),
    ("febo", "febo"),
    ("tikkie", "tikkie"),
    ("paypal", "paypal"),
    ("booking.com", "booking.com"),
    ("airbnb", "airbnb"),
    ("transavia", "transavia"),
    ("klm", "klm"),
    ("uber", "uber"),
    ("bolt", "bolt"),
    ("lyft", "lyft"),
    ("walmart", "walmart"),
    ("at target", "target"),
    ("costco", "costco"),
    ("whole foods", "whole foods"),
    ("trader joe's", "trader joe's"),
    ("trader joes", "trader joe's"),
    ("chipotle", "chipotle"),
    ("cvs", "cvs"),
    ("walgreens", "walgreens"),
    ("best buy", "best buy"),
    ("home depot", "home depot"),
    ("7-eleven", "7-eleven"),
    ("at&t", "at&t"),
]


@pytest.mark.parametrize(("text", "merchant"), KNOWN)
def test_known_merchants_and_nicknames(text: str, merchant: str) -> None:
    assert extract_merchant(text) == merchant


TYPOS = [
    ("netflx", "netflix"),
    ("netfilx", "netflix"),
    ("vodafon", "vodafone"),
    ("spotfy", "spotify"),
    ("kruitvat", "kruidvat"),
    ("zalandoo", "zalando"),
    ("thuisbezord", "thuisbezorgd"),
    ("vattenfal", "vattenfall"),
]


@pytest.mark.parametrize(("text", "merchant"), TYPOS)
def test_cheap_typos(text: str, merchant: str) -> None:
    assert extract_merchant(text) == merchant


IN_SENTENCES = [
    ("did Netflix charge me this month", "netflix"),
    ("heeft netflix al afgeschreven", "netflix"),
    ("how much did i spend at starbucks last week", "starbucks"),
    ("hoeveel gaf ik uit bij de jumbo deze maand", "jumbo"),
    ("wat kost spotify per maand", "spotify"),
    ("betaald aan KPN", "kpn"),
    ("how much from amazon", "amazon"),
    ("i paid by paypal", "paypal"),
    ("hoeveel heb ik aan uber uitgegeven", "uber"),
    ("laatste 5 betalingen aan bol", "bol.com"),
    ("uitgaven appie vorige maand meer dan 50 euro", "albert heijn"),
    ("hoeveel heb ik bij de ah to go uitgegeven", "albert heijn"),
    ("HOEVEEL BIJ DE JUMBO", "jumbo"),
    ("whats my spending at mcdo", "mcdonald's"),
]


@pytest.mark.parametrize(("text", "merchant"), IN_SENTENCES)
def test_known_merchants_in_sentences(text: str, merchant: str) -> None:
    assert extract_merchant(text) == merchant


UNKNOWN = [
    ("bij de bakker van Dam", "bakker van dam"),
    ("hoeveel heb ik bij de bakker van Dam uitgegeven", "bakker van dam"),
    ("bij de bakker van Dam vorige maand", "bakker van dam"),
    ("bij de bakker van vorige week", "bakker"),
    ("bij de Slager", "slager"),
    ("hoeveel heb ik aan de kapper uitgegeven", "kapper"),
    ("hoeveel gaf ik uit aan de kapper", "kapper"),
    ("bij mijn kapper", "kapper"),
    ("bij café Brüll gisteren", "café brüll"),
    ("bij restaurant De Kas", "restaurant de kas"),
    ("at the farmers market last week", "farmers market"),
    ("how much did I spend at Joe's Pizza", "joe's pizza"),
    ("did Joe's Pizza charge me", "joe's pizza"),
    ("has Acme charged me again", "acme"),
    ("heeft de gemeente al afgeschreven", "gemeente"),
    ("payment from Acme Corp", "acme corp"),
    ("refund from Sportshop Jansen?", "sportshop jansen"),
    ("een afschrijving van Fietsenmaker De Wit", "fietsenmaker de wit"),
    ("20 euro naar Piet overgemaakt", "piet"),
    ("maak 20 euro over naar Piet", "piet"),
    ("sent 20 to Piet", "piet"),
    ("money to Anna", "anna"),
    ("charged by Foo Bar Ltd", "foo bar ltd"),
    ("bij de Bakkerij 't Stoepje", "bakkerij 't stoepje"),
    ("bij Kees & Co", "kees & co"),
    ("at st. john's", "st. john's"),
]


@pytest.mark.parametrize(("text", "merchant"), UNKNOWN)
def test_unknown_merchants_as_written(text: str, merchant: str) -> None:
    assert extract_merchant(text) == merchant


NOT_MERCHANTS = [
    "aan boodschappen uitgegeven",
    "hoeveel gaf ik uit aan boodschappen",
    "how much did I spend on groceries",
    "bij de supermarkt",
    "at the restaurant",
    "van mijn spaarrekening",
    "naar mijn spaarrekening overmaken",
    "from my savings",
    "at least 50 euro",
    "at most 20",
    "at the moment",
    "at home",
    "bij elkaar opgeteld",
    "bij benadering",
    "bij mij",
    "bij de bank",
    "bij jullie",
    "ik ben op zoek naar mijn saldo",
    "kijk naar mijn uitgaven",
    "going to see my balance",
    "from last month",
    "sinds vorige maand",
    "plus my rent",
    "my savings target",
    "take action",
    "a big mac",
    "ik wil mijn kaart blokken",
    "the primary account",
    "wat is mijn saldo",
    "blokkeer mijn pas",
    "betaald met apple pay",
    "did you charge me",
    "did I get paid",
    "hoeveel heb ik bij twee winkels uitgegeven",
    "at 3pm",
    "hoeveel heb ik in totaal uitgegeven",
    "the total spending",
    "",
]


@pytest.mark.parametrize("text", NOT_MERCHANTS)
def test_not_merchants(text: str) -> None:
    assert extract_merchant(text) is None


def test_gazetteer_is_large_and_lowercase() -> None:
    names = known_merchants()
    assert len(names) >= 150
    assert all(name == name.lower() for name in names)


def test_aliases_help_to_match_transactions_under_an_old_name() -> None:
    assert "t-mobile" in merchant_aliases("odido")
    assert "appie" in merchant_aliases("albert heijn")
    assert merchant_aliases("bakker van dam") == ("bakker van dam",)
