"""What Kluis says on a platform outside the conversation itself: asking a new person to
link their bank, welcoming them once linked, confirming an unlink, the neutral notice sent
outside a messaging window."""

from __future__ import annotations

from typing import Literal

Lang = Literal["nl", "en"]

TEXTS: dict[str, dict[Lang, str]] = {
    "link.prompt": {
        "nl": "Hallo! Ik ben de digitale assistent van {bank}. Voordat ik iets over je rekeningen kan vertellen, koppel je eerst dit gesprek aan je bank. Dat doe je veilig op de website van de bank; daar kies je ook welke rekeningen ik mag zien. De link werkt 15 minuten.",
        "en": "Hello! I'm the digital assistant of {bank}. Before I can tell you anything about your accounts, please link this chat to your bank. You do that safely on the bank's website, where you also choose which accounts I may see. The link works for 15 minutes.",
    },
    "link.button": {"nl": "Koppel je bank", "en": "Link your bank"},
    "link.with_url": {
        "nl": "{prompt}\n\n{url}",
        "en": "{prompt}\n\n{url}",
    },
    "link.done": {
        "nl": "Gelukt: dit gesprek is gekoppeld aan je bank. Vraag me bijvoorbeeld 'wat is mijn saldo?' of 'wat heb ik deze maand uitgegeven?'.",
        "en": "Done: this chat is now linked to your bank. Ask me, for example, 'what's my balance?' or 'what did I spend this month?'.",
    },
    "link.failed": {
        "nl": "Die koppellink werkt niet meer (hij was al gebruikt of is verlopen). Ik stuur je een nieuwe.",
        "en": "That linking link no longer works (it was used already or has expired). I'll send you a new one.",
    },
    "unlinked": {
        "nl": "Dit gesprek is niet meer gekoppeld aan je bank. Ik lees hier niets meer van je rekeningen. Je toestemming bij de bank beheer je op de pagina 'Mijn toestemmingen'.",
        "en": "This chat is no longer linked to your bank. I won't read anything from your accounts here any more. You manage your consent at the bank on the 'My consents' page.",
    },
    "welcome.back": {
        "nl": "Welkom terug! Waarmee kan ik je helpen?",
        "en": "Welcome back! How can I help?",
    },
    "handover": {
        "nl": "Een medewerker van {bank} neemt het gesprek hier over. Je hoort zo van ons.",
        "en": "Someone from {bank} is taking over this conversation here. You'll hear from us shortly.",
    },
    "unsupported": {
        "nl": "Dat soort bericht kan ik niet lezen. Stuur me je vraag als tekst, bijvoorbeeld 'wat is mijn saldo?'.",
        "en": "I can't read that kind of message. Please send me your question as text, for example 'what's my balance?'.",
    },
    # Outside a platform's messaging window only an approved template may go out; it says
    # that there is a message, never what it is about.
    "notice": {
        "nl": "Je hebt een nieuw bericht van {bank}. Open dit gesprek om het te lezen.",
        "en": "You have a new message from {bank}. Open this chat to read it.",
    },
}


def say(key: str, lang: Lang, **values: str) -> str:
    return TEXTS[key][lang].format(**values)
