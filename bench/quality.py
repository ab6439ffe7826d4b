"""Quality of the engine (lexicon + model) beside the lexicon alone and better-profanity.

"Flagged" means action != approve (hold or reject). Every figure is on the test split of its
set (../shared/data/README.md gives the rule; moderation/training/corpus.py applies it), which
no word list, rule, threshold or model weight was tuned on. Then our own functional suite
(moderation/training/functional.py, never trained on) and per-identity false positives.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from better_profanity import Profanity

from moderation.engine import Action, Context, Engine
from moderation.engine import normalise as norm
from moderation.engine.loader import load
from moderation.engine.model import ATTRIBUTES
from moderation.training import corpus, functional

ROOT = Path(__file__).resolve().parent.parent
CTX = Context(site="bench", author_prior_comments=1000)
Judge = Callable[[str], bool]


def scores(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float, float]:
    """Precision, recall, F1 and false-positive rate of (truth, flagged) pairs."""
    tp = sum(1 for t, f in pairs if t and f)
    fp = sum(1 for t, f in pairs if not t and f)
    fn = sum(1 for t, f in pairs if t and not f)
    negatives = sum(1 for t, _ in pairs if not t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, fp / negatives if negatives else 0.0


def auc(truth: Sequence[bool], score: Sequence[float]) -> float:
    """ROC AUC by ranks (ties share their rank)."""
    order = sorted(range(len(score)), key=score.__getitem__)
    ranks = [0.0] * len(score)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and score[order[j + 1]] == score[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(truth)
    neg = len(truth) - pos
    if not pos or not neg:
        return float("nan")
    return (sum(r for r, t in zip(ranks, truth, strict=True) if t) - pos * (pos + 1) / 2) / (
        pos * neg
    )


def engines() -> tuple[Engine, Engine]:
    """The shipped config, and the same config with its model rules removed."""
    config = load(ROOT / "config")
    rules = [r for r in config.data["rules"] if r["type"] != "model"]
    lexicon = dataclasses.replace(config, data={**config.data, "rules": rules})
    return Engine(config), Engine(lexicon)


def sets(data: Path, judges: dict[str, Judge]) -> None:
    """P/R/F1 and false-positive rate per set's test split, one column block per judge."""
    print("\n## Test splits: flagged vs approved (positive = toxic by the majority of raters)")
    print(f"{'set':18} {'n':>6}  " + "  ".join(f"{n + ' P/R/F1/FPR':>30}" for n in judges))
    for name, loader in corpus.LOADERS.items():
        rows = [e for e in loader(data) if e.test]
        truth = [e.labels.get("toxicity", 0.0) > 0.5 for e in rows]
        cells = []
        for judge in judges.values():
            p, r, f1, fpr = scores(list(zip(truth, (judge(e.text) for e in rows), strict=True)))
            cells.append(f"{p:7.3f}{r:7.3f}{f1:7.3f}{fpr:8.2%}")
        print(f"{name:18} {len(rows):>6}  " + "  ".join(cells))


# Rules that judge no language: a phone number or a link is held whatever the words say.
_NOT_LANGUAGE = frozenset({"personal_data", "links", "spam"})


def davidson(data: Path, judges: dict[str, Judge], engine: Engine) -> None:
    """The lexicon's own yardsticks: Davidson test F1, "neither" flagged, clean cuss words."""
    rows = [e for e in corpus.davidson(data) if e.test]
    cuss = [
        r["term"]
        for r in csv.DictReader((data / "cuss/cuss_en.csv").open(encoding="utf-8"))
        if r["rating"] == "0"
    ]
    print("\n## Davidson test split (hate or offensive vs neither), cuss rating-0 words")
    print("targets: F1 >= 0.92, neither flagged <= 5%, no clean cuss word flagged")
    for name, judge in judges.items():
        pairs = [(e.labels["toxicity"] > 0.5, judge(e.text)) for e in rows]
        p, r, f1, fpr = scores(pairs)
        flagged = [w for w in cuss if judge(w)]
        print(
            f"{name:18} P {p:.3f} R {r:.3f} F1 {f1:.3f}  neither flagged {fpr:.2%}  "
            f"cuss-0 flagged {len(flagged)}/{len(cuss)} {' '.join(flagged[:10])}"
        )
    # What the engine flags among "neither" tweets, by the kind of rule that did it.
    neither = [e for e in rows if e.labels["toxicity"] <= 0.5]
    held = [engine.moderate(e.text, CTX) for e in neither]
    held = [d for d in held if d.action is not Action.APPROVE]
    only = sum(1 for d in held if {r.category for r in d.reasons} <= _NOT_LANGUAGE)
    by_model = sum(1 for d in held if {r.rule_id for r in d.reasons} == {"toxicity"})
    print(
        f"engine's neither flagged: {len(held)} of {len(neither)}; by the model alone "
        f"{by_model}; by personal-data, link or spam rules alone (no language judged) {only}"
    )


