"""Every word the web pages show, in Dutch and English.

Pages pick the signed-in customer's language, or the browser's `Accept-Language` before
anyone signs in. Placeholders in braces are filled with `str.format` by the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kluis.money import Locale


@dataclass(frozen=True, slots=True)
class WebTexts:
    """The words of the web chat's pages in one language."""

    language: Locale
    language_names: dict[str, str]
    skip_link: str
    sandbox_notice: str
    # Sign-in
    signin_title: str
    signin_intro: str
    signin_as: str
    # Linking the bank
    link_title: str
    link_intro: str
    link_facts: tuple[str, ...]
    link_button: str
    choice_legend: str
    choice_all: str
    choice_all_hint: str
    choice_bank: str
    choice_bank_hint: str
    link_refused_title: str
    link_refused_text: str
    link_expired_title: str
    link_expired_text: str
    not_yours_title: str
    not_yours_text: str
    try_again: str
    # The chat
    chat_title: str
    greeting: str
    suggestions: tuple[str, ...]
    you: str
    assistant: str
    message_label: str
    message_placeholder: str
    send: str
    sign_out: str
    my_consents: str
    typing: str
    messages_label: str
    suggestions_label: str
    noscript: str
    handoff: str
    # Problems
    message_empty: str
    message_too_long: str
    bad_request: str
    signed_out: str
    forbidden: str
    not_found_title: str
    not_found_text: str
    error_title: str
    error_text: str
    bank_unavailable: str
    consent_ended: str
    reference: str
    back_to_chat: str
    cards_title: str
    cards_intro: str
    cards_allow: str
    cards_none: str
    cards_list_label: str
    cards_blocked: str
    cards_active: str
    cards_unavailable: str
    cards_revoke: str
    cards_done: str
    cards_revoked: str


ENGLISH = WebTexts(
    language="en",
    language_names={"nl": "Nederlands", "en": "English"},
    skip_link="Skip to the conversation",
    sandbox_notice="A sandbox demo: no real accounts, no real money.",
    signin_title="Sign in to Kluis",
    signin_intro="This is a demo on a sandbox bank. Choose a demo customer to sign in as; "
    "their accounts and payments are made up.",
    signin_as="Sign in as {name}",
    link_title="Link your bank",
    link_intro="Hello {name}. To answer questions about your money, Kluis needs your "
    "permission to read your accounts at {bank}.",
    link_facts=(
        "Kluis only reads your balances and payments. It can never pay or move money.",
        "You approve on your bank's own page. Kluis never sees your login details.",
        "The permission lasts at most 180 days, and you can stop it any time.",
    ),
    link_button="Link my bank",
    choice_legend="Which accounts may Kluis read?",
    choice_all="All accounts",
    choice_all_hint="Every account you have at {bank}.",
    choice_bank="I choose the accounts at my bank",
    choice_bank_hint="Your bank shows your accounts, and you tick the ones Kluis may read.",
    link_refused_title="You did not give permission",
    link_refused_text="Nothing was shared with Kluis. You can link your bank whenever you like.",
    link_expired_title="This link has expired",
    link_expired_text="For your safety, a link works once and for 15 minutes. Start again and "
    "it will work.",
    not_yours_title="This link is not yours",
    not_yours_text="This link was started by someone else. Nothing was changed.",
    try_again="Try again",
    chat_title="Chat",
    greeting="Hello {name}! Ask me about your balance, your payments or your spending.",
    suggestions=("What is my balance?", "Spending this month", "Latest payments"),
    you="You",
    assistant="Kluis",
    message_label="Your message",
    message_placeholder="Ask about your money…",
    send="Send",
    sign_out="Sign out",
    my_consents="My consents",
    typing="Kluis is typing",
    messages_label="Conversation",
    suggestions_label="Suggestions",
    noscript="The chat needs JavaScript. Please turn it on, or use the bank's app.",
    handoff="A colleague will take over this conversation.",
    message_empty="Type a message first.",
    message_too_long="Your message is too long: at most {limit} characters.",
    bad_request="Kluis could not read that request.",
    signed_out="You are signed out. Sign in again to continue.",
    forbidden="This is not allowed. Reload the page and try again.",
    not_found_title="Page not found",
    not_found_text="There is nothing at this address.",
    error_title="Something went wrong",
    error_text="Sorry, that did not work just now. Please try again in a moment.",
    bank_unavailable="Your bank is not answering just now. Please try again in a few minutes.",
    consent_ended="Kluis may no longer read your bank. Link your bank again to continue.",
    reference="Reference: {reference}",
    back_to_chat="Back to the chat",
    cards_title="Blocking cards through Kluis",
    cards_intro="Allow Kluis to block and unblock your cards at {bank}, for example when "
    "you lose one. You approve this at your bank; you can withdraw it here at any time.",
    cards_allow="Allow",
    cards_none="Kluis may not block your cards.",
    cards_list_label="Your cards",
    cards_blocked="blocked",
    cards_active="active",
    cards_unavailable="Your bank is not telling which cards you have just now.",
    cards_revoke="Withdraw",
    cards_done="Kluis may now block and unblock your cards.",
    cards_revoked="Kluis may no longer block your cards.",
)

