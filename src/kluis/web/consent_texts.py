"""The words of the pages about consent, in Dutch and English: "Mijn toestemmingen" and the
page a chat link (Telegram, Messenger, ...) opens.

Placeholders in braces are filled with `str.format` by the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kluis.money import Locale
from kluis.web.texts import locale_of


@dataclass(frozen=True, slots=True)
class ConsentTexts:
    """Every sentence of the consent pages in one language."""

    language: Locale
    # The link a chat sent
    chat_link_title: str
    chat_link_intro: str
    chat_link_signin: str
    chat_link_button: str
    chat_link_done_title: str
    chat_link_done_text: str
    chat_link_expired_title: str
    chat_link_expired_text: str
    # My consents
    title: str
    intro: str
    never_asks_title: str
    never_asks: str
    none_yet: str
    link_now: str
    telegram_link: str
    current_title: str
    earlier_title: str
    status_label: str
    statuses: Mapping[str, str]
    bank_label: str
    accounts_label: str
    all_accounts: str
    data_label: str
    data_names: Mapping[str, str]
    until_label: str
    frequency_label: str
    frequency: str
    given_label: str
    ended_label: str
    narrowed_note: str
    accounts_unknown: str
    stop: str
    stop_confirm_title: str
    stop_confirm_text: str
    stop_confirm_yes: str
    stop_confirm_no: str
    renew: str
    renew_hint: str
    narrow_legend: str
    narrow_hint: str
    narrow_button: str
    widen_button: str
    narrow_none: str
    narrow_refused: str
    # The access log
    log_title: str
    log_intro: str
    log_empty: str
    today: str
    yesterday: str
    channels: Mapping[str, str]
    data_of: Mapping[str, str]
    account_kinds: Mapping[str, str]
    reasons: Mapping[str, str]
    # Preferences
    preferences_title: str
    hide_counterparties: str
    hide_counterparties_hint: str
    discreet_voice: str
    discreet_voice_hint: str
    save: str
    # The voice PIN
    pin_title: str
    pin_intro: str
    pin_never_bank: str
    pin_is_set: str
    pin_not_set: str
    pin_locked: str
    pin_label: str
    pin_again_label: str
    pin_button: str
    pin_format: str
    pin_mismatch: str
    pin_too_easy: str
    # Is this message real?
    check_title: str
    check_intro: str
    check_label: str
    check_button: str
    check_yes: str
    check_kind: str
    check_no: str
    message_kinds: Mapping[str, str]
    # Linked chats
    chats_title: str
    chats_intro: str
    chats_none: str
    chats_chat_label: str
    chats_since_label: str
    chats_ending: str
    chats_alexa_label: str
    chats_alexa_on: str
    chats_alexa_off: str
    chats_alexa_app: str
    chats_unlink: str
    chats_alexa_unlink: str
    chats_unlinked: str
    chats_unlinked_alexa: str
    chats_gone: str
    # What was done
    done: Mapping[str, str]
    retention: str
    join_word: str

    def status(self, status: str) -> str:
        return self.statuses.get(status, status)

    def channel(self, channel: str | None) -> str:
        return self.channels.get(channel or "", channel or self.channels["unknown"])

    def join(self, items: list[str]) -> str:
        """`a, b en c` / `a, b and c`."""
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.join_word + items[-1]


ENGLISH = ConsentTexts(
    language="en",
    chat_link_title="Link {channel} to your bank",
    chat_link_intro="Hello {name}. You came here from {channel}. Once your bank is linked, "
    "Kluis can answer your questions about your money there.",
    chat_link_signin="You came here from a chat. Sign in first; then you choose what Kluis "
    "may read.",
    chat_link_button="Continue to your bank",
    chat_link_done_title="Your bank is linked",
    chat_link_done_text="Your bank is linked. You can go back to {channel}.",
    chat_link_expired_title="This link no longer works",
    chat_link_expired_text="A link from the chat works once, for 15 minutes. Ask the chat "
    'for a new one, for example with "link my bank".',
    title="My consents",
    intro="What Kluis may read at {bank}, who looked at your data, and how Kluis may show it.",
    never_asks_title="Kluis never asks for your secrets",
    never_asks="Kluis never asks for your password, your PIN or codes from your bank, in no "
    "chat and no message. The only PIN is the voice PIN you set yourself on this page. Is a "
    "message asking for one? Do not trust it; check its code below.",
    none_yet="Kluis may not read your bank at the moment.",
    link_now="Link your bank",
    telegram_link="Chat with us on Telegram",
    current_title="What Kluis may read now",
    earlier_title="Earlier consents",
    status_label="Status",
    statuses={
        "valid": "Active",
        "received": "Waiting for your approval at the bank",
        "rejected": "Refused",
        "revokedByPsu": "Withdrawn at your bank",
        "expired": "Expired",
        "terminatedByTpp": "Stopped",
        "partiallyAuthorised": "Partly approved",
    },
    bank_label="Bank",
    accounts_label="Accounts",
    all_accounts="All your accounts",
    data_label="What Kluis may read",
    data_names={
        "details": "account details",
        "balances": "balances",
        "transactions": "transactions",
        "cards": "cards",
    },
    until_label="Valid until",
    frequency_label="Reads without you",
    frequency="at most {count} times a day",
    given_label="Given on",
    ended_label="Ended on",
    narrowed_note="You limited Kluis to these accounts. Your bank allows more.",
    accounts_unknown="Kluis will list your accounts once it has read them at your bank.",
    stop="Stop sharing",
    stop_confirm_title="Stop sharing with Kluis?",
    stop_confirm_text="Kluis will no longer read your accounts at {bank}, and your bank is "
    "told to end the consent. Kluis then cannot answer questions about your money until you "
    "link your bank again. What Kluis stored is deleted within {days} days.",
    stop_confirm_yes="Yes, stop sharing",
    stop_confirm_no="No, go back",
    renew="Renew",
    renew_hint="Renewing gives another 180 days. You approve it at your bank.",
    narrow_legend="Only these accounts",
    narrow_hint="Untick the accounts Kluis should no longer use.",
    narrow_button="Use only these accounts",
    widen_button="Use all accounts again",
    narrow_none="Tick at least one account. To stop sharing altogether, use Stop sharing.",
    narrow_refused="That account is not part of your consent. Nothing was changed.",
    log_title="Who looked at your data?",
    log_intro="The last {count} times Kluis read your data, where and why.",
    log_empty="Kluis has not read any of your data yet.",
    today="Today",
    yesterday="Yesterday",
    channels={
        "web": "Web chat",
        "terminal": "Terminal",
        "messenger": "Messenger",
        "whatsapp": "WhatsApp",
        "telegram": "Telegram",
        "alexa": "Alexa",
        "dialogflow": "Voice assistant",
        "unknown": "Kluis",
    },
    data_of={
        "balances": "balance of your {accounts}",
        "transactions": "transactions of your {accounts}",
        "accounts": "your {accounts}",
    },
    account_kinds={
        "checking": "current account",
        "savings": "savings account",
        "credit_card": "credit card",
    },
    reasons={
        "balance": "because you asked for your balance",
        "transactions": "because you asked for your payments",
        "spending": "because you asked what you spent",
        "income": "because you asked what came in",
        "recurring": "because you asked about regular payments",
        "consent": "because you looked at your consents",
        "alerts": "for an alert",
        "card_freeze": "because you wanted to block a card",
        "card_unfreeze": "because you wanted to unblock a card",
        "report_fraud": "because you reported a payment",
        "help": "because you asked for help",
    },
    preferences_title="How Kluis shows your data",
    hide_counterparties="Hide names in messengers",
    hide_counterparties_hint="On Messenger, WhatsApp and Telegram Kluis leaves out who you "
    "paid or who paid you.",
    discreet_voice="Discreet voice",
    discreet_voice_hint="A voice assistant rounds amounts and says no names, for when others "
    "can hear it.",
    save="Save",
    pin_title="Voice PIN",
    pin_intro="Only for the voice assistant: it asks for this PIN before it says amounts.",
    pin_never_bank="Never use your bank PIN here. Kluis never asks for your bank PIN.",
    pin_is_set="You have set a voice PIN. Set a new one here to change it.",
    pin_not_set="You have not set a voice PIN yet.",
    pin_locked="Your voice PIN was locked after too many wrong tries. Set a new one to use "
    "the voice assistant again.",
    pin_label="New voice PIN (4 to 6 digits)",
    pin_again_label="The same PIN again",
    pin_button="Set voice PIN",
    pin_format="A voice PIN is 4 to 6 digits, and nothing else.",
    pin_mismatch="The two PINs are not the same. Please try again.",
    pin_too_easy="That PIN is too easy to guess (one digit repeated, digits in a row or a "
    "repeated pattern). Choose another.",
    check_title="Is this message real?",
    check_intro="Every message Kluis starts itself carries a check code, such as 7Q3F-M2. "
    "Enter it here to know whether it came from Kluis.",
    check_label="Check code",
    check_button="Check",
    check_yes="Yes, this message came from us on {day} via {channel}.",
    check_kind="It was {kind}.",
    check_no="No, we do not know this code: do not trust the message, and call {bank} on {phone}.",
    message_kinds={
        "consent_expiry": "a reminder that your consent ends soon",
        "reminder": "a reminder",
        "alert": "an alert",
        "fraud_alert": "a fraud alert",
    },
    chats_title="Linked chats",
    chats_intro="In these chats Kluis answers your questions about your money. Unlink a "
    "chat and Kluis stops answering there. You can always link it again later.",
    chats_none="You have not linked a chat app yet. The web chat works whenever you are "
    "signed in here.",
    chats_chat_label="Chat",
    chats_since_label="Linked since",
    chats_ending="ending in {tail}",
    chats_alexa_label="Alexa account link",
    chats_alexa_on="Active",
    chats_alexa_off="Not active",
    chats_alexa_app="You linked Alexa to Kluis in the Alexa app.",
    chats_unlink="Unlink",
    chats_alexa_unlink="Unlink Alexa",
    chats_unlinked="{channel} is no longer linked. Kluis will not answer questions about "
    "your money there any more.",
    chats_unlinked_alexa="Alexa is no longer linked. Kluis will not answer questions about "
    "your money through Alexa any more. To use it again, link Kluis in the Alexa app.",
    chats_gone="That chat is not linked to you (any more). Nothing was changed.",
    done={
        "revoked": "Kluis no longer reads your bank. Your bank was told to end the consent.",
        "renewed": "Your consent is renewed. The old one has ended.",
        "narrowed": "Kluis now uses only the accounts you chose.",
        "widened": "Kluis uses all accounts of your consent again.",
        "preferences": "Your choices are saved.",
        "pin": "Your voice PIN is set. It is not shown again.",
    },
    retention="What Kluis stored is deleted within {days} days.",
    join_word=" and ",
)

DUTCH = ConsentTexts(
    language="nl",
    chat_link_title="Koppel {channel} aan je bank",
    chat_link_intro="Hallo {name}. Je komt hier vanuit {channel}. Als je je bank koppelt, "
    "beantwoordt Kluis daar je vragen over je geld.",
    chat_link_signin="Je komt hier vanuit een chat. Log eerst in; daarna kies je wat Kluis "
    "mag lezen.",
    chat_link_button="Verder naar je bank",
    chat_link_done_title="Je bank is gekoppeld",
    chat_link_done_text="Je bank is gekoppeld. Je kunt terug naar {channel}.",
    chat_link_expired_title="Deze link werkt niet meer",
    chat_link_expired_text="Een link uit de chat werkt één keer en 15 minuten lang. Vraag "
    'in de chat om een nieuwe, bijvoorbeeld met "koppel mijn bank".',
    title="Mijn toestemmingen",
    intro="Wat Kluis bij {bank} mag lezen, wie je gegevens heeft bekeken, en hoe Kluis ze "
    "mag laten zien.",
    never_asks_title="Kluis vraagt nooit om je geheimen",
    never_asks="Kluis vraagt nooit om je wachtwoord, je pincode of codes van je bank, in "
    "geen enkele chat en geen enkel bericht. De enige pincode is de stem-pincode die je zelf "
    "op deze pagina instelt. Vraagt een bericht erom? Vertrouw het niet en controleer de "
    "code hieronder.",
    none_yet="Kluis mag je bank op dit moment niet lezen.",
    link_now="Koppel je bank",
    telegram_link="Chat met ons op Telegram",
    current_title="Wat Kluis nu mag lezen",
    earlier_title="Eerdere toestemmingen",
    status_label="Status",
    statuses={
        "valid": "Actief",
        "received": "Wacht op je goedkeuring bij de bank",
        "rejected": "Geweigerd",
        "revokedByPsu": "Ingetrokken bij je bank",
        "expired": "Verlopen",
        "terminatedByTpp": "Gestopt",
        "partiallyAuthorised": "Deels goedgekeurd",
    },
    bank_label="Bank",
    accounts_label="Rekeningen",
    all_accounts="Al je rekeningen",
    data_label="Wat Kluis mag lezen",
    data_names={
        "details": "rekeninggegevens",
        "balances": "saldo's",
        "transactions": "transacties",
        "cards": "passen",
    },
    until_label="Geldig tot",
    frequency_label="Lezen zonder jou",
    frequency="hooguit {count} keer per dag",
    given_label="Gegeven op",
    ended_label="Gestopt op",
    narrowed_note="Je hebt Kluis beperkt tot deze rekeningen. Je bank staat meer toe.",
    accounts_unknown="Kluis laat je rekeningen zien zodra het ze bij je bank heeft gelezen.",
    stop="Stop met delen",
    stop_confirm_title="Stoppen met delen met Kluis?",
    stop_confirm_text="Kluis leest je rekeningen bij {bank} dan niet meer, en je bank krijgt "
    "bericht dat de toestemming stopt. Kluis kan dan geen vragen over je geld beantwoorden "
    "tot je je bank opnieuw koppelt. Wat Kluis had opgeslagen, wordt binnen {days} dagen "
    "gewist.",
    stop_confirm_yes="Ja, stop met delen",
    stop_confirm_no="Nee, terug",
    renew="Verlengen",
    renew_hint="Verlengen geeft weer 180 dagen. Je keurt het goed bij je bank.",
    narrow_legend="Alleen deze rekeningen",
    narrow_hint="Vink de rekeningen uit die Kluis niet meer mag gebruiken.",
    narrow_button="Alleen deze rekeningen",
    widen_button="Weer alle rekeningen gebruiken",
    narrow_none="Vink minstens één rekening aan. Wil je helemaal stoppen? Kies dan Stop met delen.",
    narrow_refused="Die rekening hoort niet bij je toestemming. Er is niets veranderd.",
    log_title="Wie heeft je gegevens bekeken?",
    log_intro="De laatste {count} keer dat Kluis je gegevens las, waar en waarom.",
    log_empty="Kluis heeft nog geen gegevens van je gelezen.",
    today="Vandaag",
    yesterday="Gisteren",
    channels={
        "web": "Web-chat",
        "terminal": "Terminal",
        "messenger": "Messenger",
        "whatsapp": "WhatsApp",
        "telegram": "Telegram",
        "alexa": "Alexa",
        "dialogflow": "Spraakassistent",
        "unknown": "Kluis",
    },
    data_of={
        "balances": "saldo van je {accounts}",
        "transactions": "transacties van je {accounts}",
        "accounts": "je {accounts}",
    },
    account_kinds={
        "checking": "betaalrekening",
        "savings": "spaarrekening",
        "credit_card": "creditcard",
    },
    reasons={
        "balance": "omdat je vroeg naar je saldo",
        "transactions": "omdat je vroeg naar je betalingen",
        "spending": "omdat je vroeg wat je uitgaf",
        "income": "omdat je vroeg wat er binnenkwam",
        "recurring": "omdat je vroeg naar vaste lasten",
        "consent": "omdat je je toestemmingen bekeek",
        "alerts": "voor een melding",
        "card_freeze": "omdat je een pas wilde blokkeren",
        "card_unfreeze": "omdat je een pas wilde deblokkeren",
        "report_fraud": "omdat je een betaling meldde",
        "help": "omdat je om hulp vroeg",
    },
    preferences_title="Hoe Kluis je gegevens laat zien",
    hide_counterparties="Namen verbergen in messengers",
    hide_counterparties_hint="In Messenger, WhatsApp en Telegram laat Kluis weg aan wie je "
    "betaalde of wie jou betaalde.",
    discreet_voice="Discrete stem",
    discreet_voice_hint="Een spraakassistent rondt bedragen af en noemt geen namen, voor als "
    "anderen meeluisteren.",
    save="Opslaan",
    pin_title="Stem-pincode",
    pin_intro="Alleen voor de spraakassistent: die vraagt deze pincode voordat hij bedragen noemt.",
    pin_never_bank="Gebruik hier nooit de pincode van je bankpas. Kluis vraagt nooit om je "
    "bankpincode.",
    pin_is_set="Je hebt een stem-pincode ingesteld. Stel hier een nieuwe in om hem te veranderen.",
    pin_not_set="Je hebt nog geen stem-pincode ingesteld.",
    pin_locked="Je stem-pincode is geblokkeerd na te veel foute pogingen. Stel een nieuwe in "
    "om de spraakassistent weer te gebruiken.",
    pin_label="Nieuwe stem-pincode (4 tot 6 cijfers)",
    pin_again_label="Nog een keer dezelfde pincode",
    pin_button="Stem-pincode instellen",
    pin_format="Een stem-pincode bestaat uit 4 tot 6 cijfers, en verder niets.",
    pin_mismatch="De twee pincodes zijn niet gelijk. Probeer het nog eens.",
    pin_too_easy="Die pincode is te makkelijk te raden (steeds hetzelfde cijfer, cijfers op "
    "volgorde of een herhaald patroon). Kies een andere.",
    check_title="Is dit bericht echt?",
    check_intro="Elk bericht dat Kluis zelf stuurt, heeft een controlecode, zoals 7Q3F-M2. "
    "Vul hem hier in om te weten of het bericht van Kluis kwam.",
    check_label="Controlecode",
    check_button="Controleren",
    check_yes="Ja, dit bericht kwam van ons op {day} via {channel}.",
    check_kind="Het was {kind}.",
    check_no="Nee, deze code kennen we niet: vertrouw het bericht niet en bel {bank} op {phone}.",
    message_kinds={
        "consent_expiry": "een herinnering dat je toestemming bijna afloopt",
        "reminder": "een herinnering",
        "alert": "een melding",
        "fraud_alert": "een fraudemelding",
    },
    chats_title="Gekoppelde chats",
    chats_intro="In deze chats beantwoordt Kluis je vragen over je geld. Ontkoppel je een "
    "chat, dan stopt Kluis daar. Je kunt hem later altijd opnieuw koppelen.",
    chats_none="Je hebt nog geen chat-app gekoppeld. De web-chat werkt altijd als je hier "
    "bent ingelogd.",
    chats_chat_label="Chat",
    chats_since_label="Gekoppeld sinds",
    chats_ending="eindigend op {tail}",
    chats_alexa_label="Alexa-accountkoppeling",
    chats_alexa_on="Actief",
    chats_alexa_off="Niet actief",
    chats_alexa_app="Je hebt Alexa in de Alexa-app aan Kluis gekoppeld.",
    chats_unlink="Ontkoppelen",
    chats_alexa_unlink="Alexa ontkoppelen",
    chats_unlinked="{channel} is niet meer gekoppeld. Kluis beantwoordt daar geen vragen "
    "over je geld meer.",
    chats_unlinked_alexa="Alexa is niet meer gekoppeld. Kluis beantwoordt via Alexa geen "
    "vragen over je geld meer. Wil je Alexa weer gebruiken? Koppel Kluis dan opnieuw in de "
    "Alexa-app.",
    chats_gone="Die chat is niet (meer) aan je gekoppeld. Er is niets veranderd.",
    done={
        "revoked": "Kluis leest je bank niet meer. Je bank heeft bericht gekregen dat de "
        "toestemming stopt.",
        "renewed": "Je toestemming is verlengd. De oude is gestopt.",
        "narrowed": "Kluis gebruikt nu alleen de rekeningen die je koos.",
        "widened": "Kluis gebruikt weer alle rekeningen van je toestemming.",
        "preferences": "Je keuzes zijn opgeslagen.",
        "pin": "Je stem-pincode is ingesteld. Hij wordt niet meer getoond.",
    },
    retention="Wat Kluis had opgeslagen, wordt binnen {days} dagen gewist.",
    join_word=" en ",
)

CONSENT_TEXTS: dict[Locale, ConsentTexts] = {"nl": DUTCH, "en": ENGLISH}


def consent_texts_for(language: str | None) -> ConsentTexts:
    return CONSENT_TEXTS[locale_of(language)]
