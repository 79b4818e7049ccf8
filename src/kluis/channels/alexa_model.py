"""The Alexa skill's interaction model, in Dutch (nl-NL) and British English (en-GB).

    json.dumps(interaction_model("nl-NL"))   # paste into the developer console (JSON Editor)

Kluis understands the customer itself (`kluis.nlu`), so the model does not try to: one
catch-all `QueryIntent` hands over what was said in an `AMAZON.SearchQuery` slot `query`.
Alexa only fills that slot after a carrier phrase, so the samples put the opening words
people use for questions about their money in front of it ("hoeveel {query}", "show me
{query}"). `PinIntent` takes the four-digit voice PIN; the built-in intents cover help,
yes and no, stop, cancel, going home and what Alexa could not place.
"""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["nl", "en"]

INVOCATION_NAME: dict[Lang, str] = {"nl": "kluis bank", "en": "kluis bank"}
LOCALES: dict[str, Lang] = {"nl-NL": "nl", "en-GB": "en"}

_CARRIERS: dict[Lang, tuple[str, ...]] = {
    "nl": (
        "wat {query}",
        "wat is {query}",
        "wat zijn {query}",
        "wat heb ik {query}",
        "hoeveel {query}",
        "hoeveel heb ik {query}",
        "hoeveel staat er {query}",
        "wanneer {query}",
        "welke {query}",
        "wie {query}",
        "waar {query}",
        "waaraan {query}",
        "hoe {query}",
        "heb ik {query}",
        "is er {query}",
        "zijn er {query}",
        "kun je {query}",
        "kan ik {query}",
        "mag ik {query}",
        "laat {query} zien",
        "laat me {query} zien",
        "toon {query}",
        "geef {query}",
        "geef me {query}",
        "zoek {query}",
        "zoek naar {query}",
        "vertel {query}",
        "vertel me {query}",
        "lees {query} voor",
        "ik wil {query}",
        "ik wil weten {query}",
        "ik zoek {query}",
        "ik heb {query}",
        "mijn {query}",
        "de {query}",
        "en {query}",
        "nog {query}",
        "graag {query}",
    ),
    "en": (
        "what {query}",
        "what's {query}",
        "what is {query}",
        "what are {query}",
        "what did i {query}",
        "how much {query}",
        "how many {query}",
        "how {query}",
        "when {query}",
        "which {query}",
        "who {query}",
        "where {query}",
        "did i {query}",
        "have i {query}",
        "is there {query}",
        "are there {query}",
        "can you {query}",
        "can i {query}",
        "could you {query}",
        "show me {query}",
        "show {query}",
        "give me {query}",
        "tell me {query}",
        "read me {query}",
        "find {query}",
        "search for {query}",
        "look up {query}",
        "list {query}",
        "i want {query}",
        "i'd like {query}",
        "i need {query}",
        "my {query}",
        "the {query}",
        "and {query}",
        "please {query}",
    ),
}
_PIN_SAMPLES: dict[Lang, tuple[str, ...]] = {
    "nl": (
        "{pin}",
        "code {pin}",
        "de code is {pin}",
        "mijn code is {pin}",
        "spraakcode {pin}",
        "mijn spraakcode is {pin}",
        "het is {pin}",
    ),
    "en": (
        "{pin}",
        "code {pin}",
        "the code is {pin}",
        "my code is {pin}",
        "voice code {pin}",
        "my voice code is {pin}",
        "it's {pin}",
    ),
}
BUILT_IN_INTENTS = (
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
)


def interaction_model(locale: str, *, invocation_name: str | None = None) -> dict[str, Any]:
    """The interaction model for `locale` (nl-NL or en-GB), as the ASK console and the
    SMAPI `interactionModels` endpoint take it. `ValueError` for other locales."""
    lang = LOCALES.get(locale)
    if lang is None:
        raise ValueError(f"no interaction model for {locale!r}; choose nl-NL or en-GB")
    intents: list[dict[str, Any]] = [
        {
            "name": "QueryIntent",
            "slots": [{"name": "query", "type": "AMAZON.SearchQuery"}],
            "samples": list(_CARRIERS[lang]),
        },
        {
            "name": "PinIntent",
            "slots": [{"name": "pin", "type": "AMAZON.FOUR_DIGIT_NUMBER"}],
            "samples": list(_PIN_SAMPLES[lang]),
        },
        *({"name": name, "samples": []} for name in BUILT_IN_INTENTS),
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": (invocation_name or INVOCATION_NAME[lang]).lower(),
                "intents": intents,
                "types": [],
            }
        }
    }
