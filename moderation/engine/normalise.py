"""Fold a comment into matchable views (case, homoglyphs, leetspeak, separators, repeats).

Every view keeps a way back to offsets in the original text; the maps are built lazily,
only for comments that actually hit something, so clean ASCII text stays on a C-speed path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from moderation.engine.folding import FOLD_TABLE as FOLD_TABLE
from moderation.engine.folding import OffsetMap as OffsetMap
from moderation.engine.folding import fold as fold
from moderation.engine.folding import fold_map as fold_map

# Byte table for the lexicon view: letters, digits and leet symbols survive; all else is a space.
_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789@$!*+"
LEX_BYTES = bytes(c if c in _KEEP else 0x20 for c in range(256))
_NOT_LEET = bytes(c for c in range(256) if c not in b"0123456789@$!+")
# A token is a run of view characters; one holding a digit or symbol may be leetspeak.
_LEET_SEED = re.compile(r"[0-9@$!+][a-z0-9@$!*+]*")
_MENTIONS = re.compile(r"(?:@\w+[\s,:]*)+")
_LEET = str.maketrans("013457@$!+", "oieastasit")
# A "1" is mostly an "i" ("pr1ck"), but two side by side are "ll" ("ki11": English has no
# "ii"), and one between a vowel and an "f" is an "l" ("yourse1f", "ha1f", "wo1f").
_ONE_AS_L = re.compile(r"11|(?<=[aeiou])1(?=f)")
# Numbers, ordinals and units ("73rd", "5g", "10am") are not leetspeak.
_NUMBERISH = re.compile(r"[0-9]+(?:st|nd|rd|th|s|k|m|g|x|d|am|pm|kg|km|mph|mm|cm|ft|lb|lbs)?")
# Runs of three or more single letters split by spaces or stars: "f u c k", "f*u*c*k".
# The run is group 1: the pattern starts at the character before it (a space, or a symbol
# leetspeak left), which the re module finds at C speed; a look-behind was tried at every letter.
SPACED = re.compile(r"[ @$!+]([a-z](?:[ *]{1,3}[a-z](?![a-z0-9])){2,})")
_TRIPLE = re.compile(r"(.)\1\1+")
_RUN = re.compile(r"(.)\1+")
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789*")

SpanMap = Callable[[int, int], tuple[int, int]]


def _leet_token(token: str) -> str:
    if not any("a" <= c <= "z" for c in token) or _NUMBERISH.fullmatch(token):
        return token
    core = token.rstrip("!+").lstrip("!+")
    lead = len(token) - len(token.lstrip("!+"))
    trail = len(token) - lead - len(core)
    if "1" in core:
        core = _ONE_AS_L.sub(lambda m: "l" * len(m.group()), core)
    return " " * lead + core.translate(_LEET) + " " * trail


def _unleet(view: str) -> str:
    """Read leetspeak in every token that holds a digit or symbol ("sh!t", "m0th3r")."""
    # The pattern starts with a character class, which the re module scans for at C speed;
    # each token's start is the space before it (the view holds only token characters and
    # spaces). Packed text repeats a few tokens thousands of times: each is read once.
    out: list[str] = []
    read: dict[str, str] = {}
    pos = 0
    for match in _LEET_SEED.finditer(view):
        begin, end = view.rfind(" ", pos, match.start()) + 1, match.end()
        token = view[begin:end]
        found = read.get(token)
        if found is None:
            found = read[token] = _leet_token(token)
        out.append(view[pos:begin])
        out.append(found)
        pos = end
    out.append(view[pos:])
    return "".join(out)


def read_leet(folded: str) -> str:
    """`folded` with its leetspeak read as letters ("v3rmin": "vermin"), 1:1 with it; the
    same object when it holds none. The mentions a reply opens with are names, kept as they
    are ("@jo_smith go d1e" is not "ajo_smith go die")."""
    if not _LEET_SEED.search(folded):
        return folded
    named = _MENTIONS.match(folded)
    if named is None:
        return _unleet(folded)
    return folded[: named.end()] + _unleet(folded[named.end() :])


def join_spaced(folded: str) -> tuple[str, list[tuple[int, int]]]:
    """`folded` with its spaced-out letters joined and padded to stay 1:1 ("k i l l you":
    "kill    you"), and where those runs were; `folded` itself and no runs when it holds none."""
    view = lexicon_view(folded)  # one space of padding in front: offsets are one on
    runs = [(m.start(1) - 1, m.end(1) - 1) for m in SPACED.finditer(view)]
    if not runs:
        return folded, runs
    parts: list[str] = []
    at = 0
    for start, end in runs:
        letters = view[start + 1 : end + 1].replace(" ", "").replace("*", "")  # leet read
        parts += (folded[at:start], letters.ljust(end - start))
        at = end
    parts.append(folded[at:])
    return "".join(parts), runs


# Words that only hedge or stress what is said around them: "Muslims are honestly a disease",
# "Jews actually deserve to suffer" say what "Muslims are a disease" says. Read without them,
# blanked to spaces so offsets hold (a pattern's \s+ spans the run), a rule's patterns need
# not list them in every place a writer may put one. Not "just", "so", "all", "very", "too":
# patterns read those ("nothing but", "why are they so…", "all X should…", "too stupid to").
_HEDGES = re.compile(
    r"\b(?:honestly|frankly|really|truly|basically|literally|simply|genuinely|seriously|"
    r"actually|clearly|obviously|definitely|certainly|surely|totally|completely|absolutely|"
    r"personally|sincerely|legitimately|undeniably|unquestionably|fundamentally|quite|"
    r"tbh|imo|imho|ngl)\b"
)


@functools.lru_cache(maxsize=16)  # the rules that read it ask for one comment in turn
def unhedged(folded: str) -> str:
    """`folded` with its hedging words blanked, 1:1 ("are honestly vile": "are          vile");
    `folded` itself when it holds none."""
    if _HEDGES.search(folded) is None:
        return folded
    return _HEDGES.sub(lambda m: " " * len(m.group()), folded)


# A person named by a role ("the referee", "that judge's face", "those protesters") or by a
# group ("every refugee", "the next Muslim"): threats say what they will do to "you", "him" or
# "them", and their patterns list those; read as the pronoun too, blanked to the same length
# so offsets hold, they hold "I'm going to beat the referee senseless" as they hold "…beat him
# senseless", without a list of roles and groups in each. Which roles and groups is the
# config's: a rule's `roles` names word lists (rules/patterns.py), so a site adds its own.
_NO_ONE = "(?!)"  # alternatives none of which matches: no plurals listed


@functools.lru_cache(maxsize=8)  # one pattern for the rules that name the same lists
def named(one: str, many: str = _NO_ONE) -> re.Pattern[str]:
    """What as_pronouns reads as a pronoun: `one` and `many` are alternatives, without groups,
    of roles read as "him" ("referee"; with an "s", as "them") and of plurals ("police")."""
    # With the person: "the next Muslim I see", and, for one a sentence ends on, "the next
    # immigrant who talks to me" ("I'm going to punch him.").
    return re.compile(
        r"\b(?:the|that|this|these|those|every|any|each|all\s+(?:the|these|those))\s+(?:\w+\s+)?"
        rf"(?:(?:{one})(s)?|({many}))"
        r"(?:('s|')|\s+(?:i|we)\s+(?:see|saw|meet|met|find|catch|spot)\b"
        r"|(\s+who\s+[^.!?;,\n]{1,80}?(?=\s*(?:[.!?;\n]|$))))?(?=\W|$)"
    )


def _pronoun(m: re.Match[str]) -> str:
    plural = bool(m.group(1) or m.group(2))
    told = m.group(4) or ""
    if m.group(3):
        word = "their" if plural else "his"
    elif _at_head(m.string, m.start()):
        word = "they" if plural else "he"  # its clause's subject, told of after it
        return word.ljust(len(m.group()) - len(told)) + told
    else:
        word = "them" if plural else "him"
    return word.ljust(len(m.group()))


def _at_head(text: str, start: int) -> bool:
    """Does a clause begin at `start`: after a stop or a comma, or at the text's start?"""
    # A bounded look back: the text before every match, sliced whole, made packed text
    # quadratic (312,500 characters: 1.5 s).
    before = text[max(0, start - 32) : start].rstrip()
    return before[-1:] in (".", "!", "?", ";", ":", ",") or (not before and start <= 32)


