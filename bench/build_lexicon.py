"""Regenerate config/lexicon/terms.tsv from better-profanity's list and the MIT tier lists.

Run: python bench/build_lexicon.py [--data ../shared/data] [--dict WORDLIST ...]
The dictionaries (Debian packages wamerican and wbritish) decide how freely a term may match
inside other words: terms that occur in few real words match as substrings with those words as
exceptions. Both spellings, as news sites write both ("specialized", "specialised").
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import tomllib
from pathlib import Path

import ahocorasick
import better_profanity

from moderation.engine.matcher import key_of
from moderation.engine.normalise import skeleton

ROOT = Path(__file__).resolve().parent.parent
RANK = {"mild": 1, "strong": 2, "severe": 3, "slur": 4}
INFLECT = ("", "s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ies")
MAX_EXCEPTIONS = 12
DERIVE = ("s", "es", "ed", "d", "er", "ers", "ing", "ier", "iest", "ily", "y", "ies", "iness")


def surge_tiers(path: Path) -> dict[str, str]:
    """Surge: severe >= 2.5; slur for racial or gender slurs >= 2.5; everything else strong."""
    tiers: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sev = float(row["severity_rating"])
            cats = {row["category_1"], row["category_2"], row["category_3"]}
            slur = "racial / ethnic slurs" in cats or "sexual orientation / gender" in cats
            tier = "slur" if slur and sev >= 2.5 else "severe" if sev >= 2.5 else "strong"
            tiers[row["text"].lower()] = tier
    return tiers


def dsojevic_tiers(path: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """dsojevic: 1 mild, 2 strong, 3-4 severe (slur for racial/lgbtq); exceptions expanded."""
    tiers: dict[str, str] = {}
    exceptions: dict[str, set[str]] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        sev, tags = entry["severity"], set(entry["tags"])
        tier = ["mild", "mild", "strong", "severe", "severe"][sev]
        if sev >= 3 and tags & {"racial", "lgbtq"}:
            tier = "slur"
        matches = [m.replace("*", "").lower() for m in entry["match"].split("|")]
        for match in matches:
            tiers[match] = tier
        for pattern in entry.get("exceptions", []):
            word = pattern.replace("*", matches[0]).replace(" ", "")
            exceptions.setdefault(matches[0], set()).add(skeleton(key_of(word)))
    return tiers, exceptions


def _derived(word: str, terms: dict[str, tuple[str, str]]) -> bool:
    """True for dictionary words that are a lexicon term plus an inflection ("bullshits")."""
    if word in terms:
        return True
    for suffix in DERIVE:
        stem = word[: -len(suffix)]
        # Only an acting term's endings are its inflections: "sniggers" is no exception
        # to "niggers" just because "snigger" (mild) is a term too.
        if word.endswith(suffix) and stem in terms and terms[stem][0] != "mild":
            return True
    return False


def add_dict_option(parser: argparse.ArgumentParser) -> None:
    """`--dict WORDLIST ...`: Debian's American and British word lists unless given."""
    parser.add_argument(
        "--dict",
        type=Path,
        nargs="+",
        default=[Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english")],
    )


def main() -> None:
    """Write terms.tsv."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    add_dict_option(parser)
    args = parser.parse_args()
    bp_path = Path(better_profanity.__file__).parent / "profanity_wordlist.txt"
    bp = [w.strip().lower() for w in bp_path.read_text(encoding="utf-8").splitlines() if w.strip()]
    surge = surge_tiers(args.data / "surge-profanity" / "profanity_en.csv")
    dso, dso_exc = dsojevic_tiers(args.data / "dsojevic-profanity-list" / "en.json")
    overrides = tomllib.loads((ROOT / "config/lexicon/overrides.toml").read_text(encoding="utf-8"))
    forced = {t: tier for tier, terms in overrides["tiers"].items() for t in terms}
    names = set(overrides["names"]["terms"])
    modes: dict[str, str] = overrides.get("modes", {})
    extra_exceptions: dict[str, list[str]] = overrides.get("exceptions", {})

    terms: dict[str, tuple[str, str]] = {}  # key -> (tier, source)
    for source, table in (("surge", surge), ("dsojevic", dso)):
        for term, tier in table.items():
            key = key_of(term)
            if len(key.replace(" ", "")) < 3 or (" " in key and " " not in term.strip()):
                continue  # normalisation mangled it ("sh! +"); not a usable key
            old = terms.get(key)
            if old is None or RANK[tier] > RANK[old[0]]:
                terms[key] = (tier, source)
    roots = sorted((k for k, v in terms.items() if RANK[v[0]] >= 2 and len(k) >= 4), key=len)
    for word in bp:
        key = key_of(word)
        if key in terms or len(key.replace(" ", "")) < 3:
            continue
        root = next((r for r in reversed(roots) if r in key), None)
        terms[key] = (terms[root][0], "better-profanity") if root else ("mild", "better-profanity")
    for term, tier in forced.items():
        key = key_of(term)
        terms[key] = (tier, terms.get(key, ("", "override"))[1])

    words = {
        w.strip().lower() for d in args.dict for w in d.read_text(encoding="utf-8").splitlines()
    }
    same_skeleton: dict[str, set[str]] = {}
    for word in words:
        if word.isalpha() and word.isascii():
            same_skeleton.setdefault(skeleton(word), set()).add(word)
    words = {w for w in words if w.isalpha() and w.isascii() and not _derived(w, terms)}
    automaton = ahocorasick.Automaton()
    for key in terms:
        if " " not in key:
            automaton.add_word(key, key)
    automaton.make_automaton()
    containing: dict[str, set[str]] = {}
    for word in words:
        skel = skeleton(word)
        for form in {word, skel}:
            for _, key in automaton.iter(form):
                containing.setdefault(key, set()).add(word)

    out = ["term\ttier\tcategory\tmode\telongate\tname\texceptions\tsource"]
    for key in sorted(terms):
        tier, source = terms[key]
        category = "slur" if tier == "slur" else "profanity"
        inflected = {key + s for s in INFLECT}
        inside = sorted(w for w in containing.get(key, ()) if w not in inflected)
        exc = {skeleton(w) for w in inside} | dso_exc.get(key, set())
        if " " in key:
            mode = "exact"
        elif len(inside) <= MAX_EXCEPTIONS and len(key) >= 4:
            mode = "any"
        elif len([w for w in inside if w.startswith(key)]) <= MAX_EXCEPTIONS and len(key) >= 4:
            mode, exc = "prefix", {skeleton(w) for w in inside if w.startswith(key)}
        else:
            mode = "word"
            exc = {skeleton(w) for w in containing.get(key, ()) if w in inflected} | exc
            exc = {e for e in exc if re.fullmatch(re.escape(skeleton(key)) + r"[a-z]{0,4}", e)}
        if key in modes:
            mode = modes[key]
        exc |= {skeleton(key_of(w)) for w in extra_exceptions.get(key, ())}
        clash = same_skeleton.get(skeleton(key), set()) - {key}
        elongate = " " not in key and not clash and len(skeleton(key)) >= 3
        name = key in names
        out.append(
            "\t".join(
                [
                    key,
                    tier,
                    category,
                    mode,
                    "yes" if elongate else "no",
                    "yes" if name else "no",
                    " ".join(sorted(exc)),
                    source,
                ]
            )
        )
    (ROOT / "config/lexicon/terms.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {len(out) - 1} terms")


if __name__ == "__main__":
    main()
