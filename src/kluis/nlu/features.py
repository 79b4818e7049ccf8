"""Text to features, the same at training and at inference.

`normalise` folds case, accents, apostrophes, currency signs and numbers so that "M'n
saldo?!", "mn saldo" and "mijn sáldo" look alike. `word_features` gives word unigrams and
bigrams (with sentence-boundary markers, so "nee ..." at the start counts), `char_features`
character 2- to 5-grams inside each word padded with spaces (typos keep most of them).
Training hands these very functions to scikit-learn as analyzers; inference uses them with
the exported vocabulary, so both see the same features.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import Final

MAX_CHARS: Final = 300
"""Features come from the first 300 normalised characters; nobody asks a question longer."""

_APOSTROPHES = re.compile(r"['’‘`´]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CURRENCY = {"€": " euro ", "$": " dollar ", "£": " pound "}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise(text: str) -> str:
    """Lower case, no accents, no apostrophes, numbers as `0`, words split by one space."""
    folded = _strip_accents(unicodedata.normalize("NFKC", text).casefold())
    for sign, word in _CURRENCY.items():
        folded = folded.replace(sign, word)
    folded = _APOSTROPHES.sub("", folded)
    folded = _NUMBER.sub(" 0 ", folded)
    words = _NOT_WORD.sub(" ", folded).strip()
    if len(words) > MAX_CHARS:
        words = words[:MAX_CHARS].rsplit(" ", 1)[0]
    return words


def word_features(normalised: str) -> list[str]:
    """Word unigrams and bigrams; `<s>` and `</s>` mark the ends."""
    words = normalised.split()
    if not words:
        return []
    padded = ["<s>", *words, "</s>"]
    bigrams = [f"{first} {second}" for first, second in pairwise(padded)]
    return words + bigrams


def char_features(normalised: str) -> list[str]:
    """Character 2- to 5-grams of each word padded with a space on both sides."""
    grams: list[str] = []
    for word in normalised.split():
        padded = f" {word} "
        for size in range(2, 6):
            if size > len(padded):
                break
            grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


ANALYZERS: Final[dict[str, Callable[[str], list[str]]]] = {
    "words": word_features,
    "chars": char_features,
}


@lru_cache(maxsize=256)
def analysed(analyzer: str, normalised: str) -> tuple[str, ...]:
    """`ANALYZERS[analyzer](normalised)`, remembered: both models read the same features."""
    return tuple(ANALYZERS[analyzer](normalised))
