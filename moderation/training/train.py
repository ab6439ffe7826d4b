"""A training run: gather examples, fit, calibrate on held-back rows, write the model file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from moderation.engine.model.artefact import dumps
from moderation.engine.model.scorer import ATTRIBUTES
from moderation.training import composed, corpus, templates
from moderation.training.corpus import Example
from moderation.training.fit import (
    Fitted,
    Options,
    artefact_arrays,
    featurise,
    fit,
    header,
    idf_of,
    is_validation,
    platt,
    raw_scores,
    weigh,
)


@dataclass(frozen=True, slots=True)
class Run:
    """What a run made: the model file's bytes and the held-back rows' raw scores."""

    data: bytes
    validation: list[Example]
    raw: np.ndarray[Any, Any]


def examples(data_dir: Path) -> list[Example]:
    """The public sets' rows (test rows included, marked) and our own sentences."""
    return [*corpus.load_all(data_dir), *templates.examples(), *composed.examples()]


def train(
    rows: Sequence[Example],
    options: Options,
    meta: dict[str, Any],
    log: Callable[[str], None] = print,
) -> Run:
    """Fit on the training rows (test rows are left out here), calibrate on held-back ones."""
    usable = [e for e in rows if not e.test]
    fitting = [e for e in usable if not is_validation(e, options.validation_percent)]
    held = [e for e in usable if is_validation(e, options.validation_percent)]
    log(f"fitting on {len(fitting)} texts, calibrating on {len(held)}")
    featurised = featurise([e.text for e in fitting])
    idf = idf_of(featurised.counts, options.min_df)
    weights, bias = fit(weigh(featurised.counts, idf), fitting, options)
    raw = raw_scores(weigh(featurise([e.text for e in held]).counts, idf), weights, bias)
    calibration = []
    for col, attribute in enumerate(ATTRIBUTES):
        labelled = [i for i, e in enumerate(held) if attribute in e.labels]
        truth = np.array([held[i].labels[attribute] > 0.5 for i in labelled])
        calibration.append(platt(raw[labelled, col], truth, options.seed))
    fitted = Fitted(idf, weights, bias, calibration)
    made = {
        **meta,
        "options": asdict(options),
        "scikit_learn": sklearn.__version__,
        "examples": len(fitting),
    }
    data = dumps(header(fitted, made), artefact_arrays(fitted, featurised, options.min_df))
    log(f"model: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return Run(data, held, raw)


def data_digest(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every data file a run reads, so a model file names exactly its sources."""
    out: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.csv")):
        out[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def suggest_bands(run: Run, clean_rate: float = 0.005) -> dict[str, tuple[float, float]]:
    """Hold and reject thresholds from the held-back rows, for rules.toml.

    Hold: the score that only `clean_rate` of the held-back clean rows (no attribute above
    0.5) reach. Reject: the score that only a tenth of that share of clean rows reach.
    """
    from moderation.training.fit import sigmoid

    header = run_header(run)
    clean = [i for i, e in enumerate(run.validation) if max(e.labels.values(), default=0) <= 0.5]
    out = {}
    for col, attribute in enumerate(ATTRIBUTES):
        a, b = header["calibration"][col]
        probabilities = sigmoid(a * run.raw[clean, col] + b)
        hold = float(np.quantile(probabilities, 1 - clean_rate))
        reject = float(np.quantile(probabilities, 1 - clean_rate / 10))
        out[attribute] = (round(hold, 2), round(max(reject, hold), 2))
    return out


def run_header(run: Run) -> dict[str, Any]:
    """The header of the model file a run wrote."""
    from moderation.engine.model.artefact import loads

    return loads(run.data).header
