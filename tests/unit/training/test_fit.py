"""A training run end to end on a small corpus: the scorer reproduces what was fitted."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from moderation.engine import normalise as norm
from moderation.engine.model import ATTRIBUTES, ToxicityModel
from moderation.training.corpus import Example
from moderation.training.fit import Options, sigmoid
from moderation.training.train import run_header, suggest_bands, train

NICE = ["The council met on Tuesday", "Thanks for the careful report", "Parks reopen in May"]
NASTY = ["You are a worthless idiot", "I will break your legs", "Shut up you pathetic clown"]


def _rows() -> list[Example]:
    rows = []
    for i, (a, b) in enumerate(itertools.product(NICE + NASTY, repeat=2)):
        nasty = a in NASTY or b in NASTY
        labels = dict.fromkeys(ATTRIBUTES, 0.0)
        labels["toxicity"] = 1.0 if nasty else 0.0
        labels["threat"] = 1.0 if "legs" in a + b else 0.0
        labels["insult"] = 1.0 if nasty and "legs" not in a + b else 0.0
        if i % 4 == 0:
            del labels["obscene"]  # a set that does not annotate an attribute trains nothing
        rows.append(Example(f"{a}. {b}! ({i})", "test", i % 9 == 0, labels))
    return rows


@pytest.fixture(scope="module")
def run() -> object:
    return train(_rows(), Options(min_df=1, validation_percent=30), {"note": "test"}, log=str)


def test_the_scorer_reproduces_the_fitted_probabilities(run: object) -> None:
    model = ToxicityModel(run.data)  # type: ignore[attr-defined]
    header = run_header(run)  # type: ignore[arg-type]
    for i, example in enumerate(run.validation):  # type: ignore[attr-defined]
        expected = [
            float(sigmoid(np.array(a * run.raw[i, col] + b)))  # type: ignore[attr-defined]
            for col, (a, b) in enumerate(header["calibration"])
        ]
        assert model.score(norm.fold(example.text)) == pytest.approx(expected, abs=2e-3)


def test_it_learns_the_difference_and_rebuilds_the_same_bytes(run: object) -> None:
    model = ToxicityModel(run.data)  # type: ignore[attr-defined]
    nasty = model.score(norm.fold("You are a worthless idiot"))
    nice = model.score(norm.fold("Thanks for the careful report"))
    assert nasty[0] > nice[0]
    again = train(_rows(), Options(min_df=1, validation_percent=30), {"note": "test"}, log=str)
    assert again.data == run.data  # type: ignore[attr-defined]
    bands = suggest_bands(again)
    assert set(bands) == set(ATTRIBUTES)
    assert all(0 <= hold <= reject <= 1 for hold, reject in bands.values())
