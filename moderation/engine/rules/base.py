"""What every rule shares: the comment it reads, the compiled rule, reasons and RE2 options."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import re2

from moderation.engine import normalise as norm
from moderation.engine.decision import Action, Context, Reason
from moderation.engine.matcher import RUN_SIGNAL, SPACED_SIGNAL
from moderation.engine.tally import Tally

# A word with a letter written three times or more ("liaaaar", "kiiiill").
_STRETCHED = re.compile(r"(?<![a-z])[a-z]*([a-z])\1\1[a-z]*")
_RUNS = re.compile(r"([a-z])\1\1+")
# A question that asserts what it asks ("isn't it obvious that X are less intelligent?", "can
# we all agree that X are the problem?") is read as said, its "?" as "." (one character for
# one, so spans hold): patterns that ask for a statement's end would pass it. Not "is it true
# that…?" or "do you think…?": asked in earnest.
_ASSERTING = re.compile(
    r"\b(?:(?:isn't|isnt)\s+it|is\s+it\s+not)\s+(?:obvious|clear|true|plain|a\s+fact)\b[^.!?]*\?"
    r"|\b(?:don't|dont|wouldn't|do\s+you\s+not)\s+(?:you\s+)?(?:think|agree|admit)\b[^.!?]*\?"
    r"|\bcan(?:'t|not)?\s+we\s+(?:all\s+)?(?:agree|admit)\b[^.!?]*\?"
)


def _as_said(m: re.Match[str]) -> str:
    return m.group()[:-1] + "."


@dataclass(slots=True)
class Comment:
    """One comment as the rules see it; offsets are mapped back lazily."""

    text: str
    folded: str
    context: Context
    # Trigger words the engine's single scan found in the lexicon view (see Rule.triggers);
    # None when a rule is run on its own, and then it looks for its triggers itself.
    signals: frozenset[str] | None = None
    # Phrases of the lexicon's allowlist found in `folded` ("brood bitch"), as (start, end,
    # entry): the words in them are innocent there, so a model reason they drive is dropped.
    allowed: Sequence[tuple[int, int, int]] = ()
    _map: norm.OffsetMap | None = field(default=None)
    _mapped: bool = False
    _read: str | None = None
    _said: str | None = None
    _joined: tuple[str, list[tuple[int, int]]] | None = None
    _stretched: dict[str, str] | None = None

    def leet_read(self) -> str:
        """`folded` with leetspeak read as letters (norm.read_leet), once per comment."""
        if self._read is None:
            read = norm.read_leet(self.folded)
            # Numbers are left as they are ("2017"): then the reading is the text itself.
            self._read = self.folded if read == self.folded else read
        return self._read

    def said_read(self) -> str:
        """`folded` with a question that asserts what it asks read as said (its "?" as "."),
        once per comment; `folded` itself when it holds none."""
        if self._said is None:
            said = _ASSERTING.sub(_as_said, self.folded) if "?" in self.folded else self.folded
            self._said = self.folded if said == self.folded else said
        return self._said

    def joined_read(self) -> tuple[str, list[tuple[int, int]]]:
        """`folded` with spaced-out letters joined, 1:1 (norm.join_spaced), once per comment;
        `folded` itself when the scan saw none."""
        if self._joined is None:
            if self.signals is not None and SPACED_SIGNAL not in self.signals:
                self._joined = (self.folded, [])
            else:
                self._joined = norm.join_spaced(self.folded)
        return self._joined

    def stretched(self) -> dict[str, str]:
        """Each word of `folded` with a letter drawn out, and the word with the run cut to one
        letter ("liaaaar": "liar", "kiiiill": "kill"), once per comment; none when the scan saw
        no run."""
        if self._stretched is None:
            self._stretched = {}
            # The scan's signal is any character three times ("..." too): the letters are
            # looked for first, the words only around them.
            ran = self.signals is None or RUN_SIGNAL in self.signals
            if ran and _RUNS.search(self.folded):
                found = {m.group() for m in _STRETCHED.finditer(self.folded)}
                self._stretched = {word: _RUNS.sub(r"\1", word) for word in found}
        return self._stretched

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `folded` to the original text."""
        if not self._mapped:
            self._map = norm.fold_map(self.text)
            self._mapped = True
        if self._map is None:
            return start, end
        return self._map.span(start, end)


Check = Callable[[Comment], list[Reason]]
# A rule family's compiler: (rule id, action, severity, params) -> (check, matcher terms).
Maker = Callable[[str, Action, int, dict[str, Any]], tuple[Check, list[str]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule: its id, type, default action and severity, and its check."""

    id: str
    type: str
    action: Action
    severity: int
    check: Check
    terms: tuple[str, ...] = ()  # phrases found by the shared matcher (terms and spam rules)
    triggers: tuple[str, ...] = ()  # words the shared scan reports in Comment.signals

    @property
    def matcher_only(self) -> bool:
        """True when the shared matcher does all the work (banned and suspect terms)."""
        return self.check is no_check


def reason(
    rule_id: str,
    code: str,
    category: str,
    severity: int,
    action: Action,
    comment: Comment | None = None,
    span: tuple[int, int] | None = None,
) -> Reason:
    """Build a Reason, with the term and offsets of `span` (folded) in the original text."""
    if comment is None or span is None:
        return Reason(rule_id, code, category, severity, action)
    start, end = comment.span(*span)
    return Reason(rule_id, code, category, severity, action, comment.text[start:end], start, end)


def reasons_at(
    rule_id: str,
    code: str,
    category: str,
    severity: int,
    action: Action,
    comment: Comment,
    spans: Iterable[tuple[int, int]],
) -> list[Reason]:
    """One reason for every match of one code at `spans` (folded): its count and first spans."""
    tally = Tally()
    for span in spans:
        tally.add(None if tally.full else comment.span(*span))
    if not tally.count:
        return []
    return [tally.reason(comment.text, rule_id, code, category, severity, action)]


def trigger(words: list[str]) -> ahocorasick.Automaton:
    """Compile words into an automaton that tells whether any occurs in a folded text."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(norm.fold(word), True)
    automaton.make_automaton()
    return automaton


def no_check(_: Comment) -> list[Reason]:
    """The check of a rule whose terms the shared matcher finds."""
    return []


def re2_options() -> re2.Options:
    """RE2 options with a memory cap: a hostile pattern fails to compile instead."""
    options = re2.Options()
    options.max_mem = 8 << 20
    return options
