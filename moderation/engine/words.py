"""Word boundaries of a hit in a lexicon view: whole words, inflections, innocent words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moderation.engine import normalise as norm

if TYPE_CHECKING:
    from moderation.engine.entries import Entry

# Inflections a whole-word term may carry ("fuckers", "bitching"); short terms get fewer
# because "cum" + "in" is cumin and "tit" + "le" is title.
SUFFIXES = frozenset(
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
# A word that runs on past this many letters carries no suffix, whatever follows.
SUFFIX_REACH = max(map(len, SUFFIXES)) + 1
CHARS = norm.WORD_CHARS


class Bounds:
    """Boundary checks over one view; the word around hits is walked and judged once per word.

    Many hits can fall inside one long word ("fuckfuckfuck…"): walking to its ends and
    comparing it with a term's innocent words for each of them would cost the word's length
    per hit, so the last word and the last verdict are kept.
    """

    __slots__ = ("_run", "_verdict", "compared", "view")

    def __init__(self, view: str) -> None:
        """Check hits in `view` (padded with a space at each end)."""
        self.view = view
        self.compared = False  # set when a check compared a whole word with innocent words
        self._run = (0, 0)  # the last run of word characters walked
        self._verdict: tuple[int, int, frozenset[str], bool] = (0, 0, frozenset(), False)

    def _word(self, pos: int) -> tuple[int, int]:
        """The run of word characters around `pos` (which is one)."""
        begin, end = self._run
        if begin <= pos < end:
            return begin, end
        view, begin, end = self.view, pos, pos + 1
        while view[begin - 1] in CHARS:
            begin -= 1
        while view[end] in CHARS:
            end += 1
        self._run = (begin, end)
        return begin, end

    def bounded(self, start: int, stop: int, entry: Entry, variant: bool) -> bool:
        """Apply the entry's word-boundary mode, inflections and innocent-word exceptions."""
        view = self.view
        left_ok = view[start - 1] not in CHARS
        right_ok = view[stop] not in CHARS
        mode = "word" if variant and entry.mode in ("any", "prefix") else entry.mode
        if mode != "any" and not left_ok:
            return False
        if mode in ("word", "exact") and not right_ok:
            if mode == "exact":
                return False
            end, reach = stop, stop + SUFFIX_REACH
            while end < reach and view[end] in CHARS:
                end += 1
            # A three-letter evasion spelling takes no ending: "cak" (from "caaak") is not "cakes".
            short = stop - start <= 3
            suffixes = _NO_SUFFIXES if short and variant else _SHORT_SUFFIXES if short else SUFFIXES
            if view[stop:end] not in suffixes:
                return False
        if entry.exceptions and not (left_ok and right_ok):
            self.compared = True
            begin = start if left_ok else self._word(start - 1)[0]
            end = stop if right_ok else self._word(stop)[1]
            first, last, exceptions, innocent = self._verdict
            if first != begin or last != end or exceptions is not entry.exceptions:
                innocent = norm.skeleton(view[begin:end]) in entry.exceptions
                self._verdict = (begin, end, entry.exceptions, innocent)
            if innocent:
                return False
        return True
