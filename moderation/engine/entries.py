"""What the matcher looks for: entries, the keys they are found by and their evasion spellings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from moderation.engine import normalise as norm

_VOWELS = frozenset("aeiou")
_STARRED_LONGEST = 9  # letters of a word whose starred runs are looked for
TIER_SEVERITY = {"mild": 1, "strong": 2, "severe": 3, "slur": 4}


@dataclass(frozen=True, slots=True)
class Entry:
    """A phrase to find: a lexicon term, a rule's term, or an allowlisted phrase."""

    term: str
    owner: str  # "lexicon", "allow", or the id of the rule that owns the term
    tier: str = ""  # lexicon only: slur, severe, strong, mild
    category: str = ""
    mode: str = "word"  # word (with inflections), exact, prefix (compounds), any (substring)
    exceptions: frozenset[str] = frozenset()  # skeletons of innocent words containing the term
    elongate: bool = False  # safe to match with any letter repeated ("fuuuck")
    name: bool = False  # also a given name or surname ("Dick Cheney"): spare Title Case names
    variants: bool = False  # also match "f*ck" style starred spellings


def key_of(term: str) -> str:
    """Return the lexicon-view form of a configured term."""
    return " ".join(norm.lexicon_view(norm.fold(term)).split())


def starred_runs(entry: Entry, key: str) -> Iterator[str]:
    """Spellings with two letters starred side by side ("a**hole", "bulls**t", "f**king").

    Only in words of up to nine letters: longer ones are rare compounds, whose thousands of
    spellings cost the automaton megabytes. Many are shared by several entries ("c**ksucker":
    cocksucker, cawksucker), which then say nothing of how grave the word meant was: the
    matcher keeps only those whose entries share a tier ("a**hole": asshole, azzhole), and none
    that another spelling already stands for.
    """
    if entry.variants and " " not in key and len(key) <= _STARRED_LONGEST:
        for i in range(1, len(key) - 2):
            yield key[:i] + "**" + key[i + 2 :]


def masked(entry: Entry, key: str) -> str | None:
    """The spelling with every letter but the first starred ("f***", "s***", "b****").

    In words of three to nine letters, as starred_runs. Such a spelling stands for dozens of
    entries of different tiers ("f***": fuck, feck, fags); the matcher reads it as the mildest
    of them: the writer hid which word it was, not that it was one.
    """
    if entry.variants and " " not in key and 3 <= len(key) <= _STARRED_LONGEST:
        return key[0] + "*" * (len(key) - 1)
    return None


def variants(entry: Entry, key: str) -> Iterator[str]:
    """The key and the evasion spellings of it that an entry is also found by."""
    yield key
    if entry.owner == "allow" and " " in key:
        # "Cumming, Georgia": the view blanks punctuation, so a comma leaves two spaces.
        yield key.replace(" ", "  ")
    if entry.variants and " " not in key and len(key) >= 3:
        for i in range(1, len(key) - 1):
            yield key[:i] + "*" + key[i + 1 :]
        yield key[0] + "*" * (len(key) - 2) + key[-1]
        # Every vowel starred ("f*ck*ng") and "v" for "u" ("fvck", "cvnt"), as
        # better-profanity reads them.
        if sum(c in _VOWELS for c in key[1:]) >= 2:
            yield key[0] + "".join("*" if c in _VOWELS else c for c in key[1:])
        if "u" in key:
            yield key.replace("u", "v")
        # "ph" for "f" ("phuck", "ph0ck"); not in three letters, where it meets names ("Phuc").
        if key[0] == "f" and len(key) >= 4:
            yield "ph" + key[1:]
    if entry.elongate and " " not in key:
        for i in range(len(key)):
            if key[i] != key[i - 1 : i] and key[i] != key[i + 1 : i + 2]:
                yield key[:i] + key[i] + key[i:]
        yield norm.skeleton(key)
