"""Pattern rules in RE2 (linear time): a configured expression, or patterns behind trigger words."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ahocorasick
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
    triggers = triggers_of(p)

    @functools.cache
    def found_any() -> ahocorasick.Automaton:
        """The triggers' automaton, for a rule run on its own (the engine's scan reports them)."""
        return trigger(triggers)

    words = p.get("words", {})
    # A slip of a trigger or of a listed word ("mulsims") is read as the word.
    respelt = _slip_table(p, words) if p.get("typos", False) else {}
    slipped = frozenset(key_of(t) for t in respelt)
    # Words run together ("Muslimsare", "blackpeople") are split where both parts are words
    # of the rule's or little words its patterns join them with.
    known = _known(p, words) | _LITTLE if respelt else frozenset()
    gluable = sorted(key_of(w) for w in _known(p, words) if len(w) >= 4) if respelt else []
    try:
        expanded = [_expand(x, words) for x in p["patterns"]]
        pattern = re2.compile("|".join(f"(?:{x})" for x in expanded), re2_options())
    except re2.error as exc:
        raise ValueError(f"patterns: {exc}") from exc
    threat = p["type"] == "threats"
    code = p.get("code", "threat" if threat else "pattern")
    category = p.get("category", "threat" if threat else "pattern")
    keys = frozenset(key_of(t) for t in triggers)
    # Counter-speech quotes abuse or denies it ("it's a lie that…"), and news comments retell
    # it ("police said the gunman wanted to…"): not said, so passed over.
    asserted_only = p.get("asserted_only", False)
    # "I would never hurt you" denies a threat in its own words. Not so for other patterns:
    # "Muslims are not human" is hate.

    def check(c: Comment) -> list[Reason]:
        if c.signals is not None:
            if keys.isdisjoint(c.signals):
                return []
        elif next(found_any().iter(c.folded), None) is None:
            return []
        for text, to_folded in _readings(c, respelt, slipped, known, gluable):
            for m in pattern.finditer(text):
                if threat and negated(text, m.start(), m.end()):
                    continue
                span = to_folded(m.start(), m.end())
                if asserted_only and (
                    denied(text, m.start())
                    or reported(text, m.start(), m.end())
                    or quoted(c.text, *c.span(*span))
                ):
                    continue
                return [reason(rid, code, category, sev, action, c, span)]
        return []

    return check, []


# "{group}" in a pattern stands for the rule's word list `group`: its phrases as alternatives.
_NAME = re.compile(r"\{([a-z_]+)\}")
_DEPTH = 4  # lists named inside lists, at most this deep


def triggers_of(p: dict[str, Any]) -> list[str]:
    """A patterns rule's trigger words; with `typos`, the slips of them and of its listed
    words too (see slips), which the comment is then read without."""
    if not p.get("typos", False):
        return list(p["triggers"])
    return [*p["triggers"], *_slip_table(p, p.get("words", {}))]


def slips(word: str) -> set[str]:
    """The ways a word is commonly mistyped, its first letter kept: two neighbours swapped
    ("mulsims", "idoit", in words of five letters or more), one letter but the last left out
    ("musims", "disgustng", in words of seven or more) and a plural's s written z ("ratz").

    Shorter words are left alone: their slips are other words ("hate": "hat", "ate"; "blacks":
    "backs"; "native": "naive").
    """
    out = set()
    if len(word) >= 5:
        out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    if len(word) >= 7:
        out |= {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
    if len(word) >= 4 and word.endswith("s"):
        out.add(word[:-1] + "z")
    out.discard(word)
    return out


# Little words patterns join listed words with: "Muslimsare" is split into "muslims are".
_LITTLE = frozenset(
    ("a", "all", "an", "and", "are", "be", "i", "is", "r", "so", "such", "the", "these")
) | frozenset(("those", "was", "we", "were"))


def _known(p: dict[str, Any], words: Mapping[str, list[str]]) -> frozenset[str]:
    """The rule's one-word triggers and the words of its word lists."""
    known = {w for w in p["triggers"] if " " not in w}
    known |= {w for phrases in words.values() for phrase in phrases for w in phrase.split(" ")}
    return frozenset(w for w in known if w.isalpha())


