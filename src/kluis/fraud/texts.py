"""What Kluis says about a suspicious payment, in Dutch and English: the alert that asks
"was this you?", and the answers to "yes" and "no".

The alert shows what the channel's disclosure policy allows: the counterparty's name only
where names may be shown, the amount rounded where the customer asked for discretion.
"""

from __future__ import annotations

from datetime import date, datetime

from kluis.alerts.candidates import AlertMessage, Composer
from kluis.dialogue.formatting import Lang, day, money
from kluis.domain import BANK_TIME_ZONE, Transaction
from kluis.privacy.policy import DisclosurePolicy

YES = {"nl": "Ja, dat was ik", "en": "Yes, that was me"}
NO = {"nl": "Nee, dat was ik niet", "en": "No, that wasn't me"}

_TEXTS: dict[str, dict[Lang, str]] = {
    "alert": {
        "nl": "Was jij dit? {payment}.",
        "en": "Was this you? {payment}.",
    },
    "alert.several": {
        "nl": "Was jij dit? Deze {count} betalingen lijken niet op je gewone uitgaven:",
        "en": "Was this you? These {count} payments don't look like your usual spending:",
    },
    "alert.more": {
        "nl": "• en nog {count} andere",
        "en": "• and {count} more",
    },
    "alert.safety": {
        "nl": "Wij vragen je nooit om je pincode of inlogcodes.",
        "en": "We will never ask for your PIN or login codes.",
    },
    "at": {"nl": "bij {name}", "en": "at {name}"},
    "at.hidden": {"nl": "bij een winkel of ontvanger", "en": "at a shop or payee"},
    "today": {"nl": "vandaag {clock}", "en": "today {clock}"},
    "on": {"nl": "{day} om {clock}", "en": "{day} at {clock}"},
    "genuine": {
        "nl": "Dank je wel, dan is alles in orde. Ik heb genoteerd dat deze betaling van jou "
        "was; dat helpt me om je de volgende keer niet onnodig te storen.",
        "en": "Thank you, then all is well. I've noted that this payment was yours; that "
        "helps me not to bother you without need next time.",
    },
    "blocked": {
        "nl": "Ik heb je kaart {card} meteen geblokkeerd: er kan niets meer mee betaald worden. "
        "Een fraudespecialist kijkt er met spoed naar en neemt vandaag contact met je op "
        "(referentie {reference}). Samen bekijken jullie welke betalingen niet van jou zijn "
        "en hoe je je geld terugkrijgt; een nieuwe kaart vraag je dan meteen aan. Wil je "
        "liever direct iemand spreken? Bel {phone}, dag en nacht.",
        "en": "I've blocked your card {card} straight away: nothing more can be paid with it. "
        "A fraud specialist is looking into it urgently and will contact you today "
        "(reference {reference}). Together you'll go through which payments weren't yours "
        "and how you get your money back; you can order a new card right then. Would you "
        "rather talk to someone now? Call {phone}, day and night.",
    },
    "not_blocked": {
        "nl": "Ik kon je kaart niet zelf blokkeren{why}. Bel daarom nu {phone} (dag en nacht) "
        "om hem te laten blokkeren. Ik heb ook een fraudespecialist met spoed gevraagd mee "
        "te kijken (referentie {reference}); die neemt vandaag contact met je op.",
        "en": "I couldn't block your card myself{why}. Please call {phone} now (day and night) "
        "to have it blocked. I've also asked a fraud specialist to look into this urgently "
        "(reference {reference}); they'll contact you today.",
    },
    "why.no_control": {
        "nl": ", omdat je me daar geen toestemming voor hebt gegeven",
        "en": ", because you haven't given me permission to",
    },
    "why.bank": {
        "nl": ", omdat de bank even niet bereikbaar is",
        "en": ", because the bank can't be reached right now",
    },
    "no_card": {
        "nl": "Dank je voor je snelle antwoord. Deze betaling ging niet met een kaart, dus een "
        "fraudespecialist zet je rekening nu met spoed veilig en neemt vandaag contact met je "
        "op (referentie {reference}). Wil je direct iemand spreken? Bel {phone}, dag en nacht.",
        "en": "Thank you for answering so quickly. This payment wasn't made with a card, so a "
        "fraud specialist is now urgently securing your account and will contact you today "
        "(reference {reference}). Would you rather talk to someone now? Call {phone}, day and "
        "night.",
    },
    "already": {
        "nl": "Je hebt deze melding al beantwoord. Kan ik nog ergens anders mee helpen?",
        "en": "You've already answered this alert. Is there anything else I can help with?",
    },
}


def say(key: str, lang: Lang, **values: object) -> str:
    return _TEXTS[key][lang].format(**values)


def _when(moment: datetime, lang: Lang, today: date) -> str:
    local = moment.astimezone(BANK_TIME_ZONE)
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return say("today", lang, clock=clock)
    return say("on", lang, day=day(local.date(), lang, today=today), clock=clock)


Payment = tuple[Transaction, datetime]  # a payment, and the moment it was made
_LISTED = 5  # payments named in one alert; more are counted


def _payment(payment: Payment, lang: Lang, policy: DisclosurePolicy, today: date) -> str:
    transaction, moment = payment
    amount = money(-transaction.amount, lang, approximate=policy.round_amounts)
    name = transaction.counterparty_name
    where = (
        say("at", lang, name=name)
        if name and not policy.hide_counterparties
        else say("at.hidden", lang)
    )
    return f"{amount} {where}, {_when(moment, lang, today)}"


def fraud_alert_composer(payments: list[Payment], today: date) -> Composer:
    """The "was this you?" alert for one payment, or for several that came together (a
    night of card testing is one question), composed per language and channel policy;
    `today` is the bank's date (a moment is said as "today 14:02" or "27 nov at 14:02")."""

    def compose(lang: Lang, policy: DisclosurePolicy) -> AlertMessage:
        if len(payments) == 1:
            text = say("alert", lang, payment=_payment(payments[0], lang, policy, today))
        else:
            lines = [f"• {_payment(item, lang, policy, today)}" for item in payments[:_LISTED]]
            if len(payments) > _LISTED:
                lines.append(say("alert.more", lang, count=len(payments) - _LISTED))
            text = "\n".join([say("alert.several", lang, count=len(payments)), *lines])
        text = f"{text}\n{say('alert.safety', lang)}"
        return AlertMessage(text, (YES[lang], NO[lang]))

    return compose
