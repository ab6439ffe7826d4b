"""Value types of the engine: actions, reasons, decisions and the caller's context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Action(StrEnum):
    """What happens to a comment; reject > hold > approve."""

    APPROVE = "approve"
    HOLD = "hold"
    REJECT = "reject"

    @property
    def rank(self) -> int:
        """Severity order used to fold reasons into one action."""
        return _RANK[self]


_RANK = {Action.APPROVE: 0, Action.HOLD: 1, Action.REJECT: 2}


def most_severe(actions: Any) -> Action:
    """Return the most severe of the given actions (approve when there are none)."""
    best = Action.APPROVE
    for action in actions:
        if _RANK[action] > _RANK[best]:
            best = action
    return best


#: Occurrences a reason lists offsets for: enough to highlight, small whatever the text.
SPAN_LIMIT = 10
#: Characters of the matched text a reason quotes (start/end still cover all of it).
TERM_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule or term, however often it hit; offsets are into the original text.

    term (cut to TERM_LIMIT characters), start and end describe the first occurrence; count
    is how many there were, and spans the offsets of the first SPAN_LIMIT (the first being
    start/end).
    """

    rule_id: str
    code: str
    category: str
    severity: int
    action: Action
    term: str | None = None
    start: int | None = None
    end: int | None = None
    count: int = 1
    spans: tuple[tuple[int, int], ...] = ()
    attribute: str | None = None  # the model's reasons: which attribute, and its score
    score: float | None = None

    def __post_init__(self) -> None:
        """A reason with offsets lists at least them, so highlighting reads spans alone."""
        if not self.spans and self.start is not None and self.end is not None:
            object.__setattr__(self, "spans", ((self.start, self.end),))
        if self.term is not None and len(self.term) > TERM_LIMIT:
            object.__setattr__(self, "term", self.term[: TERM_LIMIT - 1] + "\u2026")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "action": str(self.action),
            "term": self.term,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "spans": [[start, end] for start, end in self.spans],
        }
        if self.attribute is not None:
            out["attribute"], out["score"] = self.attribute, self.score
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's verdict on one comment."""

    action: Action
    reasons: tuple[Reason, ...]
    ruleset_version: str
    censored: str | None = None
    #: The toxicity model's probability per attribute; None when the site's rules run no model.
    scores: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "action": str(self.action),
            "reasons": [reason.to_dict() for reason in self.reasons],
            "ruleset_version": self.ruleset_version,
            "censored": self.censored,
            "scores": self.scores,
        }


@dataclass(frozen=True, slots=True)
class Context:
    """Everything stateful about a comment, computed by the caller."""

    site: str
    section: str | None = None
    author_id: str | None = None
    author_prior_comments: int = 0
    #: duplicate_key() of the author's recent comments, for the duplicate check.
    author_recent_keys: tuple[str, ...] = ()
    now: datetime | None = None


class Work(NamedTuple):
    """What deciding one comment took, in steps rather than time (the engine has no clock)."""

    matches: int  # automaton outputs the matcher examined, over every pass
    checked: int  # lexicon hits whose exemptions were tested
    exhausted: bool  # the matches passed the budget: the comment is held as too_costly