def attributes(data: Path, engine: Engine) -> None:
    """ROC AUC of each attribute on the Civil Comments test split (comment level)."""
    rows = [e for e in corpus.civil_comments(data) if e.test and e.source == "civil_comments"]
    model = next(iter(engine.models.values()))
    got = [model.score(norm.fold(e.text)) for e in rows]
    print("\n## Civil Comments test split: ROC AUC per attribute (label: most raters saw it)")
    for col, attribute in enumerate(ATTRIBUTES):
        truth = [e.labels[attribute] > 0.5 for e in rows]
        print(
            f"{attribute:16} AUC {auc(truth, [g[col] for g in got]):.3f}  "
            f"positives {sum(truth)}/{len(rows)}"
        )


REPLY = "@USER {} https://t.co/Ab12Cd"


def suite(engine: Engine, lexicon: Engine) -> None:
    """Our functional suite: flagged and rejected shares per functionality, per identity."""
    cases = functional.cases()
    outcome = {c.text: engine.moderate(c.text, CTX).action for c in cases}
    alone = {c.text: lexicon.moderate(c.text, CTX).action for c in cases}
    # The same sentence as a reply on social media: a mention before it, a link after.
    reply = {c.text: engine.moderate(REPLY.format(c.text), CTX).action for c in cases}
    print("\n## Functional suite (our own sentences, never trained on)")
    print(f"reply: flagged when written as {REPLY.format('...')!r}")
    head = ("functionality", "want", "n", "flagged", "rejected", "lexicon", "reply")
    print(
        f"{head[0]:20} {head[1]:>5} {head[2]:>5} {head[3]:>8} {head[4]:>9} {head[5]:>8} "
        f"{head[6]:>8}"
    )
    by: dict[str, list[functional.Case]] = defaultdict(list)
    for case in cases:
        by[case.functionality].append(case)
    for name, group in by.items():
        n = len(group)
        flagged = sum(outcome[c.text] is not Action.APPROVE for c in group) / n
        rejected = sum(outcome[c.text] is Action.REJECT for c in group) / n
        lex = sum(alone[c.text] is not Action.APPROVE for c in group) / n
        replied = sum(reply[c.text] is not Action.APPROVE for c in group) / n
        want = "flag" if group[0].flag else "pass"
        print(
            f"{name:20} {want:>5} {n:>5} {flagged:8.1%} {rejected:9.1%} {lex:8.1%} {replied:8.1%}"
        )
    identity = [c for c in cases if c.functionality.startswith("identity")]
    per: dict[str, list[bool]] = defaultdict(list)
    for case in identity:
        per[case.group or "?"].append(outcome[case.text] is not Action.APPROVE)
    rate = sum(sum(v) for v in per.values()) / len(identity)
    print(f"\nneutral, positive and self-described identity statements flagged: {rate:.2%}")
    print("(target <= 1%); per group, highest first:")
    ranked = sorted(per.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))
    print("  " + ", ".join(f"{g} {sum(v) / len(v):.1%}" for g, v in ranked[:12]))


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    engine, lexicon = engines()
    bp = Profanity()  # an instance, never the module-level singleton
    judges: dict[str, Judge] = {
        "engine": lambda t: engine.moderate(t, CTX).action is not Action.APPROVE,
        "lexicon only": lambda t: lexicon.moderate(t, CTX).action is not Action.APPROVE,
        "better-profanity": bp.contains_profanity,
    }
    davidson(args.data, judges, engine)
    # better-profanity takes about a millisecond a comment: the Davidson split is enough.
    sets(args.data, {k: v for k, v in judges.items() if k != "better-profanity"})
    attributes(args.data, engine)
    suite(engine, lexicon)


if __name__ == "__main__":
    main()
