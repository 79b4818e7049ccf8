"""Categories from Dutch and English words, informal, plural and misspelt."""

from __future__ import annotations

import pytest

from kluis.nlu.categories import extract_category
from kluis.nlu.types import CATEGORIES, Language

WORDS = [
    ("boodschappen", "groceries"),
    ("hoeveel gaf ik uit aan boodschappen", "groceries"),
    ("boodschapen", "groceries"),
    ("bootschappen", "groceries"),
    ("supermarkt", "groceries"),
    ("groceries", "groceries"),
    ("grocery shopping", "groceries"),
    ("food shopping", "groceries"),
    ("supermarket", "groceries"),
    ("eten", "groceries"),
    ("uit eten", "eating_out"),
    ("uiteten", "eating_out"),
    ("hoeveel gaf ik uit aan eten buiten de deur", "eating_out"),
    ("buiten de deur eten", "eating_out"),
    ("uit eten gaan", "eating_out"),
    ("how much did I spend going out to eat", "eating_out"),
    ("restaurants", "eating_out"),
    ("restaurant", "eating_out"),
    ("restaurnts", "eating_out"),
    ("eating out", "eating_out"),
    ("takeaway", "eating_out"),
    ("take-away", "eating_out"),
    ("afhaal", "eating_out"),
    ("bezorgd eten", "eating_out"),
    ("eten bestellen", "eating_out"),
    ("fast food", "eating_out"),
    ("uber eats", "eating_out"),
    ("koffie", "eating_out"),
    ("vervoer", "transport"),
    ("openbaar vervoer", "transport"),
    ("OV", "transport"),
    ("ov-chipkaart", "transport"),
    ("trein", "transport"),
    ("bus", "transport"),
    ("transport", "transport"),
    ("public transport", "transport"),
    ("taxi", "transport"),
    ("uber", "transport"),
    ("parkeren", "transport"),
    ("tanken", "fuel"),
    ("benzine", "fuel"),
    ("brandstof", "fuel"),
    ("fuel", "fuel"),
    ("petrol", "fuel"),
    ("diesel", "fuel"),
    ("gas station", "fuel"),
    ("laadpaal", "fuel"),
    ("huur", "housing"),
    ("de huur", "housing"),
    ("hypotheek", "housing"),
    ("rent", "housing"),
    ("mortgage", "housing"),
    ("energie", "utilities"),
    ("gas en licht", "utilities"),
    ("gas, water en licht", "utilities"),
    ("stroom", "utilities"),
    ("water", "utilities"),
    ("utilities", "utilities"),
    ("electricity", "utilities"),
    ("gas bill", "utilities"),
    ("gasrekening", "utilities"),
    ("energierekening", "utilities"),
    ("telefoon", "telecom"),
    ("internet", "telecom"),
    ("mobiel", "telecom"),
    ("phone bill", "telecom"),
    ("telefoonrekening", "telecom"),
    ("mobiel abonnement", "telecom"),
    ("verzekering", "insurance"),
    ("verzekeringen", "insurance"),
    ("verzekeringn", "insurance"),
    ("insurance", "insurance"),
    ("zorgverzekering", "insurance"),
    ("health insurance", "insurance"),
    ("zorgkosten", "health"),
    ("apotheek", "health"),
    ("dokter", "health"),
    ("tandarts", "health"),
    ("pharmacy", "health"),
    ("doctor", "health"),
    ("eigen risico", "health"),
    ("kleding", "shopping"),
    ("kleren", "shopping"),
    ("winkelen", "shopping"),
    ("shopping", "shopping"),
    ("clothes", "shopping"),
    ("uitgaan", "entertainment"),
    ("bioscoop", "entertainment"),
    ("entertainment", "entertainment"),
    ("concerts", "entertainment"),
    ("concerten", "entertainment"),
    ("abonnementen", "subscriptions"),
    ("abonnement", "subscriptions"),
    ("abo's", "subscriptions"),
    ("subscriptions", "subscriptions"),
    ("streaming", "subscriptions"),
    ("sportschool", "subscriptions"),
    ("vakantie", "travel"),
    ("reizen", "travel"),
    ("hotel", "travel"),
    ("flights", "travel"),
    ("travel", "travel"),
    ("vliegtickets", "travel"),
    ("rent a car", "travel"),
    ("contant geld", "cash"),
    ("when did I last take out cash", "cash"),
    ("pinnen", "cash"),
    ("geldautomaat", "cash"),
    ("cash", "cash"),
    ("ATM", "cash"),
    ("salaris", "income"),
    ("loon", "income"),
    ("inkomen", "income"),
    ("income", "income"),
    ("salary", "income"),
    ("wages", "income"),
    ("vakantiegeld", "income"),
    ("kinderbijslag", "income"),
    ("child benefit", "income"),
    ("has my holiday pay come through", "income"),
    ("overboekingen", "transfers"),
    ("transfers", "transfers"),
    ("overschrijvingen", "transfers"),
    ("kosten", "fees"),
    ("bankkosten", "fees"),
    ("fees", "fees"),
    ("studie", "education"),
    ("school", "education"),
    ("opleiding", "education"),
    ("education", "education"),
    ("tuition", "education"),
    ("goede doelen", "charity"),
    ("donaties", "charity"),
    ("charity", "charity"),
    ("huisdier", "pets"),
    ("dierenarts", "pets"),
    ("pets", "pets"),
    ("the vet", "pets"),
    ("kinderen", "kids"),
    ("kinderopvang", "kids"),
    ("kids", "kids"),
    ("childcare", "kids"),
    ("belasting", "taxes"),
    ("belastingen", "taxes"),
    ("taxes", "taxes"),
    ("waterschapsbelasting", "taxes"),
    ("overig", "other"),
    ("misc", "other"),
]


