"""Pattern rules in RE2 (linear time): a configured expression, or patterns behind trigger words."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import re2

from moderation.engine.decision import Action, Reason
from moderation.engine.matcher import key_of
from moderation.engine.rules.base import (
    Check,
    Comment,
    denied,
    negated,
    quoted,
    re2_options,
    reason,
    reported,
    trigger,
)


def regex(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    """Compile a `regex` rule (case-insensitive, over the folded text)."""
    options = re2_options()
    options.case_sensitive = False
    try:
        pattern = re2.compile(p["pattern"], options)
    except re2.error as exc:
        raise ValueError(f"pattern: {exc}") from exc
    code, category = p.get("code", "regex"), p.get("category", "regex")

    def check(c: Comment) -> list[Reason]:
        m = pattern.search(c.folded)
        return [reason(rid, code, category, sev, action, c, (m.start(), m.end()))] if m else []

    return check, []


def patterns(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    """Compile a `patterns` or `threats` rule: its patterns run only when a trigger occurs.

    A `threats` rule is a `patterns` rule whose reasons default to the category "threat".
    """
    found_any = trigger(p["triggers"])
    words = p.get("words", {})
    try:
        expanded = [_expand(x, words) for x in p["patterns"]]
        pattern = re2.compile("|".join(f"(?:{x})" for x in expanded), re2_options())
    except re2.error as exc:
        raise ValueError(f"patterns: {exc}") from exc
    threat = p["type"] == "threats"
    code = p.get("code", "threat" if threat else "pattern")
    category = p.get("category", "threat" if threat else "pattern")
    keys = frozenset(key_of(t) for t in p["triggers"])
    # Counter-speech quotes abuse or denies it ("it's a lie that…"), and news comments retell
    # it ("police said the gunman wanted to…"): not said, so passed over.
    asserted_only = p.get("asserted_only", False)
    # "I would never hurt you" denies a threat in its own words. Not so for other patterns:
    # "Muslims are not human" is hate.

    def check(c: Comment) -> list[Reason]:
        if c.signals is not None:
            if keys.isdisjoint(c.signals):
                return []
        elif next(found_any.iter(c.folded), None) is None:
            return []
        for text, runs in _readings(c):
            for m in pattern.finditer(text):
                if threat and negated(text, m.start(), m.end()):
                    continue
                # A match that ends inside joined letters ends where their run does.
                end = max([m.end(), *(b for a, b in runs if a < m.end() < b)])
                if asserted_only and (
                    denied(text, m.start())
                    or reported(text, m.start(), end)
                    or quoted(c.text, *c.span(m.start(), end))
                ):
                    continue
                return [reason(rid, code, category, sev, action, c, (m.start(), end))]
        return []

    return check, []


# "{group}" in a pattern stands for the rule's word list `group`: its phrases as alternatives.
_NAME = re.compile(r"\{([a-z_]+)\}")
_DEPTH = 4  # lists named inside lists, at most this deep


def _expand(pattern: str, words: Mapping[str, list[str]], depth: int = 0) -> str:
    """`pattern` with each "{name}" replaced by the word list `name` as RE2 alternatives.

    A phrase is literal text (a space matches any run of white space) and may itself name
    another list: "{identity} people".
    """
    if depth > _DEPTH:
        raise ValueError(f"patterns: word lists named more than {_DEPTH} deep")

    def alternatives(m: re.Match[str]) -> str:
        if m.group(1) not in words:
            raise ValueError(f"patterns: no word list {m.group(1)!r} for {m.group(0)}")
        return "(?:" + "|".join(_phrase(w, words, depth) for w in words[m.group(1)]) + ")"

    return _NAME.sub(alternatives, pattern)


def _phrase(phrase: str, words: Mapping[str, list[str]], depth: int) -> str:
    """A word list's phrase as RE2: literal text, white space as \\s+, lists expanded."""
    pieces = _NAME.split(phrase)  # literal, name, literal, name, ..., literal
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(_expand("{" + piece + "}", words, depth + 1))
        else:
            out.append("\\s+".join(re.escape(part) for part in piece.split(" ")))
    return "".join(out)


def _readings(c: Comment) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """The folded text; then, if it hides words in leetspeak ("Muslims are v3rmin") or spaces
    their letters out ("I hate M u s l i m s"), the same text as they read, 1:1, with the runs
    of joined letters (each asked for only when the readings before it matched nothing)."""
    yield c.folded, []
    if c.leet_read() is not c.folded:
        yield c.leet_read(), []
    joined, runs = c.joined_read()
    if runs:
        yield joined, runs
