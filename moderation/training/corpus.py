"""The labelled sets of ../shared/data as examples with per-attribute labels and their split.

Each loader reads one set and keeps its README's split rule (`test` marks the rows figures are
reported on; training and tuning use the rest). A label is the share of raters who saw that
attribute (0 to 1); an attribute a set does not annotate is absent, not 0, so it trains nothing.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ATTRIBUTES = ("toxicity", "insult", "threat", "identity_attack", "obscene")
_NONE = dict.fromkeys(ATTRIBUTES, 0.0)
csv.field_size_limit(1 << 24)


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text: its source set, whether it is in that set's test split, its labels."""

    text: str
    source: str
    test: bool
    labels: dict[str, float]


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Data rows numbered from 1 (the first row after the header), as the split rule counts."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from enumerate(csv.DictReader(fh), start=1)


def civil_comments(root: Path) -> Iterator[Example]:
    """News comments with typed toxic spans; test: comment_id divisible by 5.

    A rater who ticked both boxes and marked nothing said "not toxic" (how the annotation
    tool recorded it); every other rater found the comment toxic. Besides the whole comment,
    each sentence is an example of its own: one inside no rater's span is a clean sentence
    from a news site, a kind of text no other set has.
    """
    folder = root / "civil-comments-toxic-spans"
    types = {
        "Insult": "insult",
        "Threat": "threat",
        "Identity based Attack": "identity_attack",
        "Profane/Obscene": "obscene",
    }
    marked: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for _, row in _rows(folder / "spans.csv"):
        marked[row["annotation"]].append((row["type"], int(row["start"]), int(row["end"])))
    raters: dict[str, list[dict[str, str]]] = defaultdict(list)
    for _, row in _rows(folder / "annotations.csv"):
        raters[row["comment_id"]].append(row)
    for _, row in _rows(folder / "comments.csv"):
        cid, text = row["comment_id"], row["comment_text"]
        votes = raters.get(cid, [])
        if not votes:
            continue
        test = int(cid) % 5 == 0
        spans = [marked[v["annotation"]] for v in votes]
        toxic = [
            not (v["all toxic"] == "True" and v["not toxic"] == "True" and not s)
            for v, s in zip(votes, spans, strict=True)
        ]
        labels = {"toxicity": sum(toxic) / len(votes)}
        for kind, attribute in types.items():
            labels[attribute] = sum(any(t == kind for t, _, _ in s) for s in spans) / len(votes)
        yield Example(text, "civil_comments", test, labels)
        yield from _sentences(text, spans, votes, test, types)


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def _sentences(
    text: str,
    spans: list[list[tuple[str, int, int]]],
    votes: list[dict[str, str]],
    test: bool,
    types: dict[str, str],
) -> Iterator[Example]:
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        sentence = m.group().strip()
        if len(sentence.split()) < 4 or (start, end) == (0, len(text)):
            continue
        inside = [[(t, s, e) for t, s, e in rater if s < end and e > start] for rater in spans]
        if not any(inside):
            yield Example(sentence, "civil_sentences", test, dict(_NONE))
            continue
        n = len(votes)
        labels = {"toxicity": sum(1 for r in inside if r) / n}
        for kind, attribute in types.items():
            labels[attribute] = sum(any(t == kind for t, _, _ in r) for r in inside) / n
        yield Example(sentence, "civil_sentences", test, labels)


def davidson(root: Path) -> Iterator[Example]:
    """Tweets: hate, offensive or neither by vote; test: leading index divisible by 5."""
    for _, row in _rows(root / "davidson-tweets/data_labeled_data.csv"):
        n = int(row["count"])
        hate, offensive = int(row["hate_speech"]), int(row["offensive_language"])
        labels = {"toxicity": (hate + offensive) / n, "identity_attack": hate / n}
        if row["class"] == "2":
            labels = dict(_NONE) | labels
        yield Example(row["tweet"], "davidson", int(row[""]) % 5 == 0, labels)


