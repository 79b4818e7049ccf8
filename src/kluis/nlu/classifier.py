"""Intent classification at inference: numpy over an exported linear model, no scikit-learn.

A `LinearModel` holds, per feature block ("words", "chars"), the vocabulary and the inverse
document frequencies learnt by `kluis.nlu.train`, and one weight per feature and label.
Scoring an utterance reproduces scikit-learn's `TfidfVectorizer(sublinear_tf=True)` and
`LogisticRegression.predict_proba` exactly: counts of the known features, `1 + ln(count)`,
times the idf, L2-normalised per block, times the block's weight, dotted with the weights,
plus the bias, through a softmax.

The artifact is one `.npz` file per model (`model/intents.npz`, `model/language.npz`),
written without pickles and with fixed timestamps, so retraining an unchanged corpus gives
the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from kluis.nlu.features import analysed, normalise

MODEL_PACKAGE: Final = "kluis.nlu.model"
Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class FeatureBlock:
    """One analyzer's features: column `offset + vocabulary[feature]` of the weights."""

    analyzer: str
    vocabulary: dict[str, int]
    idf: Floats
    weight: float
    offset: int


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Softmax over linear scores of TF-IDF features; see the module docstring."""

    labels: tuple[str, ...]
    blocks: tuple[FeatureBlock, ...]
    weights: NDArray[np.float16] | NDArray[np.float32]
    bias: Floats

    @property
    def feature_count(self) -> int:
        return int(self.weights.shape[0])

    def features(self, normalised: str) -> tuple[NDArray[np.intp], Floats]:
        """Column indices and TF-IDF values of one normalised text (a sparse row)."""
        all_indices: list[NDArray[np.intp]] = []
        all_values: list[Floats] = []
        for block in self.blocks:
            counts = Counter(
                column
                for feature in analysed(block.analyzer, normalised)
                if (column := block.vocabulary.get(feature)) is not None
            )
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (np.log(tf) + 1.0) * block.idf[columns]
            values *= block.weight / math.sqrt(float(values @ values))
            all_indices.append(columns + block.offset)
            all_values.append(values)
        if not all_indices:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        return np.concatenate(all_indices), np.concatenate(all_values)

    def scores(self, normalised: str) -> Floats:
        columns, values = self.features(normalised)
        rows = self.weights[columns].astype(np.float64)
        return self.bias + values @ rows

    def probabilities(self, normalised: str) -> Floats:
        """One probability per label, summing to 1."""
        return softmax(self.scores(normalised))

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable label of a raw text, and its probability."""
        probabilities = self.probabilities(normalise(text))
        best = int(np.argmax(probabilities))
        return self.labels[best], float(probabilities[best])

    def save(self, path: Path) -> None:
        """Write the model as an `.npz` archive with fixed timestamps (same input, same bytes)."""
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels),
            "analyzers": np.array([block.analyzer for block in self.blocks]),
            "block_weights": np.array([block.weight for block in self.blocks]),
            "weights": self.weights,
            "bias": self.bias,
        }
        for position, block in enumerate(self.blocks):
            ordered = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            arrays[f"vocabulary_{position}"] = np.array(ordered)
            arrays[f"idf_{position}"] = block.idf.astype(np.float32)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                entry = zipfile.ZipInfo(f"{name}.npy", date_time=(2026, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                data = io.BytesIO()
                np.lib.format.write_array(data, np.asarray(array), allow_pickle=False)
                archive.writestr(entry, data.getvalue())
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, source: Path | bytes) -> LinearModel:
        data = source if isinstance(source, bytes) else source.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            labels = tuple(str(label) for label in archive["labels"])
            analyzers = [str(name) for name in archive["analyzers"]]
            block_weights = archive["block_weights"]
            weights = archive["weights"]
            bias = archive["bias"].astype(np.float64)
            blocks = []
            offset = 0
            for position, analyzer in enumerate(analyzers):
                vocabulary_list = archive[f"vocabulary_{position}"].tolist()
                vocabulary = {str(feature): index for index, feature in enumerate(vocabulary_list)}
                idf = archive[f"idf_{position}"].astype(np.float64)
                blocks.append(
                    FeatureBlock(analyzer, vocabulary, idf, float(block_weights[position]), offset)
                )
                offset += len(vocabulary)
        return cls(labels, tuple(blocks), weights, bias)


def softmax(scores: Floats) -> Floats:
    shifted = np.exp(scores - scores.max())
    result: Floats = shifted / shifted.sum()
    return result


def load_packaged(name: str) -> LinearModel:
    """A model shipped in the package (`model/<name>.npz`)."""
    return LinearModel.load(files(MODEL_PACKAGE).joinpath(f"{name}.npz").read_bytes())


@dataclass(frozen=True, slots=True)
class IntentScore:
    """The classifier's answer: a base intent, its best sub-label, and the probability."""

    intent: str
    confidence: float


class IntentClassifier:
    """Picks the base intent by summing the probabilities of its labels (sub-intents
    included), then the most probable label within it."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        bases = sorted({label.split(".", 1)[0] for label in model.labels})
        self._bases = tuple(bases)
        membership = np.zeros((len(model.labels), len(bases)))
        for row, label in enumerate(model.labels):
            membership[row, bases.index(label.split(".", 1)[0])] = 1.0
        self._membership = membership
        self._words = next((b.vocabulary for b in model.blocks if b.analyzer == "words"), {})

    def known_share(self, normalised: str) -> float:
        """The share of the words that training ever saw (numbers aside): gibberish and
        other languages score low, typos in a sentence of known words do not."""
        words = [word for word in normalised.split() if word != "0"]
        if not words:
            return 1.0
        return sum(word in self._words for word in words) / len(words)

    def classify(self, normalised: str) -> IntentScore:
        probabilities = self.model.probabilities(normalised)
        per_base = probabilities @ self._membership
        base_index = int(np.argmax(per_base))
        base = self._bases[base_index]
        within = [
            (probabilities[row], label)
            for row, label in enumerate(self.model.labels)
            if label.split(".", 1)[0] == base
        ]
        label = max(within)[1]
        return IntentScore(label, float(per_base[base_index]))