@pytest.mark.parametrize(("text", "category"), WORDS)
def test_category_words(text: str, category: str) -> None:
    assert extract_category(text) == category
    assert category in CATEGORIES


GAS: list[tuple[str, Language, str]] = [
    ("gas", "en", "fuel"),
    ("how much did I spend on gas", "en", "fuel"),
    ("gas", "nl", "utilities"),
    ("hoeveel betaal ik voor gas", "nl", "utilities"),
    ("gas en licht", "en", "utilities"),
    ("gas bill", "en", "utilities"),
    ("gas station", "nl", "fuel"),
    ("gas for the car", "nl", "fuel"),
]


@pytest.mark.parametrize(("text", "lang", "category"), GAS)
def test_gas_depends_on_the_reply_language_unless_the_context_says(
    text: str, lang: Language, category: str
) -> None:
    assert extract_category(text, lang) == category


IN_SENTENCES = [
    ("hoeveel heb ik deze maand aan boodschappen uitgegeven", "groceries"),
    ("how much did i spend eating out last month", "eating_out"),
    ("wat zijn mijn vaste kosten en mijn abonnementen", "subscriptions"),
    ("welke abonnementen heb ik", "subscriptions"),
    ("is mijn salaris binnen", "income"),
    ("hoeveel kosten en boodschappen", "groceries"),
    ("spent on clothes and shoes", "shopping"),
]


@pytest.mark.parametrize(("text", "category"), IN_SENTENCES)
def test_categories_in_sentences(text: str, category: str) -> None:
    assert extract_category(text) == category


NOT_CATEGORIES = [
    "wat is mijn saldo",
    "vaste kosten",
    "of course",
    "kind regards",
    "internetbankieren werkt niet",
    "mijn telefoonnummer wijzigen",
    "zorg ervoor dat mijn kaart werkt",
    "welke stappen moet ik nemen",
    "shipping address",
    "spaarrekening",
    "wat zijn mijn uitgaven",
    "super bedankt",
    "is netflix charging me",
    "hoe kan ik contact opnemen",
    "hoe zorg ik voor een cactus",
    "maandelijkse kosten",
    "terugkerende kosten",
    "how do I take out a loan",
    "is tomorrow a bank holiday",
    "transfer 20 euros to Pete",
    "",
]


@pytest.mark.parametrize("text", NOT_CATEGORIES)
def test_not_categories(text: str) -> None:
    assert extract_category(text) is None
