"""Fold a comment into matchable views (case, homoglyphs, leetspeak, separators, repeats).

Every view keeps a way back to offsets in the original text; the maps are built lazily,
only for comments that actually hit something, so clean ASCII text stays on a C-speed path.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate

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
_LEET = str.maketrans("013457@$!+", "oieastasit")
# Numbers, ordinals and units ("73rd", "5g", "10am") are not leetspeak.
_NUMBERISH = re.compile(r"[0-9]+(?:st|nd|rd|th|s|k|m|g|x|d|am|pm|kg|km|mph|mm|cm|ft|lb|lbs)?")
# Runs of three or more single letters split by spaces or stars: "f u c k", "f*u*c*k".
_SPACED = re.compile(r"(?<![a-z0-9*])[a-z](?:[ *]{1,3}[a-z](?![a-z0-9])){2,}")
_TRIPLE = re.compile(r"(.)\1\1+")
_RUN = re.compile(r"(.)\1+")
_LONG_RUNS = {1: re.compile(r"(.)\1+"), 2: re.compile(r"(.)\1\1+")}
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789*")

SpanMap = Callable[[int, int], tuple[int, int]]


def _leet_token(token: str) -> str:
    if not any("a" <= c <= "z" for c in token) or _NUMBERISH.fullmatch(token):
        return token
    core = token.rstrip("!+").lstrip("!+")
    lead = len(token) - len(token.lstrip("!+"))
    trail = len(token) - lead - len(core)
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
    """A view with spaced-out single letters joined ("f u c k" -> "fuck"), and the way back.

    Only the letters of the joined runs are indexed, so the map costs nothing elsewhere.
    """

    __slots__ = ("_at", "_letters", "_shift", "text")

    def __init__(self, view: str) -> None:
        """Join every run of `view`; `text` is `view` itself when there is none."""
        out: list[str] = []
        self._at: list[int] = []  # index in `text` where each run's letters begin
        self._letters: list[list[int]] = []  # index in `view` of each of those letters
        self._shift: list[int] = []  # view index minus text index after each run
        pos = gone = 0
        for match in _SPACED.finditer(view):
            begin, end = match.span()
            letters = [begin + i for i, ch in enumerate(match.group()) if ch not in " *"]
            out.append(view[pos:begin])
            out.append("".join(view[i] for i in letters))
            self._at.append(begin - gone)
            self._letters.append(letters)
            gone += end - begin - len(letters)
            self._shift.append(gone)
            pos = end
        out.append(view[pos:])
        self.text = "".join(out) if self._at else view

    def _index(self, pos: int) -> int:
        k = bisect_right(self._at, pos) - 1
        if k < 0:
            return pos
        letters = self._letters[k]
        inside = pos - self._at[k]
        return letters[inside] if inside < len(letters) else pos + self._shift[k]

    def span(self, start: int, stop: int) -> tuple[int, int]:
        """Map [start, stop) of `text` to the view."""
        return self._index(start), self._index(stop - 1) + 1

    def spans(self, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Map hits (start, stop, entry) in `text` to the view."""
        index = self._index
        return [(index(start), index(stop - 1) + 1, idx) for start, stop, idx in hits]


def has_triples(view: str) -> bool:
    """Return True when some character repeats three or more times in a row."""
    return _TRIPLE.search(view) is not None


class Squeezed:
    """A view with runs of a repeated character capped at `keep`, and the way back.

    A run's last kept character stands for the whole run; only runs are recorded, so the
    map costs one entry per run, not one per character.
    """

    __slots__ = ("_gone", "_last", "text")

    def __init__(self, view: str, keep: int) -> None:
        """Squeeze `view`."""
        runs = [match.span() for match in _LONG_RUNS[keep].finditer(view)]
        # Each run's first `keep` characters, and the text between runs.
        ends = [0, *(end for _, end in runs)]
        kept = [view[pos : begin + keep] for pos, (begin, _) in zip(ends, runs, strict=False)]
        self.text = "".join(kept) + view[ends[-1] :] if runs else view
        # Characters dropped up to and including each run (a leading 0: none before the first).
        self._gone = [0, *accumulate(end - begin - keep for begin, end in runs)]
        # Index in `text` of each run's last kept character.
        self._last = [
            begin + keep - 1 - gone for (begin, _), gone in zip(runs, self._gone, strict=False)
        ]

    def span(self, start: int, stop: int) -> tuple[int, int]:
        """Map [start, stop) of `text` to the view (a kept run's end is the run's end)."""
        last, gone = self._last, self._gone
        return start + gone[bisect_left(last, start)], stop + gone[bisect_right(last, stop - 1)]

    def spans(self, hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Map hits (start, stop, entry) in `text` to the view."""
        last, gone = self._last, self._gone
        return [
            (start + gone[bisect_left(last, start)], stop + gone[bisect_right(last, stop - 1)], idx)
            for start, stop, idx in hits
        ]


def skeleton(text: str) -> str:
    """Collapse every run of a repeated character to one (used to compare exceptions)."""
    return _RUN.sub(r"\1", text)
