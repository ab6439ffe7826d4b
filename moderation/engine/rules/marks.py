"""Word lists a patterns rule finds once per reading and its patterns name as marks.

A list of groups ("{group}": 150 phrases) named in 57 of its 59 patterns made `group-hate` an
expression of 110,000 characters, nine RE2 passes over every comment that named a group, each
with a DFA cache of its own. Marked, each mention of a listed phrase is found in one pass and
written as a run of one capital letter (folded text has none), the same length, so offsets
hold: "muslims are vermin" is read "AAAAAAA are vermin", and "{group}" in a pattern is "[AB]+".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import re2

from moderation.engine.rules.base import re2_options

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MOST = 4  # lists a rule marks: a letter for each set of them a mention is in, 15 of 26


class Marks:
    """The lists a rule marks: how to mark a text, and what each list's name stands for."""

    def __init__(self, names: Sequence[str], expand: Callable[[str], str]) -> None:
        """`expand` turns "{name}" into the list's phrases as RE2 alternatives."""
        if len(names) > _MOST:
            raise ValueError(f"marks: at most {_MOST} lists")
        combos = [
            frozenset(c) for k in range(1, len(names) + 1) for c in itertools.combinations(names, k)
        ]
        self._letter = {combo: _LETTERS[i] for i, combo in enumerate(combos)}
        self._lists = [(n, re2.compile(expand("{" + n + "}"), re2_options())) for n in names]
        options = re2_options()
        options.longest_match = True  # "black people" (a group), not "black" (a member) of it
        union = "|".join(expand("{" + name + "}") for name in names)
        self._find = re2.compile(f"\\b(?:{union})\\b", options)

    def stands_for(self, name: str) -> str:
        """What "{name}" is in a pattern: a run of a letter of any mention the list holds."""
        return "[" + "".join(c for combo, c in self._letter.items() if name in combo) + "]+"

    def mark(self, text: str) -> str:
        """`text` with each mention of a marked list written as a run of its letter."""
        parts: list[str] = []
        at = 0
        runs: dict[str, str] = {}  # each mention once: packed text repeats a few
        for m in self._find.finditer(text):
            mention = m.group()
            run = runs.get(mention)
            if run is None:
                combo = frozenset(n for n, listed in self._lists if listed.fullmatch(mention))
                run = runs[mention] = self._letter[combo] * len(mention)
            parts += (text[at : m.start()], run)
            at = m.end()
        if not parts:
            return text
        parts.append(text[at:])
        return "".join(parts)