@functools.lru_cache(maxsize=16)  # the rules that read it ask for one comment in turn
def as_pronouns(folded: str, people: re.Pattern[str]) -> str:
    """`folded` with each person `people` (named()) finds read as a pronoun, 1:1 ("break the
    ref's jaw": "break his       jaw"); `folded` itself when it names none."""
    if people.search(folded) is None:
        return folded
    return people.sub(_pronoun, folded)


# What is said of him, her or them, read as said to "you" ("u", which threats' patterns know as
# "you", so offsets hold): "That columnist won't live to see Christmas", "She'd better sleep
# with one eye open" are the threats "you won't live to see…" and "you'd better sleep…" are.
# Not "his" or "their": "The senator's days are numbered after this vote" is his career's.
_THIRD = re.compile(r"\b(?:he|she|they|him|her|them)\b")


@functools.lru_cache(maxsize=16)
def as_addressed(folded: str, people: re.Pattern[str] | None = None) -> str:
    """`folded` with "he", "him", "they", … and the people `people` finds (as_pronouns) read
    as "u", 1:1; `folded` itself when it names none."""
    said = as_pronouns(folded, people) if people else folded
    if _THIRD.search(said) is None:
        return folded
    return _THIRD.sub(_you, said)


def _you(m: re.Match[str]) -> str:
    # Before a contraction, "u" ends where the pronoun did: "he'll" is " u'll", as the threat
    # patterns spell "you'll" ("He'll be dead by Friday, that lying MP.").
    if m.string.startswith("'", m.end()):
        return "u".rjust(len(m.group()))
    return "u".ljust(len(m.group()))


