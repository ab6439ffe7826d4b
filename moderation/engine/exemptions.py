"""When a lexicon hit is not the commenter's profanity: names, handles, credits, cut-off words."""

from __future__ import annotations

import re
from bisect import bisect_left

# Not after an @handle: "@USER You are…" is a reply, not a person called "User You".
_PRE_NAME = re.compile(r"(?<![@\w])[A-Z][\w'.-]*\s+$")
_POST_NAME = re.compile(r"^\s+(?:(?:van|von|de|der)\s+)?[A-Z]")
_NAME_REACH = 40  # characters read on each side of a word for the name beside it
# Handles ("@RobertCDick") and link addresses are names chosen elsewhere, not words the
# commenter wrote: lexicon hits inside them are not profanity. A hit that takes in the "@"
# ("@ss") or the whole handle ("@fuckface") still counts: that is an insult, not a name.
_HANDLE_REACH = 256  # a hit further into a handle or link than this is not spared
_HANDLE = re.compile(r"(?<![\w@])@\w+|(?:https?://|www\.)\S+", re.IGNORECASE)
# ...unless the handle is credited as a source ("RT @name:", "via @name", "h/t @name"): then
# it is someone else's name again, quoted, not a word aimed at anyone.
_CREDIT = re.compile(r"(?:^|[\s(\[])(?:rt|mt|via|h/t|ht)\s*:?\s*$", re.IGNORECASE)
# A preview cut off mid-word ("…stolen from his house last nig…"), as link previews, shared
# headlines and quoted posts end: the ellipsis ends the comment, or only a link follows it.
_TRUNCATED = re.compile(r"(?:…|&#8230;|&#x2026;|&hellip;)\s*(?:https?://\S+\s*)?", re.IGNORECASE)
_TRUNCATION_REACH = 200  # a longer tail than one link is not a cut-off preview


class Handles:
    """The @handles and links of one comment, found in one pass, for each hit to look up."""

    __slots__ = ("_spans", "_starts", "_text")

    def __init__(self, text: str, folded: str) -> None:
        """Prepare for `text`; `folded` (its fold) says cheaply whether it can hold any."""
        self._text = text
        self._spans: list[tuple[int, int]] = []
        # None: not searched yet. Folding lowers case, so these finds cover every spelling
        # the pattern accepts; a text without them is never searched at all.
        maybe = "@" in folded or "://" in folded or "www." in folded
        self._starts: list[int] | None = None if maybe else []

    def spare(self, start: int, end: int) -> bool:
        """Is [start, end) inside an @handle or a link, and not an insult aimed with "@"?

        A hit strictly inside a handle or link is spared; one that is the whole handle after
        its "@" is spared only when the handle is credited as a source ("RT @hoes: ...").
        """
        if self._starts is None:
            self._spans = [m.span() for m in _HANDLE.finditer(self._text)]
            self._starts = [s for s, _ in self._spans]
        # Handles do not overlap: only the last one that begins before the hit can hold it.
        k = bisect_left(self._starts, start) - 1
        if k < 0:
            return False
        s, e = self._spans[k]
        if s < start - _HANDLE_REACH or e < end:
            return False
        if (start, end) != (s + 1, e):
            return True
        return _CREDIT.search(self._text, max(0, s - 8), s) is not None


def in_handle(text: str, start: int, end: int) -> bool:
    """Is [start, end) of `text` inside an @handle or a link (see Handles.spare)?"""
    return Handles(text, text.lower()).spare(start, end)


def is_name(text: str, start: int, end: int) -> bool:
    """A Title Case word next to another Title Case word reads as a name ("Dick Cheney")."""
    word = text[start:end]
    if not word[:1].isupper() or (word.isupper() and len(word) > 1):
        return False
    return bool(
        _PRE_NAME.search(text[max(0, start - _NAME_REACH) : start])
        or _POST_NAME.match(text[end : end + _NAME_REACH])
    )


class Names:
    """is_name for the hits of one comment, judged once per distinct neighbourhood.

    A comment packed with a name ("Dick Van Dyke " a thousand times) has every hit checked,
    since none is confirmed: the same few neighbourhoods are looked up, not searched again.
    """

    __slots__ = ("_seen", "_text")

    def __init__(self, text: str) -> None:
        """Prepare for `text`."""
        self._text = text
        self._seen: dict[str, bool] = {}

    def spare(self, start: int, end: int) -> bool:
        """Is [start, end) of the text a name (see is_name)?"""
        text = self._text
        if start < _NAME_REACH or end + _NAME_REACH > len(text):
            return is_name(text, start, end)
        # The word and all is_name reads around it, at offsets fixed by its length.
        around = text[start - _NAME_REACH : end + _NAME_REACH]
        found = self._seen.get(around)
        if found is None:
            found = self._seen[around] = is_name(text, start, end)
        return found


def is_cut_off(text: str, end: int) -> bool:
    """Does a closing ellipsis cut the text off right after the hit ("…his house last nig…")?

    The engine asks only for whole-word terms (lexicon mode `word`): those match only as whole
    words because many ordinary words begin with them (nig: night; tit: title; ass: assault),
    and a word cut off there is not known to be whole.
    """
    if len(text) - end > _TRUNCATION_REACH:
        return False
    return _TRUNCATED.fullmatch(text, end) is not None
