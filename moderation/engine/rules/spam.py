"""Spam rules: advertising phrases, repeated characters, all caps, the same text posted again."""

from __future__ import annotations

import re
from typing import Any

import re2

from moderation.engine.decision import Action, Reason
from moderation.engine.duplicates import key_of_folded
from moderation.engine.matcher import RUN_SIGNAL
from moderation.engine.rules.base import Check, Comment, re2_options, reason

_NON_UPPER = bytes(c for c in range(256) if not 0x41 <= c <= 0x5A)
_NON_ALPHA = bytes(c for c in range(256) if not (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A))


def spam(rid: str, action: Action, sev: int, p: dict[str, Any]) -> tuple[Check, list[str]]:
    """Compile a `spam` rule; its phrases go to the shared matcher."""
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
            re2_options(),
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
                    out.append(reason(rid, "all_caps", "spam", sev, action))
        if dup_limit and len(c.context.author_recent_keys) >= dup_limit:
            mine = key_of_folded(c.folded)
            if c.context.author_recent_keys.count(mine) >= dup_limit:
                out.append(reason(rid, "duplicate", "spam", sev, action))
        return out

    return check, list(p.get("phrases", []))


def _may_repeat(c: Comment) -> bool:
    """Could the text hold a run of one repeated character? (cheap, may say yes wrongly)."""
    # The engine's scan of an ASCII comment's view sees every such run as three in a row.
    if c.signals is not None and c.text.isascii():
        return RUN_SIGNAL in c.signals
    return True
