"""One Aho-Corasick pass over the lexicon views finds every term, phrase and allowlist entry."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import ahocorasick

from moderation.engine import normalise as norm

# Inflections a whole-word term may carry ("fuckers", "bitching"); short terms get fewer
# because "cum" + "in" is cumin and "tit" + "le" is title.
_SUFFIXES = frozenset(
    {
        "s",
        "es",
        "ed",
        "d",
        "er",
        "ers",
        "ing",
        "ings",
        "in",
        "y",
        "ies",
        "ie",
        "z",
        "ez",
        "a",
        "as",
        "az",
        "ass",
        "ty",
        "tard",
        "head",
        "hole",
        "face",
    }
)
_SHORT_SUFFIXES = frozenset({"s", "es", "z"})
_NO_SUFFIXES: frozenset[str] = frozenset()
# Flags on automaton keys besides the entries they stand for.
_SPACED, _TRIPLE, _RUN, _TRIGGER = 1, 2, 4, 8
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_VOWELS = frozenset("aeiou")
# A run of three of any view character: the spam rule's repeated-character check only needs to
# run when the single scan saw one (ASCII text; see rules.spam).
RUN_SIGNAL = "\x00run"
DIGIT_SIGNAL = "\x00digit"  # the folded text holds an ASCII digit
AT_SIGNAL = "\x00at"  # the folded text holds "@"
_NOT_DIGIT = bytes(c for c in range(256) if not 0x30 <= c <= 0x39)
_NO_SIGNALS: frozenset[str] = frozenset()


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


@dataclass(frozen=True, slots=True)
class Hit:
    """An entry found at [start, end) of the folded text."""

    entry: int
    start: int
    end: int


def key_of(term: str) -> str:
    """Return the lexicon-view form of a configured term."""
    return " ".join(norm.lexicon_view(norm.fold(term)).split())


def _variants(entry: Entry, key: str) -> Iterator[str]:
    yield key
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
    if entry.elongate and " " not in key:
        for i in range(len(key)):
            if key[i] != key[i - 1 : i] and key[i] != key[i + 1 : i + 2]:
                yield key[:i] + key[i] + key[i:]
        yield norm.skeleton(key)


class Matcher:
    """Finds entries in a comment's lexicon views with word-boundary and exception checks."""

    def __init__(self, entries: list[Entry], triggers: Collection[str] = ()) -> None:
        """Compile the automaton; `entries` keeps its order (hits refer to it by index).

        Args:
            entries: terms to find; hits refer to them by index.
            triggers: words whose presence the scan reports (rules run only when they occur).
        """
        self.entries = entries
        # An entry id is stored negated (~idx) for evasion spellings of it ("f*ck", "fuuck"):
        # those must stand as whole words, whatever the entry's mode.
        table: dict[str, list[int]] = {}
        for idx, entry in enumerate(entries):
            key = key_of(entry.term)
            if key:
                for variant in _variants(entry, key):
                    ids = table.setdefault(variant, [])
                    tag = idx if variant == key else ~idx
                    if idx not in ids and ~idx not in ids:
                        ids.append(tag)
        flags: dict[str, int] = {}
        # Two single letters apart by one to three spaces or stars ("f  u  c  k"), as
        # normalise.has_spaced_letters reads them.
        gaps = ["".join(p) for n in (1, 2, 3) for p in itertools.product(" *", repeat=n)]
        for a in _LETTERS:
            for b in _LETTERS:
                for sep in gaps:
                    for sep2 in (" ", "*"):
                        flags[f" {a}{sep}{b}{sep2}"] = _SPACED
        for ch in _LETTERS + "*":
            flags[ch * 3] = _TRIPLE | _RUN
        for ch in "0123456789 @$!+":
            flags[ch * 3] = _RUN
        for word in triggers:
            key = key_of(word)
            if key:
                flags[key] = flags.get(key, 0) | _TRIGGER
        self.longest = max((len(k) for k in table), default=1)
        automaton = ahocorasick.Automaton()
        # Most keys share a payload (the spaced-letter and run signals): one object each, not
        # tens of thousands of equal tuples, keeps a worker's memory down.
        payloads: dict[tuple[int, tuple[int, ...], int], tuple[int, tuple[int, ...], int]] = {}
        for key in table.keys() | flags.keys():
            payload = (len(key), tuple(table.get(key, ())), flags.get(key, 0))
            automaton.add_word(key, payloads.setdefault(payload, payload))
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, folded: str, wanted: Collection[int] | None = None) -> list[Hit]:
        """Return hits in `folded` coordinates, allowlisted spans removed."""
        return self.scan(folded, wanted)[0]

    def scan(
        self, folded: str, wanted: Collection[int] | None = None
    ) -> tuple[list[Hit], frozenset[str]]:
        """Return hits in `folded` coordinates (allowlisted spans removed) and the signals seen.

        Signals are the trigger words found and RUN_SIGNAL. Spaced-out letters and repeated
        letters are rescanned only in windows around them, so the cost stays linear in the
        length of the comment however many evasions it holds.

        Args:
            folded: the folded text (see normalise.fold).
            wanted: indexes of entries that apply to this comment (None: all).
        """
        view, symbols = norm.view_and_symbols(folded)
        raw: list[tuple[int, int, int]] = []
        marks: list[tuple[int, int]] = []
        signals: set[str] = set()
        if symbols:
            if symbols.translate(None, _NOT_DIGIT):
                signals.add(DIGIT_SIGNAL)
            if b"@" in symbols:
                signals.add(AT_SIGNAL)
        self._scan(view, None, None, False, wanted, raw, marks, signals)
        if marks:
            for a, b in self._windows(view, marks):
                self._rescan(view[a:b], a, wanted, raw)
        return self._resolve(raw), frozenset(signals) if signals else _NO_SIGNALS

    def _windows(self, view: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Merge the marks' neighbourhoods into windows that begin and end with a space."""
        # Twice the longest key: squeezing "oo" to "o" can halve the text a hit spans.
        pad = 2 * self.longest + 4
        windows: list[tuple[int, int]] = []
        for s, e in sorted(marks):
            a = view.rfind(" ", 0, max(1, s - pad + 1))
            b = view.find(" ", min(len(view) - 1, e + pad - 1)) + 1
            if windows and a < windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], b))
            else:
                windows.append((a, b))
        return windows

    def _rescan(
        self,
        part: str,
        offset: int,
        wanted: Collection[int] | None,
        raw: list[tuple[int, int, int]],
    ) -> None:
        """Scan one window of the view with spaced letters joined and repeats squeezed."""
        base, index = part, list(range(offset, offset + len(part)))
        if norm.has_spaced_letters(part):
            base, joined = norm.join_spaced(part)
            index = [offset + i for i in joined]
            self._scan(base, index, [i + 1 for i in index], False, wanted, raw, None, None)
        if norm.has_triples(base):
            for keep in (2, 1):
                squeezed, starts, ends = norm.squeeze(base, keep)
                self._scan(
                    squeezed,
                    [index[i] for i in starts],
                    [index[i - 1] + 1 for i in ends],
                    keep == 1,
                    wanted,
                    raw,
                    None,
                    None,
                )

    def _scan(
        self,
        view: str,
        starts: list[int] | None,
        ends: list[int] | None,
        skeletal: bool,
        wanted: Collection[int] | None,
        out: list[tuple[int, int, int]],
        marks: list[tuple[int, int]] | None,
        signals: set[str] | None,
    ) -> None:
        entries = self.entries
        for last, (length, ids, flags) in self._automaton.iter(view):
            start, stop = last - length + 1, last + 1
            if flags and marks is not None and signals is not None:
                if flags & (_SPACED | _TRIPLE):
                    marks.append((start, stop))
                if flags & _RUN:
                    signals.add(RUN_SIGNAL)
                if flags & _TRIGGER:
                    signals.add(view[start:stop])
            for tag in ids:
                idx = tag if tag >= 0 else ~tag
                if wanted is not None and idx not in wanted:
                    continue
                entry = entries[idx]
                if skeletal and not entry.elongate:
                    continue
                if not _bounded(view, start, stop, entry, tag < 0):
                    continue
                s0 = start if starts is None else starts[start]
                e0 = stop if ends is None else ends[stop - 1]
                out.append((idx, s0 - 1, e0 - 1))  # views carry one leading pad space

    def _resolve(self, raw: list[tuple[int, int, int]]) -> list[Hit]:
        if not raw:
            return []
        allowed = [(s, e) for idx, s, e in raw if self.entries[idx].owner == "allow"]
        seen: set[tuple[int, int, int]] = set()
        hits: list[Hit] = []
        for idx, start, end in sorted(raw, key=lambda r: (r[1], r[2])):
            if self.entries[idx].owner == "allow" or (idx, start, end) in seen:
                continue
            if any(s <= start and end <= e for s, e in allowed):
                continue
            seen.add((idx, start, end))
            hits.append(Hit(idx, start, end))
        return hits


def _bounded(view: str, start: int, stop: int, entry: Entry, variant: bool) -> bool:
    """Apply the entry's word-boundary mode, inflections and innocent-word exceptions."""
    chars = norm.WORD_CHARS
    left_ok = view[start - 1] not in chars
    right_ok = view[stop] not in chars
    mode = "word" if variant and entry.mode in ("any", "prefix") else entry.mode
    if mode != "any" and not left_ok:
        return False
    if mode in ("word", "exact") and not right_ok:
        if mode == "exact":
            return False
        end = stop
        while view[end] in chars:
            end += 1
        # A three-letter evasion spelling takes no ending: "cak" (from "caaak") is not "cakes".
        short = stop - start <= 3
        suffixes = _NO_SUFFIXES if short and variant else _SHORT_SUFFIXES if short else _SUFFIXES
        if view[stop:end] not in suffixes:
            return False
    if entry.exceptions and not (left_ok and right_ok):
        begin, end = start, stop
        while view[begin - 1] in chars:
            begin -= 1
        while view[end] in chars:
            end += 1
        if norm.skeleton(view[begin:end]) in entry.exceptions:
            return False
    return True
