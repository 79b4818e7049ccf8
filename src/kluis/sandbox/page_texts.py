"""The words of the sandbox bank's approval pages, in Dutch and English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from kluis.sandbox.model import Language


@dataclass(frozen=True, slots=True)
class PageTexts:
    """Every sentence a page can show, in one language; `{...}` are filled in by the page."""

    language: Language
    sandbox_notice: str
    someone: str
    consent_title: str
    consent_intro: str
    account_column: str
    data_column: str
    data_details: str
    data_balances: str
    data_transactions: str
    choose_legend: str
    choose_hint: str
    none_chosen: str
    not_offered: str
    owner_name: str
    until: str
    one_off: str
    recurring_once: str
    recurring_many: str
    signed_in_as: str
    approve: str
    deny: str
    card_title: str
    card_intro: str
    card_debit: str
    card_credit: str
    card_rights: str
    approved_title: str
    approved_text: str
    denied_title: str
    denied_text: str
    continue_link: str
    not_yours_title: str
    not_yours_text: str
    decided_title: str
    decided_text: str
    unknown_title: str
    unknown_text: str
    bad_request_title: str
    bad_request_text: str
    status_names: Mapping[str, str]

    def long_date(self, day: date) -> str:
        """17 september 2026 / September 17, 2026."""
        return format_date(day, format="long", locale="nl_NL" if self.language == "nl" else "en_GB")

    def status_name(self, status: str) -> str:
        """What a consent status means, for the customer."""
        return self.status_names.get(status, status)

    def frequency(self, recurring: bool, per_day: int) -> str:
        if not recurring:
            return self.one_off
        if per_day == 1:
            return self.recurring_once
        return self.recurring_many.format(count=per_day)


ENGLISH = PageTexts(
    language="en",
    sandbox_notice="Sandbox bank for development and demos. No real accounts, no real money.",
    someone="An app",
    consent_title="Share your account information?",
    consent_intro="{requester} asks to read the following information at {bank}. "
    "It can only read; it cannot make payments.",
    account_column="Account",
    data_column="What it may read",
    data_details="account details",
    data_balances="balances",
    data_transactions="transactions",
    choose_legend="Which accounts may {requester} read?",
    choose_hint="All are ticked. Untick the accounts you do not want to share.",
    none_chosen="Tick at least one account to approve, or refuse the request.",
    not_offered="One of the accounts sent is not part of this request. Choose from the "
    "accounts below.",
    owner_name="Your name as account holder is shared as well.",
    until="Access ends on {date}, or earlier if you withdraw it.",
    one_off="It may read once.",
    recurring_once="It may read once a day without you, and whenever you ask it to.",
    recurring_many="It may read up to {count} times a day without you, and whenever you ask it to.",
    signed_in_as="Signed in as {name}",
    approve="Approve",
    deny="Refuse",
    card_title="Let an app block your cards?",
    card_intro="{requester} asks to see your cards at {bank} and to block or unblock them "
    "on your request. It cannot pay with them.",
    card_debit="debit card on {account}",
    card_credit="credit card",
    card_rights="see whether a card is blocked; block and unblock it",
    approved_title="Done: access given",
    approved_text="You can close this page and return to the app.",
    denied_title="Done: access refused",
    denied_text="Nothing was shared. You can close this page.",
    continue_link="Return to the app",
    not_yours_title="This request is not yours",
    not_yours_text="This request was made for another customer. Nothing was changed.",
    decided_title="This request was already answered",
    decided_text="It was {status}. Nothing was changed; ask the app for a new request.",
    unknown_title="Request not found",
    unknown_text="This link does not belong to a request at this bank.",
    bad_request_title="Choose approve or refuse",
    bad_request_text="The form was incomplete. Go back and press one of the two buttons.",
    status_names={
        "valid": "approved",
        "rejected": "refused",
        "expired": "expired",
        "revokedByPsu": "withdrawn by you",
        "terminatedByTpp": "ended by the app",
    },
)

DUTCH = PageTexts(
    language="nl",
    sandbox_notice="Testbank voor ontwikkeling en demo's. Geen echte rekeningen, geen echt geld.",
    someone="Een app",
    consent_title="Je rekeninggegevens delen?",
    consent_intro="{requester} vraagt om de volgende gegevens bij {bank} te lezen. "
    "De app kan alleen lezen, geen betalingen doen.",
    account_column="Rekening",
    data_column="Wat de app mag lezen",
    data_details="rekeninggegevens",
    data_balances="saldo",
    data_transactions="transacties",
    choose_legend="Welke rekeningen mag {requester} lezen?",
    choose_hint="Alle rekeningen zijn aangevinkt. Vink uit wat je niet wilt delen.",
    none_chosen="Vink minstens één rekening aan om toe te staan, of weiger het verzoek.",
    not_offered="Een van de gestuurde rekeningen hoort niet bij dit verzoek. Kies uit de "
    "rekeningen hieronder.",
    owner_name="Ook je naam als rekeninghouder wordt gedeeld.",
    until="De toegang stopt op {date}, of eerder als je hem intrekt.",
    one_off="De app mag één keer lezen.",
    recurring_once="De app mag één keer per dag lezen zonder jou, en telkens als jij erom vraagt.",
    recurring_many="De app mag tot {count} keer per dag lezen zonder jou, en telkens als jij "
    "erom vraagt.",
    signed_in_as="Ingelogd als {name}",
    approve="Toestaan",
    deny="Weigeren",
    card_title="Een app je passen laten blokkeren?",
    card_intro="{requester} vraagt om je passen bij {bank} te zien en ze op jouw verzoek te "
    "blokkeren of te deblokkeren. De app kan er niet mee betalen.",
    card_debit="betaalpas bij {account}",
    card_credit="creditcard",
    card_rights="zien of een pas geblokkeerd is; blokkeren en deblokkeren",
    approved_title="Klaar: toegang gegeven",
    approved_text="Je kunt deze pagina sluiten en teruggaan naar de app.",
    denied_title="Klaar: toegang geweigerd",
    denied_text="Er is niets gedeeld. Je kunt deze pagina sluiten.",
    continue_link="Terug naar de app",
    not_yours_title="Dit verzoek is niet voor jou",
    not_yours_text="Dit verzoek is voor een andere klant gedaan. Er is niets veranderd.",
    decided_title="Dit verzoek is al beantwoord",
    decided_text="Het is {status}. Er is niets veranderd; vraag de app om een nieuw verzoek.",
    unknown_title="Verzoek niet gevonden",
    unknown_text="Deze link hoort niet bij een verzoek van deze bank.",
    bad_request_title="Kies toestaan of weigeren",
    bad_request_text="Het formulier was niet compleet. Ga terug en kies een van de twee knoppen.",
    status_names={
        "valid": "toegestaan",
        "rejected": "geweigerd",
        "expired": "verlopen",
        "revokedByPsu": "door jou ingetrokken",
        "terminatedByTpp": "door de app beëindigd",
    },
)


def texts_for(language: str) -> PageTexts:
    """Dutch for `nl`, English otherwise."""
    return DUTCH if language == "nl" else ENGLISH
