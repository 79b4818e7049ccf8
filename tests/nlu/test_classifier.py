"""The intent and language models: numpy inference equals scikit-learn, the shipped
artifact is up to date with the corpus, and inference never imports scikit-learn."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from kluis.nlu.classifier import IntentClassifier, LinearModel, load_packaged, softmax
from kluis.nlu.corpus import Example
from kluis.nlu.corpus.generate import training_examples
from kluis.nlu.features import char_features, normalise, word_features
from kluis.nlu.train import Fitted, fit_intents, fit_language
from kluis.nlu.types import INTENTS
from tests.nlu.test_corpus import heldout


@pytest.fixture(scope="module")
def corpus() -> list[Example]:
    return training_examples()


@pytest.fixture(scope="module")
def intents(corpus: list[Example]) -> Fitted:
    return fit_intents(corpus)


@pytest.fixture(scope="module")
def language(corpus: list[Example]) -> Fitted:
    return fit_language(corpus)


def test_normalise_folds_case_accents_apostrophes_and_numbers() -> None:
    assert normalise("Wat is M'n SÁLDO?!") == "wat is mn saldo"
    assert normalise("€ 12,50 naar  Piet") == "euro 0 naar piet"
    assert normalise("what’s   my\tbalance") == "whats my balance"
    assert normalise("\x00\u200b") == ""
    assert len(normalise("saldo " * 5000)) <= 300


def test_features_are_word_ngrams_and_padded_character_ngrams() -> None:
    assert word_features("mijn saldo") == [
        "mijn",
        "saldo",
        "<s> mijn",
        "mijn saldo",
        "saldo </s>",
    ]
    assert word_features("") == []
    assert char_features("ja") == [" j", "ja", "a ", " ja", "ja ", " ja "]


@pytest.mark.parametrize("which", ["intents", "language"])
def test_numpy_inference_equals_scikit_learn_on_the_corpus(
    which: str, request: pytest.FixtureRequest, corpus: list[Example]
) -> None:
    fitted: Fitted = request.getfixturevalue(which)
    texts = [example.text for example in corpus[::3]] + [item.text for item in heldout()]
    ours = np.vstack([fitted.model.scores(normalise(text)) for text in texts])
    theirs = fitted.sklearn_scores(texts)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    labels = [fitted.model.labels[index] for index in ours.argmax(axis=1)]
    assert labels == fitted.sklearn_labels(texts)


def test_the_shipped_models_are_up_to_date_with_the_corpus(
    intents: Fitted, language: Fitted, corpus: list[Example]
) -> None:
    """Retraining gives the shipped model: the same weights, or at least the same answers."""
    texts = [example.text for example in corpus] + [item.text for item in heldout()]
    for fitted, name in ((intents, "intents"), (language, "language")):
        shipped = load_packaged(name)
        hint = f"the {name} model is stale: run `kluis nlu train` and commit the model"
        assert shipped.labels == fitted.model.labels, hint
        for ours, theirs in zip(shipped.blocks, fitted.model.blocks, strict=True):
            assert ours.vocabulary == theirs.vocabulary, hint
        if np.array_equal(shipped.weights, fitted.model.weights) and np.array_equal(
            shipped.bias, fitted.model.bias
        ):
            continue
        for text in texts:
            normalised = normalise(text)
            assert shipped.probabilities(normalised).argmax() == (
                fitted.model.probabilities(normalised).argmax()
            ), f"run `kluis nlu train`: {name} differs on {text!r}"


def test_saving_is_byte_for_byte_deterministic_and_loads_back(
    language: Fitted, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    language.model.save(first)
    language.model.save(second)
    assert first.read_bytes() == second.read_bytes()
    loaded = LinearModel.load(first)
    assert loaded.labels == ("en", "nl")
    text = normalise("hoeveel staat er op mijn rekening")
    np.testing.assert_allclose(loaded.scores(text), language.model.scores(text), atol=1e-12)


def test_the_shipped_model_is_compact_and_loads_fast() -> None:
    model_dir = Path(__file__).resolve().parents[2] / "src" / "kluis" / "nlu" / "model"
    assert sum(path.stat().st_size for path in model_dir.glob("*.npz")) < 4_000_000
    started = time.perf_counter()
    IntentClassifier(load_packaged("intents"))
    load_packaged("language")
    assert time.perf_counter() - started < 1.0


def test_every_intent_is_a_label_and_sub_intents_sum_into_their_base() -> None:
    classifier = IntentClassifier(load_packaged("intents"))
    labels = classifier.model.labels
    assert {label.split(".", 1)[0] for label in labels} == set(INTENTS)
    assert "alerts.low_balance" in labels
    assert "consent.revoke" in labels
    text = normalise("waarschuw me als mijn saldo onder de 100 euro komt")
    probabilities = classifier.model.probabilities(text)
    alerts = sum(
        p for p, label in zip(probabilities, labels, strict=True) if label.startswith("alerts")
    )
    score = classifier.classify(text)
    assert score.intent == "alerts.low_balance"
    assert score.confidence == pytest.approx(alerts)


def test_text_without_known_features_scores_as_the_bias_alone() -> None:
    model = load_packaged("intents")
    np.testing.assert_allclose(model.scores(""), model.bias)
    assert model.probabilities("").sum() == pytest.approx(1.0)
    assert softmax(np.array([1000.0, 0.0]))[0] == pytest.approx(1.0)


def test_inference_does_not_import_scikit_learn() -> None:
    program = (
        "import sys, datetime, kluis.nlu; "
        "kluis.nlu.parse('wat is mijn saldo', datetime.date(2026, 3, 18)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn', 'scipy'}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed program
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
