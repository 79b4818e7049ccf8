"""The language of the reply: Dutch or English, from the text or as the caller asks.

The rule, in order:

1. `lang="nl"` or `lang="en"` forces that language (the customer chose it, or the channel
   knows it).
2. `lang="auto"`: a small linear model over word and character n-grams, trained on the
   corpus, where each example is labelled with the language of its grammar. A mixed sentence
   ("hoeveel spent ik last month bij de appie") follows its grammar and function words, so it
   is Dutch; "what's my saldo" is English. When the model is sure (probability at least
   `SURE`), its answer is the language.
3. When it is not sure (a single name, a number, "ok", "hi", emoji, other scripts), the
   reply is in `fallback`: Dutch unless the caller passes the conversation's language.
"""

from __future__ import annotations

from typing import Final

from kluis.nlu.classifier import LinearModel
from kluis.nlu.types import Language

SURE: Final = 0.7
LANGUAGES: Final[tuple[Language, ...]] = ("nl", "en")


def detect(model: LinearModel, normalised: str) -> tuple[Language | None, float]:
    """The language the model is sure of (or None), and the probability of English."""
    probabilities = model.probabilities(normalised)
    english = float(probabilities[model.labels.index("en")])
    if english >= SURE:
        return "en", english
    if english <= 1 - SURE:
        return "nl", english
    return None, english


def reply_language(
    model: LinearModel, normalised: str, requested: str, fallback: Language = "nl"
) -> Language:
    """Apply the rule of the module docstring."""
    if requested == "nl":
        return "nl"
    if requested == "en":
        return "en"
    if not any(char.isalpha() for char in normalised):
        return fallback
    detected, _ = detect(model, normalised)
    return fallback if detected is None else detected
