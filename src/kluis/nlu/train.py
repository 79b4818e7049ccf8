"""Training: the corpus in, the packaged models out (`kluis nlu train`).

Two models, both TF-IDF features (`features.py`) into a linear support vector machine
(one-vs-rest `LinearSVC`): the intent model over every label (sub-intents included) and the
language model (nl or en). Confidence is the softmax of the decision scores times a
temperature chosen so that, on examples held back from training, the mean confidence matches
the accuracy. Deterministic and fast (a few seconds on one core). The scaled weights are
rounded to float16 and the idf to float32, and written back into the scikit-learn objects,
so the exported model is exactly the model scikit-learn evaluates.

This is the only module that imports scikit-learn; inference never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from kluis.nlu.classifier import FeatureBlock, LinearModel
from kluis.nlu.corpus import Example
from kluis.nlu.corpus.generate import training_examples
from kluis.nlu.features import ANALYZERS, normalise

MODEL_DIR: Final = Path(__file__).resolve().parent / "model"


@dataclass(frozen=True, slots=True)
class BlockSpec:
    analyzer: str
    min_df: int
    max_features: int
    weight: float


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Everything that shapes a model: its feature blocks and its regularisation."""

    blocks: tuple[BlockSpec, ...]
    regularisation: float
    temperature: float


INTENT_SPEC: Final = ModelSpec(
    blocks=(BlockSpec("words", 2, 12_000, 1.0), BlockSpec("chars", 2, 30_000, 1.0)),
    regularisation=0.5,
    temperature=4.0,
)
LANGUAGE_SPEC: Final = ModelSpec(
    blocks=(BlockSpec("words", 2, 6_000, 1.0), BlockSpec("chars", 3, 6_000, 1.0)),
    regularisation=0.5,
    temperature=4.0,
)


@dataclass(frozen=True, slots=True)
class Fitted:
    """A trained model, both as scikit-learn objects (to check) and as our `LinearModel`."""

    vectorizers: tuple[TfidfVectorizer, ...]
    machine: LinearSVC
    model: LinearModel

    def sklearn_scores(self, texts: list[str]) -> np.ndarray:
        """scikit-learn's decision scores, one column per label of `model` (for checks)."""
        normalised = [normalise(text) for text in texts]
        scores: np.ndarray = self.machine.decision_function(
            _transform(self.vectorizers, self.model, normalised)
        )
        if scores.ndim == 1:
            return np.column_stack([-scores / 2, scores / 2])
        return scores

    def sklearn_labels(self, texts: list[str]) -> list[str]:
        normalised = [normalise(text) for text in texts]
        predicted = self.machine.predict(_transform(self.vectorizers, self.model, normalised))
        return [str(label) for label in predicted]


def _transform(
    vectorizers: tuple[TfidfVectorizer, ...], model: LinearModel, normalised: list[str]
) -> sparse.csr_matrix:
    parts = [
        vectorizer.transform(normalised) * block.weight
        for vectorizer, block in zip(vectorizers, model.blocks, strict=True)
    ]
    return sparse.hstack(parts, format="csr")


def fit(texts: list[str], labels: list[str], spec: ModelSpec) -> Fitted:
    """Train one model on raw texts and their labels."""
    normalised = [normalise(text) for text in texts]
    vectorizers = []
    blocks = []
    parts = []
    offset = 0
    for block_spec in spec.blocks:
        vectorizer = TfidfVectorizer(
            analyzer=ANALYZERS[block_spec.analyzer],
            sublinear_tf=True,
            min_df=block_spec.min_df,
            max_features=block_spec.max_features,
            dtype=np.float64,
        )
        vectorizer.fit(normalised)
        vectorizer.idf_ = vectorizer.idf_.astype(np.float32).astype(np.float64)
        vocabulary = {str(key): int(column) for key, column in vectorizer.vocabulary_.items()}
        block = FeatureBlock(
            block_spec.analyzer, vocabulary, vectorizer.idf_, block_spec.weight, offset
        )
        blocks.append(block)
        parts.append(vectorizer.transform(normalised) * block_spec.weight)
        vectorizers.append(vectorizer)
        offset += len(vocabulary)
    matrix = sparse.hstack(parts, format="csr")
    machine = LinearSVC(C=spec.regularisation, class_weight="balanced", random_state=0)
    machine.fit(matrix, labels)
    classes = tuple(str(label) for label in machine.classes_)
    scaled = machine.coef_ * spec.temperature
    scaled_bias = machine.intercept_ * spec.temperature
    if len(classes) == 2:
        # A binary machine keeps one weight vector (z > 0 is the second class); two
        # symmetric halves give the same decision: softmax([-z/2, z/2]) = sigmoid(z).
        half = (scaled[0] / 2).astype(np.float16)
        half_bias = float(scaled_bias[0]) / 2
        coefficients = np.vstack([-half, half])
        bias = np.array([-half_bias, half_bias])
        machine.coef_ = (2 * half.astype(np.float64)).reshape(1, -1)
        machine.intercept_ = np.array([2 * half_bias])
    else:
        coefficients = scaled.astype(np.float16)
        bias = scaled_bias.astype(np.float64)
        machine.coef_ = coefficients.astype(np.float64)
        machine.intercept_ = bias
    weights = np.ascontiguousarray(coefficients.T)
    model = LinearModel(classes, tuple(blocks), weights, bias)
    return Fitted(tuple(vectorizers), machine, model)


def fit_intents(examples: list[Example]) -> Fitted:
    return fit([e.text for e in examples], [e.intent for e in examples], INTENT_SPEC)


def fit_language(examples: list[Example]) -> Fitted:
    usable = [e for e in examples if e.source != "gibberish"]
    return fit([e.text for e in usable], [e.lang for e in usable], LANGUAGE_SPEC)


@dataclass(frozen=True, slots=True)
class TrainReport:
    examples: int
    intent_features: int
    language_features: int
    paths: tuple[Path, ...]


def train(model_dir: Path = MODEL_DIR) -> TrainReport:
    """Train both models from the packaged corpus and write them into `model_dir`."""
    examples = training_examples()
    intents = fit_intents(examples)
    language = fit_language(examples)
    model_dir.mkdir(parents=True, exist_ok=True)
    intent_path = model_dir / "intents.npz"
    language_path = model_dir / "language.npz"
    intents.model.save(intent_path)
    language.model.save(language_path)
    return TrainReport(
        len(examples),
        intents.model.feature_count,
        language.model.feature_count,
        (intent_path, language_path),
    )
