"""Fit the toxicity model: featurise, weigh by idf, one logistic regression per attribute.

Deterministic from its inputs: liblinear with a fixed seed, examples in a fixed order, and a
model file with no clock in it, so the same data and code rebuild the same bytes.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from moderation.engine import normalise as norm
from moderation.engine.model import features
from moderation.engine.model.scorer import ATTRIBUTES, FORMAT
from moderation.training.corpus import Example

WORDS = 1 << features.WORD_BITS
PAIRS = 1 << features.BIGRAM_BITS


@dataclass(frozen=True, slots=True)
class Options:
    """What a training run may vary; the defaults build the shipped model."""

    seed: int = 20261204
    min_df: int = 2  # a feature seen in fewer training texts is dropped
    c: float = 4.0  # inverse regularisation strength of each regression
    validation_percent: int = 15  # training rows held back to calibrate (by text hash)
    # Our own sentences (templates and composed) are few beside the public sets: each counts
    # four times.
    source_weights: tuple[tuple[str, float], ...] = (("templates", 4.0),)


@dataclass(frozen=True, slots=True)
class Featurised:
    """Texts as a counts matrix (word features, then word pairs) and each text's words."""

    counts: sp.csr_matrix
    words: list[list[str]]


@dataclass(frozen=True, slots=True)
class Fitted:
    """A fitted model: idf per feature, weights and bias per attribute, Platt calibration."""

    idf: np.ndarray[Any, Any]
    weights: np.ndarray[Any, Any]  # features by attributes
    bias: np.ndarray[Any, Any]
    calibration: list[tuple[float, float]]


def is_validation(example: Example, percent: int) -> bool:
    """Training rows held back for calibration and thresholds: a stable share by text hash."""
    return zlib.crc32(example.text.encode()) % 100 < percent


def featurise(texts: Sequence[str]) -> Featurised:
    """Count every text's word features and word pairs, as the scorer reads them."""
    cache: dict[str, tuple[list[int], int]] = {}
    indptr, indices, all_words = [0], [], []
    for text in texts:
        words = features.words(norm.fold(text))
        hashes = []
        for word in words:
            found = cache.get(word)
            if found is None:
                found = (features.word_features(word), features.word_hash(word))
                cache[word] = found
            indices.extend(found[0])
            hashes.append(found[1])
        indices.extend(WORDS + features.bigram(a, b) for a, b in itertools.pairwise(hashes))
        indptr.append(len(indices))
        all_words.append(words)
    data = np.ones(len(indices), dtype=np.float64)
    counts = sp.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(texts), WORDS + PAIRS),
    )
    counts.sum_duplicates()
    return Featurised(counts, all_words)


