# ruff: noqa: RUF001, RUF003  -- the look-alike table is made of ambiguous letters on purpose
"""Fold text for matching (references, case, accents, invisibles, look-alikes) and map back.

Every folded offset maps back to the original text through OffsetMap, which records only the
few stretches whose length changed, so clean text costs nothing and long text stays linear.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from bisect import bisect_right

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


# Greek and Cyrillic: their look-alikes fold to Latin only inside a word that also holds a
# Latin letter ("fuсk"), so that Greek or Russian text is not read as English ("нас" is "us",
# not "hac").
_SCRIPTS = ((0x370, 0x400), (0x400, 0x530), (0x1F00, 0x2000))
_SCRIPT = re.compile("[\u0370-\u052f\u1f00-\u1fff]")
_LATIN_LETTER = re.compile("[a-z]")


def _fold_char(ch: str, latinise: bool) -> str:
    if ch in _INVISIBLE or unicodedata.combining(ch):
        return ""
    low = ch.lower()
    if latinise and low in _CONFUSABLES:
        return _CONFUSABLES[low]
    decomposed = unicodedata.normalize("NFKD", ch)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if latinise:
        folded = "".join(_CONFUSABLES.get(c, c) for c in folded)
    return folded


def _build_fold_table() -> dict[int, str]:
    """Map each non-ASCII code point to its casefolded, accent-free, look-alike-folded form."""
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            folded = _fold_char(chr(cp), True)
            if folded != chr(cp):
                table[cp] = folded
    return table


FOLD_TABLE = _build_fold_table()
# The same, but Greek and Cyrillic letters keep their script (only case and accents fold).
PLAIN_TABLE = dict(FOLD_TABLE)
for _lo, _hi in _SCRIPTS:
    for _cp in range(_lo, _hi):
        _plain = _fold_char(chr(_cp), False)
        if _plain == chr(_cp):
            PLAIN_TABLE.pop(_cp, None)
        else:
            PLAIN_TABLE[_cp] = _plain

# HTML character references: a site that renders comments as HTML shows "f&#117;ck" as
# "fuck", and text copied from web pages arrives escaped ("Jap&#243;n").
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


# A reference decoded once per process: text packed with one ("f&#117;ck" a thousand times)
# would otherwise pay html.unescape's Python for each.
_unescape = functools.lru_cache(maxsize=4096)(html.unescape)


def _entity(match: re.Match[str]) -> str:
    return _unescape(match.group())


def _decode(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _table(piece: str) -> dict[int, str]:
    """The table for one whitespace-delimited piece (already decoded)."""
    if not _SCRIPT.search(piece):
        return FOLD_TABLE
    mixed = _LATIN_LETTER.search(piece.translate(PLAIN_TABLE)) is not None
    return FOLD_TABLE if mixed else PLAIN_TABLE


def fold(text: str) -> str:
    """Decode character references, casefold, strip accents and invisibles, fold look-alikes.

    The result may differ in length from `text`; fold_map maps its offsets back.
    """
    decoded = _decode(text)
    if decoded.isascii():
        return decoded.lower()
    if not _SCRIPT.search(decoded):
        return decoded.translate(FOLD_TABLE)
    # Only a word that may read as Greek or Russian needs its own table: the text between such
    # words folds in one translate, and packed text repeats a few words, each folded once.
    out: list[str] = []
    done: dict[str, str] = {}
    pos = 0
    for match in _OWN_TABLE.finditer(text):
        piece = match.group()
        folded = done.get(piece)
        if folded is None:
            decoded = _decode(piece)
            folded = done[piece] = decoded.translate(_table(decoded))
        out.append(text[pos : match.start()].translate(FOLD_TABLE))
        out.append(folded)
        pos = match.end()
    out.append(text[pos:].translate(FOLD_TABLE))
    return "".join(out)


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


# Words (runs of non-space) that _table may fold with PLAIN_TABLE: those with a reference, and
# those with no character that reads as a Latin letter; any other word holds one, so _table
# would choose FOLD_TABLE. The class leaves out such letters past the BMP (a word with one is
# still folded by _table itself): with them it is a list of ranges tried one by one, without
# them a bitmap. Possessive runs and the look-behind try each word once, from its start.
_LATINISH = _char_class(
    sorted(
        {*range(ord("a"), ord("z") + 1), *range(ord("A"), ord("Z") + 1)}
        | {cp for cp, rep in PLAIN_TABLE.items() if cp < 0x10000 and _LATIN_LETTER.search(rep)}
    )
)
_OWN_TABLE = re.compile(rf"(?<!\S)(?:[^\s&]*+&\S*+|[^\s&{_LATINISH[1:-1]}]++(?!\S))")
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
    """Return the offset map of `fold(text)` back to `text` (None: folding kept every offset).

    PLAIN_TABLE resizes exactly the characters FOLD_TABLE resizes, to the same lengths
    (tests/unit/engine/test_normalise.py checks it), so which table fold() chose for a word
    moves no offset, and one pass over the resized characters and references maps any text.
    """
    entities = list(_ENTITY.finditer(text)) if "&" in text else []
    ascii_only = text.isascii()
    if not entities and ascii_only:
        return None
    table = FOLD_TABLE
    edits: list[tuple[int, int, int]] = []
    pos = 0
    for entity in [*entities, None]:
        stop = len(text) if entity is None else entity.start()
        if not ascii_only:
            for m in _RESIZED.finditer(text, pos, stop):
                edits.append((m.start(), 1, len(table[ord(m.group())])))
        if entity is not None:
            folded = _entity(entity).translate(table)
            edits.append((entity.start(), entity.end() - entity.start(), len(folded)))
            pos = entity.end()
    return OffsetMap(edits) if edits else None