def _slip_table(p: dict[str, Any], words: Mapping[str, list[str]]) -> dict[str, str]:
    """Each slip of the rule's one-word triggers and listed words, and the word it stands for."""
    known = _known(p, words)
    table: dict[str, str] = {}
    for word in sorted(known):
        for slip in sorted(slips(word) - known):
            table.setdefault(slip, word)
    return table


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


# Where a span of a reading lies in the folded text.
Mapper = Callable[[int, int], tuple[int, int]]


def _same(start: int, end: int) -> tuple[int, int]:
    return start, end


def _readings(
    c: Comment,
    respelt: Mapping[str, str],
    slipped: frozenset[str],
    known: frozenset[str],
    gluable: list[str],
) -> Iterator[tuple[str, Mapper]]:
    """The folded text, then the same text as it reads when it hides words (each asked for
    only when the readings before it matched nothing): leetspeak ("Muslims are v3rmin"),
    letters spaced out ("I hate M u s l i m s"), slips of the rule's words ("mulsims") and
    words run together ("Muslimsare")."""
    yield c.folded, _same
    if c.leet_read() is not c.folded:
        yield c.leet_read(), _same
    joined, runs = c.joined_read()
    if runs:
        # A match that ends inside joined letters ends where their run does.
        yield joined, lambda s, e: (s, max([e, *(b for a, b in runs if a < e < b)]))
    if respelt and (c.signals is None or not slipped.isdisjoint(c.signals) or _glued(c, gluable)):
        read = _respell(c.folded, respelt, known)
        if read is not None:
            yield read


def _glued(c: Comment, gluable: list[str]) -> bool:
    """Does one of these words, found by the scan, run into a neighbouring letter?"""
    for word in gluable:
        if c.signals is not None and word not in c.signals:
            continue
        at = c.folded.find(word)
        while at >= 0:
            end = at + len(word)
            if c.folded[at - 1 : at].isalpha() or c.folded[end : end + 1].isalpha():
                return True
            at = c.folded.find(word, end)
    return False


_TOKEN = re.compile(r"[a-z]+")


def _respell(
    folded: str, table: Mapping[str, str], known: frozenset[str]
) -> tuple[str, Mapper] | None:
    """`folded` with each word `table` knows as a slip written as the word it stands for, and
    each run of two `known` words split in two, and the way back; None when it holds none."""
    parts: list[str] = []
    marks: list[tuple[int, int, int, int]] = []  # reading start, end; folded start, end
    at = shift = 0
    for m in _TOKEN.finditer(folded):
        word = table.get(m.group()) or _split(m.group(), known)
        if word is None:
            continue
        parts += (folded[at : m.start()], word)
        marks.append((m.start() + shift, m.start() + shift + len(word), m.start(), m.end()))
        shift += len(word) - (m.end() - m.start())
        at = m.end()
    if not marks:
        return None
    parts.append(folded[at:])

    def back(x: int, end: bool) -> int:
        offset = 0
        for start, stop, first, last in marks:
            if x <= start:
                break
            if x < stop:  # inside a respelt word: its edge in the folded text
                return last if end else first
            offset = stop - last
        return x - offset

    return "".join(parts), lambda s, e: (back(s, False), back(e, True))


def _split(token: str, known: frozenset[str]) -> str | None:
    """Two known words run together, with a space between them ("muslimsare": "muslims are")."""
    if len(token) < 5 or token in known:
        return None
    for i in range(1, len(token)):
        if token[:i] in known and token[i:] in known:
            return f"{token[:i]} {token[i:]}"
    return None
