"""Terms-of-use rules: pure checks over one comment that return reasons (or none)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import re2

from moderation.engine import normalise as norm
from moderation.engine.decision import Action, Context, Reason
from moderation.engine.matcher import AT_SIGNAL, DIGIT_SIGNAL, RUN_SIGNAL, key_of

_NON_DIGITS = bytes(c for c in range(256) if not 0x30 <= c <= 0x39)
_NON_UPPER = bytes(c for c in range(256) if not 0x41 <= c <= 0x5A)
_NON_ALPHA = bytes(c for c in range(256) if not (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A))
_TLDS = (
    "com",
    "net",
    "org",
    "io",
    "co",
    "ru",
    "cn",
    "info",
    "biz",
    "xyz",
    "ly",
    "me",
    "us",
    "uk",
    "de",
    "top",
    "online",
    "site",
    "shop",
    "club",
    "tk",
    "ml",
    "app",
    "dev",
    "tv",
    "gl",
    "gg",
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:"
    + "|".join(_TLDS)
    + r")\b(?:/[^\s<>\"']*)?"
)
_DOT_TLD = re.compile(r"\.(?:" + "|".join(_TLDS) + r")\b")
_FILLER = " \t\n.,:;!?-()[]"
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w$.,])(?:\+?\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])"
    r"\d{3,4}[ .-]?\d{3,4}(?![\w,])"
)
_STREET = (
    r"\d{1,6}\s+(?:[a-z]+\s+){1,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|"
    r"drive|dr|court|ct|way|place|pl|terrace|crescent|close)\b"
)
# Every phone number lies in a run of these characters at least nine long; the exact pattern
# (with its look-arounds, which RE2 lacks) runs only on such runs, keeping long texts linear.
_PHONE_RUN = re.compile(r"[0-9(+][0-9 ().+-]{8,}")
# A number and a street name is also a news fact ("10 Downing Street"): ask for a cue that it
# is someone's home (lives at, address is) or a flat number. RE2: one linear pass.
_ADDRESS = re2.compile(
    r"\b(?:lives?|living|stays?|address is|located|home is|house is|find (?:him|her|them|you))"
    r"\s+(?:at|on)?\s*"
    + _STREET
    + "|"
    + _STREET
    + r",?\s+(?:apt|apartment|unit|suite|flat|#)\s*\w+"
)


@dataclass(slots=True)
class Comment:
    """One comment as the rules see it; offsets are mapped back lazily."""

    text: str
    folded: str
    context: Context
    # Trigger words the engine's single scan found in the lexicon view (see Rule.triggers);
    # None when a rule is run on its own, and then it looks for its triggers itself.
    signals: frozenset[str] | None = None
    _map: norm.OffsetMap | None = field(default=None)
    _mapped: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `folded` to the original text."""
        if not self._mapped:
            self._map = norm.fold_map(self.text)
            self._mapped = True
        if self._map is None:
            return start, end
        return self._map.span(start, end)


Check = Callable[[Comment], list[Reason]]


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
        return self.check is _none


def _reason(
    rule_id: str,
    code: str,
    category: str,
    severity: int,
    action: Action,
    comment: Comment | None = None,
    span: tuple[int, int] | None = None,
) -> Reason:
    if comment is None or span is None:
        return Reason(rule_id, code, category, severity, action)
    start, end = comment.span(*span)
    return Reason(rule_id, code, category, severity, action, comment.text[start:end], start, end)