def lexicon_view(folded: str) -> str:
    """Return the padded lexicon view: one space each side, 1:1 with `folded` otherwise."""
    return view_and_symbols(folded)[0]


def view_and_symbols(folded: str) -> tuple[str, bytes]:
    """Return the lexicon view and the digits and symbols (@$!+) that `folded` holds."""
    raw = (" " + folded + " ").encode("ascii", "replace").translate(LEX_BYTES)
    view = raw.decode("ascii")
    symbols = raw.translate(None, _NOT_LEET)
    if symbols:
        view = _unleet(view)
    return view, symbols


class Joined:
    """A view with spaced-out single letters joined ("f u c k" -> "fuck"), and the way back."""

    __slots__ = ("_at", "text")

    def __init__(self, view: str, runs: list[tuple[int, int]]) -> None:
        """Join the runs SPACED finds in `view`; `text` is `view` itself when there is none."""
        self.text = view
        self._at: np.ndarray[Any, Any] | None = None
        if runs:
            chars = np.frombuffer(view.encode("ascii"), dtype=np.uint8)
            kept = np.ones(len(chars), dtype=bool)
            for begin, end in runs:  # a run's spaces and stars go, its letters stay
                kept[begin:end] = (chars[begin:end] != 0x20) & (chars[begin:end] != 0x2A)
            self._at = np.flatnonzero(kept)  # the view index of each character of `text`
            self.text = chars[self._at].tobytes().decode("ascii")

    def spans(self, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Map hits (start, stop, entry) in `text` to the view, in bulk."""
        if self._at is None or not hits:
            return hits
        starts, stops, ids = zip(*hits, strict=True)
        at = self._at
        # A hit ends after its last letter, whatever separators follow it.
        ends = at[np.array(stops) - 1] + 1
        return list(zip(at[np.array(starts)].tolist(), ends.tolist(), ids, strict=True))


def has_triples(view: str) -> bool:
    """Return True when some character repeats three or more times in a row."""
    return _TRIPLE.search(view) is not None


class Squeezed:
    """A view with runs of a repeated character capped at `keep`, and the way back.

    A run's last kept character stands for the whole run: a hit that ends on it ends where
    the run does.
    """

    __slots__ = ("_at", "text")

    def __init__(self, view: str, keep: int) -> None:
        """Squeeze `view` (ASCII, as lexicon views are)."""
        chars = np.frombuffer(view.encode("ascii"), dtype=np.uint8)
        same = chars[1:] == chars[:-1]  # same[i]: character i + 1 repeats character i
        dropped = np.zeros(len(chars), dtype=bool)
        if keep == 1:
            dropped[1:] = same
        else:
            dropped[2:] = same[1:] & same[:-1]
        kept = np.flatnonzero(~dropped)
        self.text = chars[kept].tobytes().decode("ascii")
        # The view index of each character of `text`, then the view's end: the index after
        # a kept character's is past the characters dropped after it.
        self._at = np.append(kept, len(chars))

    def spans(self, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Map hits (start, stop, entry) in `text` to the view, in bulk."""
        if not hits:
            return hits
        starts, stops, ids = zip(*hits, strict=True)
        at = self._at
        return list(
            zip(at[np.array(starts)].tolist(), at[np.array(stops)].tolist(), ids, strict=True)
        )


def skeleton(text: str) -> str:
    """Collapse every run of a repeated character to one (used to compare exceptions)."""
    return _RUN.sub(r"\1", text)