def idf_of(counts: sp.csr_matrix, min_df: int) -> np.ndarray[Any, Any]:
    """Smoothed idf of each feature; 0 (dropped) for those in fewer than min_df texts."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: np.ndarray[Any, Any] = np.log((1 + counts.shape[0]) / (1 + df)) + 1.0
    idf[df < min_df] = 0.0
    return idf


def weigh(counts: sp.csr_matrix, idf: np.ndarray[Any, Any]) -> sp.csr_matrix:
    """Features times idf, each row divided by the root of its squared-idf sum (as the scorer)."""
    squares = counts @ (idf * idf)
    scale = np.zeros_like(squares)
    np.divide(1.0, np.sqrt(squares), out=scale, where=squares > 0)
    weighted: sp.csr_matrix = sp.diags(scale) @ counts.multiply(idf).tocsr()
    return weighted


def fit(
    x: sp.csr_matrix,
    examples: Sequence[Example],
    options: Options,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """One regression per attribute on the rows that label it; soft labels as two weights."""
    source_weight = dict(options.source_weights)
    weights = np.zeros((x.shape[1], len(ATTRIBUTES)))
    bias = np.zeros(len(ATTRIBUTES))
    for col, attribute in enumerate(ATTRIBUTES):
        rows = [i for i, e in enumerate(examples) if attribute in e.labels]
        y = np.array([examples[i].labels[attribute] for i in rows])
        w = np.array([source_weight.get(examples[i].source, 1.0) for i in rows])
        # A row rated toxic by 2 of 3 raters counts 2/3 as positive and 1/3 as negative.
        both = sp.vstack([x[rows], x[rows]]).tocsr()
        target = np.r_[np.ones(len(rows)), np.zeros(len(rows))]
        weight = np.r_[y * w, (1 - y) * w]
        keep = weight > 0
        if len(np.unique(target[keep])) < 2:
            # Nothing to tell apart (no row shows the attribute, or every row does): the
            # attribute's score is its base rate.
            share = weight[: len(rows)].sum() / max(weight.sum(), 1e-9)
            share = float(np.clip(share, 1e-4, 1 - 1e-4))
            bias[col] = np.log(share / (1 - share))
            continue
        model = LogisticRegression(
            C=options.c, solver="liblinear", max_iter=500, random_state=options.seed
        )
        model.fit(both[keep], target[keep], sample_weight=weight[keep])
        weights[:, col] = model.coef_[0]
        bias[col] = model.intercept_[0]
    return weights, bias


def platt(raw: np.ndarray[Any, Any], truth: np.ndarray[Any, Any], seed: int) -> tuple[float, float]:
    """Scale and shift of a raw score that make sigmoid(a·z + b) a calibrated probability.

    Held-back rows of one kind only cannot calibrate: the raw score is kept (1, 0).
    """
    if len(np.unique(truth)) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000, random_state=seed)
    model.fit(raw.reshape(-1, 1), truth)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def raw_scores(
    x: sp.csr_matrix, weights: np.ndarray[Any, Any], bias: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Uncalibrated scores (logits) of every row for every attribute."""
    raw: np.ndarray[Any, Any] = np.asarray(x @ weights) + bias
    return raw


def artefact_arrays(
    fitted: Fitted, featurised: Featurised, min_df: int
) -> dict[str, np.ndarray[Any, Any]]:
    """The scorer's tables: known words added up in advance, n-grams and pairs by bucket."""
    idf = fitted.idf
    rows = np.hstack([fitted.weights * idf[:, None], (idf * idf)[:, None]]).astype(np.float32)
    live = np.flatnonzero(idf > 0)
    word_keys = live[live < WORDS]
    pair_keys = live[live >= WORDS]
    seen: dict[str, int] = {}
    for words in featurised.words:
        for word in set(words):
            seen[word] = seen.get(word, 0) + 1
    vocab = sorted(w for w, n in seen.items() if n >= min_df and "\n" not in w)
    vectors = np.zeros((len(vocab), rows.shape[1]), dtype=np.float32)
    for i, word in enumerate(vocab):
        buckets = np.array(features.word_features(word), dtype=np.int64)
        vectors[i] = rows[buckets].sum(axis=0)
    return {
        "vocab": np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
        "vocab_vectors": vectors.astype(np.float16),
        "vocab_hashes": np.array([features.word_hash(w) for w in vocab], dtype=np.uint32),
        "word_keys": word_keys.astype(np.uint32),
        "word_vectors": rows[word_keys].astype(np.float16),
        "bigram_keys": (pair_keys - WORDS).astype(np.uint32),
        "bigram_vectors": rows[pair_keys].astype(np.float16),
    }


def header(fitted: Fitted, meta: dict[str, Any]) -> dict[str, Any]:
    """The model file's header: what the scorer checks, then how the model was made."""
    return {
        "format": FORMAT,
        "attributes": list(ATTRIBUTES),
        "word_bits": features.WORD_BITS,
        "bigram_bits": features.BIGRAM_BITS,
        "char_sizes": list(features.CHAR_SIZES),
        "bias": [round(float(b), 7) for b in fitted.bias],
        "calibration": [[round(a, 7), round(b, 7)] for a, b in fitted.calibration],
        "trained": meta,
    }


def sigmoid(z: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The logistic function, elementwise."""
    out: np.ndarray[Any, Any] = 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))
    return out