def _trigger(words: list[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(norm.fold(word), True)
    automaton.make_automaton()
    return automaton


def _none(_: Comment) -> list[Reason]:
    return []


def build(params: dict[str, Any]) -> Rule:
    """Compile validated rule params into a Rule (raises ValueError on a bad pattern)."""
    kind = params["type"]
    default = {"banned_terms": "reject", "regex": "reject"}.get(kind, "hold")
    action = Action(params.get("action", default))
    severity = params.get("severity", 3 if action is Action.REJECT else 2)
    rid = params["id"]
    maker = _MAKERS[kind]
    check, terms = maker(rid, action, severity, params)
    triggers = tuple(params.get("triggers", ())) if kind == "threats" else ()
    return Rule(rid, kind, action, severity, check, tuple(terms), triggers)


def _terms(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    return _none, list(p["terms"])


def _regex(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    options = _re2_options()
    options.case_sensitive = False
    try:
        pattern = re2.compile(p["pattern"], options)
    except re2.error as exc:
        raise ValueError(f"pattern: {exc}") from exc
    code = p.get("code", "regex")

    def check(c: Comment) -> list[Reason]:
        m = pattern.search(c.folded)
        return [_reason(rid, code, "regex", sev, action, c, (m.start(), m.end()))] if m else []

    return check, []


def _domain(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/", 1)[0].split(":", 1)[0]
    return host.rstrip(".")


def _matches_domain(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _links(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    trigger = _trigger(["http", "www."] + [f".{t}" for t in _TLDS])
    max_links = p.get("max_links", 2)
    blocked = [d.lower() for d in p.get("blocked_domains", [])]
    allowed = [d.lower() for d in p.get("allowed_domains", [])]
    blocked_action = Action(p.get("blocked_action", "reject"))
    link_only = Action(p.get("link_only_action", "hold"))

    def check(c: Comment) -> list[Reason]:
        folded = c.folded
        # str.find and a regex that starts with a literal "." run at C speed; the automaton
        # is the exact test for what is left.
        if "http" not in folded and "www." not in folded and not _DOT_TLD.search(folded):
            return []
        if next(trigger.iter(folded), None) is None:
            return []
        found = list(_URL.finditer(c.folded))
        out: list[Reason] = []
        for m in found:
            host = _domain(m.group())
            if _matches_domain(host, blocked) or (allowed and not _matches_domain(host, allowed)):
                out.append(_reason(rid, "blocked_domain", "links", 3, blocked_action, c, m.span()))
        if len(found) > max_links:
            out.append(_reason(rid, "too_many_links", "links", sev, action, c, found[-1].span()))
        if found and _only_links(folded, found):
            out.append(_reason(rid, "link_only", "links", sev, link_only, c, found[0].span()))
        return out

    return check, []


def _only_links(folded: str, found: list[re.Match[str]]) -> bool:
    """Is the text nothing but these links and punctuation?"""
    pos = 0
    for m in found:
        if folded[pos : m.start()].strip(_FILLER):
            return False
        pos = m.end()
    return not folded[pos:].strip(_FILLER)


def _digits(s: str) -> int:
    return len(s.encode("ascii", "replace").translate(None, _NON_DIGITS))


def _phones(folded: str) -> Iterator[tuple[int, int]]:
    for run in _PHONE_RUN.finditer(folded):
        # endpos one past the run so the look-ahead sees the character that ended it
        for m in _PHONE.finditer(folded, run.start(), run.end() + 1):
            yield m.span()


def _addresses(folded: str) -> Iterator[tuple[int, int]]:
    for m in _ADDRESS.finditer(folded):
        yield m.span()


def _emails(folded: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL.finditer(folded):
        yield m.span()


def _personal(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    Finder = Callable[[str], Iterator[tuple[int, int]]]
    finders: list[tuple[str, Finder, Callable[[str, int], bool]]] = []
    if p.get("email", True):
        finders.append(("email", _emails, lambda s, _: "@" in s))
    if p.get("phone", True):
        finders.append(("phone", _phones, lambda _, digits: digits >= 7))
    if p.get("address", True):
        finders.append(("street_address", _addresses, lambda _, digits: digits >= 1))

    def check(c: Comment) -> list[Reason]:
        signals = c.signals
        if signals is not None and DIGIT_SIGNAL not in signals and AT_SIGNAL not in signals:
            return []
        out: list[Reason] = []
        digits = _digits(c.folded)
        for code, find, cheap in finders:
            if cheap(c.folded, digits):
                for span in find(c.folded):
                    out.append(_reason(rid, code, "personal_data", sev, action, c, span))
        return out

    return check, []


def _threats(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    trigger = _trigger(p["triggers"])
    options = _re2_options()
    try:
        pattern = re2.compile("|".join(f"(?:{x})" for x in p["patterns"]), options)
    except re2.error as exc:
        raise ValueError(f"patterns: {exc}") from exc
    code = p.get("code", "threat")
    keys = frozenset(key_of(t) for t in p["triggers"])

    def check(c: Comment) -> list[Reason]:
        if c.signals is not None:
            if keys.isdisjoint(c.signals):
                return []
        elif next(trigger.iter(c.folded), None) is None:
            return []
        m = pattern.search(c.folded)
        return [_reason(rid, code, "threat", sev, action, c, (m.start(), m.end()))] if m else []

    return check, []


def _spam(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    run = p.get("max_repeated_chars", 0)
    ignored = p.get("repeat_ignore", "")
    # One RE2 alternation (a DFA, linear) instead of a back-reference: "(\S)\1{n,}" costs
    # hundreds of microseconds on a 10,000-character comment.
    repeats = (
        re2.compile(
            "|".join(
                re.escape(chr(c)) + "{" + str(run + 1) + ",}"
                for c in range(33, 127)
                if chr(c) not in ignored
            ),
            _re2_options(),
        )
        if run
        else None
    )
    ratio, min_letters = p.get("caps_ratio", 0.0), p.get("caps_min_letters", 30)
    dup_limit = p.get("duplicate_limit", 0)

    def check(c: Comment) -> list[Reason]:
        out: list[Reason] = []
        if repeats is not None and _may_repeat(c):
            m = repeats.search(c.text)
            if m:
                out.append(
                    Reason(
                        rid,
                        "repeated_characters",
                        "spam",
                        sev,
                        action,
                        m.group(),
                        m.start(),
                        m.end(),
                    )
                )
        if ratio:
            raw = c.text.encode("ascii", "replace")
            upper = len(raw.translate(None, _NON_UPPER))
            # Counting upper case first skips the second count for almost every comment.
            if upper >= ratio * min_letters:
                letters = len(raw.translate(None, _NON_ALPHA))
                if letters >= min_letters and upper >= ratio * letters:
                    out.append(_reason(rid, "all_caps", "spam", sev, action))
        if dup_limit and len(c.context.author_recent_bodies) >= dup_limit:
            mine = " ".join(c.folded.split())
            same = sum(
                1 for b in c.context.author_recent_bodies if " ".join(norm.fold(b).split()) == mine
            )
            if same >= dup_limit:
                out.append(_reason(rid, "duplicate", "spam", sev, action))
        return out

    return check, list(p.get("phrases", []))


def _may_repeat(c: Comment) -> bool:
    """Could the text hold a run of one repeated character? (cheap, may say yes wrongly)."""
    # The engine's scan of an ASCII comment's view sees every such run as three in a row.
    if c.signals is not None and c.text.isascii():
        return RUN_SIGNAL in c.signals
    return True


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.max_mem = 8 << 20  # a hostile pattern fails to compile instead of eating memory
    return options


def _length(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    low, high = p.get("min", 1), p.get("max", 5000)

    def check(c: Comment) -> list[Reason]:
        if len(c.text.strip()) < low:
            return [_reason(rid, "too_short", "length", sev, action)]
        if len(c.text) > high:
            return [Reason(rid, "too_long", "length", sev, action, None, high, len(c.text))]
        return []

    return check, []


_MAKERS: dict[str, Callable[[str, Action, int, dict[str, Any]], tuple[Check, list[str]]]] = {
    "banned_terms": _terms,
    "suspect_terms": _terms,
    "regex": _regex,
    "links": _links,
    "personal_data": _personal,
    "threats": _threats,
    "spam": _spam,
    "length": _length,
}