DUTCH = WebTexts(
    language="nl",
    language_names={"nl": "Nederlands", "en": "English"},
    skip_link="Naar het gesprek",
    sandbox_notice="Een demo met een testbank: geen echte rekeningen, geen echt geld.",
    signin_title="Inloggen bij Kluis",
    signin_intro="Dit is een demo met een testbank. Kies een demoklant om als in te loggen; "
    "hun rekeningen en betalingen zijn verzonnen.",
    signin_as="Inloggen als {name}",
    link_title="Koppel je bank",
    link_intro="Hallo {name}. Om vragen over je geld te beantwoorden heeft Kluis je "
    "toestemming nodig om je rekeningen bij {bank} te lezen.",
    link_facts=(
        "Kluis leest alleen je saldo's en betalingen. Kluis kan nooit betalen of geld overmaken.",
        "Je geeft toestemming op de eigen pagina van je bank. Kluis ziet je inloggegevens nooit.",
        "De toestemming geldt hooguit 180 dagen, en je kunt haar altijd intrekken.",
    ),
    link_button="Koppel je bank",
    choice_legend="Welke rekeningen mag Kluis lezen?",
    choice_all="Alle rekeningen",
    choice_all_hint="Alle rekeningen die je bij {bank} hebt.",
    choice_bank="Ik kies bij mijn bank welke rekeningen",
    choice_bank_hint="Je bank laat je rekeningen zien, en jij vinkt aan wat Kluis mag lezen.",
    link_refused_title="Je hebt geen toestemming gegeven",
    link_refused_text="Er is niets met Kluis gedeeld. Je kunt je bank koppelen wanneer je wilt.",
    link_expired_title="Deze link is verlopen",
    link_expired_text="Voor je veiligheid werkt een link één keer en 15 minuten lang. Begin "
    "opnieuw, dan lukt het.",
    not_yours_title="Deze link is niet van jou",
    not_yours_text="Iemand anders is deze koppeling begonnen. Er is niets veranderd.",
    try_again="Opnieuw proberen",
    chat_title="Chat",
    greeting="Hallo {name}! Vraag me naar je saldo, je betalingen of je uitgaven.",
    suggestions=("Wat is mijn saldo?", "Uitgaven deze maand", "Laatste betalingen"),
    you="Jij",
    assistant="Kluis",
    message_label="Je bericht",
    message_placeholder="Vraag iets over je geld…",
    send="Verstuur",
    sign_out="Uitloggen",
    my_consents="Mijn toestemmingen",
    typing="Kluis is aan het typen",
    messages_label="Gesprek",
    suggestions_label="Suggesties",
    noscript="De chat heeft JavaScript nodig. Zet het aan, of gebruik de app van je bank.",
    handoff="Een collega neemt dit gesprek over.",
    message_empty="Typ eerst een bericht.",
    message_too_long="Je bericht is te lang: hooguit {limit} tekens.",
    bad_request="Kluis kon dit verzoek niet lezen.",
    signed_out="Je bent uitgelogd. Log opnieuw in om verder te gaan.",
    forbidden="Dit mag niet. Laad de pagina opnieuw en probeer het nog eens.",
    not_found_title="Pagina niet gevonden",
    not_found_text="Op dit adres staat niets.",
    error_title="Er ging iets mis",
    error_text="Sorry, dat lukte nu niet. Probeer het over een moment opnieuw.",
    bank_unavailable="Je bank antwoordt nu niet. Probeer het over een paar minuten opnieuw.",
    consent_ended="Kluis mag je bank niet meer lezen. Koppel je bank opnieuw om verder te gaan.",
    reference="Kenmerk: {reference}",
    back_to_chat="Terug naar de chat",
    cards_title="Kaarten blokkeren via Kluis",
    cards_intro="Sta Kluis toe je passen bij {bank} te blokkeren en weer vrij te geven, "
    "bijvoorbeeld als je er een kwijt bent. Je geeft dit bij je bank; hier trek je het "
    "altijd weer in.",
    cards_allow="Toestaan",
    cards_none="Kluis mag je passen niet blokkeren.",
    cards_list_label="Je passen",
    cards_blocked="geblokkeerd",
    cards_active="actief",
    cards_unavailable="Je bank vertelt nu niet welke passen je hebt.",
    cards_revoke="Intrekken",
    cards_done="Kluis mag je passen nu blokkeren en weer vrijgeven.",
    cards_revoked="Kluis mag je passen niet meer blokkeren.",
)
TEXTS: dict[Locale, WebTexts] = {"nl": DUTCH, "en": ENGLISH}


def locale_of(language: str | None) -> Locale:
    """A customer's stored language as one of ours (English when unknown)."""
    return "nl" if (language or "").lower().startswith("nl") else "en"


def texts_for(language: str | None) -> WebTexts:
    return TEXTS[locale_of(language)]


def preferred_locale(accept_language: str | None) -> Locale:
    """The browser's first choice between Dutch and English (English when it has none)."""
    best: tuple[float, int, Locale] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("nl", "en"):
            continue
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        candidate = (weight, -position, locale_of(primary))
        if weight > 0 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    return best[2] if best else "en"
