"""The words of the page where a customer links Alexa to Kluis, in Dutch and English.

Placeholders in braces are filled with `str.format` by the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kluis.money import Locale
from kluis.web.texts import locale_of


@dataclass(frozen=True, slots=True)
class OAuthTexts:
    """Every sentence of the Alexa linking page in one language."""

    language: Locale
    title: str
    intro: str
    facts: tuple[str, ...]
    question: str
    allow: str
    deny: str
    signin_notice: str
    invalid_title: str
    invalid_text: str


ENGLISH = OAuthTexts(
    language="en",
    title="Link Alexa to Kluis",
    intro="Hello {name}. Alexa is asking for permission to use Kluis for you. Please read "
    "what that means before you choose.",
    facts=(
        "Alexa can ask Kluis about your balances and your payments. Alexa can never pay or "
        "move money for you.",
        "Alexa only says amounts after you have said your voice PIN. You set your voice PIN "
        "on My consents.",
        "Alexa gets a key of its own from Kluis. Your login details and your bank's "
        "permission stay with Kluis and never go to Amazon.",
        "You can unlink Alexa whenever you like: in the Alexa app, or on My consents.",
    ),
    question="Do you want to link Alexa?",
    allow="Link Alexa",
    deny="Cancel",
    signin_notice="Alexa would like to link to Kluis. Please sign in first; then you decide "
    "whether Alexa may use Kluis.",
    invalid_title="This link request cannot be used",
    invalid_text="This request to link Alexa is incomplete, or it did not come from our "
    "Alexa skill. Nothing was linked. Please start again in the Alexa app.",
)

DUTCH = OAuthTexts(
    language="nl",
    title="Koppel Alexa aan Kluis",
    intro="Hallo {name}. Alexa vraagt toestemming om Kluis voor je te gebruiken. Lees even "
    "wat dat betekent voordat je kiest.",
    facts=(
        "Alexa kan Kluis vragen naar je saldo's en je betalingen. Alexa kan nooit geld voor "
        "je betalen of overmaken.",
        "Bedragen noemt Alexa pas nadat je je stem-pincode hebt gezegd. Je stem-pincode stel "
        "je in op Mijn toestemmingen.",
        "Alexa krijgt van Kluis een eigen sleutel. Je inloggegevens en de toestemming van je "
        "bank blijven bij Kluis en gaan nooit naar Amazon.",
        "Je kunt de koppeling met Alexa altijd weer verbreken: in de Alexa-app of op Mijn "
        "toestemmingen.",
    ),
    question="Wil je Alexa koppelen?",
    allow="Alexa koppelen",
    deny="Annuleren",
    signin_notice="Alexa wil graag koppelen met Kluis. Log eerst in; daarna kies je of Alexa "
    "Kluis mag gebruiken.",
    invalid_title="Dit koppelverzoek werkt niet",
    invalid_text="Dit verzoek om Alexa te koppelen is niet compleet, of het komt niet van "
    "onze Alexa-skill. Er is niets gekoppeld. Begin opnieuw in de Alexa-app.",
)

OAUTH_TEXTS: dict[Locale, OAuthTexts] = {"nl": DUTCH, "en": ENGLISH}


def oauth_texts_for(language: str | None) -> OAuthTexts:
    return OAUTH_TEXTS[locale_of(language)]
