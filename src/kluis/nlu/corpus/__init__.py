"""The training corpus: utterances we wrote ourselves, per intent and language.

`examples/<intent>.<lang>.txt` hold hand-written utterances, one a line, written the way
customers type and speak (fragments, typos, informal Dutch and Flemish, British and American
English, voice transcripts without punctuation, both languages mixed in one sentence).
`templates/<intent>.<lang>.txt` hold sentences with slots (`{merchant}`, `{period}`, ...)
that `generate` fills from `slots`, and `noise` varies both (typos, dropped punctuation,
fillers). Both file kinds share one format:

    # a comment
    an utterance of the file's intent
    @sub low_balance
    an utterance of the sub-intent alerts.low_balance
    @sub
    back to the plain intent

Sub-intents used by the dialogue: consent.scope, consent.log, consent.revoke,
consent.connect, alerts.low_balance, alerts.large_transaction, alerts.income, alerts.stop,
alerts.list, recurring.upcoming, spending.recategorise (see README.md next to this file).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Literal

from kluis.nlu.types import INTENTS, Language

LANGUAGES: tuple[Language, ...] = ("nl", "en")

SUB_INTENTS: dict[str, tuple[str, ...]] = {
    "consent": ("scope", "log", "revoke", "connect"),
    "alerts": ("low_balance", "large_transaction", "income", "stop", "list"),
    "recurring": ("upcoming",),
    "spending": ("recategorise",),
}

Source = Literal["written", "template", "variation", "gibberish"]


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled utterance. `intent` may carry a sub-intent after a dot."""

    text: str
    lang: Language
    intent: str
    source: Source = "written"

    @property
    def base_intent(self) -> str:
        return self.intent.split(".", 1)[0]


class CorpusError(ValueError):
    """A corpus file breaks the format: the message names the file and line."""


def parse_lines(text: str, intent: str, lang: Language, origin: str) -> list[tuple[str, str]]:
    """(utterance, full intent) pairs from one file's text, in file order."""
    current = intent
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@sub"):
            sub = line.removeprefix("@sub").strip()
            if sub and sub not in SUB_INTENTS.get(intent, ()):
                raise CorpusError(f"{origin}:{number}: unknown sub-intent {sub!r} of {intent}")
            current = f"{intent}.{sub}" if sub else intent
            continue
        pairs.append((line, current))
    return pairs


def _read_folder(folder: str) -> list[tuple[str, Language, str]]:
    root = files(__name__).joinpath(folder)
    rows: list[tuple[str, Language, str]] = []
    for intent in INTENTS:
        for lang in LANGUAGES:
            resource = root.joinpath(f"{intent}.{lang}.txt")
            if not resource.is_file():
                continue
            origin = f"{folder}/{intent}.{lang}.txt"
            text = resource.read_text(encoding="utf-8")
            pairs = parse_lines(text, intent, lang, origin)
            rows.extend((line, lang, label) for line, label in pairs)
    return rows


def written_examples() -> list[Example]:
    """Every hand-written utterance, in intent, language and file order."""
    return [Example(text, lang, intent) for text, lang, intent in _read_folder("examples")]


def templates() -> list[Example]:
    """Every template line, slots unfilled."""
    return [
        Example(text, lang, intent, "template") for text, lang, intent in _read_folder("templates")
    ]
