"""Text normalisation and phrase lookup shared by the entity extractors.

Every extractor works on a `Normalized` text: lowercased, accents stripped, quotes, dashes and
whitespace unified, control characters removed, and cut to `MAX_CHARS` so that hostile input
costs bounded work. Offsets into the normalised text map back to the customer's own words, so
the raw span of an entity ("de Appie") can be shown as it was typed.

`Lexicon` looks phrases up on token sequences (longest first) with an optional one-edit
tolerance for long words, which is how merchants, categories and accounts are found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_CHARS = 1000
"""Only this many characters of an utterance are looked at."""
MAX_TOKENS = 200
"""Only this many words of an utterance are looked up."""

_QUOTES = dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc\u02b9", "'")
_QUOTES.update(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'))
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
_SPECIAL: dict[str, str] = {
    **_QUOTES,
    **_DASHES,
    "\u00df": "ss",
    "\u00f8": "o",
    "\u00d8": "o",
    "\u0131": "i",
}

_TOKEN_RE = re.compile(r"[^\W_]+|&")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range [start, end) in a normalised text."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Token:
    """A word (letters and digits) or an ampersand, with its place in the normalised text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Normalized:
    """An utterance prepared for the extractors.

    `text` is the normalised form; `source` is the (cut) original; `offsets[i]` is the index in
    `source` of the character that produced `text[i]`.
    """

    text: str
    source: str
    offsets: tuple[int, ...]
    tokens: tuple[Token, ...]

    def raw(self, start: int, end: int) -> str:
        """The customer's own characters behind `text[start:end]`, whitespace collapsed."""
        if start >= end or start >= len(self.offsets):
            return ""
        first = self.offsets[start]
        last = self.offsets[min(end, len(self.offsets)) - 1]
        return " ".join(self.source[first : last + 1].split())


def _normalize_char(char: str) -> str:
    """The normalised form of one non-ASCII character ("" to drop it)."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    category = unicodedata.category(char)
    if char.isspace() or category == "Cc":  # a control character separates words
        return " "
    if category[0] == "C":  # format, surrogate, private use, unassigned
        return ""
    decomposed = unicodedata.normalize("NFKD", char.lower())
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def normalize(text: str) -> Normalized:
    """Prepare `text` (any string, even a hostile one) for the extractors."""
    source = text[:MAX_CHARS]
    if (
        source.isascii()
        and source.isprintable()
        and "  " not in source
        and source[:1] != " "
        and source[-1:] != " "
    ):
        return _build(source.lower(), source, tuple(range(len(source))))
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(source):
        if char < "\x80":
            if char <= " " or char == "\x7f":  # whitespace and control characters
                pending_space = bool(chars)
                continue
            piece = char.lower()
        else:
            piece = _normalize_char(char)
            if piece == " ":
                pending_space = bool(chars)
                continue
            if not piece:
                continue
        if pending_space:
            chars.append(" ")
            offsets.append(index)
            pending_space = False
        for part in piece:
            if part.isspace():
                continue
            chars.append(part)
            offsets.append(index)
    return _build("".join(chars), source, tuple(offsets))


def _build(normalised: str, source: str, offsets: tuple[int, ...]) -> Normalized:
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(normalised):
        if len(tokens) >= MAX_TOKENS:
            break
        tokens.append(Token(match.group(), match.start(), match.end()))
    return Normalized(normalised, source, offsets, tuple(tokens))


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words`, as a set (for readable word lists)."""
    return frozenset(words.split())


def phrase_key(phrase: str) -> str:
    """The lookup key of a phrase: its tokens joined by single spaces ("Bol.com" -> "bol com")."""
    return " ".join(token.text for token in normalize(phrase).tokens)


def free_tokens(text: Normalized, taken: Sequence[Span]) -> list[bool]:
    """For each token: whether it lies outside every span in `taken`."""
    if not taken:
        return [True] * len(text.tokens)
    return [
        not any(token.start < span.end and span.start < token.end for span in taken)
        for token in text.tokens
    ]


def _deletions(word: str) -> list[str]:
    return [word[:index] + word[index + 1 :] for index in range(len(word))]


