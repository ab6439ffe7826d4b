"""A site's own model: its moderators' verdicts as training rows, and before/after figures.

`moderation export decisions` writes the verdicts; `moderation model train --decisions` reads
them here. A fifth of them is held back, never trained on, to show what the site's model
changes on the site's own comments.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.engine import normalise as norm
from moderation.engine.loader import Config
from moderation.engine.model import ToxicityModel
from moderation.store.models import CommentStatus
from moderation.training.corpus import ATTRIBUTES, Example
from moderation.training.fit import Options

SOURCE = "site"  # the examples' source, weighted by Options.source_weights
HELD_BACK_PERCENT = 20  # site rows never trained on, for the before/after figures
RULE_ID = "toxicity"  # the model rule whose hold bands say what "flagged" means

# What a rejection's reason code says about the comment, beyond "toxic".
REASON_ATTRIBUTE: dict[str, str] = {
    "harassment": "insult",
    "hate": "identity_attack",
    "threat": "threat",
    "profanity": "obscene",
    "slur": "obscene",
}
# Rejected for what it does, not for abuse: no evidence either way, so no training row.
NOT_ABUSE = frozenset({"spam", "personal_data", "misinformation", "off_topic", "other"})
STATUSES = (CommentStatus.APPROVED, CommentStatus.REJECTED)


class DecisionsError(ValueError):
    """A decisions line is unusable; the message names its line number."""


def read_decisions(lines: Iterable[str]) -> list[Example]:
    """Training rows from `moderation export decisions` lines; blank lines are skipped.

    Approved: every attribute 0. Rejected as abuse: toxicity 1 and the attribute its reason
    names (the others stay absent, so they train nothing). Rejections for spam, personal data,
    misinformation, off-topic, "other" or with no reason are left out: they are not abuse.
    """
    out: list[Example] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        example = _example(number, line)
        if example is not None:
            out.append(example)
    return out


def _example(number: int, line: str) -> Example | None:
    where = f"line {number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DecisionsError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise DecisionsError(f"{where}: not a JSON object")
    for name in ("id", "body", "status"):
        if not isinstance(row.get(name), str):
            raise DecisionsError(f"{where}: missing or non-string {name!r}")
    status, reason = row["status"], row.get("reason")
    if status not in STATUSES:
        raise DecisionsError(f"{where}: unknown status {status!r} (approved or rejected)")
    if reason is not None and reason not in REASON_ATTRIBUTE and reason not in NOT_ABUSE:
        raise DecisionsError(f"{where}: unknown reason {reason!r}")
    if status == CommentStatus.APPROVED:
        return Example(row["body"], SOURCE, False, dict.fromkeys(ATTRIBUTES, 0.0))
    if reason is None or reason in NOT_ABUSE:
        return None
    labels = {"toxicity": 1.0, REASON_ATTRIBUTE[reason]: 1.0}
    return Example(row["body"], SOURCE, False, labels)


def is_held_back(example: Example) -> bool:
    """A stable fifth of the site rows, by text hash (salted: fit.is_validation's is not)."""
    return zlib.crc32(b"site held back\0" + example.text.encode()) % 100 < HELD_BACK_PERCENT


def split(rows: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """The site rows to train on, and those held back for the figures."""
    return [e for e in rows if not is_held_back(e)], [e for e in rows if is_held_back(e)]


def options(site_weight: float, base: Options | None = None) -> Options:
    """Training options that count each site row `site_weight` times."""
    base = base or Options()
    weights = tuple((s, w) for s, w in base.source_weights if s != SOURCE)
    return replace(base, source_weights=(*weights, (SOURCE, site_weight)))


def hold_bands(config: Config) -> dict[str, float]:
    """Each banded attribute's lowest action threshold (hold, else reject) in the model rule."""
    for rule in config.data["rules"]:
        if rule.get("id") == RULE_ID and rule.get("type") == "model":
            thresholds: Mapping[str, Mapping[str, float]] = rule["thresholds"]
            return {
                attribute: band.get("hold", band.get("reject", 1.0))
                for attribute, band in thresholds.items()
                if band
            }
    raise DecisionsError(f"the rules have no model rule {RULE_ID!r}")


@dataclass(frozen=True, slots=True)
class Figures:
    """One model on the held-back rows; None where the rows cannot tell (one kind only)."""

    auc: float | None  # ROC AUC of the toxicity score, rejected against approved
    precision: float | None  # of "flagged" (any attribute at or above its hold band)
    recall: float | None
    flagged: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """The shipped model against the site's, on the site's held-back verdicts."""

    rows: int
    rejected: int
    before: Figures
    after: Figures


def compare(
    before: ToxicityModel,
    after: ToxicityModel,
    rows: Sequence[Example],
    bands: Mapping[str, float],
) -> Comparison:
    """Score the held-back rows with both models; a row is rejected if its toxicity is 1."""
    truth = np.array([e.labels.get("toxicity", 0.0) > 0.5 for e in rows], dtype=bool)
    return Comparison(
        len(rows),
        int(truth.sum()),
        _figures(before, rows, truth, bands),
        _figures(after, rows, truth, bands),
    )


def _figures(
    model: ToxicityModel,
    rows: Sequence[Example],
    truth: np.ndarray[Any, Any],
    bands: Mapping[str, float],
) -> Figures:
    scores = np.array([model.score(norm.fold(e.text)) for e in rows]).reshape(-1, len(ATTRIBUTES))
    flagged = np.zeros(len(rows), dtype=bool)
    for attribute, hold in bands.items():
        flagged |= scores[:, ATTRIBUTES.index(attribute)] >= hold
    auc = None
    if 0 < truth.sum() < len(truth):
        auc = float(roc_auc_score(truth, scores[:, ATTRIBUTES.index("toxicity")]))
    hits = int((flagged & truth).sum())
    precision = hits / int(flagged.sum()) if flagged.any() else None
    recall = hits / int(truth.sum()) if truth.any() else None
    return Figures(auc, precision, recall, int(flagged.sum()))


def describe(result: Comparison) -> list[str]:
    """The comparison as lines for a terminal."""

    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"held-back site rows: {result.rows} ({result.rejected} rejected as abuse)",
        f"{'':8}{'ROC AUC':>9}{'precision':>11}{'recall':>8}{'flagged':>9}",
    ]
    for name, figures in (("before", result.before), ("after", result.after)):
        lines.append(
            f"{name:8}{show(figures.auc):>9}{show(figures.precision):>11}"
            f"{show(figures.recall):>8}{figures.flagged:>9}"
        )
    return lines
