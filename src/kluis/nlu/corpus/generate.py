"""The training set: hand-written examples, their variations and filled-in templates.

Deterministic: the same corpus files give the same examples in the same order, so training
gives the same model on every machine.
"""

from __future__ import annotations

import random
import re

from kluis.nlu.corpus import LANGUAGES, Example, templates, written_examples
from kluis.nlu.corpus.noise import gibberish, vary
from kluis.nlu.corpus.slots import values
from kluis.nlu.features import normalise
from kluis.nlu.types import Language

SEED = 20260318
VARIATIONS_PER_EXAMPLE = 2
FILLINGS_PER_TEMPLATE = 8
GIBBERISH_PER_LANGUAGE = 50
SHORT_ANSWERS = frozenset({"affirm", "deny", "greeting", "thanks", "goodbye"})
"""Intents whose utterances a filler word would change ("hey ja", "ok nee"): only typos."""

_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, lang: Language, rng: random.Random) -> str:
    """The template with every `{slot}` replaced by a random value for that slot."""
    return _SLOT.sub(lambda match: rng.choice(values(lang, match.group(1))), template)


def variations(examples: list[Example], rng: random.Random) -> list[Example]:
    result = []
    for example in examples:
        words = example.base_intent not in SHORT_ANSWERS
        for _ in range(VARIATIONS_PER_EXAMPLE):
            text = vary(example.text, example.lang, rng, words=words)
            result.append(Example(text, example.lang, example.intent, "variation"))
    return result


def filled_templates(rng: random.Random) -> list[Example]:
    result = []
    for template in templates():
        for _ in range(FILLINGS_PER_TEMPLATE):
            text = fill(template.text, template.lang, rng)
            if rng.random() < 0.3:
                text = vary(text, template.lang, rng, words=True)
            result.append(Example(text, template.lang, template.intent, "template"))
    return result


def keyboard_mash(rng: random.Random) -> list[Example]:
    return [
        Example(gibberish(rng), lang, "out_of_scope", "gibberish")
        for lang in LANGUAGES
        for _ in range(GIBBERISH_PER_LANGUAGE)
    ]


def deduplicate(examples: list[Example]) -> list[Example]:
    """One example per (normalised text, language); the first one wins a conflict.

    Hand-written examples come first, so a variation that happens to spell another intent's
    example never relabels it.
    """
    seen: set[tuple[str, str]] = set()
    labels: dict[str, str] = {}
    result = []
    for example in examples:
        key = normalise(example.text)
        if not key or (key, example.lang) in seen:
            continue
        if labels.setdefault(key, example.base_intent) != example.base_intent:
            continue
        seen.add((key, example.lang))
        result.append(example)
    return result


def training_examples(seed: int = SEED) -> list[Example]:
    """Everything the classifier learns from, deduplicated, in a fixed order."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    written = written_examples()
    generated = variations(written, rng) + filled_templates(rng) + keyboard_mash(rng)
    return deduplicate(written + generated)
