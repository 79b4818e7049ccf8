"""Variations of an utterance the way people mistype and speak it.

Every function takes a `random.Random` so the corpus is the same on every run. Character
noise (keyboard neighbours, dropped, doubled and swapped letters) applies to any intent;
word noise (fillers, "mijn"/"m'n"/"mn", "u"/"je", "pls") only to requests, never to short
answers like "ja" or "bye", where a filler would change what they mean.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from kluis.nlu.types import Language

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS: dict[str, str] = {}
for _row_index, _row in enumerate(_ROWS):
    for _column, _letter in enumerate(_row):
        around = []
        for row_offset in (-1, 0, 1):
            other = _row_index + row_offset
            if 0 <= other < len(_ROWS):
                for column in (_column - 1, _column, _column + 1):
                    if 0 <= column < len(_ROWS[other]) and _ROWS[other][column] != _letter:
                        around.append(_ROWS[other][column])
        NEIGHBOURS[_letter] = "".join(around)

PREFIXES: dict[Language, tuple[str, ...]] = {
    "nl": ("eh", "hey", "hoi", "ok", "oke", "uhm", "hallo", "zeg", "ff", "hey kluis", "ja"),
    "en": ("uh", "hey", "hi", "ok", "so", "um", "hello", "yo", "hey kluis", "quick question"),
}
SUFFIXES: dict[Language, tuple[str, ...]] = {
    "nl": ("aub", "alsjeblieft", "graag", "ff", "pls", "dan", "even", "alstublieft", "dank je"),
    "en": ("please", "pls", "plz", "thanks", "now", "real quick", "mate", "thx", "for me"),
}
_SWAPS: dict[Language, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "nl": (
        (r"\bmijn\b", ("m'n", "mn", "me", "mijn")),
        (r"\bm'n\b", ("mijn", "mn")),
        (r"\bkun je\b", ("kunt u", "kan je", "kan jij")),
        (r"\bkan je\b", ("kunt u", "kun je")),
        (r"\bheb je\b", ("heeft u", "hebt u")),
        (r"\bje\b", ("u", "jij")),
        (r"\beven\b", ("ff", "effe")),
        (r"\bik\b", ("k",)),
        (r"\bwat\b", ("wa",)),
        (r"\bniet\b", ("nie",)),
        (r"\bhet\b", ("t", "'t")),
    ),
    "en": (
        (r"\bwhat's\b", ("whats", "wats", "what is")),
        (r"\bwhat is\b", ("what's", "whats")),
        (r"\byou\b", ("u", "ya")),
        (r"\bplease\b", ("pls", "plz")),
        (r"\bI\b", ("i",)),
        (r"\bmy\b", ("me", "ma")),
        (r"\bdon't\b", ("dont", "do not")),
        (r"\bI've\b", ("ive", "i have")),
        (r"\bhow much\b", ("how much money", "hw much")),
    ),
}


def _letter_positions(text: str) -> list[int]:
    return [index for index, char in enumerate(text) if char.isalpha()]


def neighbour_typo(text: str, rng: random.Random) -> str:
    """One letter replaced by a key next to it on a QWERTY keyboard."""
    positions = [i for i in _letter_positions(text) if text[i].lower() in NEIGHBOURS]
    if not positions:
        return text
    index = rng.choice(positions)
    replacement = rng.choice(NEIGHBOURS[text[index].lower()])
    return text[:index] + replacement + text[index + 1 :]


def dropped_letter(text: str, rng: random.Random) -> str:
    positions = _letter_positions(text)
    if len(positions) < 4:
        return text
    index = rng.choice(positions)
    return text[:index] + text[index + 1 :]


def doubled_letter(text: str, rng: random.Random) -> str:
    positions = _letter_positions(text)
    if not positions:
        return text
    index = rng.choice(positions)
    return text[: index + 1] + text[index] + text[index + 1 :]


def swapped_letters(text: str, rng: random.Random) -> str:
    positions = [i for i in _letter_positions(text) if i + 1 < len(text) and text[i + 1].isalpha()]
    if not positions:
        return text
    index = rng.choice(positions)
    return text[:index] + text[index + 1] + text[index] + text[index + 2 :]


def voice(text: str, rng: random.Random) -> str:
    """A speech transcript: lower case, no punctuation."""
    return re.sub(r"[?!.,;:]+", "", text.lower()).strip()


CHARACTER_NOISE: tuple[Callable[[str, random.Random], str], ...] = (
    neighbour_typo,
    dropped_letter,
    doubled_letter,
    swapped_letters,
    voice,
)


def word_swap(text: str, lang: Language, rng: random.Random) -> str:
    """One informal or formal word form for another ("mijn" -> "m'n", "you" -> "u")."""
    candidates = [(p, r) for p, r in _SWAPS[lang] if re.search(p, text, flags=re.IGNORECASE)]
    if not candidates:
        return text
    pattern, replacements = rng.choice(candidates)
    return re.sub(pattern, rng.choice(replacements), text, count=1, flags=re.IGNORECASE)


def filler(text: str, lang: Language, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(PREFIXES[lang])} {text}"
    return f"{text.rstrip('?!. ')} {rng.choice(SUFFIXES[lang])}"


def vary(text: str, lang: Language, rng: random.Random, *, words: bool) -> str:
    """One random variation: one or two character changes, maybe a word change or filler."""
    result = text
    if words and rng.random() < 0.5:
        result = word_swap(result, lang, rng)
    if words and rng.random() < 0.35:
        result = filler(result, lang, rng)
    for _ in range(rng.choice((1, 1, 2))):
        result = rng.choice(CHARACTER_NOISE)(result, rng)
    if rng.random() < 0.5:
        result = voice(result, rng)
    return result


def gibberish(rng: random.Random) -> str:
    """Keyboard mash: what a pocket or a cat types."""
    kind = rng.random()
    if kind < 0.4:
        row = rng.choice(_ROWS)
        start = rng.randrange(len(row) - 3)
        return row[start : start + rng.randint(3, 7)] * rng.randint(1, 2)
    if kind < 0.7:
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 12)))
    syllables = ("ka", "lo", "mi", "zu", "pe", "tra", "bo", "xi", "qua", "fle", "dra", "vo")
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(1, 4))
    )
