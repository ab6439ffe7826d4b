"""Pattern rules in RE2 (linear time): a configured expression, or patterns behind trigger words."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import ahocorasick
import re2

from moderation.engine import normalise as norm
from moderation.engine.decision import Action, Reason
from moderation.engine.matcher import key_of, trigger_key
from moderation.engine.rules.base import Check, Comment, re2_options, reason, trigger
from moderation.engine.rules.marks import Marks
from moderation.engine.rules.readings import AS_WRITTEN, Spelling, readings
from moderation.engine.rules.speech import (
    answered_no,
    denied,
    idiom,
    negated,
    object_of,
    quoted,
    reported,
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
    spelling = _spelling(p)
    triggers = triggers_of(p, spelling)

    @functools.cache
    def found_any() -> ahocorasick.Automaton:
        """The triggers' automaton, for a rule run on its own (the engine's scan reports them)."""
        return trigger([t.strip() for t in triggers])

    words = p.get("words", {})
    named = p.get("marks", [])
    marks = Marks(named, lambda x: _expand(x, words)) if named else None
    stands = {name: marks.stands_for(name) for name in named} if marks else {}
    # The patterns that name a marked list read the marked text; the rest, the text.
    on = [x for x in p["patterns"] if any("{" + n + "}" in x for n in named)]
    off = [x for x in p["patterns"] if x not in on]
    try:
        compiled = [
            (re2.compile("|".join(f"(?:{x})" for x in chunk), re2_options()), on_marks)
            for on_marks, run in ((True, on), (False, off))
            for chunk in chunked([_expand(x, words, stands if on_marks else {}) for x in run])
        ]
    except re2.error as exc:
        raise ValueError(f"patterns: {exc}") from exc
    threat = p["type"] == "threats"
    code = p.get("code", "threat" if threat else "pattern")
    category = p.get("category", "threat" if threat else "pattern")
    keys = frozenset(trigger_key(t) for t in triggers)
    # Counter-speech quotes abuse or denies it ("it's a lie that…"), and news comments retell
    # it ("police said the gunman wanted to…"): not said, so passed over; so is what is said
    # of a phrase that merely names a group ("the attacks on Muslims are disgusting").
    asserted_only = p.get("asserted_only", False)
    # "Muslims are honestly a disease": read without its hedging words too (norm.unhedged).
    # Not for every rule: insults and threats lean on them the other way ("I am literally going
    # to kill all of you for months you have been…" is a fan's, not a threat).
    unhedged = p.get("unhedged", False)
    # "I'm going to beat the referee senseless": read with people named by a role as pronouns
    # too (norm.as_pronouns), for threats whose patterns list "you", "him" and "them". The
    # roles are word lists: read as one person ("referee") and, if a second, as many ("police").
    people = norm.named(*(_listed(n, words, "roles") for n in p["roles"])) if "roles" in p else None
    # "The editor had better watch his back": said of him, read as said to "you" too. Only for
    # a rule that holds: read so, "…as the race who fed them will die out" was a direct threat.
    addressed = p.get("addressed", False)

    def check(c: Comment) -> list[Reason]:
        if c.signals is not None:
            found = not keys.isdisjoint(c.signals)
        else:
            found = next(found_any().iter(c.folded), None) is not None
        # A trigger drawn out ("kiiiill") is no word the scan knows.
        if not found and keys.isdisjoint(map(key_of, c.stretched().values())):
            return []
        for text, to_folded in readings(c, spelling, unhedged, people, addressed):
            marked = marks.mark(text) if marks else text
            for m in (
                m
                for pattern, on_marks in compiled
                for m in pattern.finditer(marked if on_marks else text)
            ):
                # "I would never hurt you" denies a threat in its own words. Not so for other
                # patterns: "Muslims are not human" is hate.
                if threat and (negated(text, m.start(), m.end()) or idiom(text, m.end())):
                    continue
                span = to_folded(m.start(), m.end())
                # Retold or quoted: passed over, or held where the rule would reject.
                told = (asserted_only or action is Action.REJECT) and (
                    reported(text, m.start(), m.end()) or quoted(c.text, *c.span(*span))
                )
                if asserted_only and (
                    told
                    or object_of(text, m.start())
                    or denied(text, m.start())
                    or answered_no(text, m.end())
                ):
                    continue
                # A threat retold ('he told me "I will kill you"') is held for a moderator,
                # never rejected outright: the victim or the news may be telling it.
                said = Action.HOLD if told and action is Action.REJECT else action
                return [reason(rid, code, category, sev, said, c, span)]
        return []

    return check, []


# RE2 matches with a DFA whose states grow with the expression: on one alternation of every
# pattern of `group-hate` (18,000 characters of them) it ran out of memory and fell back to a
# slower matcher. Patterns are joined in chunks of at most this many characters instead, each
# searched on its own; none ran out over the Civil Comments set. Each chunk is a pass over the
# text, so the larger the fewer: chunks of 14,000 took `group-hate` (then 50,000 characters)
# from 9.3 to 7.7 µs a comment on Civil Comments against 12,000; at 25,000 its DFA ran out of
# memory.
_CHUNK = 14_000


def chunked(expanded: list[str]) -> list[list[str]]:
    """The patterns in order, in runs of at most _CHUNK characters (or one longer pattern)."""
    out: list[list[str]] = []
    size = _CHUNK
    for x in expanded:
        if size + len(x) > _CHUNK:
            out.append([])
            size = 0
        out[-1].append(x)
        size += len(x)
    return out


# "{group}" in a pattern stands for the rule's word list `group`: its phrases as alternatives.
_NAME = re.compile(r"\{([a-z_]+)\}")
_DEPTH = 4  # lists named inside lists, at most this deep


def triggers_of(p: dict[str, Any], spelling: Spelling | None = None) -> list[str]:
    """A patterns rule's trigger words; with `typos`, the slips of them and of its listed
    words too (readings.slips), and those words broken in two ("dis gusting"), as whole words:
    "useles" is inside "useless". `spelling`: the rule's, when the caller has it already."""
    spelling = _spelling(p) if spelling is None else spelling
    return [
        *_own_triggers(p),
        *(f" {slip} " for slip in spelling.slips),
        *spelling.halves,
    ]


