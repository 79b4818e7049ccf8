"""The training corpus and the held-out split: format, coverage, no leakage, the targets."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kluis.nlu import parse
from kluis.nlu.corpus import (
    LANGUAGES,
    SUB_INTENTS,
    CorpusError,
    Example,
    parse_lines,
    templates,
    written_examples,
)
from kluis.nlu.corpus.generate import fill, training_examples
from kluis.nlu.corpus.noise import gibberish, vary
from kluis.nlu.types import INTENTS, Language

HELDOUT = Path(__file__).parent / "data"
HELDOUT_TODAY = date(2026, 3, 18)
"""The `today` the held-out periods are written against (a Wednesday)."""


@dataclass(frozen=True, slots=True)
class HeldOut:
    text: str
    lang: Language
    intent: str
    period: dict[str, str] | None
    amount: dict[str, str] | None

    @property
    def base_intent(self) -> str:
        return self.intent.split(".", 1)[0]


@cache
def heldout() -> tuple[HeldOut, ...]:
    items = []
    for lang in LANGUAGES:
        for line in (HELDOUT / f"heldout_{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            row: dict[str, Any] = json.loads(line)
            period, amount = row.get("period"), row.get("amount")
            items.append(HeldOut(row["text"], row["lang"], row["intent"], period, amount))
    return tuple(items)


def fold(text: str) -> str:
    """Case, accents, apostrophes and punctuation folded away; digits kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def test_every_intent_has_many_hand_written_examples_in_both_languages() -> None:
    counts = Counter((example.base_intent, example.lang) for example in written_examples())
    for intent in INTENTS:
        for lang in LANGUAGES:
            assert counts[(intent, lang)] >= 60, (intent, lang, counts[(intent, lang)])


def test_hand_written_examples_are_not_repeated_within_an_intent() -> None:
    seen: Counter[tuple[str, str, str]] = Counter(
        (example.base_intent, example.lang, fold(example.text)) for example in written_examples()
    )
    repeated = [key for key, count in seen.items() if count > 1]
    assert repeated == []


def test_every_sub_intent_has_examples_in_both_languages() -> None:
    labels = Counter((example.intent, example.lang) for example in written_examples())
    for intent, subs in SUB_INTENTS.items():
        for sub in subs:
            for lang in LANGUAGES:
                assert labels[(f"{intent}.{sub}", lang)] >= 5, (intent, sub, lang)


def test_the_file_format_switches_sub_intents_and_skips_comments() -> None:
    text = "# a comment\nzet meldingen aan\n@sub stop\nzet meldingen uit\n\n@sub\nmeldingen?\n"
    assert parse_lines(text, "alerts", "nl", "test") == [
        ("zet meldingen aan", "alerts"),
        ("zet meldingen uit", "alerts.stop"),
        ("meldingen?", "alerts"),
    ]


def test_an_unknown_sub_intent_names_the_file_and_line() -> None:
    with pytest.raises(CorpusError, match=r"alerts\.nl\.txt:2: unknown sub-intent 'weekly'"):
        parse_lines("zet meldingen aan\n@sub weekly\n", "alerts", "nl", "alerts.nl.txt")


def test_templates_fill_every_slot() -> None:
    rng = random.Random(1)
    for template in templates():
        filled = fill(template.text, template.lang, rng)
        assert "{" not in filled, template.text
        assert "}" not in filled, template.text


def test_the_training_set_is_the_same_on_every_run_and_labels_are_known() -> None:
    first, second = training_examples(), training_examples()
    assert first == second
    assert {example.base_intent for example in first} == set(INTENTS)
    assert len(first) > 10_000


def test_variations_change_text_deterministically() -> None:
    def variants(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [vary("blokkeer mijn pas alsjeblieft", "nl", rng, words=True) for _ in range(20)]

    assert variants(5) == variants(5)
    assert any(text != "blokkeer mijn pas alsjeblieft" for text in variants(5))
    assert all(gibberish(random.Random(seed)) for seed in range(50))


def test_the_heldout_split_covers_every_intent_in_both_languages() -> None:
    counts = Counter((item.base_intent, item.lang) for item in heldout())
    for intent in INTENTS:
        for lang in LANGUAGES:
            assert counts[(intent, lang)] >= 25, (intent, lang)
    for item in heldout():
        base, _, sub = item.intent.partition(".")
        assert not sub or sub in SUB_INTENTS[base], item.intent
    assert sum(item.period is not None for item in heldout()) >= 80
    assert sum(item.amount is not None for item in heldout()) >= 40


def test_no_heldout_utterance_is_in_the_training_set() -> None:
    trained: dict[str, Example] = {fold(example.text): example for example in training_examples()}
    leaked = [item.text for item in heldout() if fold(item.text) in trained]
    assert leaked == []


@cache
def heldout_parses() -> tuple[tuple[HeldOut, dict[str, Any]], ...]:
    return tuple((item, parse(item.text, today=HELDOUT_TODAY).to_json()) for item in heldout())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_intent_accuracy_on_unseen_utterances_is_at_least_92_percent(lang: str) -> None:
    results = [
        parsed["intent"].split(".", 1)[0] == item.base_intent
        for item, parsed in heldout_parses()
        if item.lang == lang
    ]
    assert sum(results) / len(results) >= 0.92


def test_reply_language_on_unseen_utterances_is_right_almost_always() -> None:
    results = [parsed["lang"] == item.lang for item, parsed in heldout_parses()]
    assert sum(results) / len(results) >= 0.95


def test_periods_and_amounts_on_unseen_utterances_are_exactly_right() -> None:
    periods = [
        parsed["entities"].get("period") == item.period
        for item, parsed in heldout_parses()
        if item.period is not None
    ]
    amounts = [
        parsed["entities"].get("amount") == item.amount
        for item, parsed in heldout_parses()
        if item.amount is not None
    ]
    assert sum(periods) / len(periods) >= 0.95
    assert sum(amounts) / len(amounts) >= 0.95