def stormfront(root: Path) -> Iterator[Example]:
    """Forum sentences, hate or not (sentences that need their neighbours are left out)."""
    for number, row in _rows(root / "stormfront-hate/stormfront_sentences.csv"):
        if row["label"] == "hate":
            labels = {"toxicity": 1.0, "identity_attack": 1.0}
        elif row["label"] == "noHate":
            labels = dict(_NONE)
        else:
            continue
        yield Example(row["text"], "stormfront", number % 5 == 0, labels)


def hatexplain(root: Path) -> Iterator[Example]:
    """Tweets and Gab posts: normal, offensive or hate (lower case, no punctuation)."""
    for number, row in _rows(root / "hatexplain/hatexplain_preprocessed.csv"):
        label = row["label"]
        if label == "0":
            labels = dict(_NONE)
        else:
            labels = {"toxicity": 1.0, "identity_attack": 1.0 if label == "2" else 0.0}
        yield Example(row["text"], "hatexplain", number % 5 == 0, labels)


def wiki_talk(root: Path) -> Iterator[Example]:
    """Wikipedia talk comments, judged without their parent (mostly clean)."""
    folder = root / "wiki-talk-context"
    for name, column in (("gn.csv", "label"), ("gc.csv", "label"), ("cat_small.csv", "label_oc")):
        for number, row in _rows(folder / name):
            labels = {"toxicity": 1.0} if row[column] == "1" else dict(_NONE)
            yield Example(row["text"], "wiki_talk", number % 5 == 0, labels)


_CONVABUSE_IDENTITY = ("ableist", "homophobic", "racist", "sexist", "transphobic")


def convabuse(root: Path) -> Iterator[Example]:
    """Messages to chatbots: abusive (mild to very strong) or not, type and target by rater."""
    folder = root / "convabuse"
    for name, test in (
        ("ConvAbuseEMNLPtrain.csv", False),
        ("ConvAbuseEMNLPvalid.csv", False),
        ("ConvAbuseEMNLPtest.csv", True),
    ):
        for _, row in _rows(folder / name):
            raters = sorted({k.split("_", 1)[0] for k in row if k.startswith("Annotator")})
            said = [r for r in raters if any(row.get(f"{r}_is_abuse.{v}") == "1" for v in _LEVELS)]
            if not said:
                continue
            abusive = [r for r in said if any(row[f"{r}_is_abuse.{v}"] == "1" for v in _ABUSE)]
            n = len(said)
            labels = {
                "toxicity": len(abusive) / n,
                "identity_attack": sum(
                    any(row.get(f"{r}_{t}") == "1" for t in _CONVABUSE_IDENTITY) for r in abusive
                )
                / n,
                "insult": sum(row.get(f"{r}_target.individual") == "1" for r in abusive) / n,
                "obscene": sum(row.get(f"{r}_sex_harassment") == "1" for r in abusive) / n,
            }
            yield Example(row["user"], "convabuse", test, labels)


_LEVELS = ("1", "0", "-1", "-2", "-3")
_ABUSE = ("-1", "-2", "-3")


def surge(root: Path) -> Iterator[Example]:
    """Social media comments, toxic or not (a small balanced set)."""
    for number, row in _rows(root / "surge-toxicity/toxicity_en.csv"):
        labels = {"toxicity": 1.0} if row["is_toxic"] == "Toxic" else dict(_NONE)
        yield Example(row["text"], "surge", number % 5 == 0, labels)


LOADERS: dict[str, Callable[[Path], Iterator[Example]]] = {
    "civil_comments": civil_comments,
    "davidson": davidson,
    "stormfront": stormfront,
    "hatexplain": hatexplain,
    "wiki_talk": wiki_talk,
    "convabuse": convabuse,
    "surge": surge,
}


def load_all(root: Path) -> list[Example]:
    """Every example of every set, in a fixed order."""
    return [example for load in LOADERS.values() for example in load(root)]
