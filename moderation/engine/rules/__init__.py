"""Terms-of-use rules: pure checks over one comment that return reasons (or none)."""

from __future__ import annotations

from typing import Any

from moderation.engine.decision import Action, Reason
from moderation.engine.rules.base import Check, Comment, Maker, Rule, no_check, reason
from moderation.engine.rules.links import links
from moderation.engine.rules.patterns import patterns, regex, triggers_of
from moderation.engine.rules.personal import personal_data
from moderation.engine.rules.spam import spam

__all__ = ["Check", "Comment", "Rule", "build"]


def build(params: dict[str, Any]) -> Rule:
    """Compile validated rule params into a Rule (raises ValueError on a bad pattern)."""
    kind = params["type"]
    default = {"banned_terms": "reject", "regex": "reject"}.get(kind, "hold")
    action = Action(params.get("action", default))
    severity = params.get("severity", 3 if action is Action.REJECT else 2)
    rid = params["id"]
    check, terms = _MAKERS[kind](rid, action, severity, params)
    triggers = tuple(triggers_of(params)) if kind in ("threats", "patterns") else ()
    return Rule(rid, kind, action, severity, check, tuple(terms), triggers)


def _terms(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    return no_check, list(p["terms"])


def _length(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    low, high = p.get("min", 1), p.get("max", 5000)

    def check(c: Comment) -> list[Reason]:
        if len(c.text.strip()) < low:
            return [reason(rid, "too_short", "length", sev, action)]
        if len(c.text) > high:
            return [Reason(rid, "too_long", "length", sev, action, None, high, len(c.text))]
        return []

    return check, []


_MAKERS: dict[str, Maker] = {
    "banned_terms": _terms,
    "suspect_terms": _terms,
    "regex": regex,
    "links": links,
    "personal_data": personal_data,
    "threats": patterns,
    "patterns": patterns,
    "spam": spam,
    "length": _length,
}
