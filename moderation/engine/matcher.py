"""One Aho-Corasick pass over the lexicon views finds every term, phrase and allowlist entry."""

from __future__ import annotations

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
_KIND_ENTRY, _KIND_SPACED, _KIND_TRIPLE = 0, 1, 2
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


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
    if entry.elongate and " " not in key:
        for i in range(len(key)):
            if key[i] != key[i - 1 : i] and key[i] != key[i + 1 : i + 2]:
                yield key[:i] + key[i] + key[i:]
        yield norm.skeleton(key)


class Matcher:
    """Finds entries in a comment's lexicon views with word-boundary and exception checks."""

    def __init__(self, entries: list[Entry]) -> None:
        """Compile the automaton; `entries` keeps its order (hits refer to it by index)."""
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
        automaton = ahocorasick.Automaton()
        for key, ids in table.items():
            automaton.add_word(key, (_KIND_ENTRY, len(key), tuple(ids)))
        for a in _LETTERS:
            for b in _LETTERS:
                for sep in (" ", "*"):
                    for sep2 in (" ", "*"):
                        automaton.add_word(f" {a}{sep}{b}{sep2}", (_KIND_SPACED, 5, ()))
        for ch in _LETTERS + "*":
            automaton.add_word(ch * 3, (_KIND_TRIPLE, 3, ()))
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, folded: str, wanted: Collection[int] | None = None) -> list[Hit]:
        """Return hits in `folded` coordinates, allowlisted spans removed.

        Args:
            folded: the folded text (see normalise.fold).
            wanted: indexes of entries that apply to this comment (None: all).
        """
        view = norm.lexicon_view(folded)
        raw: list[tuple[int, int, int]] = []
        spaced, triple = self._scan(view, None, None, False, wanted, raw)
        if spaced and norm.has_spaced_letters(view):
            joined, index = norm.join_spaced(view)
            ends = [i + 1 for i in index]
            self._scan(joined, index, ends, False, wanted, raw)
            if not triple:
                triple = norm.has_triples(joined)
            base, base_index = joined, index
        else:
            base, base_index = view, None
        if triple:
            for keep in (2, 1):
                squeezed, starts, ends = norm.squeeze(base, keep)
                if base_index is not None:
                    starts = [base_index[i] for i in starts]
                    ends = [base_index[i - 1] + 1 for i in ends]
                self._scan(squeezed, starts, ends, keep == 1, wanted, raw)
        return self._resolve(raw)

    def _scan(
        self,
        view: str,
        starts: list[int] | None,
        ends: list[int] | None,
        skeletal: bool,
        wanted: Collection[int] | None,
        out: list[tuple[int, int, int]],
    ) -> tuple[bool, bool]:
        spaced = triple = False
        entries = self.entries
        for last, (kind, length, ids) in self._automaton.iter(view):
            if kind == _KIND_SPACED:
                spaced = True
                continue
            if kind == _KIND_TRIPLE:
                triple = True
                continue
            start, stop = last - length + 1, last + 1
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
        return spaced, triple

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
        suffixes = _SHORT_SUFFIXES if stop - start <= 3 else _SUFFIXES
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
