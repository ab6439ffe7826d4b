"""Hits folded into reasons: the most specific lexicon hits, one tally per term, masking."""

from __future__ import annotations

import re

from moderation.engine.decision import SPAN_LIMIT, Action, Reason
from moderation.engine.matcher import Hit

Span = tuple[int, int]
_NOT_SPACE = re.compile(r"\S")


def most_specific(hits: list[Hit], severity: list[int]) -> tuple[list[Hit], list[Hit]]:
    """Split hits (by position) into the lexicon hits no other hides, and rule-term hits.

    Of overlapping lexicon hits the most specific wins: a hit is hidden by a longer one that
    contains it ("pissed", mild, hides "piss"), and of hits on one span the most severe (the
    first found among equals) stands. `severity` is per entry, negative for a rule's term.
    """
    kept: list[Hit] = []
    terms: list[Hit] = []
    best: Hit | None = None
    reach = -1  # the furthest end of a lexicon hit that starts before `best`
    # Sweep-line: with hits by (start, end), a containing hit either starts earlier and
    # reaches as far, or starts with `best` and ends later (so it comes later and replaces it).
    for hit in hits:
        rank = severity[hit[2]]
        if rank < 0:
            terms.append(hit)
        elif best is None:
            best = hit
        elif hit[0] != best[0]:
            if best[1] > reach:
                kept.append(best)
                reach = best[1]
            best = hit
        elif hit[1] > best[1] or rank > severity[best[2]]:
            best = hit
    if best is not None and best[1] > reach:
        kept.append(best)
    return kept, terms


class Tally:
    """The occurrences of one term or rule: how many, and where the first ones are."""

    __slots__ = ("count", "key", "spans")

    def __init__(self) -> None:
        """Start with none."""
        self.count = 0
        self.spans: list[Span] = []
        self.key: tuple[int, ...] = ()  # where its reason goes among others (see Engine)

    @property
    def full(self) -> bool:
        """Are SPAN_LIMIT occurrences located already?"""
        return len(self.spans) >= SPAN_LIMIT

    def add(self, span: Span | None) -> None:
        """Count one occurrence, and keep its span while fewer than SPAN_LIMIT are kept."""
        self.count += 1
        if span is not None and len(self.spans) < SPAN_LIMIT:
            self.spans.append(span)

    def reason(
        self, text: str, rule_id: str, code: str, category: str, severity: int, action: Action
    ) -> Reason:
        """The one reason for all these occurrences in `text`."""
        start, end = self.spans[0]
        return Reason(
            rule_id,
            code,
            category,
            severity,
            action,
            text[start:end],
            start,
            end,
            self.count,
            tuple(self.spans),
        )


def censor(text: str, masks: list[Span]) -> str:
    """Mask every word a hit touches, each character once however many hits it holds."""
    out: list[str] = []
    done = 0  # the text before this is copied or masked, and no word runs on across it
    for start, end in sorted(masks):
        start = max(start, done)
        while start > done and text[start - 1].isalnum():
            start -= 1
        end = max(end, start)
        while end < len(text) and text[end].isalnum():
            end += 1
        out.append(text[done:start])
        out.append(_NOT_SPACE.sub("*", text[start:end]))
        done = max(done, end)
    out.append(text[done:])
    return "".join(out)
