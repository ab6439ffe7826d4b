"""Fold a comment into matchable views (case, homoglyphs, leetspeak, separators, repeats).

Every view keeps a way back to offsets in the original text; the maps are built lazily,
only for comments that actually hit something, so clean ASCII text stays on a C-speed path.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!*+")
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
    # each token's letters before its first digit or symbol are walked back over here.
    out: list[str] = []
    pos = 0
    for match in _LEET_SEED.finditer(view):
        begin, end = match.span()
        while view[begin - 1] in _TOKEN_CHARS:  # view[0] is a pad space
            begin -= 1
        out.append(view[pos:begin])
        out.append(_leet_token(view[begin:end]))
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


def has_spaced_letters(view: str) -> bool:
    """Return True when the view holds a run of single letters split by separators."""
    return _SPACED.search(view) is not None


def join_spaced(view: str) -> tuple[str, list[int]]:
    """Join spaced-out single letters; return the new view and its index into `view`."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for match in _SPACED.finditer(view):
        out.append(view[pos : match.start()])
        index.extend(range(pos, match.start()))
        for i in range(match.start(), match.end()):
            if view[i] not in " *":
                out.append(view[i])
                index.append(i)
        pos = match.end()
    out.append(view[pos:])
    index.extend(range(pos, len(view)))
    return "".join(out), index


def has_triples(view: str) -> bool:
    """Return True when some character repeats three or more times in a row."""
    return _TRIPLE.search(view) is not None


def squeeze(view: str, keep: int) -> tuple[str, list[int], list[int]]:
    """Cap runs of a repeated character at `keep`; return the view, start and end indexes."""
    out: list[str] = []
    starts: list[int] = []
    fixes: list[tuple[int, int]] = []
    pos = 0
    for match in _LONG_RUNS[keep].finditer(view):
        begin, end = match.span()
        out.append(view[pos : begin + keep])
        starts.extend(range(pos, begin + keep))
        fixes.append((len(starts) - 1, end))  # the last kept char stands for the whole run
        pos = end
    out.append(view[pos:])
    starts.extend(range(pos, len(view)))
    ends = [i + 1 for i in starts]
    for idx, end in fixes:
        ends[idx] = end
    return "".join(out), starts, ends


def skeleton(text: str) -> str:
    """Collapse every run of a repeated character to one (used to compare exceptions)."""
    return _RUN.sub(r"\1", text)
