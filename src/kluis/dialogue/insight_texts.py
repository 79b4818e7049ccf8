"""What Kluis says about spending over time, in Dutch and English: the usual month, what
stands out, the top merchants and the month-by-month picture. Placeholders are filled by
`kluis.dialogue.handlers.spending_extras`; money and dates come formatted."""

from __future__ import annotations

from typing import Final

from kluis.dialogue.formatting import Lang

INSIGHT_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    # beside a total: the customer's usual month
    "usual.month": {
        "nl": " Normaal is dat {amount} per maand.",
        "en": " In a usual month it's {amount}.",
    },
    "usual.month_running": {
        "nl": " Een gewone maand komt in totaal op {amount}.",
        "en": " A usual month comes to {amount} in all.",
    },
    "usual.unknown": {
        "nl": "Om te zeggen wat normaal is voor jou, heb ik minstens drie volle maanden aan "
        "betalingen nodig, en die heb ik nog niet.",
        "en": "To tell what's usual for you, I need at least three full months of payments, "
        "and I don't have those yet.",
    },
    "usual.rule": {
        "nl": "Ik noem iets opvallend als het meer dan 30 % en meer dan {floor} boven je "
        "gewone maand ligt (het midden van de afgelopen {count} volle maanden).",
        "en": "I call something unusual when it's more than 30% and more than {floor} above "
        "your usual month (the middle of the past {count} full months).",
    },
    # what stands out
    "unusual.hint": {"nl": " Opvallend: {list}.", "en": " What stands out: {list}."},
    "unusual.item": {
        "nl": "{label} {amount} (normaal {usual})",
        "en": "{label} {amount} (usually {usual})",
    },
    "unusual.item_new": {
        "nl": "{label} {amount} (normaal niets)",
        "en": "{label} {amount} (usually nothing)",
    },
    "unusual.head": {
        "nl": "{period} gaf je {amount} uit; normaal is {usual} per maand. Wat opvalt:",
        "en": "{period} you spent {amount}; a usual month is {usual}. What stands out:",
    },
    "unusual.line": {
        "nl": "• {label}: {amount}, normaal {usual}",
        "en": "• {label}: {amount}, usually {usual}",
    },
    "unusual.line_new": {
        "nl": "• {label}: {amount}, normaal niets",
        "en": "• {label}: {amount}, usually nothing",
    },
    "unusual.none": {
        "nl": "{period} gaf je {amount} uit; normaal is {usual} per maand. Ik zie niets "
        "bijzonders: alles blijft in de buurt van wat je gewoonlijk uitgeeft.",
        "en": "{period} you spent {amount}; a usual month is {usual}. Nothing stands out: "
        "everything is close to what you usually spend.",
    },
    "unusual.at": {"nl": "bij {merchant}", "en": "at {merchant}"},
    # top merchants
    "top.head": {
        "nl": "{period} gaf je{what} het meest uit bij:",
        "en": "{period} you spent most{what} at:",
    },
    "top.line": {
        "nl": "{rank}. {name}: {amount} ({times})",
        "en": "{rank}. {name}: {amount} ({times})",
    },
    "top.once": {"nl": "1 keer", "en": "once"},
    "top.times": {"nl": "{count} keer", "en": "{count} times"},
    "top.categories_head": {
        "nl": "Namen van winkels laat ik hier niet zien, dus per soort uitgave. {period} ging "
        "het meeste naar:",
        "en": "I don't show shop names here, so by kind of spending. {period} most of it went on:",
    },
    "top.category_hidden": {
        "nl": "Namen van winkels laat ik hier niet zien. {period} gaf je {amount} uit{what}.",
        "en": "I don't show shop names here. {period} you spent {amount}{what}.",
    },
    "top.category_line": {"nl": "{rank}. {name}: {amount}", "en": "{rank}. {name}: {amount}"},
    "top.none": {
        "nl": "{period} zie ik geen uitgaven{what}.",
        "en": "I don't see any spending{what} {period}.",
    },
    "top.chart": {"nl": "Meeste uitgaven{what} {period}", "en": "Most spent{what} {period}"},
    # month by month
    "trend.head": {
        "nl": "Je uitgaven{what} per maand, van {first} t/m {last}: normaal {usual}, het "
        "meest in {high} ({high_amount}), het minst in {low} ({low_amount}).",
        "en": "Your spending{what} per month, {first} to {last}: usually {usual}, the most "
        "in {high} ({high_amount}), the least in {low} ({low_amount}).",
    },
    "trend.one": {
        "nl": "In {month} gaf je {amount} uit{what}; van de maanden daarvoor heb ik je "
        "betalingen niet compleet.",
        "en": "In {month} you spent {amount}{what}; I don't have all your payments for the "
        "months before.",
    },
    "trend.one_none": {
        "nl": "In {month} zie ik geen uitgaven{what}; van de maanden daarvoor heb ik je "
        "betalingen niet compleet.",
        "en": "I don't see any spending{what} in {month}; I don't have all your payments for "
        "the months before.",
    },
    "trend.now": {
        "nl": " Deze maand tot nu toe: {amount}.",
        "en": " This month so far: {amount}.",
    },
    "trend.none": {
        "nl": "Ik zie geen uitgaven{what} in de maanden van {first} t/m {last}.",
        "en": "I don't see any spending{what} in the months {first} to {last}.",
    },
    "trend.chart": {"nl": "Uitgaven{what} per maand", "en": "Spending{what} per month"},
    "trend.on": {"nl": " aan {category}", "en": " on {category}"},
    "trend.at": {"nl": " bij {merchant}", "en": " at {merchant}"},
    # quick replies: short enough for every platform's buttons (20 characters), and each
    # understood as a spending question
    "button.unusual": {"nl": "Opvallende uitgaven", "en": "Unusual spending"},
    "button.trend": {"nl": "Uitgaven per maand", "en": "Spending per month"},
    "button.top": {"nl": "Meest uitgegeven bij", "en": "Where I spent most"},
}


def say_insight(key: str, lang: Lang, **values: object) -> str:
    """The sentence `key` in `lang`, with its placeholders filled."""
    return INSIGHT_TEXTS[key][lang].format(**values)


def insight_buttons(lang: Lang, *keys: str) -> tuple[str, ...]:
    """Quick replies by name (`"unusual"`, `"trend"`, `"top"`)."""
    return tuple(say_insight(f"button.{key}", lang) for key in keys)
