# ruff: noqa: RUF001  -- the look-alike table is made of ambiguous letters on purpose
"""Fold a comment into matchable views (case, homoglyphs, leetspeak, separators, repeats).

Every view keeps a way back to offsets in the original text; the maps are built lazily,
only for comments that actually hit something, so clean ASCII text stays on a C-speed path.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable

# Look-alikes that NFKD does not fold: Cyrillic, Greek and a few Latin/IPA letters.
_CONFUSABLES = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "з": "3",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ь": "b",
    "п": "n",
    "и": "u",
    "л": "n",
    "г": "r",
    "д": "d",
    "α": "a",
    "β": "b",
    "γ": "y",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ς": "c",
    "σ": "o",
    "ɑ": "a",
    "ɡ": "g",
    "ı": "i",
    "ȷ": "j",
    "ʀ": "r",
    "ʏ": "y",
    "ᴄ": "c",
    "ᴏ": "o",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ᴢ": "z",
    "ꜰ": "f",
    "ʜ": "h",
    "ɪ": "i",
    "ᴋ": "k",
    "ʟ": "l",
    "ɴ": "n",
    "ᴘ": "p",
    "ꞯ": "q",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴀ": "a",
    "ʙ": "b",
    "ᴅ": "d",
    "ᴇ": "e",
    "ɢ": "g",
    "ᴊ": "j",
    "ᴍ": "m",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "\u2019": "'",
    "\u2018": "'",
    "€": "e",
    "¢": "c",
    "£": "l",
    "¥": "y",
}
# Invisible characters used to split words: zero-width, joiners, soft hyphen, BOM, etc.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
)
_RANGES = (
    (0x80, 0x3000),
    (0xA700, 0xA800),
    (0xFB00, 0xFFF0),
    (0x1D400, 0x1D800),
    (0x1F100, 0x1F200),
)


def _build_fold_table() -> dict[int, str]:
    """Map each non-ASCII code point to its casefolded, accent-free, look-alike-folded form."""
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            if ch in _INVISIBLE or unicodedata.combining(ch):
                table[cp] = ""
                continue
            low = ch.lower()
            if low in _CONFUSABLES:
                table[cp] = _CONFUSABLES[low]
                continue
            decomposed = unicodedata.normalize("NFKD", ch)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
            folded = "".join(_CONFUSABLES.get(c, c) for c in folded)
            if folded != ch:
                table[cp] = folded
    return table


FOLD_TABLE = _build_fold_table()

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


# HTML character references: a site that renders comments as HTML shows "f&#117;ck" as
# "fuck", and text copied from web pages arrives escaped ("Jap&#243;n").
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _entity(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def fold(text: str) -> str:
    """Decode character references, casefold, strip accents and invisibles, fold look-alikes.

    The result may differ in length from `text`; fold_map maps its offsets back.
    """
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if text.isascii():
        return text.lower()
    return text.translate(FOLD_TABLE)


def _char_class(points: list[int]) -> str:
    """A regex character class of `points` (sorted), written as ranges."""
    parts: list[str] = []
    lo = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp != prev + 1:
            parts.append(re.escape(chr(lo)) + ("-" + re.escape(chr(prev)) if prev > lo else ""))
            lo = cp
        prev = cp
    return "[" + "".join(parts) + "]"


# Characters whose folded form is not exactly one character (invisibles vanish, "ß" -> "ss"):
# only these move offsets, so only these are recorded to map a hit back to the original.
_RESIZED = re.compile(_char_class(sorted(cp for cp, rep in FOLD_TABLE.items() if len(rep) != 1)))


class OffsetMap:
    """Maps offsets of a folded text back to the original through the stretches that resized."""

    __slots__ = ("_out", "_out_len", "_src", "_src_len")

    def __init__(self, edits: list[tuple[int, int, int]]) -> None:
        """`edits`: (source index, source length, folded length) of each resized stretch."""
        self._out: list[int] = []  # folded offset where each stretch's folded form begins
        self._src: list[int] = []
        self._src_len: list[int] = []
        self._out_len: list[int] = []
        shift = 0
        for src, src_len, out_len in edits:
            self._out.append(src + shift)
            self._src.append(src)
            self._src_len.append(src_len)
            self._out_len.append(out_len)
            shift += out_len - src_len

    def _source(self, pos: int, end: bool) -> int:
        # The last stretch that begins at or before pos (a vanished one begins where the
        # next character does, so bisect_right picks the stretch pos belongs to).
        k = bisect_right(self._out, pos) - 1
        if k < 0:
            return pos + end
        out, src = self._out[k], self._src[k]
        if pos < out + self._out_len[k]:
            return src + self._src_len[k] if end else src
        return src + self._src_len[k] + pos - out - self._out_len[k] + end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded [start, end) to the original text."""
        first = self._source(start, False)
        if end <= start:
            return first, first
        return first, self._source(end - 1, True)


def fold_map(text: str) -> OffsetMap | None:
    """Return the offset map of `fold(text)` back to `text` (None: folding kept every offset)."""
    entities = list(_ENTITY.finditer(text)) if "&" in text else []
    if not entities and text.isascii():
        return None
    table = FOLD_TABLE
    edits: list[tuple[int, int, int]] = []
    pos = 0
    for entity in [*entities, None]:
        stop = len(text) if entity is None else entity.start()
        if not text.isascii():
            for m in _RESIZED.finditer(text, pos, stop):
                edits.append((m.start(), 1, len(table[ord(m.group())])))
        if entity is not None:
            folded = _entity(entity).translate(table)
            edits.append((entity.start(), entity.end() - entity.start(), len(folded)))
            pos = entity.end()
    return OffsetMap(edits) if edits else None


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
    raw = (" " + folded + " ").encode("ascii", "replace").translate(LEX_BYTES)
    view = raw.decode("ascii")
    if raw.translate(None, _NOT_LEET):
        view = _unleet(view)
    return view


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
