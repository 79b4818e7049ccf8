"""Every sentence of the alerts, in Dutch and English: the alerts themselves (filled by the
composers in `kluis.alerts.messages`) and the conversation in which customers choose them
(`kluis.dialogue.handlers.alerts`).

Each alert has up to three forms: with the counterparty's name, without it (the customer
asked for names to be left out, or the channel does not know), and for a lock screen,
with neither name nor amount (`.private`).
"""

from __future__ import annotations

from typing import Any, Final

from kluis.dialogue.formatting import Lang

TEXTS: Final[dict[str, dict[Lang, str]]] = {
    # The alerts.
    "low_balance": {
        "nl": "Het saldo van je {account} is onder de {threshold} gekomen: er staat nu {balance}.",
        "en": "The balance of your {account} has dropped below {threshold}: it is now {balance}.",
    },
    "low_balance.private": {
        "nl": "Het saldo van je {account} is onder het bedrag gekomen dat je hebt ingesteld.",
        "en": "The balance of your {account} has dropped below the amount you set.",
    },
    "large_transaction": {
        "nl": "Er is {amount} van je {account} betaald aan {name}.",
        "en": "{amount} was paid from your {account} to {name}.",
    },
    "large_transaction.unnamed": {
        "nl": "Er is {amount} van je {account} betaald.",
        "en": "{amount} was paid from your {account}.",
    },
    "large_transaction.private": {
        "nl": "Er is een grote betaling van je {account} gedaan.",
        "en": "A large payment was made from your {account}.",
    },
    "large_transaction.check": {
        "nl": " Herken je deze betaling niet? Laat het me meteen weten.",
        "en": " Don't recognise it? Let me know straight away.",
    },
    "income": {
        "nl": "Er is {amount} binnengekomen op je {account}, van {name}.",
        "en": "{amount} came in on your {account}, from {name}.",
    },
    "income.unnamed": {
        "nl": "Er is {amount} binnengekomen op je {account}.",
        "en": "{amount} came in on your {account}.",
    },
    "income.private": {
        "nl": "Er is geld binnengekomen op je {account}.",
        "en": "Money has come in on your {account}.",
    },
    "duplicate_charge": {
        "nl": (
            "Het lijkt erop dat {name} twee keer {amount} heeft afgeschreven ({first} en "
            "{second}). Klopt dat niet? Neem dan contact op met {name}, of laat het mij weten."
        ),
        "en": (
            "It looks like {name} charged you {amount} twice ({first} and {second}). If that "
            "isn't right, contact {name}, or let me know."
        ),
    },
    "duplicate_charge.unnamed": {
        "nl": (
            "Het lijkt erop dat dezelfde ontvanger twee keer {amount} heeft afgeschreven "
            "({first} en {second}). Klopt dat niet? Laat het mij weten."
        ),
        "en": (
            "It looks like the same payee charged you {amount} twice ({first} and {second}). "
            "If that isn't right, let me know."
        ),
    },
    "duplicate_charge.private": {
        "nl": "Het lijkt erop dat er twee keer dezelfde betaling is afgeschreven.",
        "en": "It looks like the same payment was taken twice.",
    },
    "price_increase": {
        "nl": "{name} schreef {amount} af, meer dan de gebruikelijke {usual} {cadence}.",
        "en": "{name} charged {amount}, more than the usual {usual} {cadence}.",
    },
    "price_increase.unnamed": {
        "nl": "Een vaste betaling is duurder geworden: {amount} in plaats van {usual} {cadence}.",
        "en": "A regular payment went up: {amount} instead of {usual} {cadence}.",
    },
    "price_increase.private": {
        "nl": "Een van je vaste betalingen is duurder geworden.",
        "en": "One of your regular payments has gone up.",
    },
    "new_recurring": {
        "nl": (
            "Ik zie een nieuwe vaste betaling: {name} schrijft {cadence} {amount} af, voor "
            "het laatst op {day}. Ken je dit niet? Laat het me weten."
        ),
        "en": (
            "I see a new regular payment: {name} takes {amount} {cadence}, most recently on "
            "{day}. Don't recognise it? Let me know."
        ),
    },
    "new_recurring.unnamed": {
        "nl": (
            "Ik zie een nieuwe vaste betaling van {amount} {cadence}, voor het laatst op "
            "{day}. Ken je dit niet? Laat het me weten."
        ),
        "en": (
            "I see a new regular payment of {amount} {cadence}, most recently on {day}. "
            "Don't recognise it? Let me know."
        ),
    },
    "new_recurring.private": {
        "nl": "Ik zie een nieuwe vaste betaling op je {account}.",
        "en": "I see a new regular payment on your {account}.",
    },
    "upcoming_overdraft": {
        "nl": (
            "Let op: rond {day} verwacht ik een incasso van {amount} door {name}, maar op je "
            "{account} staat {balance}."
        ),
        "en": (
            "Heads up: around {day} I expect a direct debit of {amount} from {name}, but "
            "your {account} has {balance}."
        ),
    },
    "upcoming_overdraft.unnamed": {
        "nl": (
            "Let op: rond {day} verwacht ik een incasso van {amount}, maar op je {account} "
            "staat {balance}."
        ),
        "en": (
            "Heads up: around {day} I expect a direct debit of {amount}, but your {account} "
            "has {balance}."
        ),
    },
    "upcoming_overdraft.private": {
        "nl": "Let op: er komt binnenkort een incasso waarvoor te weinig op je {account} staat.",
        "en": "Heads up: a direct debit is coming up and your {account} may not cover it.",
    },
    "upcoming_overdraft.together": {
        "nl": " Met de andere incasso's die eraan komen is dat samen {total}.",
        "en": " With the other direct debits coming up that makes {total} in all.",
    },
    "upcoming_overdraft.advice": {
        "nl": " Zorg op tijd voor genoeg saldo, dan voorkom je rood staan of een storno.",
        "en": " Top it up in time to avoid going overdrawn or a returned debit.",
    },
    "cadence.weekly": {"nl": "per week", "en": "a week"},
    "cadence.monthly": {"nl": "per maand", "en": "a month"},
    "cadence.quarterly": {"nl": "per kwartaal", "en": "a quarter"},
    "cadence.yearly": {"nl": "per jaar", "en": "a year"},
    "account": {"nl": "rekening", "en": "account"},
    "button.not_me": {"nl": "Ik herken deze betaling niet", "en": "I don't recognise this payment"},
    # The conversation.
    "set.low_balance": {
        "nl": "Goed, ik waarschuw je zodra het saldo van je betaalrekening onder de {amount} komt.",
        "en": "Done: I'll warn you as soon as your current account drops below {amount}.",
    },
    "ask.low_balance": {
        "nl": "Bij welk bedrag wil je een waarschuwing? Zeg bijvoorbeeld 'onder € 100'.",
        "en": "Below which amount should I warn you? For example 'below €100'.",
    },
    "ask.below.50": {"nl": "Onder € 50", "en": "Below €50"},
    "ask.below.100": {"nl": "Onder € 100", "en": "Below €100"},
    "ask.below.250": {"nl": "Onder € 250", "en": "Below €250"},
    "set.large_transaction": {
        "nl": "Goed, ik stuur je een bericht bij elke betaling van {amount} of meer.",
        "en": "Done: I'll message you about every payment of {amount} or more.",
    },
    "set.large_transaction.default": {
        "nl": " Liever een ander bedrag? Zeg bijvoorbeeld 'meld betalingen boven € 250'.",
        "en": " Another amount? Say for example 'alert me about payments over €250'.",
    },
    "set.income": {
        "nl": "Goed, ik laat je weten wanneer er salaris of ander geld binnenkomt.",
        "en": "Done: I'll let you know when your salary or other money comes in.",
    },
    "set.other": {
        "nl": "Goed, meldingen over {names} staan aan.",
        "en": "Done: alerts about {names} are on.",
    },
    "stop.some": {
        "nl": "Goed, je krijgt geen meldingen meer over {names}. Je kunt ze altijd weer aanzetten.",
        "en": "Done: no more alerts about {names}. You can switch them back on any time.",
    },
    "stop.fraud": {
        "nl": (
            "Meldingen over verdachte betalingen blijven aan: daarmee beschermen we je geld, "
            "en ik stuur ze alleen als er echt iets niet lijkt te kloppen."
        ),
        "en": (
            "Alerts about suspicious payments stay on: they protect your money, and I only "
            "send them when something really doesn't look right."
        ),
    },
    "stop.all": {
        "nl": "Goed, ik heb al je meldingen uitgezet.",
        "en": "Done: I've switched off all your alerts.",
    },
    "stop.which": {
        "nl": "Welke meldingen wil je uitzetten?",
        "en": "Which alerts would you like to switch off?",
    },
    "stop.nothing": {
        "nl": "Je hebt nu alleen meldingen over verdachte betalingen aan.",
        "en": "The only alerts you have on now are about suspicious payments.",
    },
    "stop.all_button": {"nl": "Stop alle meldingen", "en": "Stop all my alerts"},
    "list.on": {"nl": "Deze meldingen staan aan: {items}.", "en": "These alerts are on: {items}."},
    "list.off": {"nl": "Uit: {items}.", "en": "Off: {items}."},
    "list.below": {"nl": "onder {amount}", "en": "below {amount}"},
    "list.from": {"nl": "vanaf {amount}", "en": "from {amount}"},
    "list.always": {"nl": "altijd aan", "en": "always on"},
    "list.quiet": {
        "nl": "Tussen {start} en {end} wacht ik met meldingen, en je krijgt er hoogstens {limit} per dag; verdachte betalingen meld ik altijd meteen.",
        "en": "Between {start} and {end} alerts wait, and you get at most {limit} a day; suspicious payments I always report straight away.",
    },
    "list.change": {
        "nl": "Iets veranderen? Zeg bijvoorbeeld 'waarschuw me als mijn saldo onder € 100 komt', 'stop met salarismeldingen' of 'geen meldingen tussen 22 en 7 uur'.",
        "en": "Want to change something? Say for example 'warn me when my balance drops below €100', 'stop income alerts' or 'no alerts between 10pm and 7am'.",
    },
    "button.low_balance": {
        "nl": "Waarschuw me bij laag saldo",
        "en": "Warn me when my balance is low",
    },
    "button.list": {"nl": "Welke meldingen staan aan?", "en": "Which alerts are on?"},
    "quiet.set": {
        "nl": "Goed, tussen {start} en {end} stuur ik je geen meldingen; wat er in die tijd gebeurt, hoor je om {end}. Verdachte betalingen meld ik wel meteen.",
        "en": "Done: no alerts between {start} and {end}; anything that comes up then waits until {end}. Suspicious payments I still report straight away.",
    },
    "quiet.ask": {
        "nl": "Van hoe laat tot hoe laat wil je geen meldingen? Zeg bijvoorbeeld 'geen meldingen tussen 22 en 7 uur'.",
        "en": "From when to when would you like no alerts? For example 'no alerts between 10pm and 7am'.",
    },
    "limit.set": {
        "nl": "Goed, je krijgt hoogstens {count} {word} per dag. Verdachte betalingen tellen niet mee: die krijg je altijd.",
        "en": "Done: at most {count} {word} a day. Suspicious payments don't count: you always get those.",
    },
    "limit.ask": {
        "nl": "Hoeveel meldingen per dag wil je hoogstens? Kies een aantal van 1 tot {most}.",
        "en": "How many alerts a day at most? Pick a number from 1 to {most}.",
    },
    "word.alert": {"nl": "melding", "en": "alert"},
    "word.alerts": {"nl": "meldingen", "en": "alerts"},
}


def say(key: str, lang: Lang, **values: Any) -> str:
    """The sentence `key` in `lang`, with its placeholders filled."""
    return TEXTS[key][lang].format(**values)
