"""Natural-language understanding: `parse(text, today, lang) -> Parse` (contracts/nlu.md).

An utterance goes through four steps: unreadable input (empty, too long, no Latin letters)
is `out_of_scope` with low confidence at once; the intent classifier (`classifier.py`, numpy
over the exported model) names the intent and sub-intent; the language model picks the reply
language (`language.py`); the extractors (`entities.py`) find period, amount, merchant,
category and account. The models load once, on the first call, in well under a second, and
never import scikit-learn.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final

from kluis.nlu.classifier import IntentClassifier, LinearModel, load_packaged
from kluis.nlu.entities import extract_entities
from kluis.nlu.features import normalise
from kluis.nlu.language import reply_language
from kluis.nlu.types import Entities, Language, Parse

__all__ = ["Parse", "parse"]

MAX_INPUT_CHARS: Final = 1000
"""Longer input is not a chat message: it is answered `out_of_scope` without reading it."""
UNREADABLE_CONFIDENCE: Final = 0.05
"""The confidence given to input that cannot be read (empty, emoji, other scripts)."""
OUT_OF_SCOPE_BELOW: Final = 0.3
"""Below this confidence the classifier's guess becomes `out_of_scope` (the confidence stays):
cross-validated on the corpus, it finds more out-of-scope text at no cost in accuracy."""
KNOWN_WORDS_AT_LEAST: Final = 0.34
"""Two or more different words of which fewer than a third were ever seen in training are
gibberish or another language: `out_of_scope`, unless the classifier is `SURE` all the same."""
SURE: Final = 0.8
REQUESTS: Final = frozenset({"auto", "nl", "en"})


@dataclass(frozen=True, slots=True)
class Models:
    intents: IntentClassifier
    language: LinearModel


@cache
def models() -> Models:
    """The packaged models, loaded on first use."""
    return Models(IntentClassifier(load_packaged("intents")), load_packaged("language"))


def _plain(char: str) -> bool:
    """A Latin letter, a digit or a currency sign: what a banking question is made of."""
    if char.isascii():
        return char.isalnum() or char == "$"
    if char.isdigit() or unicodedata.category(char) == "Sc":
        return True
    return char.isalpha() and "a" <= unicodedata.normalize("NFKD", char)[0].lower() <= "z"


def _readable(text: str) -> str:
    """The text without control characters, or "" when it is not worth classifying.

    Not worth it: longer than `MAX_INPUT_CHARS`, or mostly odd characters (controls, emoji,
    symbols, punctuation, other scripts) rather than Latin letters and digits.
    """
    if len(text) > MAX_INPUT_CHARS:
        return ""
    visible = [char for char in text if not char.isspace()]
    plain = sum(1 for char in visible if _plain(char))
    if plain == 0 or plain < len(visible) - plain:
        return ""
    return "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in text
    ).strip()


def parse(
    text: str, today: date | None = None, lang: str = "auto", *, fallback: Language = "nl"
) -> Parse:
    """Understand one utterance.

    `today` anchors relative periods (default: the local date). `lang` is "auto" (detect the
    reply language from the text) or "nl"/"en" (force it); `fallback` is the language when
    detection is unsure (see `language.py`). Never raises on odd text; an unknown `lang` is
    a `ValueError`.
    """
    if lang not in REQUESTS:
        raise ValueError(f"lang must be one of auto, nl, en, not {lang!r}")
    loaded = models()
    readable = _readable(text)
    normalised = normalise(readable)
    reply = reply_language(loaded.language, normalised, lang, fallback)
    if not normalised:
        return Parse(text, reply, "out_of_scope", UNREADABLE_CONFIDENCE, Entities())
    score = loaded.intents.classify(normalised)
    intent, confidence = score.intent, score.confidence
    if confidence < OUT_OF_SCOPE_BELOW:
        intent = "out_of_scope"
    elif (
        confidence < SURE
        and len(set(normalised.split())) >= 2
        and loaded.intents.known_share(normalised) < KNOWN_WORDS_AT_LEAST
    ):
        intent, confidence = "out_of_scope", min(confidence, OUT_OF_SCOPE_BELOW)
    entities = extract_entities(readable, today or date.today(), reply)
    return Parse(text, reply, intent, confidence, entities)
