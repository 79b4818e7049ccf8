"""Dutch and English number words: "tweehonderdvijftig", "vijf en twintig", "two hundred and fifty".

Written Dutch joins a number into one word ("twaalfhonderd", "eenentwintig"); customers also
split it ("twee honderd vijftig"). Both are read by joining the words and parsing the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kluis.nlu.text import Token

_NL_SMALL: dict[str, int] = {
    "nul": 0,
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_NL_TENS: dict[str, int] = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_EN_SMALL: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_WORDS = frozenset(_EN_SMALL) | frozenset(_EN_TENS) | frozenset(_EN_SCALES)
_CONNECTORS = frozenset({"en", "and"})
_ARTICLES = frozenset({"a", "an"})

_NL_MORPHEMES = sorted(
    [*_NL_SMALL, *_NL_TENS, "honderd", "duizend", "miljoen", "en"], key=len, reverse=True
)
_NL_WORD_RE = re.compile("(?:" + "|".join(_NL_MORPHEMES) + ")+")

LONE_ONE = frozenset({"een", "one"})
"""Words that are a number only next to a currency: "een" and "one" are mostly articles."""


def _dutch_below_100(text: str) -> int | None:
    if not text:
        return None
    if text in _NL_SMALL:
        return _NL_SMALL[text]
    if text in _NL_TENS:
        return _NL_TENS[text]
    for unit, value in _NL_SMALL.items():
        if 1 <= value <= 9 and text.startswith(unit + "en"):
            tens = _NL_TENS.get(text[len(unit) + 2 :])
            if tens is not None:
                return tens + value
    return None


def _dutch_below_1000(text: str) -> int | None:
    head, found, tail = text.partition("honderd")
    if not found:
        return _dutch_below_100(text)
    hundreds = 1 if not head else _dutch_below_100(head)
    if hundreds is None or hundreds == 0:
        return None
    tail = tail.removeprefix("en")
    rest = 0 if not tail else _dutch_below_100(tail)
    return None if rest is None else hundreds * 100 + rest


def _dutch_below_million(text: str) -> int | None:
    head, found, tail = text.partition("duizend")
    if not found:
        return _dutch_below_1000(text)
    thousands = 1 if not head else _dutch_below_1000(head)
    if thousands is None or thousands == 0:
        return None
    tail = tail.removeprefix("en")
    rest = 0 if not tail else _dutch_below_1000(tail)
    return None if rest is None else thousands * 1000 + rest


def parse_dutch(text: str) -> int | None:
    """The value of a Dutch number written as one word ("tweehonderdvijftig" -> 250)."""
    if not text or len(text) > 80 or not _NL_WORD_RE.fullmatch(text):
        return None
    head, found, tail = text.partition("miljoen")
    if not found:
        return _dutch_below_million(text)
    millions = 1 if not head else _dutch_below_1000(head)
    if millions is None or millions == 0:
        return None
    tail = tail.removeprefix("en")
    rest = 0 if not tail else _dutch_below_million(tail)
    return None if rest is None else millions * 1_000_000 + rest


def parse_english(words: Sequence[str]) -> int | None:
    """The value of English number words (["two", "hundred", "and", "fifty"] -> 250)."""
    total = 0
    current = 0
    seen = False
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in _ARTICLES:
            if seen or following not in _EN_SCALES:
                return None
            current = 1
            continue
        if word == "and":
            if not seen or not following or following in _EN_SCALES:
                return None
            continue
        if word in _EN_SMALL or word in _EN_TENS:
            value = _EN_SMALL.get(word, _EN_TENS.get(word, 0))
            below = current % 100
            fits = below == 0 or (below >= 20 and below % 10 == 0 and value < 10)
            if not fits:
                return None
            current += value
        elif word in _EN_SCALES:
            scale = _EN_SCALES[word]
            if scale == 100:
                if current % 100 == 0 and current:
                    return None
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def is_number_word(word: str) -> bool:
    """Whether `word` can be (part of) a Dutch or English number."""
    return word in _EN_WORDS or (word != "en" and bool(_NL_WORD_RE.fullmatch(word)))


@dataclass(frozen=True, slots=True)
class NumberWords:
    """A run of number words in a text, with its value and token range (last exclusive)."""

    value: int
    first: int
    last: int
    start: int
    end: int
    lone_one: bool


def _value_of(words: Sequence[str]) -> int | None:
    if all(word in _EN_WORDS or word in _CONNECTORS or word in _ARTICLES for word in words):
        english = parse_english(words)
        if english is not None:
            return english
    return parse_dutch("".join(words))


def find_number_words(text: str, tokens: Sequence[Token], limit: int = 32) -> list[NumberWords]:
    """The first `limit` runs of number words, longest readings first, from left to right."""
    found: list[NumberWords] = []
    index = 0
    while index < len(tokens) and len(found) < limit:
        word = tokens[index].text
        starts_run = is_number_word(word) or (
            word in _ARTICLES
            and index + 1 < len(tokens)
            and tokens[index + 1].text in ("hundred", "thousand", "million")
        )
        if not starts_run:
            index += 1
            continue
        last = index + 1
        while last < len(tokens) and last - index < 8:
            gap = text[tokens[last - 1].end : tokens[last].start]
            following = tokens[last].text
            if gap.strip(" -") or not (is_number_word(following) or following in _CONNECTORS):
                break
            last += 1
        for end in range(last, index, -1):
            if tokens[end - 1].text in _CONNECTORS:
                continue
            words = [token.text for token in tokens[index:end]]
            value = _value_of(words)
            if value is not None:
                found.append(
                    NumberWords(
                        value,
                        index,
                        end,
                        tokens[index].start,
                        tokens[end - 1].end,
                        lone_one=len(words) == 1 and words[0] in LONE_ONE,
                    )
                )
                index = end
                break
        else:
            index += 1
    return found


def _small_words() -> list[str]:
    dutch = [word for word, value in _NL_SMALL.items() if value] + list(_NL_TENS)
    for tens in _NL_TENS:
        dutch.extend(f"{unit}en{tens}" for unit, value in _NL_SMALL.items() if 1 <= value <= 9)
    english = [word for word, value in _EN_SMALL.items() if value] + list(_EN_TENS)
    for tens in _EN_TENS:
        english.extend(f"{tens}[ -]{unit}" for unit, value in _EN_SMALL.items() if 1 <= value <= 9)
    return sorted([*dutch, *english, "honderd", "hundred"], key=len, reverse=True)


SMALL_NUMBER_PATTERN = r"(?:\d{1,3}|" + "|".join(_small_words()) + r")(?![\w])"
"""A regular expression for a count from 1 to 999 in digits or from 1 to 100 in words."""


def small_number(text: str) -> int | None:
    """The value of a count matched by `SMALL_NUMBER_PATTERN` ("12", "twaalf", "twenty-one")."""
    if text.isdigit():
        return int(text)
    words = text.replace("-", " ").split()
    return _value_of(words)
