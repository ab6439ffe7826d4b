"""Sentences built from parts: insults, threats and group derogation, each beside an innocent twin.

The public sets hold few insults and threats written in ordinary words, so a model learns the
words of those few ("idiot", "kill") and misses the rest. Here each abusive frame is filled
with many words of abuse, and the same frame with innocent words makes a clean twin: the model
then learns that "spineless" or "break your legs" is the abuse, not "you are a" or "I will".
Parts are combined by index arithmetic, never at random, so every run builds the same rows.
The parts are data, in composed.txt beside this module. The evaluation suite (functional.py)
is written apart from these and never trained on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import TypeVar

from moderation.training import sections
from moderation.training.corpus import Example
from moderation.training.templates import GROUPS, Group, fill, labels

SOURCE = "templates"  # our own sentences, weighted as the templates are
_T = TypeVar("_T")

_PARTS = sections.read("composed.txt")


def _pairs(section: str) -> tuple[tuple[str, str], ...]:
    """A section of "a | b" lines as pairs."""
    return tuple((a.strip(), b.strip()) for a, b in (line.split("|") for line in _PARTS[section]))


# Whom an insult or threat is aimed at (subject, object); crowds, "anyone who…"; see composed.txt.
TARGETS = _pairs("targets")
CROWDS = _PARTS["crowds"]
ANYONE = _PARTS["anyone"]
BAD_ADJECTIVES, BAD_NOUNS = _PARTS["bad_adjectives"], _PARTS["bad_nouns"]
GOOD_ADJECTIVES, GOOD_NOUNS = _PARTS["good_adjectives"], _PARTS["good_nouns"]
INSULT_FRAMES, NOUN_FRAMES = _PARTS["insult_frames"], _PARTS["noun_frames"]
CROWD_FRAMES, ANYONE_FRAMES = _PARTS["crowd_frames"], _PARTS["anyone_frames"]
_PLURALS = dict(_pairs("plurals"))
SCORN, REGARD = _PARTS["scorn"], _PARTS["regard"]
VIOLENCE, ERRANDS = _PARTS["violence"], _PARTS["errands"]
PUNISHMENTS, REMEDIES = _PARTS["punishments"], _PARTS["remedies"]
VERDICT_FRAMES, THREAT_FRAMES = _PARTS["verdict_frames"], _PARTS["threat_frames"]
CONTEMPT, RESPECT = _PARTS["contempt"], _PARTS["respect"]
GRIEVANCES = _PARTS["grievances"]
GROUP_FRAMES, GROUP_DISLIKE, GROUP_LIKE = (
    _PARTS["group_frames"],
    _PARTS["group_dislike"],
    _PARTS["group_like"],
)


def _pick(parts: Sequence[str], i: int, step: int) -> str:
    """The part for combination i: strides through the list so neighbours differ.

    The stride is made coprime with the list's length, so that every part comes round.
    """
    while math.gcd(step, len(parts)) != 1:
        step += 1
    return parts[(i * step) % len(parts)]


def _person(frame: str, target: tuple[str, str], **words: str) -> str:
    subject, obj = target
    you = subject == "you"
    text = frame.format(
        s=subject,
        S=subject[:1].upper() + subject[1:],
        o=obj,
        o_pos="your" if you else {"him": "his", "her": "her"}.get(obj, obj + "'s"),
        be="are" if you else "is",
        v="" if you else "s",
        get="get" if you else "gets",
        live="live" if you else "lives",
        **words,
    )
    return _articles(text)


def _aimed(
    frames: Sequence[str], times: int, targets: Sequence[_T]
) -> Iterator[tuple[str, _T, int]]:
    """Each frame for each target, `times` over, numbered: the number picks the words."""
    n = 0
    for frame in frames:
        for target in targets:
            for _ in range(times):
                yield frame, target, n
                n += 1


def _plural(noun: str) -> str:
    if noun in _PLURALS:
        return _PLURALS[noun]
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _crowd(frame: str, subject: str, adj: str, noun: str) -> str:
    text = frame.format(
        s=subject, S=subject[:1].upper() + subject[1:], adj=adj, noun=noun, nouns=_plural(noun)
    )
    return _articles(text)


def _articles(text: str) -> str:
    """The text with "a" written "an" before a vowel, as the words picked for a frame ask."""
    for vowel in "aeiou":
        text = text.replace(f" a {vowel}", f" an {vowel}")
    return text.replace(" a honest", " an honest")


def insults() -> Iterator[Example]:
    """Each insult frame, for each target, with four pairs of abusive words and four innocent;
    then crowds and "anyone who…", two pairs each."""
    bad = labels(toxicity=1.0, insult=1.0)
    clean = labels()
    for frame, target, n in _aimed(INSULT_FRAMES, 4, TARGETS):
        words = {"adj": _pick(BAD_ADJECTIVES, n, 7), "noun": _pick(BAD_NOUNS, n, 11)}
        yield Example(_person(frame, target, **words), SOURCE, False, bad)
        words = {"adj": _pick(GOOD_ADJECTIVES, n, 7), "noun": _pick(GOOD_NOUNS, n, 11)}
        yield Example(_person(frame, target, **words), SOURCE, False, clean)
    for frame, target, n in _aimed(NOUN_FRAMES, 2, TARGETS):
        for nouns, truth in ((BAD_NOUNS, bad), (GOOD_NOUNS, clean)):
            yield Example(_person(frame, target, noun=_pick(nouns, n, 11)), SOURCE, False, truth)
    for i, (bad_frame, twin) in enumerate(zip(SCORN, REGARD, strict=True)):
        for target in TARGETS[i % 3 :: 3]:
            yield Example(_person(bad_frame, target), SOURCE, False, bad)
            yield Example(_person(twin, target), SOURCE, False, clean)
    crowds = itertools.chain(_aimed(CROWD_FRAMES, 2, CROWDS), _aimed(ANYONE_FRAMES, 2, ANYONE))
    for n, (frame, subject, _) in enumerate(crowds):  # numbered on across both
        for adjectives, nouns, truth in (
            (BAD_ADJECTIVES, BAD_NOUNS, bad),
            (GOOD_ADJECTIVES, GOOD_NOUNS, clean),
        ):
            adj, noun = _pick(adjectives, n, 7), _pick(nouns, n, 11)
            yield Example(_crowd(frame, subject, adj, noun), SOURCE, False, truth)


def threats() -> Iterator[Example]:
    """Each threat frame, for each target, with three acts of violence and three errands."""
    bad = labels(toxicity=1.0, threat=1.0)
    clean = labels()
    for frame, target, n in _aimed(THREAT_FRAMES, 3, TARGETS):
        for acts, truth in ((VIOLENCE, bad), (ERRANDS, clean)):
            act = _person(_pick(acts, n, 7), target)
            yield Example(_person(frame, target, act=act), SOURCE, False, truth)
    for frame, target, n in _aimed(VERDICT_FRAMES, 2, TARGETS):
        for verdicts, truth in ((PUNISHMENTS, bad), (REMEDIES, clean)):
            yield Example(_person(frame, target, p=_pick(verdicts, n, 7)), SOURCE, False, truth)


def derogation() -> Iterator[Example]:
    """Every group in each frame, once with contempt and once with respect."""
    bad = labels(toxicity=1.0, identity_attack=1.0)
    clean = labels()
    for g, group in enumerate(GROUPS):
        for f, frame in enumerate(GROUP_FRAMES):
            i = g * len(GROUP_FRAMES) + f
            yield Example(_group(frame, group, _pick(CONTEMPT, i, 7)), SOURCE, False, bad)
            yield Example(_group(frame, group, _pick(RESPECT, i, 7)), SOURCE, False, clean)
        for f in range(3):  # three of the plain dislikes per group, and their twins
            i = (g * 3 + f) % len(GROUP_DISLIKE)
            yield Example(fill(GROUP_DISLIKE[i], group), SOURCE, False, bad)
            yield Example(fill(GROUP_LIKE[i], group), SOURCE, False, clean)


def grievances() -> Iterator[Example]:
    """Blame laid on a person, a party or a policy ("Greed is ruining this country"): clean, the
    innocent side of the group dislikes above ("{People} ruin every neighbourhood…")."""
    for text in GRIEVANCES:
        yield Example(text, SOURCE, False, labels())


def _group(frame: str, group: Group, word: str) -> str:
    return fill(frame.replace("{word}", word), group)


def examples() -> Iterator[Example]:
    """Every composed sentence with its labels, in a fixed order."""
    yield from insults()
    yield from threats()
    yield from derogation()
    yield from grievances()
