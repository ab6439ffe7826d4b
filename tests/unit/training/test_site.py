"""A site's own model: verdicts as training rows, the held-back fifth, before/after figures."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from moderation.engine.loader import Config
from moderation.engine.model import ATTRIBUTES, ToxicityModel
from moderation.training import site
from moderation.training.corpus import Example
from moderation.training.fit import Options
from moderation.training.train import train

NICE = ["The council met on Tuesday", "Thanks for the careful report", "Parks reopen in May"]
NASTY = ["You are a worthless idiot", "I will break your legs", "Shut up you pathetic clown"]
TINY = Options(min_df=1, validation_percent=30)


def _line(i: int, body: str, status: str, reason: str | None = None) -> str:
    return json.dumps({"id": f"c{i}", "body": body, "status": status, "reason": reason})


def _base() -> list[Example]:
    rows = []
    for i, (a, b) in enumerate(itertools.product(NICE + NASTY, repeat=2)):
        nasty = a in NASTY or b in NASTY
        labels = dict.fromkeys(ATTRIBUTES, 0.0)
        labels["toxicity"] = labels["insult"] = 1.0 if nasty else 0.0
        rows.append(Example(f"{a}. {b}! ({i})", "test", False, labels))
    return rows


def test_verdicts_become_labelled_rows() -> None:
    rows = site.read_decisions(
        [
            _line(1, "Fine piece.", "approved"),
            "",
            _line(2, "You idiot.", "rejected", "harassment"),
            _line(3, "They are vermin.", "rejected", "hate"),
            _line(4, "Buy cheap pills", "rejected", "spam"),
            _line(5, "Off topic again", "rejected", "off_topic"),
            _line(6, "Damn it", "rejected", "profanity"),
            _line(7, "No reason given", "rejected"),
        ]
    )
    assert [(e.text, e.labels) for e in rows] == [
        ("Fine piece.", dict.fromkeys(ATTRIBUTES, 0.0)),
        ("You idiot.", {"toxicity": 1.0, "insult": 1.0}),
        ("They are vermin.", {"toxicity": 1.0, "identity_attack": 1.0}),
        ("Damn it", {"toxicity": 1.0, "obscene": 1.0}),
    ]
    assert {e.source for e in rows} == {"site"}
    assert not any(e.test for e in rows)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: not a JSON object"),
        ('{"id": "c2", "status": "approved"}', "line 2: missing or non-string 'body'"),
        ('{"id": 2, "body": "x", "status": "approved"}', "line 2: missing or non-string 'id'"),
        (_line(2, "x", "held"), "line 2: unknown status 'held'"),
        (_line(2, "x", "rejected", "rude"), "line 2: unknown reason 'rude'"),
    ],
)
def test_a_bad_line_is_named(line: str, message: str) -> None:
    with pytest.raises(site.DecisionsError, match=message):
        site.read_decisions([_line(1, "Fine.", "approved"), line])


def test_the_held_back_fifth_is_stable() -> None:
    rows = site.read_decisions(_line(i, f"Comment number {i}", "approved") for i in range(1000))
    trained, held = site.split(rows)
    assert len(trained) + len(held) == len(rows)
    assert 150 < len(held) < 250
    # A row's side depends on its text alone, not on the rows around it.
    assert site.split(rows[::-1]) == (trained[::-1], held[::-1])
    assert site.split(rows[:100])[1] == [e for e in held if e in rows[:100]]


def test_site_rows_get_their_weight_and_the_others_keep_theirs() -> None:
    weights = dict(site.options(6.0).source_weights)
    assert weights == {**dict(Options().source_weights), "site": 6.0}
    assert dict(site.options(2.0, site.options(6.0)).source_weights)["site"] == 2.0


def test_hold_bands_come_from_the_toxicity_rule() -> None:
    rules = [
        {"id": "lexicon", "type": "lexicon"},
        {
            "id": "toxicity",
            "type": "model",
            "thresholds": {"insult": {"hold": 0.7}, "threat": {"reject": 0.9}, "obscene": {}},
        },
    ]
    config = Config({"rules": rules}, {}, [], [], "v", (Path("rules.toml"),), {})
    assert site.hold_bands(config) == {"insult": 0.7, "threat": 0.9}
    with pytest.raises(site.DecisionsError, match="no model rule 'toxicity'"):
        site.hold_bands(Config({"rules": rules[:1]}, {}, [], [], "v", (), {}))


@pytest.fixture(scope="module")
def models() -> tuple[ToxicityModel, ToxicityModel]:
    """The base corpus alone, then with a site whose moderators reject "grifter"."""
    before = train(_base(), TINY, {"note": "test"}, log=str)
    lines = [
        _line(i, f"{n}, you grifter ({i})", "rejected", "harassment")
        for i, n in enumerate(NICE * 4)
    ]
    lines += [_line(i + 100, f"{n} ({i})", "approved") for i, n in enumerate(NICE * 4)]
    rows = site.read_decisions(lines)
    after = train(_base() + rows, site.options(4.0, TINY), {"note": "test"}, log=str)
    return ToxicityModel(before.data), ToxicityModel(after.data)


def test_compare_on_clear_cases(models: tuple[ToxicityModel, ToxicityModel]) -> None:
    before, _ = models
    held = site.read_decisions(
        [
            _line(1, "You are a worthless idiot", "rejected", "harassment"),
            _line(2, "Shut up you pathetic clown", "rejected", "harassment"),
            _line(3, "Thanks for the careful report", "approved"),
            _line(4, "Parks reopen in May", "approved"),
        ]
    )
    clear = site.compare(before, before, held, {"insult": 0.5})
    assert (clear.rows, clear.rejected) == (4, 2)
    assert clear.before == clear.after
    assert clear.before == site.Figures(auc=1.0, precision=1.0, recall=1.0, flagged=2)
    everything = site.compare(before, before, held, {"toxicity": 0.0}).after
    assert (everything.precision, everything.recall, everything.flagged) == (0.5, 1.0, 4)
    # Above any probability (this toy model is sure enough to reach 1.0 itself).
    nothing = site.compare(before, before, held, {"toxicity": 1.5}).after
    assert (nothing.precision, nothing.recall, nothing.flagged) == (None, 0.0, 0)
    one_kind = site.compare(before, before, held[2:], {"insult": 0.5}).after
    assert (one_kind.auc, one_kind.recall) == (None, None)
    assert site.describe(clear)[2].split() == ["before", "1.000", "1.000", "1.000", "2"]


def test_the_site_model_learns_what_the_site_rejects(
    models: tuple[ToxicityModel, ToxicityModel],
) -> None:
    before, after = models
    held = site.read_decisions(
        [
            _line(1, "What a grifter", "rejected", "harassment"),
            _line(2, "The council is a grifter", "rejected", "harassment"),
            _line(3, "The council met", "approved"),
            _line(4, "Parks reopen", "approved"),
        ]
    )
    result = site.compare(before, after, held, {"toxicity": 0.5})
    assert result.after == site.Figures(auc=1.0, precision=1.0, recall=1.0, flagged=2)
    assert result.before != result.after
