"""The slips of the rules' words that are words of their own, for `[words] not_slips`.

Run: python -m bench.slip_words [--dict WORDLIST ...]
A rule with `typos` reads a slip of its words as the word ("mulsims", "idoit"), but a swap or a
gap may spell another word: "crepe" is no slip of "creep", nor "refuge" of "refugee". Debian's
word lists (packages wamerican and wbritish) find them; listed in `config/rules.toml`, they are
never read as slips. Run it after editing a rule's words: it prints the list whole, the ones
already listed among them. Review it before pasting: a spelling of the same word ("traveler",
"numskull") is better read as the word.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from bench.build_lexicon import add_dict_option
from moderation.engine.loader import load
from moderation.engine.rules.patterns import _spelling

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print the TOML list of the rules' slips that a dictionary holds."""
    parser = argparse.ArgumentParser(description=__doc__)
    add_dict_option(parser)
    args = parser.parse_args()
    words = {
        w.strip().lower()
        for path in args.dict
        for w in path.read_text(encoding="utf-8").splitlines()
        if w.strip().isalpha()
    }
    found: set[str] = set()
    for rule in load(ROOT / "config").data["rules"]:
        if not rule.get("typos"):
            continue
        # The rule as it would be without the list: what its slips would be.
        lists = {k: v for k, v in rule.get("words", {}).items() if k != "not_slips"}
        found |= _spelling({**rule, "words": lists}).slips.keys() & words
    listed = ", ".join(f'"{w}"' for w in sorted(found))
    print(textwrap.fill(f"not_slips = [{listed}]", width=99, subsequent_indent=" " * 13))


if __name__ == "__main__":
    main()