def _own_triggers(p: dict[str, Any]) -> list[str]:
    """The rule's triggers, a "{name}" among them read as the head words of list `name`."""
    words = p.get("words", {})
    return list(dict.fromkeys(w for t in p["triggers"] for w in _heads(t, words)))


def _heads(trigger: str, words: Mapping[str, list[str]], depth: int = 0) -> Iterator[str]:
    """`trigger`, or for "{name}" the last word of each phrase of list `name`, the word a
    phrase cannot match without ("supporters" of "{party} supporters"). Not the whole phrase:
    the scan keeps runs of spaces, where a pattern's \\s+ reads "black   people" too."""
    m = _NAME.fullmatch(trigger)
    if m is None:
        yield trigger
        return
    if depth > _DEPTH:
        raise ValueError(f"triggers: word lists named more than {_DEPTH} deep")
    if m.group(1) not in words:
        raise ValueError(f"triggers: no word list {m.group(1)!r} for {trigger}")
    for phrase in words[m.group(1)]:
        yield from _heads(phrase.split()[-1], words, depth + 1)


def _spelling(p: dict[str, Any]) -> Spelling:
    """With `typos`, a slip of the rule's words ("mulsims") is read as the word, and two of
    them run together ("Muslimsare") are read apart."""
    if not p.get("typos", False):
        return AS_WRITTEN
    return Spelling.of(_own_triggers(p), p.get("words", {}))


def _expand(
    pattern: str,
    words: Mapping[str, list[str]],
    marked: Mapping[str, str] | None = None,
    depth: int = 0,
) -> str:
    """`pattern` with each "{name}" replaced by the word list `name` as RE2 alternatives, or
    by what it stands for when `marked` names it (rules/marks.py).

    A phrase is literal text (a space matches any run of white space) and may itself name
    another list: "{identity} people".
    """
    if depth > _DEPTH:
        raise ValueError(f"patterns: word lists named more than {_DEPTH} deep")

    def alternatives(m: re.Match[str]) -> str:
        if m.group(1) not in words:
            raise ValueError(f"patterns: no word list {m.group(1)!r} for {m.group(0)}")
        if marked and m.group(1) in marked:
            return marked[m.group(1)]
        listed = words[m.group(1)]
        return "(?:" + "|".join(_phrase(w, words, marked, depth) for w in listed) + ")"

    return _NAME.sub(alternatives, pattern)


def _listed(name: str, words: Mapping[str, list[str]], option: str) -> str:
    """The word list `name` that `option` names, as alternatives."""
    if name not in words:
        raise ValueError(f"{option}: no word list {name!r}")
    return _expand("{" + name + "}", words)


def _phrase(
    phrase: str, words: Mapping[str, list[str]], marked: Mapping[str, str] | None, depth: int
) -> str:
    """A word list's phrase as RE2: literal text, white space as \\s+, lists expanded."""
    pieces = _NAME.split(phrase)  # literal, name, literal, name, ..., literal
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(_expand("{" + piece + "}", words, marked, depth + 1))
        else:
            out.append("\\s+".join(re.escape(part) for part in piece.split(" ")))
    return "".join(out)
