"""Personal-data rules: email addresses, phone numbers and home addresses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import re2

from moderation.engine.decision import Action, Reason
from moderation.engine.matcher import AT_SIGNAL, DIGIT_SIGNAL
from moderation.engine.rules.base import Check, Comment, reasons_at

_NON_DIGITS = bytes(c for c in range(256) if not 0x30 <= c <= 0x39)
# An address is read from its "@" outwards: a pattern that began with the name part would be
# tried at every letter of a long word and run to its end each time (quadratic).
_EMAIL_NAME = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
_EMAIL_DOMAIN = re.compile(r"@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
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

Finder = Callable[[str], Iterator[tuple[int, int]]]


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
    """The spans of `[a-z0-9._%+-]+@domain`, leftmost first and not overlapping."""
    done = 0
    # The domain holds no "@": the regex module walks from one "@" to the next in C.
    for m in _EMAIL_DOMAIN.finditer(folded):
        begin = at = m.start()
        # The name runs back to the last character it may not hold (an "@" is one), so
        # each name is walked once.
        while begin > done and folded[begin - 1] in _EMAIL_NAME:
            begin -= 1
        if begin < at:
            yield begin, m.end()
            done = m.end()


def personal_data(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    """Compile a `personal_data` rule."""
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
                out += reasons_at(rid, code, "personal_data", sev, action, c, find(c.folded))
        return out

    return check, []