def one_edit_apart(first: str, second: str) -> bool:
    """Whether two words differ by at most one letter missing, extra, wrong or swapped."""
    if abs(len(first) - len(second)) > 1:
        return False
    index = 0
    shortest = min(len(first), len(second))
    while index < shortest and first[index] == second[index]:
        index += 1
    if len(first) > len(second):
        return first[index + 1 :] == second[index:]
    if len(first) < len(second):
        return first[index:] == second[index + 1 :]
    return first[index + 1 :] == second[index + 1 :] or (
        first[index : index + 2] == second[index : index + 2][::-1]
        and first[index + 2 :] == second[index + 2 :]
    )


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A phrase found in a normalised text; `first`/`last` are token indexes (last exclusive)."""

    value: str
    start: int
    end: int
    first: int
    last: int
    weak: bool = False

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One phrase of a lexicon; a weak entry counts only where its caller sees a fitting context."""

    phrase: str
    value: str
    weak: bool = False


class Lexicon:
    """Phrases mapped to values, found on token sequences, longest match first.

    Single words of at least `fuzzy_min_length` letters also match with one edit (a letter
    missing, extra, wrong or two letters swapped) after their first two letters, unless the
    customer's word is in `not_fuzzy` (a real word that only looks like a typo).
    """

    def __init__(
        self,
        entries: Iterable[LexiconEntry],
        *,
        fuzzy_min_length: int = 0,
        not_fuzzy: Iterable[str] = (),
    ) -> None:
        self._exact: dict[str, LexiconEntry] = {}
        self._longest: dict[str, int] = {}
        for entry in entries:
            key = phrase_key(entry.phrase)
            if not key:
                continue
            self._exact.setdefault(key, entry)
            first, *rest = key.split(" ")
            self._longest[first] = max(self._longest.get(first, 0), len(rest) + 1)
        self._fuzzy_min_length = fuzzy_min_length
        self._not_fuzzy = frozenset(not_fuzzy)
        # every word that may be misspelt, under itself and each form with one letter left out
        self._fuzzy: dict[str, list[str]] = {}
        if fuzzy_min_length:
            self._build_fuzzy()

    def _build_fuzzy(self) -> None:
        for key, entry in self._exact.items():
            if entry.weak or " " in key or len(key) < self._fuzzy_min_length or not key.isalpha():
                continue
            for variant in {key, *_deletions(key)}:
                self._fuzzy.setdefault(variant, []).append(key)

    def _fuzzy_lookup(self, word: str) -> LexiconEntry | None:
        """The entry one edit away from `word` that keeps its first two letters, if only one."""
        if (
            not self._fuzzy
            or len(word) < self._fuzzy_min_length - 1
            or len(word) > 40
            or word in self._not_fuzzy
            or not word.isalpha()
        ):
            return None
        keys: set[str] = set()
        for variant in (word, *_deletions(word)):
            keys.update(
                key
                for key in self._fuzzy.get(variant, ())
                if key[:2] == word[:2] and one_edit_apart(key, word)
            )
        found = {self._exact[key].value: self._exact[key] for key in sorted(keys)}
        return next(iter(found.values())) if len(found) == 1 else None

    def find(self, text: Normalized, taken: Sequence[Span] = ()) -> list[LexiconHit]:
        """Every non-overlapping phrase from left to right, skipping tokens inside `taken`."""
        tokens = text.tokens
        free = free_tokens(text, taken)
        hits: list[LexiconHit] = []
        index = 0
        while index < len(tokens):
            if not free[index]:
                index += 1
                continue
            hit = self._match_at(text, index, free)
            if hit is None:
                index += 1
                continue
            hits.append(hit)
            index = hit.last
        return hits

    def _match_at(self, text: Normalized, index: int, free: list[bool]) -> LexiconHit | None:
        tokens = text.tokens
        longest = self._longest.get(tokens[index].text, 0)
        for length in range(min(longest, len(tokens) - index), 0, -1):
            last = index + length
            if not all(free[index:last]):
                continue
            entry = self._exact.get(" ".join(token.text for token in tokens[index:last]))
            if entry is not None:
                return LexiconHit(
                    entry.value, tokens[index].start, tokens[last - 1].end, index, last, entry.weak
                )
        entry = self._fuzzy_lookup(tokens[index].text)
        if entry is None:
            return None
        token = tokens[index]
        return LexiconHit(entry.value, token.start, token.end, index, index + 1, entry.weak)


def entries(value: str, phrases: str, *, weak: bool = False) -> list[LexiconEntry]:
    """Lexicon entries for `value` from a "|"-separated list of phrases."""
    return [
        LexiconEntry(phrase.strip(), value, weak) for phrase in phrases.split("|") if phrase.strip()
    ]
