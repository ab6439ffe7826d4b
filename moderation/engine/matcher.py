"""One Aho-Corasick pass over the lexicon views finds every term, phrase and allowlist entry."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from moderation.engine import normalise as norm
from moderation.engine.entries import TIER_SEVERITY, masked, starred_runs, variants
from moderation.engine.entries import Entry as Entry
from moderation.engine.entries import key_of as key_of
from moderation.engine.words import SUFFIX_REACH, Bounds

# Flags on automaton keys besides the entries they stand for.
_TRIPLE, _RUN, _TRIGGER = 2, 4, 8
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A run of three of any view character: the spam rule's repeated-character check only needs to
# run when the single scan saw one (ASCII text; see rules.spam).
RUN_SIGNAL = "\x00run"
DIGIT_SIGNAL = "\x00digit"  # the folded text holds an ASCII digit
AT_SIGNAL = "\x00at"  # the folded text holds "@"
TRIPLED = "\x00triple"  # a letter three times in a row: the scan's own, never returned
SPACED_SIGNAL = "\x00spaced"  # letters spaced out ("k i l l"): pattern rules read them joined
_NOT_DIGIT = bytes(c for c in range(256) if not 0x30 <= c <= 0x39)
# Runs of a letter repeated three times or more ("fuuuck"): rescanned squeezed. The automaton
# says whether a comment holds any (its keys cost nothing until one fires), and only then is
# this searched for them, once: as marks, the keys of a long run fired at every character.
_TRIPLES = re.compile(r"([a-z*])\1\1+")
_NO_SIGNALS: frozenset[str] = frozenset()


# An entry found at [start, end) of the folded text: (start, end, entry index). A plain
# tuple: packed text yields thousands, and tuples sort and compare at C speed.
Hit = tuple[int, int, int]
Span = tuple[int, int]
# An automaton key's payload: its length, its entries (~idx for evasion spellings), its flags.
_Payload = tuple[int, tuple[int, ...], int]
_SPAN = itemgetter(0, 1)
# The scan's budget, in matches examined (automaton outputs over every pass). Measured: real
# comments average 0.01-0.06 per character (Civil Comments, Wikipedia talk, Davidson tweets)
# and reach 1.0 on a short "weeeee…"; the packed and disguised shapes of bench/engine.py stay
# at or under 1.0. Four per character (plus a floor for short texts) is then never reached by
# real text, and a text past it is built to stall a worker: the scan stops, the engine holds it.
WORK_PER_CHAR = 4
WORK_BASE = 256


def trigger_key(word: str) -> str:
    """The key a trigger word is reported by in Scan.signals: its lexicon-view form, with a
    space at each end when it is written so (" ratz "): then only a whole word is found."""
    key = key_of(word)
    return f" {key} " if key and word[:1] == " " and word[-1:] == " " else key


class Scan(NamedTuple):
    """What one scan found, and the work it took."""

    hits: list[Hit]  # allowlisted spans removed, sorted by (start, end)
    signals: frozenset[str]
    matches: int  # automaton outputs examined, over every pass
    exhausted: bool  # past the budget: hits holds only what was found before it
    view: str  # the lexicon view scanned (the toxicity model reads its words too)
    allowed: list[Hit]  # allowlisted phrases found ("brood bitch"): innocent words in their place


class Matcher:
    """Finds entries in a comment's lexicon views with word-boundary and exception checks."""

    def __init__(
        self,
        entries: list[Entry],
        triggers: Collection[str] = (),
        rank: Sequence[int] | None = None,
    ) -> None:
        """Compile the automaton; `entries` keeps its order (hits refer to it by index).

        Args:
            entries: terms to find; hits refer to them by index.
            triggers: words whose presence the scan reports (rules run only when they occur).
            rank: per entry, which of several found on one span is reported: only the first
                of the highest rank, and every entry ranked below 0 (None: every entry).
        """
        self.entries = entries
        self._rank = rank
        # An entry id is stored negated (~idx) for evasion spellings of it ("f*ck", "fuuck"):
        # those must stand as whole words, whatever the entry's mode.
        table: dict[str, list[int]] = {}
        starred: dict[str, set[int]] = {}  # two stars side by side: kept if one tier reads them
        hidden: dict[str, set[int]] = {}  # all but the first letter starred: the mildest reading
        for idx, entry in enumerate(entries):
            key = key_of(entry.term)
            if key:
                for variant in variants(entry, key):
                    ids = table.setdefault(variant, [])
                    tag = idx if variant == key else ~idx
                    if idx not in ids and ~idx not in ids:
                        ids.append(tag)
                for variant in starred_runs(entry, key):
                    starred.setdefault(variant, set()).add(idx)
                spelling = masked(entry, key)
                if spelling is not None:
                    hidden.setdefault(spelling, set()).add(idx)
        for variant, by in starred.items():
            if variant not in table and len({entries[i].tier for i in by}) == 1:
                table[variant] = [~i for i in sorted(by)]
        for variant, by in hidden.items():
            if variant not in table:
                least = min(TIER_SEVERITY[entries[i].tier] for i in by)
                table[variant] = [~i for i in sorted(by) if TIER_SEVERITY[entries[i].tier] == least]
        flags: dict[str, int] = {}
        for ch in _LETTERS + "*":
            flags[ch * 3] = _TRIPLE | _RUN
        # Three spaces (a run of punctuation, or any text the view blanks out, such as
        # Cyrillic) are looked for with one `in` instead: as a key they fired at every
        # character of such text.
        for ch in "0123456789@$!+":
            flags[ch * 3] = _RUN
        for word in triggers:
            key = trigger_key(word)
            if key:
                flags[key] = flags.get(key, 0) | _TRIGGER
        self.longest = max((len(k) for k in table), default=1)
        automaton = ahocorasick.Automaton()
        # Most keys share a payload (the run signals): one object each, not
        # tens of thousands of equal tuples, keeps a worker's memory down.
        payloads: dict[_Payload, _Payload] = {}
        for key in table.keys() | flags.keys():
            payload = (len(key), tuple(table.get(key, ())), flags.get(key, 0))
            automaton.add_word(key, payloads.setdefault(payload, payload))
        automaton.make_automaton()
        self._automaton = automaton
        # The payload of a letter three times in a row that is nothing else ("aaa"): the scan
        # tells it by identity, the cheapest test, as a long run yields it at every character.
        self._repeat = payloads.get((3, (), _TRIPLE | _RUN))
        self._allow = [entry.owner == "allow" for entry in entries]

    def scan(self, folded: str, wanted: Collection[int] | None = None) -> Scan:
        """Return hits in `folded` coordinates (allowlisted spans removed) and the signals seen.

        Signals are the trigger words found and RUN_SIGNAL. Spaced-out letters and repeated
        letters are rescanned only in windows around them, so the cost stays linear in the
        length of the comment however many evasions it holds; the matches examined are
        counted, and past WORK_PER_CHAR per character the scan stops (Scan.exhausted).

        Args:
            folded: the folded text (see normalise.fold).
            wanted: indexes of entries that apply to this comment (None: all).
        """
        view, symbols = norm.view_and_symbols(folded)
        raw: list[Hit] = []
        allowed: list[Hit] = []
        marks: list[tuple[int, int]] = []
        signals: set[str] = set()
        if "   " in view:
            signals.add(RUN_SIGNAL)
        if symbols:
            if symbols.translate(None, _NOT_DIGIT):
                signals.add(DIGIT_SIGNAL)
            if b"@" in symbols:
                signals.add(AT_SIGNAL)
        budget = WORK_PER_CHAR * len(folded) + WORK_BASE
        used = self._scan(view, -1, False, wanted, raw, allowed, signals, budget)
        # Runs of spaced-out letters ("f u c k") are found by one regex at C speed: as
        # automaton keys, a letter alone fired once per letter of such a run.
        runs = [run.span(1) for run in norm.SPACED.finditer(view)]
        marks += runs
        if runs:
            signals.add(SPACED_SIGNAL)
        if TRIPLED in signals:
            signals.discard(TRIPLED)
            marks += [run.span() for run in _TRIPLES.finditer(view)]
        if marks and used <= budget:
            at = 0  # runs and windows are both in order: each run lies in one window
            for a, b in self._windows(view, marks):
                mine = []
                while at < len(runs) and runs[at][0] < b:
                    mine.append((runs[at][0] - a, runs[at][1] - a))
                    at += 1
                used += self._rescan(
                    view[a:b], a, mine, wanted, raw, allowed, signals, budget - used
                )
                if used > budget:
                    break
        hits = _resolve(raw, allowed) if raw else raw
        signals_seen = frozenset(signals) if signals else _NO_SIGNALS
        return Scan(hits, signals_seen, used, used > budget, view, allowed)

    def _windows(self, view: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Merge the marks' neighbourhoods into windows that begin and end with a space."""
        # Twice the longest key: squeezing "oo" to "o" can halve the text a hit spans.
        pad = 2 * self.longest + 4
        last = len(view) - 1  # the view ends with a pad space
        windows: list[tuple[int, int]] = []
        # Marks whose neighbourhoods overlap or touch make one window whatever lies between:
        # they are merged first, and spaces looked for only at the ends of what they cover.
        spans: list[list[int]] = []
        for s, e in sorted(marks):
            if spans and s - pad + 1 <= spans[-1][1] + 1:
                if e + pad - 1 > spans[-1][1]:
                    spans[-1][1] = e + pad - 1
            else:
                spans.append([s - pad + 1, e + pad - 1])
        # Each search for a space starts where the previous window ended, so a long word
        # full of marks is walked once, not once per mark.
        for lo, hi in spans:
            lo, hi = max(1, lo), min(last, hi)
            if windows:
                a, b = windows[-1]
                if lo <= b or view.rfind(" ", b - 1, lo) < b:
                    if hi >= b:
                        windows[-1] = (a, view.find(" ", hi) + 1)
                    continue
            windows.append((view.rfind(" ", 0, lo), view.find(" ", hi) + 1))
        return windows

    def _rescan(
        self,
        part: str,
        offset: int,
        runs: list[tuple[int, int]],
        wanted: Collection[int] | None,
        raw: list[Hit],
        allowed: list[Hit],
        signals: set[str],
        budget: int,
    ) -> int:
        """Scan a window, its spaced-letter runs joined and repeats squeezed; return the work.

        Trigger words the joined letters spell ("k i l l") are added to `signals`.
        """
        joined = norm.Joined(part, runs)
        base = joined.text
        spaced = base is not part
        hits: list[Hit] = []
        allows: list[Hit] = []
        used = 0
        if spaced:
            spelt: set[str] = set()
            used = self._scan(base, 0, False, wanted, hits, allows, spelt, budget)
            signals.update(word for word in spelt if word[0] != "\x00")
        if used <= budget and norm.has_triples(base):
            for keep in (2, 1):
                squeezed = norm.Squeezed(base, keep)
                more: list[Hit] = []
                more_allows: list[Hit] = []
                used += self._scan(
                    squeezed.text,
                    0,
                    keep == 1,
                    wanted,
                    more,
                    more_allows,
                    None,
                    budget - used,
                )
                # Mapped back a scan at a time, in bulk: a packed window holds thousands.
                hits += squeezed.spans(more)
                allows += squeezed.spans(more_allows)
                if used > budget:
                    break
        if spaced:
            hits, allows = joined.spans(hits), joined.spans(allows)
        shift = offset - 1  # the window's offset in the view, less the view's pad space
        raw += [(s + shift, e + shift, idx) for s, e, idx in hits]
        allowed += [(s + shift, e + shift, idx) for s, e, idx in allows]
        return used

    def _scan(
        self,
        view: str,
        shift: int,
        skeletal: bool,
        wanted: Collection[int] | None,
        out: list[Hit],
        allowed: list[Hit],
        signals: set[str] | None,
        budget: int,
    ) -> int:
        """Append the hits in `view`, `shift` added to their offsets; return the matches examined.

        Past `budget` matches the scan stops.
        """
        bounds: Bounds | None = None
        # The entries a key stands for in one context, worked out once per scan: packed text
        # repeats a few keys in a few contexts thousands of times. The key and its context
        # (the character before it, and as many after as a suffix could take) decide it,
        # unless a whole word was compared with a term's innocent words: that is not kept.
        verdicts: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        known = verdicts.get
        reach, size, one = SUFFIX_REACH + 1, len(view), 1 + shift
        # Spaces past the end (views end with one, so no word runs on into them) make every
        # key's context whole: one cut short could read the same for a shorter key.
        padded = view + " " * reach
        n = tripled = 0
        repeat = self._repeat
        for n, (last, payload) in enumerate(self._automaton.iter(padded, 0, size), 1):
            if n > budget:
                break
            if payload is repeat:  # one per character of a long run: only noted
                tripled = n
                continue
            length, ids, flags = payload
            if flags and signals is not None:
                if flags & _RUN:
                    signals.add(RUN_SIGNAL)
                    if flags & _TRIPLE:
                        signals.add(TRIPLED)
                if flags & _TRIGGER:
                    signals.add(view[last - length + 1 : last + 1])
            if not ids:
                continue
            # This loop runs once per match: thousands of times on packed text, so it does
            # as little as it can.
            context = padded[last - length : last + reach]
            found = known(context)
            if found is None:
                if bounds is None:
                    bounds = Bounds(padded)
                bounds.compared = False
                found = self._admit(bounds, last - length + 1, last + 1, ids, skeletal, wanted)
                if not bounds.compared:
                    verdicts[context] = found
            for idx in found[0]:
                out.append((last - length + one, last + one, idx))
            for idx in found[1]:
                allowed.append((last - length + one, last + one, idx))
        if signals is not None and tripled:
            signals.update((RUN_SIGNAL, TRIPLED))
        return n

    def _admit(
        self,
        bounds: Bounds,
        start: int,
        stop: int,
        ids: tuple[int, ...],
        skeletal: bool,
        wanted: Collection[int] | None,
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The entries among `ids` that stand at [start, stop) of the bounds' view: hits, allows."""
        view, chars = bounds.view, norm.WORD_CHARS
        # A hit that stands as a whole word passes every boundary mode.
        whole = view[start - 1] not in chars and view[stop] not in chars
        found: list[int] = []
        for tag in ids:
            idx = tag if tag >= 0 else ~tag
            if wanted is not None and idx not in wanted:
                continue
            entry = self.entries[idx]
            if skeletal and not entry.elongate:
                continue
            if whole or bounds.bounded(start, stop, entry, tag < 0):
                found.append(idx)
        allow, rank = self._allow, self._rank
        hits = [i for i in found if not allow[i]]
        if rank is not None and len(hits) > 1:
            # "f*ck" stands for a dozen entries: the engine keeps the most severe of one span
            # (tally.most_specific), so the rest are never reported, and packed text would
            # carry each of them along thousands of times.
            top = max(rank[i] for i in hits)
            first = next(i for i in hits if rank[i] == top)
            hits = [i for i in hits if rank[i] < 0 or i == first]
        return tuple(hits), tuple(i for i in found if allow[i])


def _resolve(raw: list[Hit], allowed: list[Hit]) -> list[Hit]:
    """Hits once each, by position (first found first), minus those inside allowed spans."""
    hits = sorted(dict.fromkeys(raw), key=_SPAN)
    if not allowed:
        return hits
    allowed.sort()
    kept: list[Hit] = []
    k, reach = 0, -1
    # Sweep: an allowed span that starts at or before a hit covers it if it reaches its end.
    for hit in hits:
        while k < len(allowed) and allowed[k][0] <= hit[0]:
            reach = max(reach, allowed[k][1])
            k += 1
        if hit[1] > reach:
            kept.append(hit)
    return kept
