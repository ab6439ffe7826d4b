"""Precision, recall, F1 and false-positive rate of the engine vs better-profanity, same run.

"Flagged" means action != approve (hold or reject). Davidson: the test split is the rows
whose index is divisible by 5 (see ../shared/data/README.md); positives are hate or offensive.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable
from pathlib import Path

from better_profanity import Profanity

from moderation.engine import Action, Context, Engine

ROOT = Path(__file__).resolve().parent.parent
CTX = Context(site="bench", author_prior_comments=1000)


def scores(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Return precision, recall, F1 for (truth, flagged) pairs."""
    tp = sum(1 for t, f in pairs if t and f)
    fp = sum(1 for t, f in pairs if not t and f)
    fn = sum(1 for t, f in pairs if t and not f)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", choices=("test", "train", "all"), default="test")
    args = parser.parse_args()
    engine = Engine.from_directory(ROOT / "config")
    bp = Profanity()  # an instance, never the module-level singleton
    judges: dict[str, Callable[[str], bool]] = {
        "engine": lambda t: engine.moderate(t, CTX).action is not Action.APPROVE,
        "better-profanity": bp.contains_profanity,
    }
    with (args.data / "davidson-tweets/data_labeled_data.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    keep: dict[str, Callable[[int], bool]] = {
        "test": lambda i: i % 5 == 0,
        "train": lambda i: i % 5 != 0,
        "all": lambda i: True,
    }
    rows = [r for r in rows if keep[args.split](int(r[""]))]
    cuss = [
        r["term"]
        for r in csv.DictReader((args.data / "cuss/cuss_en.csv").open())
        if r["rating"] == "0"
    ]
    with (args.data / "jigsaw-sample/test_examples.csv").open(encoding="utf-8") as fh:
        jig = list(csv.DictReader(fh))
    print(
        f"Davidson {args.split} split: {len(rows)} tweets; "
        f"cuss rating-0: {len(cuss)}; Jigsaw: {len(jig)}"
    )
    print(
        f"{'':18} {'P':>6} {'R':>6} {'F1':>6} {'neither flagged':>16} "
        f"{'cuss-0 flagged':>15} {'jigsaw obscene F1':>18}"
    )
    for name, judge in judges.items():
        pairs = [(r["class"] != "2", judge(r["tweet"])) for r in rows]
        p, r, f1 = scores(pairs)
        neither = [f for t, f in pairs if not t]
        fpr = sum(neither) / len(neither)
        flagged_cuss = [w for w in cuss if judge(w)]
        _jp, _jr, jf = scores([(j["obscene"] == "1", judge(j["comment_text"])) for j in jig])
        print(
            f"{name:18} {p:6.3f} {r:6.3f} {f1:6.3f} {fpr:15.2%} "
            f"{len(flagged_cuss):>9}/{len(cuss)} {jf:18.3f}"
        )
        if name == "engine" and flagged_cuss:
            print(f"{'':18} cuss rating-0 flagged: {', '.join(flagged_cuss)}")


if __name__ == "__main__":
    main()
